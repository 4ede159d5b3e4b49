import { DAY_MS } from '@greenpoints/common';
import type { Database, Executor } from '@greenpoints/db';
import * as green from '@greenpoints/db/schema/green';
import * as ledger from '@greenpoints/db/schema/ledger';
import * as merchantsDb from '@greenpoints/db/schema/merchants';
import * as usersDb from '@greenpoints/db/schema/users';
import { count } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { EMISSION_FACTORS, GREEN_PROFILES, MERCHANTS } from './catalog.ts';
import { generateHistory } from './history.ts';
import { generatePeople } from './people.ts';
import { Random } from './random.ts';

export interface SeedOptions {
  /** How many consumers; the first is the demo consumer. */
  users?: number;
  /** The moment the history ends; purchases fall in the year before it. */
  now?: Date;
  piiKey: string;
  seed?: number;
}


/** Inserts in chunks: Postgres takes at most 65,535 parameters in one statement. */
async function insertAll<T extends PgTable>(tx: Executor, table: T, rows: T['$inferInsert'][]): Promise<void> {
  const columns = rows[0] ? Object.keys(rows[0] as object).length : 1;
  const size = Math.max(1, Math.floor(60_000 / columns));
  for (let i = 0; i < rows.length; i += size) {
    await tx.insert(table).values(rows.slice(i, i + size));
  }
}

/**
 * Writes the whole seed (catalogue, people, a year of purchases with their ledger entries and impact
 * records) in one transaction. Deterministic for a given seed and `now`.
 */
export async function seed(db: Database, options: SeedOptions): Promise<{ users: number; purchases: number }> {
  const now = options.now ?? new Date();
  const random = new Random(options.seed ?? 20_261_122);
  const merchants = MERCHANTS.map((m) => ({ ...m, id: m.id ?? random.uuid() }));
  const { users, households } = generatePeople(random, options.users ?? 300, now, options.piiKey);
  const history = generateHistory(random, users, merchants, now);
  const twoYearsAgo = new Date(now.getTime() - 730 * DAY_MS);

  await db.transaction(async (tx) => {
    await insertAll(tx, merchantsDb.merchants, merchants.map((m) => ({ id: m.id, name: m.name, category: m.category, settlementMinorPer100Points: m.settlementMinorPer100Points, createdAt: twoYearsAgo })));
    await insertAll(tx, merchantsDb.products, merchants.flatMap((m) => m.products.map((p) => ({ ...p, merchantId: m.id }))));
    await insertAll(tx, merchantsDb.rewards, merchants.flatMap((m) => m.rewards.map((r) => ({
      id: random.uuid(), merchantId: m.id, title: r.title, kind: r.kind, pointsCost: r.pointsCost,
      salePointsCost: r.sale?.pointsCost ?? null,
      saleStartsAt: r.sale ? new Date(now.getTime() - r.sale.startDaysAgo * DAY_MS) : null,
      saleEndsAt: r.sale ? new Date(now.getTime() + (r.sale.lengthDays - r.sale.startDaysAgo) * DAY_MS) : null,
      stock: r.stock, validFrom: twoYearsAgo, validUntil: null, terms: r.terms,
    }))));
    const rules = merchants.map((m) => ({ merchantId: m.id, version: 1, ...m.rule, effectiveFrom: twoYearsAgo }));
    await insertAll(tx, merchantsDb.earnRules, rules.map((r) => ({ ...r, publishedAt: twoYearsAgo })));
    // The ledger's read model of the rules and of green points per SKU, as their events would build it.
    await insertAll(tx, ledger.earnRuleCopies, rules);
    await insertAll(tx, ledger.greenSkuCopies, GREEN_PROFILES.map((p) => ({ sku: p.sku, greenPointsPerUnit: p.greenPointsPerUnit })));

    await insertAll(tx, green.emissionFactors, EMISSION_FACTORS);
    await insertAll(tx, green.greenProfiles, GREEN_PROFILES);

    await insertAll(tx, usersDb.households, households);
    await insertAll(tx, usersDb.users, users);

    await insertAll(tx, ledger.accounts, history.accounts);
    await insertAll(tx, ledger.transactions, history.transactions);
    await insertAll(tx, ledger.postings, history.postings);
    await insertAll(tx, ledger.lots, history.lots);
    await insertAll(tx, ledger.purchases, history.purchases);
    await insertAll(tx, ledger.purchaseLines, history.purchaseLines);
    await insertAll(tx, green.impactRecords, history.impactRecords);
  });
  return { users: users.length, purchases: history.purchases.length };
}

export async function isEmpty(db: Database): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(merchantsDb.merchants);
  return (row?.n ?? 0) === 0;
}
