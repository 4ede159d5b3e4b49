import { AppError } from '@greenpoints/common';

/** The green-impact service's error codes. */
export type GreenErrorCode =
  | 'BAD_USER_INPUT'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  /** An aggregate over fewer people than the configured minimum (k-anonymity) was refused. */
  | 'PERIOD_NOT_CLOSED'
  /** A green activity beyond its kind's daily or monthly cap for that user. */
  | 'ACTIVITY_CAP_REACHED'
  /** The same idempotency key with another request. */
  | 'IDEMPOTENCY_CONFLICT';

export const greenError = (code: GreenErrorCode, message: string, details: Record<string, unknown> = {}) =>
  new AppError(code, message, details);
