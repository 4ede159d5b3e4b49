import { AppError } from '@greenpoints/common';

/** The merchants service's error codes. */
export type MerchantsErrorCode =
  | 'BAD_USER_INPUT'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'SKU_TAKEN'
  | 'OUT_OF_STOCK'
  | 'IDEMPOTENCY_CONFLICT'
  | 'MERCHANT_NOT_ACTIVE'
  | 'REWARD_NOT_AVAILABLE'
  | 'RESERVATION_CLOSED'
  | 'UNAUTHENTICATED'
  | 'LEDGER_UNAVAILABLE';

export const merchantsError = (code: MerchantsErrorCode, message: string, details: Record<string, unknown> = {}) =>
  new AppError(code, message, details);
