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
  | 'IDEMPOTENCY_CONFLICT';

export class LedgerError extends AppError<LedgerErrorCode> {}

export const badInput = (field: string, message: string) => new LedgerError('BAD_USER_INPUT', message, { field });
