// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { vueConfigs } from '../../eslint.vue.js';

/** Node's globals that a browser does not have: the client's sources must not use them. */
const NODE_ONLY_GLOBALS = Object.keys(globals.node).filter((name) => !(name in globals.browser));

/** Node's built-in modules (also refused with the `node:` prefix). */
const NODE_BUILTINS = [
  'fs',
  'path',
  'os',
  'crypto',
  'child_process',
  'http',
  'https',
  'net',
  'stream',
  'url',
  'zlib',
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vueConfigs(['**/*.vue']),
  {
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    // The client runs in browsers: it imports the protocol and the client core only, and
    // neither Node's modules nor its globals.
    files: ['src/**/*.ts', 'src/**/*.vue'],
    rules: {
      'no-restricted-globals': ['error', ...NODE_ONLY_GLOBALS],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^@box-im/(?!(?:im-common|im-app-core|im-app-core/browser)$)',
              message:
                'The web client imports only @box-im/im-common and @box-im/im-app-core (and its browser adapters).',
            },
            { regex: '^(?:\\.\\./)+(?:[^/]+/)*im-[a-z-]+/', message: 'Import other packages by their name.' },
            { group: ['node:*'], message: 'The web client runs in browsers.' },
          ],
          paths: NODE_BUILTINS.map((name) => ({ name, message: 'The web client runs in browsers.' })),
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'testing/**/*.ts', '*.config.ts', 'vite.config.ts'],
    languageOptions: { globals: { ...globals.node } },
    rules: { 'no-console': 'off' },
  },
  {
    // End-to-end tests set up through HTTP, the WebSocket and the standalone package's test
    // entry, never through the platform's database or queues.
    files: ['test/e2e/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^@box-im/(?!(?:im-common|im-standalone/testing)$)',
              message:
                'E2E setup goes through @box-im/im-standalone/testing (HTTP, WebSocket, the admin console orders).',
            },
            {
              group: ['kysely', 'redis', 'mysql2', 'mysql2/*', 'pg', 'better-sqlite3'],
              message: 'E2E tests do not touch the database or the bus.',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[property.name='running']",
          message: 'E2E tests do not reach into the running server (its database, bus or services).',
        },
      ],
    },
  },
);
