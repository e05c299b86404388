// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const NODE_AND_DOM_GLOBALS = [
  ...new Set([...Object.keys(globals.node), ...Object.keys(globals.browser)]),
].filter((name) => !(name in globals.es2021));

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'data/**',
      'coverage/**',
      'packages/im-web/**',
      'packages/im-uniapp/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
      // Packages talk to each other through their entry points only.
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@box-im/*/src/*', '@box-im/*/src'], message: 'Import the package by its name.' },
            {
              group: [
                '**/im-common/**',
                '**/im-app-core/**',
                '**/im-bus/**',
                '**/im-client/**',
                '**/im-server/**',
                '**/im-platform/**',
              ],
              message: 'Do not reach into another package; import it by its name (@box-im/...).',
            },
          ],
        },
      ],
    },
  },
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
    // Tests and scripts read JSON responses loosely.
    files: ['**/test/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      'no-console': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
