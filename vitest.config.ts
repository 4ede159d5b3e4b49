import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

// graphql 16 ships CJS (main) and ESM (module) builds. Node loads the CJS one for Apollo and the
// gateway; without this alias Vite would load the ESM one for our sources, and two copies of
// graphql break `instanceof` checks across them. Each project says `extends: true` so it gets the
// alias: inline projects do not inherit the root config otherwise.
const graphqlCjs = createRequire(import.meta.url).resolve('graphql');

// One command (`npm test`) runs every project: pure unit tests beside the code, event integration
// tests against real PostgreSQL and NATS, and end-to-end tests through the gateway against real
// PostgreSQL (a fresh database per test file).
export default defineConfig({
  resolve: { alias: [{ find: /^graphql$/, replacement: graphqlCjs }] },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['{common,db,events,schema,gateway,stack,subgraphs/*}/**/*.test.ts'],
          exclude: ['**/node_modules/**', '**/*.int.test.ts'],
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'int',
          include: ['test/int/**/*.int.test.ts'],
          globalSetup: ['test/helpers/globalSetup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Event tests run relays, consumers and child processes against real Postgres and NATS.
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.e2e.ts'],
          globalSetup: ['test/helpers/globalSetup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Two cores: a few files at once; each has its own database and its own in-process stack.
          maxWorkers: 2,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
