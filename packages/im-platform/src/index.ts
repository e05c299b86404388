export { buildApp } from './app';
export { createContext, type AppContext } from './context';
export { loadPlatformConfig, platformConfigSchema, type PlatformConfig } from './config';
export { startStandalone, type Running, type StandaloneOptions } from './standalone';
export { createLogger } from './logger';
export * as errorCatalog from './errors';
