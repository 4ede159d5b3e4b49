import { prepared, queryRows, type Executor } from '@greenpoints/db';
import { greenProfileVersions, impactDaily, impactDayMembers, impactDayPeople, impactRecords } from '@greenpoints/db/schema/green';
import { and, desc, eq, gte, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import { restRule, recordedMonth } from './cellRule.ts';
import { groupSizesOf, sizeBounds, unsettledBuckets, type DayCount, type GroupSizes, type OpenBucket } from '../domain/groupSizes.ts';
import type { ImpactRow } from '../domain/report.ts';

/** Whose records a report sums: one user's, one merchant's (as organiser or seller), or everyone's. */
export type ScopeKind = 'user' | 'merchant' | 'platform';
export type OwnedRow = ImpactRow & { owner: string; factorKey: string | null; factorVersion: number | null };

const inPeriod = (from: Date, to: Date) => and(gte(impactRecords.occurredAt, from), lt(impactRecords.occurredAt, to));
const monthOf = () => sql<string>`to_char(${impactRecords.occurredAt} AT TIME ZONE 'UTC', 'YYYY-MM')`;

/** The metrics a member can be ranked by. */
export const METRIC_COLUMNS = {
  CO2E: impactRecords.co2eGrams,
  WATER: impactRecords.waterLitres,
  PLASTIC: impactRecords.plasticGrams,
  GREEN_POINTS: impactRecords.greenPoints,
} as const;
export type Metric = keyof typeof METRIC_COLUMNS;

export type { GroupSizes } from '../domain/groupSizes.ts';

/** A merchant's cell of k people or more (`large`), or the rest of a cell beyond them: its people and whether one merchant's part out of it leaves 1 to k-1. */
export interface MerchantCellRow {
  large: boolean;
  month: string;
  category: string;
  merchant: string;
  people: number;
  exposed: boolean;
}

/** Summed impact over a group of rows of either table (records, or the daily rollup). */
const impactSums = (t: typeof impactRecords | typeof impactDaily) => ({
  co2eGrams: sql<number>`sum(${t.co2eGrams})`.mapWith(Number),
  waterLitres: sql<number>`sum(${t.waterLitres})`.mapWith(Number),
  plasticGrams: sql<number>`sum(${t.plasticGrams})`.mapWith(Number),
  greenPoints: sql<number>`sum(${t.greenPoints})`.mapWith(Number),
});

/** A UTC day as the rollups key it. */
const dayOf = (at: Date) => at.toISOString().slice(0, 10);

/** A report over many people from the daily rollup: the same rows as a sum over records ('' and 0 mean no factor). */
async function rollupRows(db: Executor, owners: readonly string[], from: Date, to: Date): Promise<OwnedRow[]> {
  const month = sql<string>`to_char(${impactDaily.day}, 'YYYY-MM')`;
  const rows = await db
    .select({
      owner: impactDaily.owner,
      category: impactDaily.category,
      month,
      ...impactSums(impactDaily),
      records: sql<number>`sum(${impactDaily.records})`.mapWith(Number),
      factorKey: impactDaily.factorKey,
      factorVersion: impactDaily.factorVersion,
    })
    .from(impactDaily)
    .where(and(inArray(impactDaily.owner, [...owners]), gte(impactDaily.day, dayOf(from)), lt(impactDaily.day, dayOf(to))))
    .groupBy(impactDaily.owner, impactDaily.category, month, impactDaily.factorKey, impactDaily.factorVersion);
  return rows.map((r) => ({ ...r, factorKey: r.factorKey === '' ? null : r.factorKey, factorVersion: r.factorKey === '' ? null : r.factorVersion }));
}

/** Exact distinct people of each open bucket, from the day member sets, in one query; keyed `owner|bucket`. */
async function exactPeople(db: Executor, open: (OpenBucket & { owner: string })[]): Promise<Map<string, number>> {
  if (open.length === 0) return new Map();
  const buckets = open.map((b, i) => ({ i, owner: b.owner, cats: b.categories, lo: b.fromDay, hi: b.toDay }));
  const m = impactDayMembers;
  // A subquery per bucket, so each is an index range scan of its own members (a join was planned
  // as a scan of every member).
  const rows = await queryRows<{ i: number; people: number }>(db, sql`
    SELECT b.i, (SELECT count(DISTINCT ${m.userId}) FROM ${m}
                 WHERE ${m.owner} = b.owner AND ${m.category} = ANY (b.cats) AND ${m.day} >= b.lo AND ${m.day} < b.hi)::int AS people
    FROM jsonb_to_recordset(${JSON.stringify(buckets)}::jsonb) AS b(i int, owner text, cats text[], lo date, hi date)`);
  const people = new Map(rows.map((r) => [Number(r.i), Number(r.people)]));
  return new Map(open.map((b, i) => [`${b.owner}|${b.key}`, people.get(i) ?? 0]));
}

const userRowFields = (month: SQL<string>) => ({
  owner: sql<string>`${impactRecords.userId}::text`,
  category: impactRecords.category,
  month,
  ...impactSums(impactRecords),
  records: sql<number>`count(*)`.mapWith(Number),
  factorKey: impactRecords.factorKey,
  factorVersion: impactRecords.factorVersion,
});

/**
 * One user's report (every consumer's home asks for one), built once (`prepared`). The user is one
 * scalar parameter: PostgreSQL's generic plan for `user_id = ANY($1)` with a period of parameters
 * guessed the period selective and scanned every record in it by time (15 ms at 20,000 users)
 * instead of the user's own (user, time) range.
 */
const userRows = prepared('green_user_report_rows', (db) => {
  const month = monthOf();
  return db
    .select(userRowFields(month))
    .from(impactRecords)
    .where(
      and(
        eq(impactRecords.userId, sql.placeholder('userId')),
        sql`${impactRecords.occurredAt} >= ${sql.placeholder('from')}::timestamptz`,
        sql`${impactRecords.occurredAt} < ${sql.placeholder('to')}::timestamptz`,
      ),
    )
    .groupBy(sql`1`, impactRecords.category, month, impactRecords.factorKey, impactRecords.factorVersion);
});

export function createReportRepository(db: Executor) {
  return {
    /**
     * Sums per (owner, category, UTC month, factor version) for many owners in one grouped query:
     * a list of 100 users' reports costs one query, not 100. A user's report sums their records; a
     * report over many people (the platform's, a merchant's) sums the daily rollup instead, which
     * the records' insert trigger keeps exact, so it reads days, not history.
     */
    rows: async (kind: ScopeKind, owners: readonly string[], from: Date, to: Date): Promise<OwnedRow[]> => {
      if (kind !== 'user') return rollupRows(db, owners, from, to);
      if (owners.length === 1) return userRows(db, { userId: owners[0], from: from.toISOString(), to: to.toISOString() });
      const month = monthOf();
      return db
        .select(userRowFields(month))
        .from(impactRecords)
        .where(and(inArray(impactRecords.userId, [...owners]), inPeriod(from, to)))
        .groupBy(sql`1`, impactRecords.category, month, impactRecords.factorKey, impactRecords.factorVersion);
    },
    /**
     * Distinct people per category, per month and overall, for many owners (the platform, merchants)
     * over whole UTC days. The daily counts settle almost every question k-anonymity asks (one day
     * of k people means at least k; a sum of days under k means fewer); a bucket they cannot settle
     * is counted exactly from its members, all such buckets in one query (domain/groupSizes.ts).
     */
    groupSizes: async (owners: readonly string[], from: Date, to: Date, k: number): Promise<Map<string, GroupSizes>> => {
      const days = await db
        .select({ owner: impactDayPeople.owner, category: impactDayPeople.category, day: impactDayPeople.day, people: impactDayPeople.people })
        .from(impactDayPeople)
        .where(and(inArray(impactDayPeople.owner, [...owners]), gte(impactDayPeople.day, dayOf(from)), lt(impactDayPeople.day, dayOf(to))));
      const byOwner = new Map<string, DayCount[]>();
      for (const d of days) {
        const list = byOwner.get(d.owner);
        if (list) list.push(d);
        else byOwner.set(d.owner, [d]);
      }
      const bounds = new Map([...byOwner].map(([owner, counts]) => [owner, sizeBounds(counts)]));
      const open = [...bounds].flatMap(([owner, b]) => unsettledBuckets(b, k, dayOf(from), dayOf(to)).map((bucket) => ({ ...bucket, owner })));
      const exact = await exactPeople(db, open);
      return new Map([...bounds].map(([owner, b]) => [owner, groupSizesOf(b, k, (bucket) => exact.get(`${owner}|${bucket}`))]));
    },
    /**
     * What decides the merchants' and the platform's cells (month × category of recording) over
     * [from, to), in one pass over the period's records: each merchant cell of at least k people
     * (`large`), and per cell the rest beyond them (other merchants' smaller cells, records of no
     * merchant): its people, and whether taking any one merchant's part out of it leaves 1 to k-1
     * people (`exposed`: that merchant knows its own sales). domain/kAnonymity.ts decides from them.
     */
    merchantCells: async (from: Date, to: Date, k: number): Promise<MerchantCellRow[]> => {
      const r = impactRecords;
      const rows = await queryRows<{ large: boolean; month: string; category: string; merchant: string; people: number; exposed: boolean }>(db, sql`
        WITH r AS MATERIALIZED (
          SELECT ${recordedMonth} AS month, ${r.category} AS category, coalesce(${r.merchantId}::text, '') AS merchant, ${r.userId} AS user_id
          FROM ${r} WHERE ${r.recordedAt} >= ${from.toISOString()}::timestamptz AND ${r.recordedAt} < ${to.toISOString()}::timestamptz),
        ${restRule(k)}
        SELECT true AS large, month, category, merchant, people, false AS exposed FROM large
        UNION ALL
        SELECT false, rest.month, rest.category, '', rest.people, e.month IS NOT NULL FROM rest LEFT JOIN exposed e USING (month, category)`);
      return rows.map((x) => ({ large: Boolean(x.large), month: x.month, category: x.category, merchant: x.merchant, people: Number(x.people), exposed: Boolean(x.exposed) }));
    },
    /**
     * Every member's total by a metric over [from, to), as (total, members with it) ascending:
     * members are everyone with a green record, those without one in the period at 0. One pass
     * over the period's records; the rank cache shares it (domain/rankDistribution.ts).
     */
    memberTotals: async (metric: Metric, from: Date, to: Date): Promise<{ v: number; n: number }[]> => {
      const column = METRIC_COLUMNS[metric];
      const rows = await queryRows<{ v: string | number; n: number }>(db, sql`
        WITH totals AS (
          SELECT ${impactRecords.userId} AS user_id, sum(${column}) AS v FROM ${impactRecords}
          WHERE ${impactRecords.occurredAt} >= ${from.toISOString()}::timestamptz AND ${impactRecords.occurredAt} < ${to.toISOString()}::timestamptz GROUP BY 1),
        members AS (SELECT DISTINCT ${impactRecords.userId} AS user_id FROM ${impactRecords})
        SELECT coalesce(t.v, 0) AS v, count(*)::int AS n FROM members m LEFT JOIN totals t ON t.user_id = m.user_id GROUP BY 1 ORDER BY 1`);
      return rows.map((r) => ({ v: Number(r.v), n: Number(r.n) }));
    },
    /** One member's total by a metric over [from, to) (0 without records in it). */
    memberTotal: async (userId: string, metric: Metric, from: Date, to: Date): Promise<number> => {
      const [row] = await db
        .select({ v: sql<number>`coalesce(sum(${METRIC_COLUMNS[metric]}), 0)`.mapWith(Number) })
        .from(impactRecords)
        .where(and(eq(impactRecords.userId, userId), inPeriod(from, to)));
      return row?.v ?? 0;
    },
    /** One user's records in a period, newest first, after a cursor, with the factors of their profile version. */
    recordsPage: async (userId: string, from: Date, to: Date, after: { at: Date; id: string } | undefined, limit: number) => {
      const cursor: SQL | undefined = after
        ? or(lt(impactRecords.occurredAt, after.at), and(eq(impactRecords.occurredAt, after.at), lt(impactRecords.id, after.id)))
        : undefined;
      return db
        .select({ record: impactRecords, profileFactors: greenProfileVersions.factorRefs })
        .from(impactRecords)
        .leftJoin(greenProfileVersions, and(eq(greenProfileVersions.sku, impactRecords.sku), eq(greenProfileVersions.version, impactRecords.profileVersion)))
        .where(and(eq(impactRecords.userId, userId), inPeriod(from, to), cursor))
        .orderBy(desc(impactRecords.occurredAt), desc(impactRecords.id))
        .limit(limit);
    },
  };
}
export type ReportRepository = ReturnType<typeof createReportRepository>;
