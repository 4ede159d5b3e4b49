import { sql } from 'drizzle-orm';
import { bigserial, boolean, check, foreignKey, index, integer, pgSchema, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { outboxTables } from './outbox.ts';

export const usersSchema = pgSchema('users');

export const households = usersSchema.table('households', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  ownerId: uuid('owner_id').notNull(),
  maxMembers: integer('max_members').notNull().default(6),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const users = usersSchema.table(
  'users',
  {
    id: uuid('id').primaryKey(),
    displayName: text('display_name').notNull(),
    /** AES-256-GCM ciphertext (iv.tag.data, base64url); personal information is never stored in clear. */
    phoneEncrypted: text('phone_encrypted'),
    /** HMAC of the normalised phone number (common `blindIndex`): one account per number, no clear text. */
    phoneHash: text('phone_hash'),
    /** Null only once the account is erased: an age band is personal information too. */
    ageBand: text('age_band'),
    status: text('status').notNull().default('ACTIVE'),
    householdId: uuid('household_id'),
    registeredAt: timestamp('registered_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    foreignKey({ name: 'users_household_fk', columns: [t.householdId], foreignColumns: [households.id] }).onDelete(
      'set null',
    ),
    index('users_household_idx').on(t.householdId),
    uniqueIndex('users_phone_hash_key').on(t.phoneHash),
    check('users_age_band_check', sql`${t.ageBand} IN ('UNDER_18', '18_59', '60_PLUS')`),
    check('users_status_check', sql`${t.status} IN ('ACTIVE', 'FROZEN', 'ERASED')`),
  ],
);

/**
 * Invitations to a household: at most one pending per household and invitee. Answered ones stay as
 * history: ACCEPTED, DECLINED, or CANCELLED when the invitee joined another household. They are
 * removed with their household.
 */
export const householdInvitations = usersSchema.table(
  'household_invitations',
  {
    id: uuid('id').primaryKey(),
    householdId: uuid('household_id').notNull(),
    inviteeId: uuid('invitee_id').notNull(),
    invitedBy: uuid('invited_by').notNull(),
    status: text('status').notNull().default('PENDING'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    respondedAt: timestamp('responded_at', { withTimezone: true }),
  },
  (t) => [
    foreignKey({ name: 'household_invitations_household_fk', columns: [t.householdId], foreignColumns: [households.id] }).onDelete('cascade'),
    foreignKey({ name: 'household_invitations_invitee_fk', columns: [t.inviteeId], foreignColumns: [users.id] }).onDelete('cascade'),
    uniqueIndex('household_invitations_pending_key').on(t.householdId, t.inviteeId).where(sql`status = 'PENDING'`),
    index('household_invitations_invitee_idx').on(t.inviteeId),
    check('household_invitations_status_check', sql`${t.status} IN ('PENDING', 'ACCEPTED', 'DECLINED', 'CANCELLED')`),
  ],
);

/**
 * Consent history (PIPL): every grant and revocation is a new row, never changed or deleted
 * (a trigger refuses UPDATE and DELETE); a user's consent to a kind is their latest row for it.
 * It holds no personal information, so it outlives an erased account as proof of what was agreed.
 */
export const consents = usersSchema.table(
  'consents',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    userId: uuid('user_id').notNull(),
    kind: text('kind').notNull(),
    granted: boolean('granted').notNull(),
    /** The version of the privacy notice shown when it was granted (or revoked). */
    noticeVersion: text('notice_version').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    foreignKey({ name: 'consents_user_fk', columns: [t.userId], foreignColumns: [users.id] }).onDelete('restrict'),
    index('consents_user_kind_idx').on(t.userId, t.kind, t.id),
    check('consents_kind_check', sql`${t.kind} IN ('MARKETING', 'PARTNER_SHARING', 'ANALYTICS')`),
  ],
);

export const usersEvents = outboxTables(usersSchema);
export const { outbox: usersOutbox, inbox: usersInbox, processedEvents: usersProcessedEvents, deadLetters: usersDeadLetters } = usersEvents;
