/**
 * The first administrator (issue 15): `npm run admin -- create|grant|revoke|list` against the
 * configured database, and ADMIN_USERS granted at boot. Each change is in the audit log.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { createLogger } from '@box-im/im-process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, ENGINES, testEnv, type TestDatabase } from '@box-im/im-platform/testing';
import { runAdminCli } from '../../src/admin-cli';
import { loadPlatformConfig, type PlatformConfig } from '../../src/config';
import { createContext } from '../../src/context';

const log = createLogger({ name: 'test', level: 'silent', pretty: false });

describe.each(ENGINES)('admin command line and ADMIN_USERS on %s', (engine) => {
  let db: TestDatabase;
  let config: PlatformConfig;
  const run = async (...args: string[]) => {
    const io = { out: [] as string[], err: [] as string[] };
    const code = await runAdminCli(args, config, log, {
      out: (l) => io.out.push(l),
      err: (l) => io.err.push(l),
    });
    return { code, out: io.out.join('\n'), err: io.err.join('\n') };
  };
  beforeAll(async () => {
    db = await createTestDatabase(engine);
    config = loadPlatformConfig(testEnv(db, mkdtempSync(join(tmpdir(), 'im-cli-'))));
  });
  afterAll(() => db.drop());

  it('creates, grants, revokes and lists administrators with exit codes', async () => {
    expect(await run('list')).toMatchObject({ code: 0, out: 'no administrators' });
    const created = await run('create', 'chief', '--password', 'chief-pass1');
    expect(created).toMatchObject({
      code: 0,
      out: expect.stringMatching(/^created administrator chief \(id \d+\)$/),
    });
    const generated = await run('create', 'deputy');
    expect(generated.code).toBe(0);
    const password = /password: (\S+)/.exec(generated.out)?.[1];
    expect(password).toHaveLength(16);
    expect(await run('create', 'chief')).toMatchObject({
      code: 1,
      err: 'This user name is already registered',
    });
    expect((await run('list')).out).toMatch(/\tchief\t[\s\S]*\tdeputy\t/);
    expect(await run('revoke', 'deputy')).toMatchObject({ code: 0, out: expect.stringContaining('revoked') });
    expect((await run('list')).out).not.toContain('deputy');
    expect(await run('grant', 'nobody_here')).toMatchObject({ code: 1, err: 'no user named nobody_here' });
    expect(await run('grant', 'deputy')).toMatchObject({ code: 0, out: expect.stringContaining('granted') });
    expect(await run('grant')).toMatchObject({ code: 2, err: expect.stringContaining('usage:') });
    expect((await run('promote', 'x')).code).toBe(2);
    expect((await run('revoke', 'chief')).code).toBe(0);

    // ADMIN_USERS grants at boot; a name without an account is skipped.
    const ctx = await createContext(
      loadPlatformConfig(testEnv(db, config.DATA_DIR, { ADMIN_USERS: 'chief, ghost' })),
      log,
    );
    try {
      const admins = await ctx.repos.admin.admins();
      expect(admins.map((u) => u.user_name).sort()).toEqual(['chief', 'deputy']);
      const audit = await ctx.repos.admin.audit(0, 100);
      expect(audit.rows.map((r) => `${r.action} ${r.detail}`)).toEqual([
        'ADMIN_GRANT ADMIN_USERS',
        'ADMIN_REVOKE cli revoke',
        'ADMIN_GRANT cli grant',
        'ADMIN_REVOKE cli revoke',
        'ADMIN_GRANT cli create',
        'ADMIN_GRANT cli create',
      ]);
    } finally {
      await ctx.close();
    }
  });
});

describe('npm run admin', () => {
  it('runs as a process with its exit codes', async () => {
    const root = resolve(import.meta.dirname, '../../../..');
    const { DATABASE_URL: _unused, ...inherited } = process.env;
    const env = { ...inherited, DATA_DIR: mkdtempSync(join(tmpdir(), 'im-cli-')) };
    const npm = (...args: string[]) =>
      promisify(execFile)('npm', ['run', '-s', 'admin', '--', ...args], { cwd: root, env }).then(
        (r) => ({ code: 0, ...r }),
        (e: { code: number; stdout: string; stderr: string }) => e,
      );
    const made = await npm('create', 'root_admin', '--password', 'root-pass1');
    expect(made.code).toBe(0);
    expect(made.stdout).toMatch(/created administrator root_admin/);
    const missing = await npm('grant', 'nobody_here');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no user named nobody_here');
    expect((await npm()).code).toBe(2);
  }, 60_000);
});
