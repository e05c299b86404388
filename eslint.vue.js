// @ts-check
import tseslint from 'typescript-eslint';
import pluginVue from 'eslint-plugin-vue';

/**
 * The Vue part of both clients' lint (packages/im-web/eslint.config.js, and the mobile client's
 * block of the root eslint.config.js): eslint-plugin-vue's recommended rules, single-file
 * components parsed with typescript-eslint, layout left to Prettier, and user text never
 * rendered as HTML. `files`: the components, relative to the config that uses it.
 *
 * @param {string[]} files
 * @returns {import('eslint').Linter.Config[]}
 */
export function vueConfigs(files) {
  return [
    ...pluginVue.configs['flat/recommended'].map((config) => ({ ...config, files })),
    {
      files,
      languageOptions: {
        parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'], sourceType: 'module' },
      },
      rules: {
        // Layout rules are Prettier's business; these would fight it.
        'vue/max-attributes-per-line': 'off',
        'vue/singleline-html-element-content-newline': 'off',
        'vue/multiline-html-element-content-newline': 'off',
        'vue/html-self-closing': [
          'error',
          { html: { void: 'always', normal: 'always', component: 'always' } },
        ],
        'vue/html-indent': 'off',
        'vue/html-closing-bracket-newline': 'off',
        // User text must never be rendered as HTML.
        'vue/no-v-html': 'error',
      },
    },
  ];
}
