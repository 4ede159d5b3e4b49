export { createPartnerClient, PartnerClientError, type PartnerClient, type PartnerClientOptions, type Quota } from './client.ts';
export { syncCatalog, type CatalogReward } from './examples/syncCatalog.ts';
export { readMemberBalance, type MemberBalance } from './examples/memberBalance.ts';
export * from './gql/graphql.ts';
