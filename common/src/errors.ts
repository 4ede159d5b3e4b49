import type { GraphQLFormattedError } from 'graphql';

const BRAND = Symbol.for('greenpoints.AppError');

/** A failure the caller can act on. Domain code throws these; anything else is masked. */
export class AppError<Code extends string = string> extends Error {
  readonly [BRAND] = true;

  constructor(
    readonly code: Code,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/**
 * Recognises an AppError by its brand rather than `instanceof`, which fails when a module is loaded
 * twice (test runners, bundlers) and would turn a typed error into a masked internal one.
 */
export function isAppError(error: unknown): error is AppError {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[BRAND] === true;
}

const PASS_THROUGH = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
  'UNAUTHENTICATED',
  'FORBIDDEN',
]);

/**
 * True when a GraphQL validation error was raised by a scalar refusing a literal (a DateTime in
 * year 275760, say): graphql-js reports it as a validation failure, but it is bad input.
 */
function causedByBadInput(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    const { extensions, originalError } = current as { extensions?: Record<string, unknown>; originalError?: unknown };
    if (extensions?.['code'] === 'BAD_USER_INPUT') return true;
    current = originalError;
  }
  return false;
}

export interface ErrorLogger {
  error(obj: unknown, msg?: string): void;
}

/**
 * Apollo Server's `formatError`: keeps typed errors and GraphQL's own request errors, logs and masks
 * everything else so no stack trace or internal message reaches a client.
 */
export function createErrorFormatter(logger: ErrorLogger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    // Duck-typed rather than `instanceof GraphQLError`: graphql can be loaded as two module copies.
    const original = (error as { originalError?: unknown } | null)?.originalError ?? error;
    if (isAppError(original)) {
      return {
        message: original.message,
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: { code: original.code, ...original.details },
      };
    }
    const code = formatted.extensions?.['code'];
    if (typeof code === 'string' && PASS_THROUGH.has(code)) {
      const { stacktrace: _ignored, ...extensions } = formatted.extensions ?? {};
      if (code === 'GRAPHQL_VALIDATION_FAILED' && causedByBadInput(original)) extensions['code'] = 'BAD_USER_INPUT';
      return { ...formatted, extensions };
    }
    logger.error({ err: original ?? error }, 'unexpected error');
    return {
      message: 'Internal server error',
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}
