export {
  ConfigError,
  DEFAULT_ACCESS_SECRET,
  envBoolean,
  MIN_SECRET_BYTES,
  parseConfig,
  processConfigShape,
  type ParseOptions,
} from './config';
export { rateSpec, trustProxySetting, type RateSpec, type TrustProxy } from './limits';
export { pushNodeConfigShape, pushNodeSettings, type PushNodeSettings } from './push-node';
export { createLogger, type LoggerOptions } from './logger';
export { closeInOrder, runUntilSignal, type Closable, type RunOptions } from './lifecycle';
export { checkHealth, type HealthProbe, type HealthReport } from './health';
export { createMetricsRegistry, type MetricsOptions } from './metrics';
export { verifyHs256, type Hs256Outcome } from './hs256';
