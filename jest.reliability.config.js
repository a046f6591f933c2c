/**
 * `npm run test:reliability`: chaos (SIGKILL + injected faults), webhook fuzz, two instances on one store,
 * secrets scan. Long: run alone, one file at a time. `RELIABILITY_SCALE=small` is the reduced run for CI.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/reliability'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json' }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 20 * 60_000,
  maxWorkers: 1,
};
