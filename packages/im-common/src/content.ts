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
