import type { Bus } from '@box-im/im-bus';
import type { IMClient } from '@box-im/im-client';
import type { Logger } from 'pino';
import type { PlatformConfig } from '../config';
import type { DialectHandle } from '../db';
import type { Repositories } from '../repositories';
import { TokenService } from '../security/tokens';
import { AuthService } from './auth.service';
import { SensitiveWordFilter } from './sensitive-words';
import { SystemService } from './system.service';
import { UserService } from './user.service';

export interface ServiceDeps {
  config: PlatformConfig;
  log: Logger;
  db: DialectHandle;
  bus: Bus;
  im: IMClient;
  repos: Repositories;
}

/** Build every service. Services check permissions first, hold no SQL, return VOs. */
export function createServices(deps: ServiceDeps) {
  const { config, repos, im } = deps;
  const words = new SensitiveWordFilter();
  const tokens = new TokenService({
    accessSecret: config.JWT_ACCESS_SECRET,
    refreshSecret: config.JWT_REFRESH_SECRET,
    accessTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
    refreshTtlSeconds: config.REFRESH_TOKEN_TTL_SECONDS,
  });
  return {
    words,
    tokens,
    auth: new AuthService(repos.users, tokens, words),
    user: new UserService(repos.users, im, words),
    system: new SystemService(config),
  };
}
export type Services = ReturnType<typeof createServices>;
