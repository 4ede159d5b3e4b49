import { AppError } from '@greenpoints/common';

/** The merchants service's error codes. */
export type MerchantsErrorCode = 'BAD_USER_INPUT' | 'FORBIDDEN' | 'NOT_FOUND' | 'SKU_TAKEN';

export const merchantsError = (code: MerchantsErrorCode, message: string, details: Record<string, unknown> = {}) =>
  new AppError(code, message, details);
