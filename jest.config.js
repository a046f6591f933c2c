/** The whole suite: unit, contract, integration and e2e tests. No network, no server needed. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/test/reliability/', '<rootDir>/console/'],
  modulePathIgnorePatterns: ['<rootDir>/console/'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json' }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  // The connector never writes to Gusto: checked after every test file over every Gusto sandbox it started.
  setupFilesAfterEnv: ['<rootDir>/test/support/gusto-read-only.ts'],
  reporters: ['default', '<rootDir>/test/support/skipped-reporter.js'],
  testTimeout: 60000,
  maxWorkers: 2,
};
