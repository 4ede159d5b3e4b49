import { usersError, type UsersErrorCode } from '../errors.ts';

/** Mainland China mobile numbers: 11 digits starting 13–19, optionally written with +86 / 0086. */
const MOBILE = /^1[3-9]\d{9}$/;
export const DISPLAY_NAME_MAX_CHARS = 40;

/**
 * One written form per number, so `+86 138-1234-5678` and `13812345678` are the same phone (and the
 * same keyed hash). Only digits survive; a country prefix other than China's is refused.
 */
export function normalisePhone(raw: string): string {
  if (raw.length > 32) throw usersError('INVALID_PHONE', 'Not a mobile phone number');
  let digits = raw.replace(/[\s\-().]/g, '');
  if (digits.startsWith('+86')) digits = digits.slice(3);
  else if (digits.startsWith('0086')) digits = digits.slice(4);
  if (!MOBILE.test(digits)) throw usersError('INVALID_PHONE', 'Not a mainland China mobile phone number');
  return digits;
}

// Control and format characters (bidi overrides, zero-width joiners…) can make a name read as
// someone else's in a list; names are shown to other people, so they are refused.
const HIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

function visibleName(raw: string, codes: { tooLong: UsersErrorCode; invalid: UsersErrorCode }): string {
  const name = raw.trim().normalize('NFC');
  if ([...name].length > DISPLAY_NAME_MAX_CHARS) throw usersError(codes.tooLong, `A name has at most ${DISPLAY_NAME_MAX_CHARS} characters`, { maxChars: DISPLAY_NAME_MAX_CHARS });
  if (name.length === 0 || HIDDEN.test(name)) throw usersError(codes.invalid, 'A name must be visible text');
  return name;
}

/** Trimmed, 1–40 characters (code points, so 林小绿 is 3), nothing invisible. */
export const normaliseDisplayName = (raw: string) => visibleName(raw, { tooLong: 'DISPLAY_NAME_TOO_LONG', invalid: 'INVALID_DISPLAY_NAME' });
/** The same rules as a display name: members of the household read it. */
export const normaliseHouseholdName = (raw: string) => visibleName(raw, { tooLong: 'HOUSEHOLD_NAME_TOO_LONG', invalid: 'INVALID_HOUSEHOLD_NAME' });

const AGE_BANDS_TO_DB: Record<string, '18_59' | 'UNDER_18' | '60_PLUS'> = { UNDER_18: 'UNDER_18', AGE_18_59: '18_59', AGE_60_PLUS: '60_PLUS' };
export function ageBandToDb(api: string): '18_59' | 'UNDER_18' | '60_PLUS' {
  const band = AGE_BANDS_TO_DB[api];
  if (!band) throw usersError('BAD_USER_INPUT', 'Unknown age band');
  return band;
}
