import { AppError } from '@greenpoints/common';

/** The ledger's error codes; domain code throws these and clients read `extensions.code`. */
export type LedgerErrorCode =
  | 'BAD_USER_INPUT'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'UNKNOWN_MERCHANT'
  | 'MERCHANT_NOT_ACTIVE'
  | 'UNKNOWN_USER'
  | 'USER_NOT_ACTIVE'
  | 'BUDGET_EXHAUSTED'
  | 'INSUFFICIENT_POINTS'
  | 'IDEMPOTENCY_CONFLICT'
  /** A purchase line names a SKU that is not one of the merchant's own products. */
  | 'UNKNOWN_PRODUCT'
  /** A purchase's lines do not add up to the amount paid. */
  | 'LINES_MISMATCH'
  /** occurredAt lies outside the window in which purchases may be recorded. */
  | 'PURCHASE_OUT_OF_WINDOW'
  | 'NOT_HOUSEHOLD_MEMBER'
  | 'ACCOUNT_FROZEN'
  | 'REFUND_EXCEEDS_PURCHASE'
  | 'OUT_OF_STOCK'
  | 'REWARD_NOT_AVAILABLE'
  | 'REWARD_CHANGED'
  | 'REDEMPTION_NOT_CANCELLABLE'
  | 'CASE_NOT_CONFIRMED'
  | 'PERIOD_NOT_CLOSED'
  /** A partner asked for a member who has not granted PARTNER_SHARING. */
  | 'CONSENT_REQUIRED'
  | 'SERVICE_UNAVAILABLE';

export class LedgerError extends AppError<LedgerErrorCode> {}

export const badInput = (field: string, message: string) => new LedgerError('BAD_USER_INPUT', message, { field });
