import { isStaff, type Principal } from '@greenpoints/common';

export interface Visible {
  id: string;
  householdId: string | null;
}

/**
 * A consumer may see themself and the members of their own household; staff see everyone.
 * `viewer` is the signed-in user's row (null when there is none).
 */
export function canSeeUser(principal: Principal, viewer: Visible | null, target: Visible): boolean {
  if (isStaff(principal)) return true;
  if (!viewer || principal.role !== 'consumer') return false;
  return viewer.id === target.id || (viewer.householdId !== null && viewer.householdId === target.householdId);
}

/** Personal information is masked except to the person and admins: 13812345678 → 138****5678. */
export function maskPhone(phone: string): string {
  if (phone.length <= 7) return '*'.repeat(phone.length);
  return `${phone.slice(0, 3)}${'*'.repeat(phone.length - 7)}${phone.slice(-4)}`;
}

export function canSeeFullPhone(principal: Principal, userId: string): boolean {
  return principal.role === 'admin' || (principal.role === 'consumer' && principal.sub === userId);
}

const AGE_BANDS: Record<string, string> = { UNDER_18: 'UNDER_18', '18_59': 'AGE_18_59', '60_PLUS': 'AGE_60_PLUS' };
/** Null once erased: the age band was removed with the rest of the person's data. */
export const ageBandToApi = (stored: string | null): string | null => (stored === null ? null : (AGE_BANDS[stored] ?? 'AGE_18_59'));
