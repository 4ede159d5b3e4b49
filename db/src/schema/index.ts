export * as users from './users.ts';
export * as merchants from './merchants.ts';
export * as ledger from './ledger.ts';
export * as green from './green.ts';
