import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'lib/**',
      'labextension/**',
      'extension/lib/**',
      'extension/generated/**',
      'node_modules/**',
      '.venv/**',
      '.venv-mlflow/**',
      '**/*.js',
      '**/*.mjs'
    ]
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }
      ]
    }
  },
  {
    // core/ is isomorphic: it runs in the kernel (Node) and in the browser extension alike.
    files: ['core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            'node:*',
            'fs',
            'path',
            'os',
            'child_process',
            'worker_threads',
            '*/kernel/*',
            '*/extension/*'
          ]
        }
      ]
    }
  }
);
