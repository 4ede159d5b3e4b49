import { isUuid, type Principal } from '@greenpoints/common';
import { intInRange } from '../domain/catalogRules.ts';
import { merchantsError } from '../errors.ts';
import type { MerchantsContext } from '../context.ts';
import { confirmStock, MAX_RESERVATION_QUANTITY, releaseStock, reserveStock, type StockReservationRow } from '../operations/stockReservations.ts';

/**
 * Stock moves only for a redemption the ledger is running: the gateway refuses every client
 * (`role:service` in the SDL), and this refuses any principal but a signed service one.
 */
function requireService(principal: Principal): void {
  if (principal.role !== 'service') throw merchantsError('FORBIDDEN', 'Only the ledger moves stock for redemptions');
}

function idArg(value: string, argument: string): string {
  if (!isUuid(value)) throw merchantsError('BAD_USER_INPUT', `${argument} is not an id`, { argument });
  return value;
}

export const stockMutations = {
  reserveStock: (_: unknown, args: { rewardId: string; quantity: number; redemptionId: string }, ctx: MerchantsContext) => {
    requireService(ctx.principal);
    return reserveStock(
      ctx.db,
      idArg(args.rewardId, 'rewardId'),
      intInRange(args.quantity, 'quantity', 1, MAX_RESERVATION_QUANTITY),
      idArg(args.redemptionId, 'redemptionId'),
      ctx.now,
    );
  },
  releaseStock: (_: unknown, args: { redemptionId: string }, ctx: MerchantsContext) => {
    requireService(ctx.principal);
    return releaseStock(ctx.db, idArg(args.redemptionId, 'redemptionId'));
  },
  confirmStock: (_: unknown, args: { redemptionId: string }, ctx: MerchantsContext) => {
    requireService(ctx.principal);
    return confirmStock(ctx.db, idArg(args.redemptionId, 'redemptionId'));
  },
};

export const StockReservation = {
  reward: (r: StockReservationRow, _: unknown, ctx: MerchantsContext) => ctx.loaders.reward.load(r.rewardId),
};
