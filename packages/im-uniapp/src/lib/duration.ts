/** `mm:ss` since `start` (epoch ms). */
export function elapsed(start: number, now: number): string {
  const s = Math.max(0, Math.floor((now - start) / 1000));
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}
