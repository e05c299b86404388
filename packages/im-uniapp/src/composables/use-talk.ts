/**
 * Hold to talk: recording starts on touch, a slide up of more than 60 px marks it cancelled,
 * release sends it (unless cancelled or shorter than a second); it stops itself after 60 s.
 */
import { ref } from 'vue';
import { t } from '../i18n';
import { createRecorder, type Recording } from '../lib/recorder';

function touchY(e: TouchEvent): number {
  const touch = e.touches?.[0] ?? e.changedTouches?.[0];
  return touch ? touch.clientY : 0;
}

/** `onRecorded` gets the recording with its duration in whole seconds, at least 1. */
export function useTalk(onRecorded: (rec: Recording) => void) {
  const recorder = createRecorder();
  const recording = ref(false);
  const cancelling = ref(false);
  let startY = 0;
  let startedAt = 0;
  let autoStop: ReturnType<typeof setTimeout> | null = null;

  async function talkStart(e: TouchEvent) {
    startY = touchY(e);
    cancelling.value = false;
    try {
      await recorder.start();
    } catch (err) {
      uni.showToast({
        title: t('chat.recordFailed', { reason: (err as Error).message ?? '' }),
        icon: 'none',
      });
      return;
    }
    startedAt = Date.now();
    recording.value = true;
    autoStop = setTimeout(() => void talkEnd(), 60_000);
  }

  function talkMove(e: TouchEvent) {
    if (recording.value) cancelling.value = startY - touchY(e) > 60;
  }

  async function talkEnd() {
    if (autoStop) clearTimeout(autoStop);
    autoStop = null;
    if (!recording.value) return;
    recording.value = false;
    const short = Date.now() - startedAt < 1000;
    const rec = await recorder.stop(cancelling.value || short);
    if (short && !cancelling.value) uni.showToast({ title: t('chat.tooShort'), icon: 'none' });
    if (rec)
      onRecorded({ path: rec.path, fileName: rec.fileName, duration: Math.max(1, Math.round(rec.duration)) });
  }

  return { recording, cancelling, talkStart, talkMove, talkEnd };
}
