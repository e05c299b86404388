export { buildApp, type AppOptions } from './app';
export { createContext, type AppContext, type ContextOptions } from './context';
export {
  DEFAULT_REFRESH_SECRET,
  databaseUrl,
  loadPlatformConfig,
  platformConfigSchema,
  platformParseOptions,
  type PlatformConfig,
} from './config';
export { closeHttp } from './http/close';
export { TokenService } from './security/tokens';
export { CachedStatements } from './db/dialects/sqlite-statement-cache';
export * as errorCatalog from './errors';
