import { DAY_MS } from '@greenpoints/common';
import { greenError } from '../errors.ts';

/** A half-open report period [from, to). */
export interface Period {
  from: Date;
  to: Date;
}

/** The alliance has no records before 2000; a period outside these bounds is a client's mistake. */
export const EARLIEST = new Date('2000-01-01T00:00:00Z');
export const LATEST = new Date('2100-01-01T00:00:00Z');
/** Five years (with leap days): longer reports belong in an export, not in one request. */
export const MAX_PERIOD_MS = 5 * 366 * DAY_MS;

const bad = (message: string) => greenError('BAD_USER_INPUT', message, { argument: 'period' });

function startOfUtcDay(at: Date): Date {
  return new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS);
}

function endOfUtcDay(at: Date): Date {
  return new Date(Math.ceil(at.getTime() / DAY_MS) * DAY_MS);
}

/**
 * The period a report covers: the last twelve months by default, else the client's, checked.
 * Aggregates over people are widened to whole UTC days, so no one can aim a narrow window (1 ms)
 * at one customer's purchase, nor learn much by comparing two windows a moment apart.
 */
export function resolvePeriod(period: Period | null | undefined, now: Date, aggregate: boolean): Period {
  let resolved: Period;
  if (!period) {
    const from = new Date(now);
    from.setUTCFullYear(from.getUTCFullYear() - 1);
    resolved = { from, to: now };
  } else {
    if (period.from < EARLIEST || period.to > LATEST) throw bad('A report period must lie between 2000-01-01 and 2100-01-01');
    if (period.from >= period.to) throw bad('period.from must be before period.to');
    resolved = period;
  }
  if (aggregate) resolved = { from: startOfUtcDay(resolved.from), to: endOfUtcDay(resolved.to) };
  if (resolved.to.getTime() - resolved.from.getTime() > MAX_PERIOD_MS) throw bad('A report covers at most five years');
  return resolved;
}
