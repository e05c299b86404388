/** Unsent text per chat, kept while the page lives (switching chats keeps what you typed). */
const drafts = new Map<string, string>();

export function getDraft(key: string): string {
  return drafts.get(key) ?? '';
}
export function setDraft(key: string, text: string): void {
  if (text) drafts.set(key, text);
  else drafts.delete(key);
}
