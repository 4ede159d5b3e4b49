import type { Executor } from '@greenpoints/db';
import { greenProfileVersions, impactRecords } from '@greenpoints/db/schema/green';
import { and, desc, eq, gte, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import type { ImpactRow } from '../domain/report.ts';

/** Whose records a report sums: one user's, one merchant's (as organiser or seller), or everyone's. */
export type ScopeKind = 'user' | 'merchant' | 'platform';
export type OwnedRow = ImpactRow & { owner: string; factorKey: string | null; factorVersion: number | null };

const ownerColumn = (kind: ScopeKind) => (kind === 'user' ? impactRecords.userId : impactRecords.merchantId);
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

export interface GroupSizes {
  total: number;
  byCategory: Map<string, number>;
  byMonth: Map<string, number>;
}

export function createReportRepository(db: Executor) {
  return {
    /**
     * Sums per (owner, category, UTC month, factor version) for many owners in one grouped query:
     * a list of 100 users' reports costs one query, not 100.
     */
    rows: async (kind: ScopeKind, owners: readonly string[], from: Date, to: Date): Promise<OwnedRow[]> => {
      const month = monthOf();
      const owner = kind === 'platform' ? sql<string>`'platform'` : sql<string>`${ownerColumn(kind)}::text`;
      const rows = await db
        .select({
          owner,
          category: impactRecords.category,
          month,
          co2eGrams: sql<number>`sum(${impactRecords.co2eGrams})`.mapWith(Number),
          waterLitres: sql<number>`sum(${impactRecords.waterLitres})`.mapWith(Number),
          plasticGrams: sql<number>`sum(${impactRecords.plasticGrams})`.mapWith(Number),
          greenPoints: sql<number>`sum(${impactRecords.greenPoints})`.mapWith(Number),
          records: sql<number>`count(*)`.mapWith(Number),
          factorKey: impactRecords.factorKey,
          factorVersion: impactRecords.factorVersion,
        })
        .from(impactRecords)
        .where(and(kind === 'platform' ? undefined : inArray(ownerColumn(kind), [...owners]), inPeriod(from, to)))
        .groupBy(sql`1`, impactRecords.category, month, impactRecords.factorKey, impactRecords.factorVersion);
      return rows;
    },
    /**
     * Distinct people per category, per month and overall, for many owners in one pass (GROUPING
     * SETS): distinct counts do not add up across buckets, so each level is counted on its own.
     */
    groupSizes: async (kind: Exclude<ScopeKind, 'user'>, owners: readonly string[], from: Date, to: Date): Promise<Map<string, GroupSizes>> => {
      const month = monthOf();
      const owner = kind === 'platform' ? sql`'platform'` : sql`${impactRecords.merchantId}::text`;
      const rows = await db
        .select({
          owner: sql<string>`${owner}`,
          category: sql<string | null>`${impactRecords.category}`,
          month: sql<string | null>`${month}`,
          people: sql<number>`count(DISTINCT ${impactRecords.userId})`.mapWith(Number),
        })
        .from(impactRecords)
        .where(and(kind === 'platform' ? undefined : inArray(impactRecords.merchantId, [...owners]), inPeriod(from, to)))
        .groupBy(sql`GROUPING SETS ((1, ${impactRecords.category}), (1, ${month}), (1))`);
      const out = new Map<string, GroupSizes>();
      for (const row of rows) {
        const sizes = out.get(row.owner) ?? { total: 0, byCategory: new Map(), byMonth: new Map() };
        // category and month are NOT NULL columns, so a null here marks the level being counted.
        if (row.category !== null) sizes.byCategory.set(row.category, row.people);
        else if (row.month !== null) sizes.byMonth.set(row.month, row.people);
        else sizes.total = row.people;
        out.set(row.owner, sizes);
      }
      return out;
    },
    /**
     * Where one member stands among members (everyone with a green record): how many there are and
     * how many did less than them by a metric in the period, members without records in it at 0.
     */
    rank: async (userId: string, metric: Metric, from: Date, to: Date): Promise<{ members: number; below: number }> => {
      const column = METRIC_COLUMNS[metric];
      const rows = await db.execute<{ members: number; below: number }>(sql`
        WITH totals AS (
          SELECT ${impactRecords.userId} AS user_id, sum(${column}) AS v FROM ${impactRecords}
          WHERE ${impactRecords.occurredAt} >= ${from.toISOString()}::timestamptz AND ${impactRecords.occurredAt} < ${to.toISOString()}::timestamptz GROUP BY 1),
        members AS (SELECT DISTINCT ${impactRecords.userId} AS user_id FROM ${impactRecords}),
        mine AS (SELECT coalesce((SELECT v FROM totals WHERE user_id = ${userId}), 0) AS v)
        SELECT count(*)::int AS members, (count(*) FILTER (WHERE coalesce(t.v, 0) < (SELECT v FROM mine)))::int AS below
        FROM members m LEFT JOIN totals t ON t.user_id = m.user_id`);
      const row = (Array.isArray(rows) ? rows[0] : (rows as { rows: { members: number; below: number }[] }).rows[0]) ?? { members: 0, below: 0 };
      return { members: Number(row.members), below: Number(row.below) };
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
