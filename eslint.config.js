// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { vueConfigs } from './eslint.vue.js';

const NODE_AND_DOM_GLOBALS = [
  ...new Set([...Object.keys(globals.node), ...Object.keys(globals.browser)]),
].filter((name) => !(name in globals.es2021));

/**
 * Module boundaries (docs/architecture.md): which of our packages each package's sources
 * may import, by package name. Anything of ours not listed is refused. The web client has
 * its own ESLint config (packages/im-web/eslint.config.js) with the same kind of rule.
 */
const MAY_IMPORT = {
  'im-common': [],
  'im-process': [],
  'im-app-core': ['im-common'],
  'im-bus': ['im-common'],
  'im-client': ['im-common', 'im-bus'],
  'im-server': ['im-common', 'im-bus', 'im-process'],
  'im-platform': ['im-common', 'im-bus', 'im-client', 'im-process'],
  'im-standalone': ['im-common', 'im-bus', 'im-client', 'im-process', 'im-server', 'im-platform'],
};
/** What tests may import on top (im-server's tests drive pushes through the real SDK). */
const TESTS_MAY_ALSO_IMPORT = { 'im-server': ['im-client'] };
const PACKAGES = [...Object.keys(MAY_IMPORT), 'im-web'];

/** Paths that climb out of a package into another one. */
const REACH_INTO_PACKAGE = {
  regex: `^(?:\\.\\./)+(?:[^/]+/)*(?:${PACKAGES.join('|')})/`,
  message: 'Do not reach into another package; import it by its name (@box-im/...).',
};
const PACKAGE_SOURCES = {
  group: ['@box-im/*/src', '@box-im/*/src/*'],
  message: 'Import the package by its name.',
};

/**
 * `no-restricted-imports` for one package: its sources import the packages of MAY_IMPORT
 * and never a test-only entry; its tests may also use the test entries (`/testing`) of
 * those packages, of itself and of im-process (the helpers every suite shares).
 */
function boundaries(pkg, { tests }) {
  const allowed = new Set([...MAY_IMPORT[pkg], pkg, ...(tests ? (TESTS_MAY_ALSO_IMPORT[pkg] ?? []) : [])]);
  const forbidden = PACKAGES.filter((other) => !allowed.has(other));
  const patterns = [
    REACH_INTO_PACKAGE,
    PACKAGE_SOURCES,
    ...forbidden.map((other) => ({
      // im-process's test helpers (`@box-im/im-process/testing`) are open to every suite.
      regex:
        tests && other === 'im-process'
          ? '^@box-im/im-process(?:/(?!testing$).*)?$'
          : `^@box-im/${other}(?:/.*)?$`,
      message: `${pkg} may not import ${other} (see the module boundaries in docs/architecture.md).`,
    })),
  ];
  if (!tests)
    patterns.push({ group: ['@box-im/*/testing'], message: 'Sources never import test-only entries.' });
  return { 'no-restricted-imports': ['error', { patterns }] };
}

/** The mobile client's sources (Vue SFCs and TypeScript under packages/im-uniapp). */
const UNIAPP_FILES = ['packages/im-uniapp/src/**/*.{ts,vue}', 'packages/im-uniapp/scripts/**/*.{js,cjs,mjs}'];
const UNIAPP_SOURCES = ['packages/im-uniapp/src/**/*.{ts,vue}'];

/**
 * The mobile client, linted like im-web (the Vue part both share: eslint.vue.js) with
 * typescript-eslint's untyped rules. Its types are checked by its own vue-tsc (uni-app pins
 * Vue 3.4 and has its own tsconfig), so no type-aware rules here; `uni`, `UniApp` and the like
 * are uni's globals, which TypeScript checks (hence no `no-undef`).
 */
const UNIAPP = [
  ...vueConfigs(['packages/im-uniapp/src/**/*.vue']),
  {
    files: UNIAPP_FILES,
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // The uni CLI wrapper is a CommonJS script.
    files: ['packages/im-uniapp/scripts/**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['packages/im-uniapp/src/**/*.vue'],
    // uni's built-in components (view, text, input, button, scroll-view...) are lower case.
    rules: { 'vue/multi-word-component-names': 'off' },
  },
  {
    files: UNIAPP_SOURCES,
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-undef': 'off',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            REACH_INTO_PACKAGE,
            PACKAGE_SOURCES,
            {
              regex: '^@box-im/(?!(?:im-common|im-app-core|im-app-core/browser)$)',
              message:
                'The mobile client imports only @box-im/im-common and @box-im/im-app-core (and its browser adapters).',
            },
            { group: ['node:*'], message: 'The mobile client runs in browsers, mini-programs and apps.' },
          ],
        },
      ],
    },
  },
];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'data/**',
      'coverage/**',
      'packages/im-web/**',
      // The mobile client's HBuilderX output, and its config files (checked by its own vue-tsc).
      'packages/im-uniapp/unpackage/**',
      'packages/im-uniapp/*.*',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // Plain-JavaScript build helpers run before anything is compiled (npm start on a fresh clone).
        projectService: { allowDefaultProject: ['scripts/*.mjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
      'no-restricted-imports': ['error', { patterns: [REACH_INTO_PACKAGE, PACKAGE_SOURCES] }],
    },
  },
  ...Object.keys(MAY_IMPORT).flatMap((pkg) => [
    { files: [`packages/${pkg}/src/**/*.ts`], rules: boundaries(pkg, { tests: false }) },
    {
      files: [`packages/${pkg}/test/**/*.ts`, `packages/${pkg}/testing/**/*.ts`],
      rules: boundaries(pkg, { tests: true }),
    },
  ]),
  {
    // The protocol package runs in browsers, mini-programs and Node alike.
    files: ['packages/im-common/src/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-globals': ['error', ...NODE_AND_DOM_GLOBALS],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            REACH_INTO_PACKAGE,
            { group: ['@box-im/*'], message: 'im-common imports nothing of ours: it is the protocol.' },
            { group: ['node:*', 'fs', 'path', 'crypto', 'os'], message: 'im-common is runtime-neutral.' },
          ],
        },
      ],
    },
  },
  {
    // The client core runs in browsers, uni-app and mini-programs: every platform bit is injected.
    files: ['packages/im-app-core/src/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-globals': ['error', ...NODE_AND_DOM_GLOBALS, 'uni', 'wx', 'plus', 'getApp'],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            REACH_INTO_PACKAGE,
            PACKAGE_SOURCES,
            {
              regex: '^(?!\\.\\.?/|@box-im/im-common$)',
              message: 'The client core depends on @box-im/im-common only; inject platform APIs instead.',
            },
          ],
        },
      ],
    },
  },
  {
    // Plain Node scripts run before anything is compiled (root postinstall, npm start).
    files: ['scripts/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // Tests, test entries and scripts read JSON responses loosely.
    files: ['**/test/**/*.ts', '**/testing/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      'no-console': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  ...UNIAPP,
);
