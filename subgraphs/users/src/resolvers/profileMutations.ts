import { blindIndex, encryptField, isUuid } from '@greenpoints/common';
import type { UsersContext } from '../context.ts';
import { ageBandToDb, normaliseDisplayName, normalisePhone } from '../domain/profile.ts';
import { usersError } from '../errors.ts';
import { deleteUser, registerUser, updateProfile, type ProfileChange } from '../operations/userLifecycle.ts';
import type { UserRow } from '../repositories/usersRepository.ts';

export interface RegisterUserArgs {
  input: { displayName: string; phone: string; ageBand: string };
}
export interface UpdateProfileArgs {
  input: { displayName?: string | null; phone?: string | null; ageBand?: string | null };
}

/**
 * The signed-in consumer's id in its one canonical form (lower-case UUID). The gateway already
 * lower-cases a UUID `sub`; this holds for a caller that reached us some other signed way too.
 */
export function callerId(ctx: UsersContext): string {
  const sub = ctx.principal.role === 'consumer' ? ctx.principal.sub : undefined;
  if (!sub) throw usersError('FORBIDDEN', 'Only a signed-in consumer has a profile of their own');
  if (!isUuid(sub)) throw usersError('BAD_USER_INPUT', "The token's subject is not a user id (a UUID)");
  return sub.toLowerCase();
}

function sealedPhone(raw: string, ctx: UsersContext) {
  const phone = normalisePhone(raw);
  return { phoneEncrypted: encryptField(phone, ctx.piiKey), phoneHash: blindIndex(phone, ctx.piiKey) };
}

async function reload(ctx: UsersContext, id: string): Promise<UserRow | null> {
  return ctx.loaders.user.clear(id).load(id);
}

export const profileMutations = {
  registerUser: async (_: unknown, { input }: RegisterUserArgs, ctx: UsersContext) => {
    const id = callerId(ctx);
    const displayName = normaliseDisplayName(input.displayName);
    const ageBand = ageBandToDb(input.ageBand);
    await registerUser(ctx.db, { id, displayName, ageBand, ...sealedPhone(input.phone, ctx) });
    return reload(ctx, id);
  },

  updateProfile: async (_: unknown, { input }: UpdateProfileArgs, ctx: UsersContext) => {
    const id = callerId(ctx);
    if (!(await ctx.loaders.user.load(id))) throw usersError('NOT_REGISTERED', 'Register before changing a profile');
    const change: ProfileChange = {
      ...(input.displayName != null ? { displayName: normaliseDisplayName(input.displayName) } : {}),
      ...(input.ageBand != null ? { ageBand: ageBandToDb(input.ageBand) } : {}),
      ...(input.phone != null ? sealedPhone(input.phone, ctx) : {}),
    };
    await updateProfile(ctx.db, id, change);
    return reload(ctx, id);
  },

  deleteMyAccount: async (_: unknown, __: unknown, ctx: UsersContext) => {
    const id = callerId(ctx);
    const row = await ctx.loaders.user.load(id);
    if (!row) throw usersError('NOT_REGISTERED', 'There is no account to delete');
    await deleteUser(ctx.db, id);
    return reload(ctx, id);
  },
};
