/** `npm run admin -- create|grant|revoke|list …`: see ADMIN_USAGE. */
import { ConfigError, createLogger } from '@box-im/im-process';
import { runAdminCli } from '../admin-cli';
import { loadPlatformConfig } from '../config';

try {
  const config = loadPlatformConfig(process.env);
  const log = createLogger({ name: 'im-admin', level: 'warn', pretty: config.LOG_PRETTY });
  process.exitCode = await runAdminCli(
    process.argv.slice(2),
    config,
    log,
    { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) },
    process.env,
  );
} catch (error) {
  process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
