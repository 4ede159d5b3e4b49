import { z } from 'zod';
import { contract, id, instant } from './common.ts';

const status = z.enum(['ACTIVE', 'FROZEN', 'ERASED']);
const byUser = (p: { userId: string }) => `user:${p.userId}`;

// No personal information travels in events (PIPL): other domains learn ids and statuses only.
export const UserRegistered = contract({
  type: 'UserRegistered',
  stream: 'users',
  version: 1,
  schema: z.strictObject({ userId: id, status, registeredAt: instant }),
  aggregate: byUser,
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
