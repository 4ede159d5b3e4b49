import type { Executor } from '@greenpoints/db';
import { consents } from '@greenpoints/db/schema/users';
import { and, desc, eq } from 'drizzle-orm';
import { usersError } from '../errors.ts';
import { lockUser } from './userLifecycle.ts';

export const CONSENT_KINDS = ['MARKETING', 'PARTNER_SHARING', 'ANALYTICS'] as const;
export type ConsentKind = (typeof CONSENT_KINDS)[number];

/**
 * Appends a grant or a revocation to the user's consent history. Under the user's row lock, so
 * entries of one user are in the order they were made; a repeat of the current state (same answer,
 * same notice) adds nothing, and revoking what was never granted adds nothing either.
 */
export async function recordConsent(db: Executor, userId: string, kind: ConsentKind, granted: boolean, noticeVersion: string, at: Date = new Date()): Promise<void> {
  await db.transaction(async (tx) => {
    const user = await lockUser(tx, userId);
    if (user.status === 'ERASED') throw usersError('USER_ERASED', 'This account was deleted', { userId });
    const [latest] = await tx.select().from(consents).where(and(eq(consents.userId, userId), eq(consents.kind, kind))).orderBy(desc(consents.id)).limit(1);
    if (!latest && !granted) return;
    if (latest && latest.granted === granted && (latest.noticeVersion === noticeVersion || !granted)) return;
    await tx.insert(consents).values({ userId, kind, granted, noticeVersion, at });
  });
}
