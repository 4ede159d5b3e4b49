import { createHash } from 'node:crypto';
import { DAY_MS, isCleanText, isUuid, type Principal } from '@greenpoints/common';
import { isActivityKind, MAX_BACKDATE_DAYS, type ActivityKind } from '../domain/activityRules.ts';
import { greenError } from '../errors.ts';

/** What an organiser sends to record a green activity. */
export interface GreenActivityInput {
  userId: string;
  kind: string;
  /** The merchant that ran it; null or absent for the alliance's own activities. */
  organiserId?: string | null;
  occurredAt?: Date | null;
  reference?: string | null;
}

export interface CheckedActivity {
  userId: string;
  kind: ActivityKind;
  organiserId: string | null;
  occurredAt: Date;
  reference: string | null;
}

const bad = (field: string, message: string) => greenError('BAD_USER_INPUT', message, { field });

/**
 * The organiser that ran an activity verifies it: a merchant principal records only its own
 * activities, an admin only the alliance's. Nobody records an activity on someone else's behalf.
 */
export function organiserOf(principal: Principal, organiserId: string | null | undefined): string | null {
  const wanted = organiserId?.toLowerCase() ?? null;
  if (principal.role === 'merchant' && principal.merchantId && (wanted === null || wanted === principal.merchantId)) return principal.merchantId;
  if (principal.role === 'admin' && wanted === null) return null;
  throw greenError('FORBIDDEN', "Only the organiser that ran an activity may record it: a merchant its own, an admin the alliance's");
}

export function checkActivity(input: GreenActivityInput, organiserId: string | null, idempotencyKey: string, now: Date): CheckedActivity {
  if (!isUuid(input.userId)) throw bad('userId', 'userId is not a valid id');
  if (!isActivityKind(input.kind)) throw bad('kind', 'unknown activity kind');
  if (idempotencyKey.length < 1 || !isCleanText(idempotencyKey, 200)) throw bad('idempotencyKey', 'idempotencyKey must be 1–200 characters of valid text');
  const reference = input.reference ?? null;
  if (reference !== null && (reference.trim().length === 0 || !isCleanText(reference, 200))) throw bad('reference', 'reference must be 1–200 characters of valid text');
  const occurredAt = input.occurredAt ?? now;
  if (occurredAt.getTime() > now.getTime() + 60_000) throw bad('occurredAt', 'occurredAt is in the future');
  if (occurredAt.getTime() < now.getTime() - MAX_BACKDATE_DAYS * DAY_MS) throw bad('occurredAt', `occurredAt is more than ${MAX_BACKDATE_DAYS} days ago`);
  return { userId: input.userId.toLowerCase(), kind: input.kind, organiserId, occurredAt, reference: reference?.trim() ?? null };
}

/** A hash of what was asked, so a retry with the same key but another body is told apart. */
export function activityHash(a: CheckedActivity, explicitTime: boolean): string {
  const canonical = [a.userId, a.kind, a.organiserId, explicitTime ? a.occurredAt.toISOString() : null, a.reference];
  return createHash('sha256').update(JSON.stringify(canonical)).digest('base64url');
}
