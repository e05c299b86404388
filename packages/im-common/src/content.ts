/**
 * Content shapes of media messages, as box-im's clients produce them. The content field of
 * a message is the JSON text of one of these.
 */
export interface ImageContent {
  originUrl: string;
  thumbUrl: string;
  width: number;
  height: number;
}
export interface FileContent {
  name: string;
  size: number;
  url: string;
}
export interface AudioContent {
  /** Seconds. */
  duration: number;
  url: string;
}
/** Type 4 (VIDEO): box-im's clients never send it; this is our documented shape. */
export interface VideoContent {
  videoUrl: string;
  coverUrl?: string | null;
  /** Seconds. */
  duration?: number | null;
  width?: number | null;
  height?: number | null;
  /** Original file name and size in bytes, when known. */
  name?: string;
  size?: number;
}

/** One message inside a merged forward (a snapshot: later recalls do not change it). */
export interface ChatRecordItem {
  sendId: number;
  sendNickName: string;
  type: number;
  content: string;
  /** Epoch ms of the original. */
  sendTime: number;
}
/**
 * Type 60 (CHAT_RECORD), a merged forward: the messages, oldest first, and where they came
 * from (`names`: the two users of a private chat, or the group's name), for the title.
 */
export interface ChatRecordContent {
  chatType: 'PRIVATE' | 'GROUP';
  names: string[];
  items: ChatRecordItem[];
}
