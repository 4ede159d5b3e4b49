/**
 * Example: a partner mirrors the alliance's reward catalogue, page by page, following Relay
 * cursors, and backs off when its quota says so.
 *
 *   GREENPOINTS_URL=http://127.0.0.1:4000/graphql GREENPOINTS_TOKEN=$(npm run -s token -- --role partner --partner-id acme | tail -1) \
 *     npm run example:sync -w partner-client
 */
import { pathToFileURL } from 'node:url';
import { createPartnerClient, PartnerClientError, type PartnerClient } from '../client.ts';
import { CatalogPageDocument, type CatalogPageQuery } from '../gql/graphql.ts';

export type CatalogReward = CatalogPageQuery['catalog']['edges'][number]['node'];

const MAX_PAGES = 1_000;

/** Every reward in the catalogue, in the catalogue's order; retries a page after a 429. */
export async function syncCatalog(client: PartnerClient, pageSize = 50): Promise<CatalogReward[]> {
  const rewards: CatalogReward[] = [];
  let after: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    let data: CatalogPageQuery;
    try {
      data = await client.request(CatalogPageDocument, { first: pageSize, after });
    } catch (err) {
      if (!(err instanceof PartnerClientError) || err.code !== 'QUOTA_EXCEEDED') throw err;
      await new Promise((r) => setTimeout(r, (err.retryAfterSeconds ?? 1) * 1000));
      page--;
      continue;
    }
    rewards.push(...data.catalog.edges.map((e) => e.node));
    if (!data.catalog.pageInfo.hasNextPage) return rewards;
    after = data.catalog.pageInfo.endCursor;
  }
  throw new Error(`the catalogue has more than ${MAX_PAGES} pages`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const url = process.env['GREENPOINTS_URL'] ?? 'http://127.0.0.1:4000/graphql';
  const token = process.env['GREENPOINTS_TOKEN'];
  if (!token) {
    console.error('Set GREENPOINTS_TOKEN to a partner token (npm run token -- --role partner --partner-id acme)');
    process.exit(2);
  }
  const client = createPartnerClient({ url, token });
  const rewards = await syncCatalog(client, 20);
  console.log(`synced ${rewards.length} rewards; quota left: ${JSON.stringify(client.quota())}`);
  for (const r of rewards.slice(0, 5)) console.log(`  ${r.currentPointsCost.toString().padStart(6)} pts  ${r.title} (${r.merchant.name})`);
}
