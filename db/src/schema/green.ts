import { sql } from 'drizzle-orm';
import { bigint, check, date, index, integer, jsonb, numeric, pgSchema, primaryKey, text, timestamp, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { outboxTables } from './outbox.ts';

export const greenSchema = pgSchema('green');

/** Emission factors are versioned; an impact record pins the version it used, so reports stay reproducible. */
export const emissionFactors = greenSchema.table(
  'emission_factors',
  {
    key: text('key').notNull(),
    version: integer('version').notNull(),
    name: text('name').notNull(),
    /** Exact decimal as published (e.g. 0.5366), never a float. */
    value: numeric('value', { precision: 18, scale: 6 }).notNull(),
    unit: text('unit').notNull(),
    source: text('source').notNull(),
    sourceUrl: text('source_url'),
    year: integer('year').notNull(),
    publishedOn: date('published_on', { mode: 'string' }),
  },
  (t) => [
    primaryKey({ name: 'emission_factors_pk', columns: [t.key, t.version] }),
    // A factor without its public source, unit or year is never stored (also checked in code).
    check('emission_factors_source_check', sql`length(btrim(${t.source})) >= 10`),
    check('emission_factors_unit_check', sql`length(btrim(${t.unit})) > 0`),
    check('emission_factors_year_check', sql`${t.year} BETWEEN 1990 AND 2100`),
    check('emission_factors_value_check', sql`${t.value} > 0`),
  ],
);

/** Every factor version a profile's per-unit impact rests on (the grid factor, lamp powers…). */
export type FactorRefs = { key: string; version: number }[];

export const greenProfiles = greenSchema.table(
  'green_profiles',
  {
    sku: text('sku').primaryKey(),
    category: text('category').notNull(),
    certification: text('certification'),
    co2eGramsPerUnit: integer('co2e_grams_per_unit').notNull(),
    waterLitresPerUnit: integer('water_litres_per_unit').notNull().default(0),
    plasticGramsPerUnit: integer('plastic_grams_per_unit').notNull().default(0),
    greenPointsPerUnit: integer('green_points_per_unit').notNull(),
    /** How the per-unit impact was derived, in words, and the factor it rests on. */
    basis: text('basis').notNull(),
    factorKey: text('factor_key'),
    factorVersion: integer('factor_version'),
    factorRefs: jsonb('factor_refs').$type<FactorRefs>().notNull().default([]),
    /** The current published version; every version is kept in green_profile_versions. */
    version: integer('version').notNull().default(1),
  },
  (t) => [check('green_profiles_points_check', sql`${t.greenPointsPerUnit} >= 0`)],
);

/**
 * Every published version of a green profile, with the moment it takes effect: an impact record is
 * computed from the version (and so the emission factor version) in force at the purchase time.
 */
export const greenProfileVersions = greenSchema.table(
  'green_profile_versions',
  {
    sku: text('sku').notNull(),
    version: integer('version').notNull(),
    category: text('category').notNull(),
    certification: text('certification'),
    co2eGramsPerUnit: integer('co2e_grams_per_unit').notNull(),
    waterLitresPerUnit: integer('water_litres_per_unit').notNull(),
    plasticGramsPerUnit: integer('plastic_grams_per_unit').notNull(),
    greenPointsPerUnit: integer('green_points_per_unit').notNull(),
    basis: text('basis').notNull(),
    factorKey: text('factor_key'),
    factorVersion: integer('factor_version'),
    factorRefs: jsonb('factor_refs').$type<FactorRefs>().notNull().default([]),
    effectiveFrom: timestamp('effective_from', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ name: 'green_profile_versions_pk', columns: [t.sku, t.version] })],
);

/** One record per green purchase line or green activity; derived deterministically from ledger events. */
export const impactRecords = greenSchema.table(
  'impact_records',
  {
    id: uuid('id').primaryKey(),
    /** e.g. `purchase:<id>:<line>`; unique so a replayed event never counts twice. */
    sourceRef: text('source_ref').notNull().unique('impact_records_source_ref_key'),
    userId: uuid('user_id').notNull(),
    merchantId: uuid('merchant_id'),
    sku: text('sku'),
    category: text('category').notNull(),
    quantity: integer('quantity').notNull(),
    co2eGrams: bigint('co2e_grams', { mode: 'number' }).notNull(),
    waterLitres: bigint('water_litres', { mode: 'number' }).notNull(),
    plasticGrams: bigint('plastic_grams', { mode: 'number' }).notNull(),
    greenPoints: bigint('green_points', { mode: 'number' }).notNull(),
    factorKey: text('factor_key'),
    factorVersion: integer('factor_version'),
    /** The green profile version the record was computed from (null for an activity). */
    profileVersion: integer('profile_version'),
    /** For a reversing record (a refund): the record it takes back, in part or whole. Never deleted. */
    reversesId: uuid('reverses_id').references((): AnyPgColumn => impactRecords.id, { onDelete: 'restrict' }),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    /**
     * When the alliance learnt of it: the time of the event it came from (a purchase, a refund, a
     * credited activity), never later changed by a replay. Reports over many people count a record
     * in the UTC month it was recorded in, so a month once closed stays as published, whatever is
     * backdated into it afterwards (migration 0024).
     */
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('impact_records_reverses_idx').on(t.reversesId),
    // A record adds impact; a reversal (and only a reversal) takes it back.
    check('impact_records_sign_check', sql`(${t.reversesId} IS NULL AND ${t.quantity} > 0) OR (${t.reversesId} IS NOT NULL AND ${t.quantity} < 0)`),
    index('impact_records_user_occurred_idx').on(t.userId, t.occurredAt),
    index('impact_records_merchant_occurred_idx').on(t.merchantId, t.occurredAt),
    index('impact_records_occurred_idx').on(t.occurredAt),
    // The pass deciding merchants' cells over a period of recording (reportRepository merchantCells).
    index('impact_records_recorded_idx').on(t.recordedAt),
  ],
);

/**
 * Read-side rollup of impact records for the reports over many people (the platform's, a
 * merchant's): sums per owner ('platform' or a merchant id), UTC day of recording (`recorded_at`),
 * category and factor version.
 * Kept exact in the inserting transaction by a trigger on impact_records (migration 0017), so a
 * report over a year reads a few thousand rows whatever the history holds.
 */
export const impactDaily = greenSchema.table(
  'impact_daily',
  {
    owner: text('owner').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    category: text('category').notNull(),
    /** '' and 0 stand for "no factor" (an activity), so the key has no nulls. */
    factorKey: text('factor_key').notNull(),
    factorVersion: integer('factor_version').notNull(),
    co2eGrams: bigint('co2e_grams', { mode: 'number' }).notNull(),
    waterLitres: bigint('water_litres', { mode: 'number' }).notNull(),
    plasticGrams: bigint('plastic_grams', { mode: 'number' }).notNull(),
    greenPoints: bigint('green_points', { mode: 'number' }).notNull(),
    records: bigint('records', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ name: 'impact_daily_pk', columns: [t.owner, t.day, t.category, t.factorKey, t.factorVersion] })],
);

/**
 * Who had a record in a category on a UTC day, per owner: the set behind `impact_day_people`, and
 * what an exact distinct count reads when the daily counts cannot settle a k-anonymity question.
 */
export const impactDayMembers = greenSchema.table(
  'impact_day_members',
  {
    owner: text('owner').notNull(),
    category: text('category').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    userId: uuid('user_id').notNull(),
  },
  (t) => [primaryKey({ name: 'impact_day_members_pk', columns: [t.owner, t.category, t.day, t.userId] })],
);

/** Distinct people per owner, category and UTC day (the size of that day's member set). */
export const impactDayPeople = greenSchema.table(
  'impact_day_people',
  {
    owner: text('owner').notNull(),
    category: text('category').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    people: integer('people').notNull(),
  },
  (t) => [
    primaryKey({ name: 'impact_day_people_pk', columns: [t.owner, t.day, t.category] }),
    check('impact_day_people_people_check', sql`${t.people} > 0`),
  ],
);

/**
 * A verified green action (survey, training, recycling drop-off, e-receipt, public transport),
 * recorded by the organiser that ran it. Green-impact never issues points: the ledger answers with
 * GreenActivityCredited, which sets `status` and `pointsCredited`.
 */
export const greenActivities = greenSchema.table(
  'green_activities',
  {
    id: uuid('id').primaryKey(),
    /** The organiser's idempotency key, scoped by organiser (`<merchant id>|alliance:<key>`). */
    idempotencyKey: text('idempotency_key').notNull().unique('green_activities_idempotency_key'),
    requestHash: text('request_hash').notNull(),
    userId: uuid('user_id').notNull(),
    /** The merchant that ran it; null for the alliance's own activities. */
    organiserId: uuid('organiser_id'),
    kind: text('kind').notNull(),
    reference: text('reference'),
    /** Green points the activity earns by the rules in force when recorded; the ledger issues them. */
    greenPoints: integer('green_points').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
    status: text('status').notNull().default('RECORDED'),
    pointsCredited: integer('points_credited').notNull().default(0),
    refusalReason: text('refusal_reason'),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
  },
  (t) => [
    index('green_activities_user_occurred_idx').on(t.userId, t.occurredAt),
    check('green_activities_kind_check', sql`${t.kind} IN ('SURVEY', 'TRAINING', 'RECYCLING_DROP_OFF', 'E_RECEIPT', 'PUBLIC_TRANSPORT')`),
    check('green_activities_status_check', sql`${t.status} IN ('RECORDED', 'CREDITED', 'REFUSED')`),
    check('green_activities_points_check', sql`${t.greenPoints} > 0 AND ${t.pointsCredited} >= 0 AND ${t.pointsCredited} <= ${t.greenPoints}`),
  ],
);

/**
 * How many activities of a kind a user has had in one day or month (Asia/Shanghai): the counter
 * each recording bumps with a conditional UPDATE under its row lock, so caps hold however many
 * organisers record at once.
 */
export const activityCounters = greenSchema.table(
  'activity_counters',
  {
    userId: uuid('user_id').notNull(),
    kind: text('kind').notNull(),
    periodKind: text('period_kind').notNull(),
    periodStart: date('period_start', { mode: 'string' }).notNull(),
    count: integer('count').notNull(),
  },
  (t) => [
    primaryKey({ name: 'activity_counters_pk', columns: [t.userId, t.kind, t.periodKind, t.periodStart] }),
    check('activity_counters_period_check', sql`${t.periodKind} IN ('DAY', 'MONTH')`),
    check('activity_counters_count_check', sql`${t.count} >= 0`),
  ],
);

export const greenEvents = outboxTables(greenSchema);
export const { outbox: greenOutbox, inbox: greenInbox, processedEvents: greenProcessedEvents, deadLetters: greenDeadLetters } = greenEvents;
