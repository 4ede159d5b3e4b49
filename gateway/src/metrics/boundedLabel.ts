/**
 * A label whose values a client can influence (operation names) or that grows with the code base
 * (error codes) must not grow without bound: every distinct value is a time series kept in memory
 * here and in Prometheus. A bounded label admits the values it is given up front, then the first
 * `maxOthers` further values that look right, and folds everything else into one value.
 */
export interface BoundedLabel {
  (value: string | null | undefined): string;
  /** How many values beyond the known ones were admitted (tests). */
  readonly admitted: () => number;
}

export interface BoundedLabelOptions {
  known?: Iterable<string>;
  maxOthers: number;
  /** What a value must look like to be admitted at all. */
  pattern: RegExp;
  /** The value for a missing one. */
  missing: string;
  /** The value everything refused folds into. */
  other: string;
}

export function boundedLabel(options: BoundedLabelOptions): BoundedLabel {
  const known = new Set(options.known ?? []);
  const others = new Set<string>();
  const label = (value: string | null | undefined): string => {
    if (value === null || value === undefined || value === '') return options.missing;
    if (known.has(value) || others.has(value)) return value;
    if (!options.pattern.test(value) || others.size >= options.maxOthers) return options.other;
    others.add(value);
    return value;
  };
  return Object.assign(label, { admitted: () => others.size });
}

/** GraphQL names, at most 64 characters (a longer one is folded, not cut, so it is never mistaken). */
const OPERATION_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;
/** Error codes are SCREAMING_SNAKE_CASE in every registry here. */
const ERROR_CODE = /^[A-Z][A-Z0-9_]{1,47}$/;

/**
 * Operation names for the `operationName` label: the trusted documents' names always, then up to
 * `maxOthers` names of ad-hoc operations (partners, analysts, staff in GraphiQL), then `other`.
 */
export const operationNameLabel = (known: Iterable<string>, maxOthers = 100): BoundedLabel =>
  boundedLabel({ known, maxOthers, pattern: OPERATION_NAME, missing: 'Anonymous', other: 'other' });

/** `extensions.code` for the `code` label: up to `maxCodes` codes, then (and for a missing code) OTHER. */
export const errorCodeLabel = (maxCodes = 100): BoundedLabel =>
  boundedLabel({ maxOthers: maxCodes, pattern: ERROR_CODE, missing: 'OTHER', other: 'OTHER' });
