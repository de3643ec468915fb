// One lint setup for the whole monorepo. Size and complexity limits keep files from becoming god
// files (see docs/adr/0001-monorepo-layout.md).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/.ambient/**', '**/dist/**', '**/__fixtures__/**', '.cache/**', 'apps/web/out/**', 'apps/web/.next/**', 'apps/web/next-env.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'max-lines': ['error', { max: 600, skipBlankLines: true, skipComments: true }],
      complexity: ['warn', 20],
    },
  },
  {
    files: ['**/*.test.ts', '**/test/**/*.ts'],
    rules: { 'max-lines': 'off', complexity: 'off' },
  },
);
