/** Unit tests: TypeScript through ts-jest, transpile-only (type checking is `tsc` in `npm run lint`). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { isolatedModules: true, tsconfig: { module: 'commonjs' } }]
  },
  testTimeout: 30000,
  globalSetup: '<rootDir>/tests/unit/global-setup.js',
  globalTeardown: '<rootDir>/tests/unit/global-teardown.js'
};
