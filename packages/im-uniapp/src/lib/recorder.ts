/**
 * Hold-to-talk recording. App and mini-program: uni's recorder manager (mp3 temp file).
 * H5: MediaRecorder on the microphone (needs https or localhost), the result as a blob URL
 * that `uni.uploadFile` sends like a temp file.
 */
export interface Recording {
  path: string;
  fileName: string;
  /** Seconds. */
  duration: number;
}

export interface Recorder {
  start(): Promise<void>;
  /** Stops; resolves with the recording (null when cancelled). */
  stop(cancel?: boolean): Promise<Recording | null>;
}

export function createRecorder(): Recorder {
  let startedAt = 0;
  // #ifdef H5
  let media: MediaRecorder | null = null;
  let stream: MediaStream | null = null;
  let chunks: Blob[] = [];
  return {
    async start() {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      chunks = [];
      media = new MediaRecorder(stream);
      media.ondataavailable = (e) => {
        if (e.data.size) chunks.push(e.data);
      };
      media.start();
      startedAt = Date.now();
    },
    stop(cancel = false) {
      return new Promise((resolve) => {
        const rec = media;
        if (!rec) return resolve(null);
        rec.onstop = () => {
          stream?.getTracks().forEach((tr) => tr.stop());
          stream = null;
          media = null;
          if (cancel || !chunks.length) return resolve(null);
          const blob = new Blob(chunks, { type: rec.mimeType || 'audio/webm' });
          const ext = blob.type.includes('ogg') ? 'ogg' : blob.type.includes('mp4') ? 'm4a' : 'webm';
          resolve({
            path: URL.createObjectURL(blob),
            fileName: `voice-${Date.now()}.${ext}`,
            duration: (Date.now() - startedAt) / 1000,
          });
        };
        rec.stop();
      });
    },
  };
  // #endif
  // #ifndef H5
  const manager = uni.getRecorderManager();
  let cancelled = false;
  let done: ((r: Recording | null) => void) | null = null;
  manager.onStop((res: { tempFilePath: string; duration?: number }) => {
    const finish = done;
    done = null;
    if (!finish) return;
    if (cancelled) return finish(null);
    finish({
      path: res.tempFilePath,
      fileName: `voice-${Date.now()}.mp3`,
      duration: (res.duration ?? Date.now() - startedAt) / 1000,
    });
  });
  return {
    start() {
      cancelled = false;
      startedAt = Date.now();
      manager.start({ format: 'mp3', duration: 60_000 });
      return Promise.resolve();
    },
    stop(cancel = false) {
      cancelled = cancel;
      return new Promise((resolve) => {
        done = resolve;
        manager.stop();
      });
    },
  };
  // #endif
}
