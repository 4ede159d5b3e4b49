/**
 * What the bench asks, as whom, and how each answer is checked. A request is built per call from
 * its index, so consecutive requests are different users; a check returns true or says what was
 * wrong (an error in the body, another user's data, a missing field).
 */
import { randomUUID } from 'node:crypto';
import { DEMO_CONSUMER_ID, DEV_JWT_SECRET, type Principal } from '@greenpoints/common';
import { signToken, type TokenClaims } from '@greenpoints/gateway';

/**
 * Where a request goes: one of the three gateways, straight to the subgraph (signed as a gateway
 * would), or `sql`: the scenario's plain-SQL equivalent, sent by the bench itself (purchases only).
 */
export type Target = 'ours' | 'hive' | 'apollo' | 'direct' | 'sql';

export interface BenchRequest {
  body: string;
  /** The bearer token a gateway verifies. */
  token: string;
  /** What a gateway would forward for that token: what the direct call signs. */
  principal: Principal;
  check(json: GraphQLResponse): true | string;
}

export interface GraphQLResponse {
  data?: Record<string, unknown> | null;
  errors?: { message?: string; extensions?: { code?: string } }[];
}

export interface Scenario {
  name: string;
  what: string;
  targets: Target[];
  /** Clients for this scenario; the run's concurrency when absent. */
  concurrency?: number;
  /** The subgraph a `direct` target calls (one-subgraph queries only). */
  subgraph?: string;
  request(i: number): Promise<BenchRequest>;
  /** For the `sql` target: whose purchase at which merchant request `i` stands for. */
  plain?(i: number): { userId: string; merchantId: string };
}

/** Home: the consumer app's Home.graphql and the rewards the user can afford now. */
export const HOME = `query Home {
  me {
    id displayName
    household { id name members { id displayName } }
    points {
      balance pending greenPoints: balance(asset: GREEN_POINTS) tier
      expiring(withinDays: 30) { asset amount expiresAt }
      transactions(first: 5) { edges { node { id type description points greenPoints createdAt merchant { id name category } } } }
    }
    greenImpact { totals { co2eKg waterLitres greenPoints records } equivalents { treeYears } }
  }
  catalog(first: 5) { edges { node { id title kind currentPointsCost merchant { id name } } } }
  affordable: catalog(first: 5, filter: { affordableForMe: true }) { edges { node { id title currentPointsCost } } }
}`;

/** The consumer app's catalogue page (Catalog.graphql): one subgraph, merchants. */
export const CATALOG = `query Catalog($first: Int = 20, $after: String) {
  catalog(first: $first, after: $after) {
    edges { cursor node { id title kind pointsCost currentPointsCost inStock unlimitedStock validFrom validUntil terms
      sale { pointsCost startsAt endsAt active } merchant { id name category } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** A partner's catalogue sync page (partner-client CatalogPage.graphql). */
export const PARTNER_PAGE = `query CatalogPage($first: Int!, $after: String) {
  catalog(first: $first, after: $after) {
    edges { node { id title kind pointsCost currentPointsCost inStock validFrom validUntil terms merchant { id name category } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

export const PLATFORM_REPORT = `query PlatformGreenReport {
  platformGreenReport {
    period { from to }
    totals { co2eGrams co2eKg waterLitres plasticGrams greenPoints records }
    byCategory { category totals { co2eKg greenPoints } }
    monthly { month totals { co2eKg greenPoints } }
    equivalents { treeYears }
  }
}`;

export const RECORD_PURCHASE = `mutation RecordPurchase($input: PurchaseInput!, $idempotencyKey: ID!) {
  recordPurchase(input: $input, idempotencyKey: $idempotencyKey) { id points greenPoints tier status }
}`;

/** The seeded world the requests draw from. */
export interface World {
  users: string[];
  merchants: string[];
  /** Cursors of the partner's catalogue pages (the first page has none). */
  partnerPages: (string | null)[];
}

export const PARTNER_PAGE_SIZE = 5;

const tokens = new Map<string, Promise<string>>();
/** Tokens are signed once per principal and kept (a run meets a few thousand users). */
export function tokenFor(claims: TokenClaims): Promise<string> {
  const key = JSON.stringify(claims);
  let token = tokens.get(key);
  if (!token) tokens.set(key, (token = signToken(claims, DEV_JWT_SECRET)));
  return token;
}

function noErrors(json: GraphQLResponse): string | null {
  if (json.errors?.length) return `errors: ${json.errors.map((e) => [e.extensions?.code, e.message?.slice(0, 200)].filter(Boolean).join(' ')).join(', ')}`;
  if (!json.data) return 'no data';
  return null;
}

const field = (value: unknown, path: string[]): unknown => path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), value);

function homeOf(userId: string): (json: GraphQLResponse) => true | string {
  return (json) => {
    const bad = noErrors(json);
    if (bad) return bad;
    const me = field(json.data, ['me']);
    if (field(me, ['id']) !== userId) return `another user's home: ${String(field(me, ['id']))} for ${userId}`;
    if (typeof field(me, ['points', 'balance']) !== 'number') return 'no balance';
    if (!Array.isArray(field(json.data, ['affordable', 'edges']))) return 'no affordable rewards list';
    return true;
  };
}

function listOf(path: string[], atLeast: number): (json: GraphQLResponse) => true | string {
  return (json) => {
    const bad = noErrors(json);
    if (bad) return bad;
    const list = field(json.data, path);
    return Array.isArray(list) && list.length >= atLeast ? true : `${path.join('.')}: expected at least ${atLeast}`;
  };
}

const consumer = (sub: string): Principal => ({ role: 'consumer', sub, scopes: [] });
const body = (query: string, variables?: Record<string, unknown>) => JSON.stringify(variables ? { query, variables } : { query });

/** Every scenario of the bench, in the order they run in each round. */
export function scenarios(world: World, concurrency: number): Scenario[] {
  const { users, merchants, partnerPages } = world;
  // Indexes run on across runs (the runner counts every request), so users cycle through all of them.
  const userAt = (i: number) => users[((i % users.length) + users.length) % users.length]!;
  const all: Target[] = ['ours', 'hive', 'apollo'];
  const home = async (sub: string): Promise<BenchRequest> => ({ body: body(HOME), token: await tokenFor({ role: 'consumer', sub }), principal: consumer(sub), check: homeOf(sub) });
  const catalog = async (i: number): Promise<BenchRequest> => {
    const sub = userAt(i);
    return { body: body(CATALOG, { first: 20 }), token: await tokenFor({ role: 'consumer', sub }), principal: consumer(sub), check: listOf(['catalog', 'edges'], 1) };
  };
  /** Purchases, a different user and idempotency key each; `sql` writes the same rows as plain SQL. */
  const purchases = (name: string, what: string, targets: Target[], merchantAt: (i: number) => string): Scenario => ({
    name,
    what: `${what}, a different user and idempotency key each`,
    targets,
    plain: (i) => ({ userId: userAt(i), merchantId: merchantAt(i) }),
    request: async (i) => {
      const merchantId = merchantAt(i);
      const input = { userId: userAt(i), merchantId, amountMinor: 1_000 + (((i % 4_000) + 4_000) % 4_000) };
      return {
        body: body(RECORD_PURCHASE, { input, idempotencyKey: randomUUID() }),
        token: await tokenFor({ role: 'merchant', merchantId }),
        principal: { role: 'merchant', merchantId, scopes: [] },
        check: (json) => noErrors(json) ?? (typeof field(json.data, ['recordPurchase', 'id']) === 'string' ? true : 'no purchase id'),
      };
    },
  });
  const list: Scenario[] = [
    { name: 'home', what: `home query, a different user per request (${users.length} users)`, targets: all, request: (i) => home(userAt(i)) },
    { name: 'home-one-user', what: 'home query, one user (the demo consumer) for every request', targets: all, request: () => home(DEMO_CONSUMER_ID) },
    { name: 'catalog', what: 'catalogue page of 20 (one subgraph), a different consumer per request', targets: [...all, 'direct'], subgraph: 'merchants', request: catalog },
    { name: 'catalog-c1', what: 'the same catalogue page at one connection', targets: [...all, 'direct'], subgraph: 'merchants', concurrency: 1, request: catalog },
    {
      name: 'partner-sync',
      what: `a partner's catalogue sync, page by page (${PARTNER_PAGE_SIZE} a page, partner contract)`,
      targets: all,
      request: async (i) => {
        const after = partnerPages[((i % partnerPages.length) + partnerPages.length) % partnerPages.length] ?? null;
        return {
          body: body(PARTNER_PAGE, { first: PARTNER_PAGE_SIZE, after }),
          token: await tokenFor({ role: 'partner', partnerId: 'bench-partner' }),
          principal: { role: 'partner', partnerId: 'bench-partner', scopes: [] },
          check: listOf(['catalog', 'edges'], 1),
        };
      },
    },
    {
      name: 'green-report',
      what: 'the platform green report (analyst)',
      targets: all,
      request: async () => ({ body: body(PLATFORM_REPORT), token: await tokenFor({ role: 'analyst' }), principal: { role: 'analyst', scopes: [] }, check: listOf(['platformGreenReport', 'monthly'], 1) }),
    },
    purchases('record-purchase', `recordPurchase by ${merchants.length} merchants in turn`, [...all, 'sql'], (i) => merchants[((i % merchants.length) + merchants.length) % merchants.length]!),
    purchases('record-purchase-one', 'recordPurchase, every one at the same merchant (its budget row is the hot spot)', ['ours', 'sql'], () => merchants[0]!),
  ];
  return list.map((s) => ({ ...s, concurrency: s.concurrency ?? concurrency }));
}
