/**
 * `npm run test:faults`: the fault tests, apart from `npm test` (CI's budget is full). Each file starts a whole system
 * of separate processes from dist/ (scripts/stack/system.ts), kills parts of it and checks what users must be able to
 * trust; one file at a time, with minutes to run.
 */
module.exports = {
  rootDir: '../..',
  testEnvironment: 'node',
  roots: ['<rootDir>/test/faults'],
  testMatch: ['**/*.faults.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testTimeout: 10 * 60_000,
};
