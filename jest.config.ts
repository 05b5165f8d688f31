import type { Config } from 'jest';

// Tests run against the TypeScript sources (no build step): SWC strips types, modules stay ESM
// (client-node 2.x is ESM-only), and workspace packages resolve to their src/index.ts.
const config: Config = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2023' },
        module: { type: 'es6' },
        sourceMaps: 'inline',
      },
    ],
  },
  moduleNameMapper: {
    '^@kube-rx/(core|watcher|controller|testing)$': '<rootDir>/packages/$1/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testMatch: [
    '<rootDir>/packages/*/src/**/*.spec.ts',
    '<rootDir>/packages/*/test/**/*.spec.ts',
    '<rootDir>/examples/*/test/**/*.spec.ts',
    '<rootDir>/docs/examples/**/*.spec.ts',
    '<rootDir>/soak/**/*.spec.ts',
    '<rootDir>/scripts/**/*.spec.ts',
    '<rootDir>/bench/**/*.spec.ts',
  ],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  testTimeout: 30_000,
  // Prints one line when the real-server (envtest) suites are skipped for want of binaries.
  globalSetup: '<rootDir>/packages/testing/test/envtest/reportEnvtest.ts',
};

export default config;
