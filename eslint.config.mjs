import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'apps/dashboard/**', 'data/**', 'coverage/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/unbound-method': 'off',
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[object.name='process'][property.name='env']", message: 'Read configuration through @hallwatch/config, never process.env.' },
      ],
    },
  },
  // One direction of dependencies: apps -> libs. Only standalone composes the apps' root modules.
  {
    files: ['libs/**/*.ts', 'simulators/**/*.ts', 'apps/ingest/**/*.ts', 'apps/api/**/*.ts', 'apps/worker/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@hallwatch/api', '@hallwatch/ingest', '@hallwatch/worker', '@hallwatch/standalone', '**/apps/**'], message: 'Apps are composed only by apps/standalone; share code through libs/.' }] },
      ],
    },
  },
  { files: ['libs/config/src/**', 'test/**', 'bench/**', 'scripts/**', '**/*.spec.ts'], rules: { 'no-restricted-syntax': 'off' } },
  { files: ['test/**', '**/*.spec.ts', 'bench/**'], rules: { '@typescript-eslint/no-unsafe-assignment': 'off', '@typescript-eslint/no-unsafe-member-access': 'off', '@typescript-eslint/no-unsafe-argument': 'off', '@typescript-eslint/no-non-null-assertion': 'off' } },
);
