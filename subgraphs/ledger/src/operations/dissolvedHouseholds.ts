import type { Executor } from '@greenpoints/db';
import { findOperation } from './operationLog.ts';

/** The operation-log scope of a dissolved household's pool handed to its last member, keyed by household. */
export const DISSOLVED_SCOPE = 'household-dissolved';

/**
 * The member a dissolved household's pool went to, or null while the household stands. Points
 * that come back to its pool later (a redemption from the pool voided or cancelled) go to them too.
 */
export async function heirOfPool(tx: Executor, householdId: string): Promise<string | null> {
  const entry = await findOperation(tx, DISSOLVED_SCOPE, householdId);
  return (entry?.result as { lastMemberId?: string } | null | undefined)?.lastMemberId ?? null;
}
