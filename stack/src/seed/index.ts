import { DAY_MS } from '@greenpoints/common';
import { analyzeSchemas, type Database, type Executor } from '@greenpoints/db';
import * as ledger from '@greenpoints/db/schema/ledger';
import * as merchantsDb from '@greenpoints/db/schema/merchants';
import { DEFAULT_DELIVERY, publish, type DeliveryOptions } from '@greenpoints/events';
import { publishEmissionFactor } from '@greenpoints/green-impact/operations/publishEmissionFactor';
import { publishGreenProfile } from '@greenpoints/green-impact/operations/publishGreenProfile';
import { listProduct, publishEarnRule } from '@greenpoints/merchants/operations/catalogPublishing';
import { registerMerchant } from '@greenpoints/merchants/operations/merchantLifecycle';
import { publishPromotion } from '@greenpoints/merchants/operations/publishPromotion';
import { createHousehold, joinHousehold } from '@greenpoints/users/operations/households';
import { registerUser } from '@greenpoints/users/operations/userLifecycle';
import { count } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { EMISSION_FACTORS, GREEN_PROFILES, MERCHANTS, type MerchantSeed } from './catalog.ts';
import { deliverEverything } from './deliver.ts';
import { generateHistory, type LedgerRows } from './history.ts';
import { generatePeople, type SeedHousehold, type SeedUser } from './people.ts';
import { Random } from './random.ts';

export interface SeedOptions {
  /** How many consumers; the first is the demo consumer. */
  users?: number;
  /** The moment the history ends; purchases fall in the year before it. */
  now?: Date;
  piiKey: string;
  seed?: number;
  /** How the seed's events are delivered (Postgres, or JetStream with natsUrl). */
  delivery?: DeliveryOptions;
}

/** Inserts in chunks: Postgres takes at most 65,535 parameters in one statement. */
async function insertAll<T extends PgTable>(tx: Executor, table: T, rows: T['$inferInsert'][]): Promise<void> {
  const columns = rows[0] ? Object.keys(rows[0] as object).length : 1;
  const size = Math.max(1, Math.floor(60_000 / columns));
  for (let i = 0; i < rows.length; i += size) {
    await tx.insert(table).values(rows.slice(i, i + size));
  }
}

type SeededMerchant = MerchantSeed & { id: string };

/** Merchants, products, rules and green profiles through the services' own publishing operations. */
async function seedCatalog(tx: Executor, random: Random, merchants: SeededMerchant[], now: Date, since: Date) {
  for (const m of merchants) {
    await registerMerchant(tx, { id: m.id, name: m.name, category: m.category, settlementMinorPer100Points: m.settlementMinorPer100Points, createdAt: since });
    for (const p of m.products) await listProduct(tx, m.id, p, since);
    await publishEarnRule(tx, m.id, { ...m.rule, effectiveFrom: since, publishedAt: since });
    for (const p of m.promotions ?? []) {
      const startsAt = new Date(now.getTime() + p.startInDays * DAY_MS);
      const { startInDays: _start, lengthDays, ...terms } = p;
      await publishPromotion(tx, m.id, { ...terms, startsAt, endsAt: new Date(startsAt.getTime() + lengthDays * DAY_MS), tiers: [], productCategories: [], stackable: false }, now);
    }
  }
  // Rewards and emission factors publish no events: nothing outside their subgraph keeps a copy.
  await insertAll(tx, merchantsDb.rewards, merchants.flatMap((m) => m.rewards.map((r) => ({
    id: random.uuid(), merchantId: m.id, title: r.title, kind: r.kind, pointsCost: r.pointsCost,
    salePointsCost: r.sale?.pointsCost ?? null,
    saleStartsAt: r.sale ? new Date(now.getTime() - r.sale.startDaysAgo * DAY_MS) : null,
    saleEndsAt: r.sale ? new Date(now.getTime() + (r.sale.lengthDays - r.sale.startDaysAgo) * DAY_MS) : null,
    stock: r.stock, validFrom: since, validUntil: null, terms: r.terms,
  }))));
  // Each factor goes through the operation that refuses one without its public source.
  for (const factor of EMISSION_FACTORS) await publishEmissionFactor(tx, factor);
  for (const profile of GREEN_PROFILES) await publishGreenProfile(tx, profile, since);
}

async function seedPeople(tx: Executor, users: SeedUser[], households: SeedHousehold[]) {
  for (const u of users) {
    await registerUser(tx, { id: u.id, displayName: u.displayName, phoneEncrypted: u.phoneEncrypted, phoneHash: u.phoneHash, ageBand: u.ageBand as '18_59', registeredAt: u.registeredAt });
  }
  for (const h of households) {
    await createHousehold(tx, { id: h.id, name: h.name, ownerId: h.ownerId, maxMembers: h.maxMembers, createdAt: h.createdAt });
    for (const u of users) if (u.householdId === h.id && u.id !== h.ownerId) await joinHousehold(tx, h.id, u.id, h.createdAt);
  }
}

/** The ledger's own history rows, and a PurchaseRecorded event for each purchase, as recordPurchase writes. */
async function seedLedger(tx: Executor, history: LedgerRows, now: Date) {
  await insertAll(tx, ledger.accounts, history.accounts);
  // The seeded history is one entry of the operation log, so the hash chain covers its postings too.
  const [op] = await tx
    .insert(ledger.operations)
    .values({ scope: 'seed', key: 'history', requestHash: 'seed', actor: 'seed', result: { transactions: history.transactions.length }, createdAt: now })
    .returning({ id: ledger.operations.id });
  await insertAll(tx, ledger.transactions, history.transactions.map((t) => ({ ...t, operationId: op!.id })));
  await insertAll(tx, ledger.postings, history.postings);
  await insertAll(tx, ledger.lots, history.lots);
  await insertAll(tx, ledger.purchases, history.purchases);
  await insertAll(tx, ledger.purchaseLines, history.purchaseLines);
  const linesOf = new Map<string, LedgerRows['purchaseLines']>();
  for (const l of history.purchaseLines) linesOf.set(l.purchaseId, [...(linesOf.get(l.purchaseId) ?? []), l]);
  for (const p of history.purchases) {
    const lines = (linesOf.get(p.id) ?? []).map(({ sku, quantity, unitPriceMinor, greenPoints }) => ({ sku, quantity, unitPriceMinor, greenPoints }));
    const payload = { purchaseId: p.id, userId: p.userId, merchantId: p.merchantId, occurredAt: p.occurredAt.toISOString(), amountMinor: p.amountMinor, points: p.points, greenPoints: p.greenPoints, lines };
    await publish(tx, ledger.ledgerOutbox, 'PurchaseRecorded', payload, p.occurredAt);
  }
}

/**
 * Writes the seed through the same publishing path as the services (every change with its event,
 * in one transaction), then delivers the events, so the ledger's read models and green-impact's
 * records are built by the consumers exactly as on a live database. Deterministic for a seed and `now`.
 * Ends with ANALYZE: a freshly loaded database has no statistics, and the planner's guesses made the
 * home query twice as slow until autovacuum happened to catch up.
 */
export async function seed(db: Database, options: SeedOptions): Promise<{ users: number; purchases: number }> {
  const now = options.now ?? new Date();
  const random = new Random(options.seed ?? 20_261_122);
  const merchants = MERCHANTS.map((m) => ({ ...m, id: m.id ?? random.uuid() }));
  const { users, households } = generatePeople(random, options.users ?? 300, now, options.piiKey);
  const history = generateHistory(random, users, merchants, now);
  const twoYearsAgo = new Date(now.getTime() - 730 * DAY_MS);

  await db.transaction(async (tx) => {
    await seedCatalog(tx, random, merchants, now, twoYearsAgo);
    await seedPeople(tx, users, households);
    await seedLedger(tx, history, now);
  });
  await deliverEverything(db, options.delivery ?? DEFAULT_DELIVERY);
  await analyzeSchemas(db);
  return { users: users.length, purchases: history.purchases.length };
}

export async function isEmpty(db: Database): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(merchantsDb.merchants);
  return (row?.n ?? 0) === 0;
}
