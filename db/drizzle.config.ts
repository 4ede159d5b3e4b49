import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: ['./src/schema/users.ts', './src/schema/merchants.ts', './src/schema/ledger.ts', './src/schema/green.ts'],
  out: './migrations',
  casing: 'snake_case',
});
