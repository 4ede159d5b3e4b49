import type { BaseContext } from '@greenpoints/common';
import type { Database } from '@greenpoints/db';
import { DEFAULT_HOUSEHOLD_MAX_MEMBERS } from './operations/households.ts';
import { createLoaders, type Loaders } from './loaders.ts';
import { createUsersRepository } from './repositories/usersRepository.ts';

/** The privacy notice version consents are granted under unless configured. */
export const DEFAULT_NOTICE_VERSION = '2026-01';

export interface UsersDeps {
  db: Database;
  /** The current key for personal fields: new ciphertexts and the phone's keyed hash use it. */
  piiKey: string;
  /** Keys retired by a rotation: rows sealed under them stay readable until re-encrypted. */
  piiPreviousKeys?: readonly string[];
  /** The size cap of households created from now on (HOUSEHOLD_MAX_MEMBERS, default 6). */
  householdMaxMembers?: number;
  /** The privacy notice in force (CONSENT_NOTICE_VERSION): consents are granted under it. */
  noticeVersion?: string;
  /** Earlier notices whose consents still hold (CONSENT_NOTICES_COVERED). */
  noticesCovered?: readonly string[];
}

export interface UsersContext extends BaseContext {
  db: Database;
  loaders: Loaders;
  piiKey: string;
  /** The current key first, then the retired ones. */
  piiKeys: readonly string[];
  householdMaxMembers: number;
  noticeVersion: string;
  /** The notice in force and those it covers: a consent given under any other does not count. */
  acceptedNotices: ReadonlySet<string>;
}

export function createContextFactory(deps: UsersDeps) {
  const piiKeys = [deps.piiKey, ...(deps.piiPreviousKeys ?? [])];
  const noticeVersion = deps.noticeVersion ?? DEFAULT_NOTICE_VERSION;
  const acceptedNotices: ReadonlySet<string> = new Set([noticeVersion, ...(deps.noticesCovered ?? [])]);
  return (base: BaseContext): UsersContext => ({
    ...base,
    db: deps.db,
    loaders: createLoaders(createUsersRepository(deps.db)),
    piiKey: deps.piiKey,
    piiKeys,
    householdMaxMembers: deps.householdMaxMembers ?? DEFAULT_HOUSEHOLD_MAX_MEMBERS,
    noticeVersion,
    acceptedNotices,
  });
}
