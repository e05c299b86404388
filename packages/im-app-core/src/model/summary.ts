/** One-line previews of messages (chat list, notifications), in the host's language. */
import { MessageType } from '@box-im/im-common';
import { ClientStatus } from './status';
import type { ChatMessage } from './types';

/** The placeholders a preview may need; the host translates them. */
export type SummaryLabel =
  | 'image'
  | 'file'
  | 'audio'
  | 'video'
  | 'voiceCall'
  | 'videoCall'
  | 'record'
  | 'recalledSelf'
  | 'recalledOther';

/** Translates a placeholder; `name` is the sender's nickname for `recalledOther`. */
export type SummaryLabels = (label: SummaryLabel, name: string) => string;

const MEDIA: Partial<Record<number, SummaryLabel>> = {
  [MessageType.IMAGE]: 'image',
  [MessageType.FILE]: 'file',
  [MessageType.AUDIO]: 'audio',
  [MessageType.VIDEO]: 'video',
  [MessageType.ACT_RT_VOICE]: 'voiceCall',
  [MessageType.ACT_RT_VIDEO]: 'videoCall',
  [MessageType.CHAT_RECORD]: 'record',
};

/** One-line preview: text as is, media and calls as a placeholder, recalls as a notice. */
export function summarize(m: ChatMessage, labels: SummaryLabels): string {
  const name = m.sendNickName ?? '';
  if (m.status === ClientStatus.RECALL) return labels(m.selfSend ? 'recalledSelf' : 'recalledOther', name);
  const label = MEDIA[m.type];
  return label ? labels(label, name) : m.content;
}
