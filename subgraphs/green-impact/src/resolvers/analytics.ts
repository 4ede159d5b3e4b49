import type { GreenContext } from '../context.ts';
import { impactAnalytics, type ImpactGroupRow } from '../domain/analytics.ts';
import { greenError } from '../errors.ts';

/** What the analytics resolver needs besides green-impact's context: the analytics k-anonymity minimum. */
export interface AnalyticsContext extends GreenContext {
  analyticsMinGroupSize: number;
  /** Impact by category and month over all history, shared by concurrent requests (server.ts). */
  impactGroups: () => Promise<ImpactGroupRow[]>;
}

/**
 * Green-impact's part of the analysts' `Analytics` entity (owned by the ledger): impact by green
 * category and month. The gateway admits only analysts and admins; this checks again.
 */
export const analyticsResolvers = {
  Analytics: {
    __resolveReference: (ref: { scope: string }) => ({ scope: ref.scope }),
    greenImpact: async (_: { scope: string }, __: unknown, ctx: AnalyticsContext) => {
      if (ctx.principal.role !== 'analyst' && ctx.principal.role !== 'admin') {
        throw greenError('FORBIDDEN', 'Analytics are for analysts and admins');
      }
      return impactAnalytics(await ctx.impactGroups(), ctx.analyticsMinGroupSize);
    },
  },
};
