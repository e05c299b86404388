export { startStandalone, type Running, type StandaloneOptions } from './standalone';
export { loadStandaloneConfig, standaloneConfigSchema, type StandaloneConfig } from './config';
