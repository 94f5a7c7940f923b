/** Two projects: unit (no servers, fast) and integration (real Temporal, FerretDB, slapd started by globalSetup). */
const transform = { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }] };
const common = { testEnvironment: 'node', transform, moduleFileExtensions: ['ts', 'js', 'json'] };

module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts', '<rootDir>/test/e2e/**/*.test.ts'],
      globalSetup: '<rootDir>/test/harness/global-setup.ts',
      setupFiles: ['<rootDir>/test/harness/setup-env.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/harness/timeouts.ts'],
      globalTeardown: '<rootDir>/test/harness/global-teardown.ts',
      slowTestThreshold: 30,
    },
  ],
};
