import { AppError } from '@greenpoints/common';

/** The users service's error codes; domain code throws these and clients read `extensions.code`. */
export type UsersErrorCode = 'BAD_USER_INPUT' | 'FORBIDDEN' | 'NOT_FOUND' | 'UNAUTHENTICATED';

export const usersError = (code: UsersErrorCode, message: string, details: Record<string, unknown> = {}) =>
  new AppError(code, message, details);
