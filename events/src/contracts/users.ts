import { z } from 'zod';
import { ageBand, contract, id, instant } from './common.ts';

const status = z.enum(['ACTIVE', 'FROZEN', 'ERASED']);
const byUser = (p: { userId: string }) => `user:${p.userId}`;

// No personal information but the age band (common.ts) travels in events (PIPL): other domains learn ids and statuses.
export const UserRegistered = contract({
  type: 'UserRegistered',
  stream: 'users',
  version: 1,
  // ageBand is optional: registrations published before it travelled lack it, and deleting the
  // account erases it from the stored event.
  schema: z.strictObject({ userId: id, status, registeredAt: instant, ageBand: ageBand.optional() }),
  aggregate: byUser,
  personal: ['ageBand'],
});

/**
 * A user changed their age band (their profile). Deleting the account erases the band from the
 * stored event, which then says only that it changed: a consumer reads no band (null), as UserDeleted will.
 */
export const UserAgeBandChanged = contract({
  type: 'UserAgeBandChanged',
  stream: 'users',
  version: 1,
  schema: z.strictObject({ userId: id, ageBand: ageBand.optional() }),
  aggregate: byUser,
  personal: ['ageBand'],
});

export const UserStatusChanged = contract({
  type: 'UserStatusChanged',
  stream: 'users',
  version: 1,
  schema: z.strictObject({ userId: id, status, previousStatus: status }),
  aggregate: byUser,
});

export const UserDeleted = contract({
  type: 'UserDeleted',
  stream: 'users',
  version: 1,
  schema: z.strictObject({ userId: id }),
  aggregate: byUser,
});

export const HouseholdMemberJoined = contract({
  type: 'HouseholdMemberJoined',
  stream: 'users',
  version: 1,
  schema: z.strictObject({ householdId: id, userId: id }),
  aggregate: byUser,
});

export const HouseholdMemberLeft = contract({
  type: 'HouseholdMemberLeft',
  stream: 'users',
  version: 1,
  schema: z.strictObject({ householdId: id, userId: id }),
  aggregate: byUser,
});

const byHousehold = (p: { householdId: string }) => `household:${p.householdId}`;

export const HouseholdCreated = contract({
  type: 'HouseholdCreated',
  stream: 'users',
  version: 1,
  schema: z.strictObject({ householdId: id, ownerId: id, maxMembers: z.number().int().min(1).max(100) }),
  aggregate: byHousehold,
});

export const HouseholdInviteSent = contract({
  type: 'HouseholdInviteSent',
  stream: 'users',
  version: 1,
  schema: z.strictObject({ householdId: id, inviteeId: id, invitedBy: id }),
  aggregate: byHousehold,
});

export const HouseholdInviteDeclined = contract({
  type: 'HouseholdInviteDeclined',
  stream: 'users',
  version: 1,
  schema: z.strictObject({ householdId: id, inviteeId: id }),
  aggregate: byHousehold,
});

export const HouseholdOwnershipTransferred = contract({
  type: 'HouseholdOwnershipTransferred',
  stream: 'users',
  version: 1,
  schema: z.strictObject({ householdId: id, ownerId: id, previousOwnerId: id }),
  aggregate: byHousehold,
});

/** The last member left (or deleted their account): the household is gone, and its pool is theirs. */
export const HouseholdDissolved = contract({
  type: 'HouseholdDissolved',
  stream: 'users',
  version: 1,
  schema: z.strictObject({ householdId: id, lastMemberId: id }),
  aggregate: byHousehold,
});
