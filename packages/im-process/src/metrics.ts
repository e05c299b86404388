import { collectDefaultMetrics, Registry } from 'prom-client';

export interface MetricsOptions {
  /**
   * Node's default metrics (CPU, memory, GC, handles, event-loop lag as
   * `nodejs_eventloop_lag_seconds`). One per process: the process entries turn them on.
   * @default true
   */
  defaults?: boolean;
}

/**
 * A Prometheus registry for one process. The platform and the push node register their own
 * series in it and serve it at `GET /metrics`; in the standalone process both share one.
 */
export function createMetricsRegistry(options: MetricsOptions = {}): Registry {
  const registry = new Registry();
  if (options.defaults ?? true) collectDefaultMetrics({ register: registry });
  return registry;
}
