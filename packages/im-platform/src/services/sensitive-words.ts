/**
 * Sensitive-word filter: a trie over the enabled words of `im_sensitive_word`, swapped
 * atomically on reload. Matching follows box-im: characters that are neither ASCII letters
 * or digits nor CJK (U+2E80–U+9FFF) are "symbols", skipped inside a match; the shortest word
 * matched at a position is replaced by `***`, including any symbols it spans.
 */
interface TrieNode {
  children: Map<string, TrieNode>;
  end: boolean;
}

const REPLACEMENT = '***';

function isSymbol(ch: string): boolean {
  const c = ch.codePointAt(0) ?? 0;
  const asciiAlnum = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  const cjk = c >= 0x2e80 && c <= 0x9fff;
  return !asciiAlnum && !cjk;
}

export class SensitiveWordFilter {
  private root: TrieNode = { children: new Map(), end: false };
  private count = 0;

  /** Replace the word list (atomic for readers: a new trie is built, then swapped). */
  load(words: Iterable<string>): void {
    const root: TrieNode = { children: new Map(), end: false };
    let count = 0;
    for (const word of words) {
      const chars = [...word.trim()].filter((ch) => !isSymbol(ch));
      if (chars.length === 0) continue;
      let node = root;
      for (const ch of chars) {
        let next = node.children.get(ch);
        if (!next) node.children.set(ch, (next = { children: new Map(), end: false }));
        node = next;
      }
      node.end = true;
      count++;
    }
    this.root = root;
    this.count = count;
  }

  get size(): number {
    return this.count;
  }

  /** The text with every sensitive word replaced by `***`. */
  filter(text: string): string {
    if (this.count === 0 || text.length === 0) return text;
    const chars = [...text];
    const root = this.root;
    let out = '';
    let begin = 0;
    while (begin < chars.length) {
      const first = chars[begin]!;
      let node = root.children.get(first);
      if (!node) {
        out += first;
        begin++;
        continue;
      }
      let pos = begin;
      let matchedEnd = -1;
      while (node) {
        if (node.end) {
          matchedEnd = pos;
          break;
        }
        pos++;
        // Skip symbols inside a match.
        while (pos < chars.length && isSymbol(chars[pos]!)) pos++;
        if (pos >= chars.length) break;
        node = node.children.get(chars[pos]!);
      }
      if (matchedEnd >= 0) {
        out += REPLACEMENT;
        begin = matchedEnd + 1;
      } else {
        out += first;
        begin++;
      }
    }
    return out;
  }

  /** Whether the text holds any sensitive word. */
  contains(text: string): boolean {
    return this.filter(text) !== text;
  }
}
