import { DateTime, JSONScalar, SafeInt, decodeCursor, hasCursorShape, isCleanText, isSelfOrStaff, pageSize, toConnection } from '@greenpoints/common';
import type { GreenContext } from '../context.ts';
import type { ProfileRow } from '../repositories/greenRepository.ts';
import { activityResolvers } from './activities.ts';
import { greenReport, type PeriodArg } from './greenReport.ts';
import { reportFieldResolvers } from './reportFields.ts';
import { greenError } from '../errors.ts';
import { MAX_SKU_LENGTH } from '../loaders.ts';

/** Cursors are opaque but forgeable: the SKU must be text Postgres accepts before it is compared. */
const isSkuCursor = (v: unknown): v is { sku: string } =>
  hasCursorShape(v, ['sku']) && typeof v['sku'] === 'string' && isCleanText(v['sku'], MAX_SKU_LENGTH);

export const resolvers = {
  DateTime,
  JSON: JSONScalar,
  SafeInt,
  DataExport: {
    /** Green-impact's part of a person's data export: every impact record, with the factor it pinned. */
    greenImpact: async (ref: { userId: string }, _: unknown, ctx: GreenContext) => {
      if (!isSelfOrStaff(ctx.principal, ref.userId)) throw greenError('FORBIDDEN', "You may not export another user's data");
      return { impactRecords: await ctx.repo.impactRecordsOfUser(ref.userId) };
    },
  },
  Query: {
    greenZone: async (_: unknown, args: { first?: number | null; after?: string | null }, ctx: GreenContext) => {
      const size = pageSize(args.first);
      const after = args.after ? decodeCursor(args.after, isSkuCursor) : undefined;
      const rows = await ctx.repo.listProfiles(after?.sku, size + 1);
      const connection = toConnection(rows, size, (p) => ({ sku: p.sku }), Boolean(after));
      return { ...connection, edges: connection.edges.map((e) => ({ cursor: e.cursor, node: { sku: e.node.sku } })) };
    },
    emissionFactors: (_: unknown, __: unknown, ctx: GreenContext) => ctx.loaders.factors(),
    platformGreenReport: (_: unknown, args: PeriodArg, ctx: GreenContext) => greenReport(ctx, 'platform', 'platform', args.period),
    ...activityResolvers.Query,
  },
  Mutation: activityResolvers.Mutation,
  ...reportFieldResolvers,
  GreenActivity: activityResolvers.GreenActivity,
  User: {
    greenImpact: (user: { id: string }, args: PeriodArg, ctx: GreenContext) => {
      if (!isSelfOrStaff(ctx.principal, user.id)) throw greenError('FORBIDDEN', "You may not read another user's green report");
      return greenReport(ctx, 'user', user.id, args.period);
    },
  },
  Merchant: {
    greenImpact: (merchant: { id: string }, args: PeriodArg, ctx: GreenContext) => greenReport(ctx, 'merchant', merchant.id, args.period),
  },
  Product: {
    greenProfile: (product: { sku: string }, _: unknown, ctx: GreenContext) => ctx.loaders.profile.load(product.sku),
  },
  EmissionFactor: {
    // numeric(18,6) comes back padded ("0.536600"); show the figure as published ("0.5366").
    value: (f: { value: string }) => f.value.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, ''),
  },
  GreenProfile: {
    factor: async (p: ProfileRow, _: unknown, ctx: GreenContext) =>
      (await ctx.loaders.factors()).find((f) => f.key === p.factorKey && f.version === p.factorVersion) ?? null,
    factors: async (p: ProfileRow, _: unknown, ctx: GreenContext) => {
      const all = await ctx.loaders.factors();
      return p.factorRefs.flatMap((ref) => all.filter((f) => f.key === ref.key && f.version === ref.version));
    },
  },
};
