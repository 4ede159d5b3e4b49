// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const SUBGRAPHS = [
  { dir: 'users', db: 'users' },
  { dir: 'merchants', db: 'merchants' },
  { dir: 'ledger', db: 'ledger' },
  { dir: 'green-impact', db: 'green' },
];

/**
 * A subgraph owns one domain: it may not import another subgraph, nor another subgraph's db schema
 * module (it reads and writes only its own Postgres schema).
 */
const boundaries = SUBGRAPHS.map((own) => {
  const others = SUBGRAPHS.filter((s) => s !== own);
  return {
    files: [`subgraphs/${own.dir}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...others.map((o) => `@greenpoints/db/schema/${o.db}`), '@greenpoints/db/schema', '@greenpoints/db/schema/index'].map(
            (name) => ({ name, message: `The ${own.dir} subgraph may import only its own schema module (@greenpoints/db/schema/${own.db}).` }),
          ),
          patterns: [
            ...others.map((o) => ({
              group: [`@greenpoints/${o.dir}`, `@greenpoints/${o.dir}/*`, `**/subgraphs/${o.dir}/**`, `../../${o.dir}/**`],
              message: `A subgraph does not import another subgraph (${o.dir}); join through entities or events.`,
            })),
            {
              // The relay and the operations commands know every subgraph's event tables.
              group: ['@greenpoints/events/relay/*', '@greenpoints/events/ops/*', '@greenpoints/events/cli/*'],
              message: 'A subgraph uses @greenpoints/events (contracts, publish, its own consumer), never the relay or the operations modules.',
            },
          ],
        },
      ],
    },
  };
});

export default tseslint.config(
  // Generated: db migrations (drizzle-kit) and the partner client's typed documents (GraphQL Code Generator).
  { ignores: ['**/node_modules/**', '**/dist/**', '.data/**', 'db/migrations/**', 'partner-client/src/gql/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  ...boundaries,
);
