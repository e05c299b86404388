/**
 * The module boundaries of docs/architecture.md are enforced by ESLint: a forbidden import
 * fails `npm run lint`. Each case lints a line of code as if it stood in a file of that
 * package (the file is never written), with the repository's own configs.
 */
import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../../..');
const WEB = resolve(ROOT, 'packages/im-web');

/** The rules that fired on `code` placed at `file` (relative to the repository root). */
async function violations(file: string, code: string): Promise<string[]> {
  const cwd = file.startsWith('packages/im-web/') ? WEB : ROOT;
  // Type information is not needed for boundary rules, and the file does not exist.
  const eslint = new ESLint({
    cwd,
    overrideConfig: [
      tseslint.configs.disableTypeChecked,
      { languageOptions: { parserOptions: { tsconfigRootDir: cwd } } },
    ],
  });
  const [result] = await eslint.lintText(code, { filePath: resolve(ROOT, file) });
  const messages = result?.messages ?? [];
  const fatal = messages.find((m) => m.fatal);
  if (fatal) throw new Error(`${file}: ${fatal.message}`);
  return messages
    .filter((m) => m.ruleId?.startsWith('no-restricted'))
    .map((m) => `${m.ruleId}: ${m.message}`);
}

const FORBIDDEN: [string, string, string][] = [
  [
    'im-common imports nothing of ours',
    'packages/im-common/src/probe.ts',
    "import { MemoryBus } from '@box-im/im-bus';",
  ],
  [
    'im-process imports nothing of ours',
    'packages/im-process/src/probe.ts',
    "import { Cmd } from '@box-im/im-common';",
  ],
  [
    'im-server never imports im-platform',
    'packages/im-server/src/probe.ts',
    "import { buildApp } from '@box-im/im-platform';",
  ],
  [
    'im-platform never imports im-server',
    'packages/im-platform/src/probe.ts',
    "import { PushServer } from '@box-im/im-server';",
  ],
  [
    '… nor the composition root',
    'packages/im-platform/src/probe.ts',
    "import { startStandalone } from '@box-im/im-standalone';",
  ],
  [
    '… not even in its tests',
    'packages/im-platform/test/probe.test.ts',
    "import { startTestServer } from '@box-im/im-standalone/testing';",
  ],
  [
    '… nor by a relative path',
    'packages/im-platform/src/probe.ts',
    "import { PushServer } from '../../im-server/src/push-server';",
  ],
  [
    'im-server tests never import im-platform',
    'packages/im-server/test/probe.test.ts',
    "import { buildApp } from '@box-im/im-platform';",
  ],
  [
    'sources never import test entries',
    'packages/im-platform/src/probe.ts',
    "import { TestClock } from '@box-im/im-platform/testing';",
  ],
  [
    'the client core imports only im-common',
    'packages/im-app-core/src/probe.ts',
    "import { MemoryBus } from '@box-im/im-bus';",
  ],
  [
    '… nor any other package (platform APIs are injected)',
    'packages/im-app-core/src/probe.ts',
    "import { ref } from 'vue';",
  ],
  [
    'the client core uses no DOM, Node or uni global',
    'packages/im-app-core/src/probe.ts',
    'export const where = [window.location, process.env, uni];',
  ],
  [
    'the web client imports only im-common and the client core',
    'packages/im-web/src/probe.ts',
    "import { MemoryBus } from '@box-im/im-bus';",
  ],
  [
    'the web client has browser globals only',
    'packages/im-web/src/probe.ts',
    'export const env = process.env;',
  ],
  [
    'the web client imports no Node module',
    'packages/im-web/src/probe.ts',
    "import { readFileSync } from 'node:fs';",
  ],
  [
    'web e2e tests do not import the platform',
    'packages/im-web/test/e2e/probe.test.ts',
    "import { adminConsole } from '@box-im/im-platform/testing';",
  ],
  [
    'web e2e tests do not open the database',
    'packages/im-web/test/e2e/probe.test.ts',
    "import { Kysely } from 'kysely';",
  ],
  [
    'web e2e tests do not reach into the running server',
    'packages/im-web/test/e2e/probe.test.ts',
    'declare const server: { running: { ctx: unknown } };\nexport const ctx = server.running.ctx;',
  ],
];

const ALLOWED: [string, string, string][] = [
  [
    'im-platform uses the SDK',
    'packages/im-platform/src/probe.ts',
    "export { IMClient } from '@box-im/im-client';",
  ],
  [
    'im-server uses the process kit',
    'packages/im-server/src/probe.ts',
    "export { createLogger } from '@box-im/im-process';",
  ],
  [
    'the composition root holds both',
    'packages/im-standalone/src/probe.ts',
    "export { PushServer } from '@box-im/im-server';\nexport { buildApp } from '@box-im/im-platform';",
  ],
  [
    'suites share the process kit helpers',
    'packages/im-bus/test/probe.test.ts',
    "export { until } from '@box-im/im-process/testing';",
  ],
  [
    'the client core uses the protocol',
    'packages/im-app-core/src/probe.ts',
    "export { Cmd } from '@box-im/im-common';",
  ],
  [
    'the web client uses the protocol',
    'packages/im-web/src/probe.ts',
    "export { Cmd } from '@box-im/im-common';",
  ],
  [
    'the web client uses the client core',
    'packages/im-web/src/probe.ts',
    "export * from '@box-im/im-app-core';",
  ],
  [
    'web e2e tests use the standalone test entry',
    'packages/im-web/test/e2e/probe.test.ts',
    "export { startTestServer } from '@box-im/im-standalone/testing';",
  ],
];

describe('module boundaries (ESLint)', () => {
  it.each(FORBIDDEN)('%s', async (_what, file, code) => {
    expect(await violations(file, code)).not.toEqual([]);
  });

  it.each(ALLOWED)('allows: %s', async (_what, file, code) => {
    expect(await violations(file, code)).toEqual([]);
  });
});
