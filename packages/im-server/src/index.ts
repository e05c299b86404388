export { PushServer, type PushServerOptions } from './push-server';
export {
  commonConfigShape,
  serverConfigSchema,
  parseConfig,
  ConfigError,
  DEFAULT_ACCESS_SECRET,
  DEFAULT_REFRESH_SECRET,
  type ServerConfig,
} from './config';
