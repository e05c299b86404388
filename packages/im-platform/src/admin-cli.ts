import { randomBytes } from 'node:crypto';
import { MemoryBus, RevocationCache } from '@box-im/im-bus';
import { IMClient } from '@box-im/im-client';
import type { Logger } from 'pino';
import { systemClock } from './clock';
import { databaseUrl, type PlatformConfig } from './config';
import { migrateToLatest, openDatabase } from './db';
import { AppError } from './errors';
import { createRepositories } from './repositories';
import { PasswordHasher } from './security/passwords';
import { AuthUserCache } from './services/auth-user-cache';
import { TokenService } from './security/tokens';
import { AdminService } from './services/admin.service';
import { AuthService } from './services/auth.service';
import { SensitiveWordFilter } from './services/sensitive-words';

export const ADMIN_USAGE = `usage: npm run admin -- <command>
  create NAME [--password PASSWORD]  register NAME (password from --password, ADMIN_PASSWORD
                                     or generated and printed) and make it an administrator
  grant NAME                         make an existing user an administrator
  revoke NAME                        take the administrator role away
  list                               list the administrators
exit codes: 0 done, 1 refused (no such user, name taken, ...), 2 usage error`;

export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}

/**
 * `npm run admin -- …` against the configured database (DATABASE_URL / DATA_DIR): grants and
 * revokes the system administrator role, each change written to the audit log. Returns the
 * exit code. The database is migrated first, like a platform boot would.
 */
export async function runAdminCli(
  args: readonly string[],
  config: PlatformConfig,
  log: Logger,
  io: CliOutput,
  env: Record<string, string | undefined> = {},
): Promise<number> {
  const [command, name, ...rest] = args;
  const known = ['create', 'grant', 'revoke', 'list'];
  if (!command || !known.includes(command) || (command !== 'list' && !name)) {
    io.err(ADMIN_USAGE);
    return 2;
  }
  const db = openDatabase(databaseUrl(config), 1);
  const bus = new MemoryBus();
  try {
    await migrateToLatest(db.db as never, db.name);
    const repos = createRepositories(db);
    const words = new SensitiveWordFilter();
    words.load(await repos.sensitiveWords.enabledWords());
    const authUsers = new AuthUserCache({ bus, users: repos.users, clock: systemClock });
    const admin = new AdminService({ ...repos, words, bus, clock: systemClock, log, authUsers });
    if (command === 'list') {
      const admins = await repos.admin.admins();
      for (const u of admins) io.out(`${u.id}\t${u.user_name}\t${u.nick_name}`);
      if (admins.length === 0) io.out('no administrators');
      return 0;
    }
    const userName = name!;
    if (command === 'create') {
      const flag = rest.indexOf('--password');
      const given = flag >= 0 ? rest[flag + 1] : env.ADMIN_PASSWORD;
      const password = given || randomBytes(12).toString('base64url');
      const auth = new AuthService({
        ...repos,
        words,
        clock: systemClock,
        passwords: new PasswordHasher(config.PASSWORD_HASH),
        tokens: new TokenService({
          accessSecret: config.JWT_ACCESS_SECRET,
          refreshSecret: config.JWT_REFRESH_SECRET,
          accessTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
          refreshTtlSeconds: config.REFRESH_TOKEN_TTL_SECONDS,
          clock: systemClock,
        }),
        im: new IMClient({ bus, appName: config.APP_NAME }),
        revocations: new RevocationCache(bus),
        authUsers,
      });
      await auth.register({ userName, password });
      const user = await admin.setAdminByName(userName, true, 'cli create');
      io.out(`created administrator ${user!.user_name} (id ${user!.id})`);
      if (!given) io.out(`password: ${password}`);
      return 0;
    }
    const grant = command === 'grant';
    const user = await admin.setAdminByName(userName, grant, `cli ${command}`);
    if (!user) {
      io.err(`no user named ${userName}`);
      return 1;
    }
    io.out(`${grant ? 'granted' : 'revoked'} administrator role: ${user.user_name} (id ${user.id})`);
    return 0;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    io.err(error.message);
    return 1;
  } finally {
    await db.db.destroy();
    await bus.close();
  }
}
