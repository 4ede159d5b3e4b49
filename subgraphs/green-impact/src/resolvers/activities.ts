import { isStaff, isUuid } from '@greenpoints/common';
import type { GreenContext } from '../context.ts';
import { ACTIVITY_KINDS, ACTIVITY_RULES } from '../domain/activityRules.ts';
import type { GreenActivityInput } from '../operations/activityChecks.ts';
import { recordGreenActivity, type GreenActivityRow } from '../operations/recordGreenActivity.ts';

/** The user it is about, the organiser that recorded it, or staff; anyone else learns nothing. */
function maySee(ctx: GreenContext, a: GreenActivityRow): boolean {
  const p = ctx.principal;
  if (isStaff(p)) return true;
  if (p.role === 'consumer') return p.sub === a.userId;
  if (p.role === 'merchant') return a.organiserId !== null && p.merchantId === a.organiserId;
  return false;
}

export const activityResolvers = {
  Query: {
    greenActivityRules: () => ACTIVITY_KINDS.map((kind) => ACTIVITY_RULES[kind]),
    greenActivity: async (_: unknown, args: { id: string }, ctx: GreenContext) => {
      if (!isUuid(args.id)) return null;
      const row = await ctx.repo.activity(args.id.toLowerCase());
      return row && maySee(ctx, row) ? row : null;
    },
  },
  Mutation: {
    recordGreenActivity: (_: unknown, args: { input: GreenActivityInput; idempotencyKey: string }, ctx: GreenContext) =>
      recordGreenActivity(ctx.db, ctx.principal, args.input, args.idempotencyKey, ctx.now),
  },
  GreenActivity: {
    user: (a: GreenActivityRow) => ({ id: a.userId }),
    organiser: (a: GreenActivityRow) => (a.organiserId ? { id: a.organiserId } : null),
  },
};
