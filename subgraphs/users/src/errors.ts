import { AppError } from '@greenpoints/common';

/**
 * The users service's error codes; domain code throws these and clients read `extensions.code`.
 * Input mistakes a client can correct each have their own code (a form shows which field is wrong);
 * everything else generic is BAD_USER_INPUT.
 */
export type UsersErrorCode =
  | 'BAD_USER_INPUT'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'UNAUTHENTICATED'
  | 'INVALID_PHONE'
  | 'PHONE_TAKEN'
  | 'INVALID_DISPLAY_NAME'
  | 'DISPLAY_NAME_TOO_LONG'
  | 'ALREADY_REGISTERED'
  | 'NOT_REGISTERED'
  | 'USER_ERASED'
  | 'ALREADY_IN_HOUSEHOLD'
  | 'HOUSEHOLD_FULL'
  | 'NOT_HOUSEHOLD_OWNER'
  | 'NOT_HOUSEHOLD_MEMBER'
  | 'NO_INVITATION'
  | 'INVALID_HOUSEHOLD_NAME'
  | 'HOUSEHOLD_NAME_TOO_LONG'
  | 'CONSENT_REQUIRED'
  | 'NOTICE_OUTDATED';

export const usersError = (code: UsersErrorCode, message: string, details: Record<string, unknown> = {}) =>
  new AppError(code, message, details);
