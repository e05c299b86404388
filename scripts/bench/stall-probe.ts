/**
 * Diagnostic (BENCH_STALLS=1): long event-loop turns of this process, and what ran around them
 * (GC pauses, and spans that instrumented code reports through `globalThis.__benchSpan`).
 * Timestamps are wall-clock ms, so two processes' lists can be lined up.
 */
import { PerformanceObserver, performance } from 'node:perf_hooks';

interface Span {
  name: string;
  at: number;
  ms: number;
  detail?: string;
}

const now = () => performance.timeOrigin + performance.now();

export function startStallProbe(
  label: string,
  thresholdMs = 8,
): { dump: () => string; stalledAt: (from: number, to?: number) => boolean } {
  const stalls: Span[] = [];
  const spans: Span[] = [];
  let last = now();
  const timer = setInterval(() => {
    const t = now();
    if (t - last > 2 + thresholdMs) stalls.push({ name: 'stall', at: last, ms: t - last });
    last = t;
  }, 2);
  timer.unref();
  const gc = new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      spans.push({
        name: 'gc',
        at: performance.timeOrigin + e.startTime,
        ms: e.duration,
        detail: String((e as { detail?: { kind?: number } }).detail?.kind),
      });
  });
  gc.observe({ entryTypes: ['gc'] });
  (globalThis as Record<string, unknown>)['__benchSpan'] = (
    name: string,
    at: number,
    ms: number,
    detail?: string,
  ) => spans.push({ name, at: performance.timeOrigin + at, ms, detail });
  const dump = () => {
    const lines = [`[${label}] ${stalls.length} stalls > ${thresholdMs} ms`];
    for (const s of stalls) {
      const near = spans.filter((x) => x.at + x.ms >= s.at - 3 && x.at <= s.at + s.ms + 3);
      lines.push(
        `[${label}] stall ${s.ms.toFixed(1)} ms at ${(s.at % 100000).toFixed(1)}: ` +
          near
            .map(
              (x) =>
                `${x.name}${x.detail ? `(${x.detail})` : ''} ${x.ms.toFixed(1)} ms @${(x.at % 100000).toFixed(1)}`,
            )
            .join(', '),
      );
    }
    const big = (name: string) =>
      spans
        .filter((x) => x.name === name)
        .sort((a, b) => b.ms - a.ms)
        .slice(0, 5);
    for (const n of new Set(['gc', ...spans.map((x) => x.name)]))
      lines.push(
        `[${label}] top ${n}: ${big(n)
          .map((x) => `${x.ms.toFixed(1)}${x.detail ? `(${x.detail})` : ''}`)
          .join(' ')} (n=${spans.filter((x) => x.name === n).length})`,
      );
    stalls.length = 0;
    spans.length = 0;
    return lines.join('\n');
  };
  /** Whether a stall still listed (before the next dump) overlaps wall-clock [from, to]. */
  const stalledAt = (from: number, to = from) => stalls.some((s) => to >= s.at && from <= s.at + s.ms);
  return { dump, stalledAt };
}
