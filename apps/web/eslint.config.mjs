// The web UI's lint setup: the repository's rules (../../eslint.config.js) plus React's hook rules
// for .tsx. ESLint 10 looks up the config from each linted file's directory, so `eslint .` at the
// root uses this file for apps/web. Build output and Next's generated files are not ours to lint.
import reactHooks from 'eslint-plugin-react-hooks';
import rootConfig from '../../eslint.config.js';

export default [
  { ignores: ['out/**', '.next/**', 'next-env.d.ts', 'test/screenshots/**'] },
  ...rootConfig,
  {
    files: ['**/*.tsx', '**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs['recommended-latest'].rules,
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      'max-lines': ['error', { max: 300, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    files: ['**/*.test.ts', '**/*.test.tsx', 'test/**/*.ts'],
    rules: { 'max-lines': 'off', complexity: 'off' },
  },
];
