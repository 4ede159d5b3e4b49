import { DAY_MS } from '@greenpoints/common';
import { greenError } from '../errors.ts';

/** A half-open report period [from, to). */
export interface Period {
  from: Date;
  to: Date;
}

/** What a client may ask for: a range, a calendar month (YYYY-MM), a quarter (YYYY-Qn) or a year, in UTC. */
export interface PeriodInput {
  from?: Date | null;
  to?: Date | null;
  month?: string | null;
  quarter?: string | null;
  year?: number | null;
}

const utc = (year: number, monthIndex: number) => new Date(Date.UTC(year, monthIndex, 1));

/** The one period an input names; exactly one form must be given (BAD_USER_INPUT otherwise). */
export function periodOf(input: PeriodInput): Period {
  const forms = [input.from != null || input.to != null, input.month != null, input.quarter != null, input.year != null].filter(Boolean).length;
  if (forms !== 1) throw bad('Give exactly one of: from and to, month, quarter, year');
  if (input.month != null) {
    const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(input.month);
    if (!m) throw bad('month must be YYYY-MM');
    return { from: utc(Number(m[1]), Number(m[2]) - 1), to: utc(Number(m[1]), Number(m[2])) };
  }
  if (input.quarter != null) {
    const q = /^(\d{4})-Q([1-4])$/.exec(input.quarter);
    if (!q) throw bad('quarter must be YYYY-Qn (n from 1 to 4)');
    const first = (Number(q[2]) - 1) * 3;
    return { from: utc(Number(q[1]), first), to: utc(Number(q[1]), first + 3) };
  }
  if (input.year != null) {
    if (!Number.isInteger(input.year) || input.year < 2000 || input.year > 2099) throw bad('year must be between 2000 and 2099');
    return { from: utc(input.year, 0), to: utc(input.year + 1, 0) };
  }
  if (!input.from || !input.to) throw bad('A range needs both from and to');
  return { from: input.from, to: input.to };
}

/** The alliance has no records before 2000; a period outside these bounds is a client's mistake. */
export const EARLIEST = new Date('2000-01-01T00:00:00Z');
export const LATEST = new Date('2100-01-01T00:00:00Z');
/** Five years (with leap days): longer reports belong in an export, not in one request. */
export const MAX_PERIOD_MS = 5 * 366 * DAY_MS;

const bad = (message: string) => greenError('BAD_USER_INPUT', message, { argument: 'period' });

export function startOfUtcDay(at: Date): Date {
  return new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS);
}

export function endOfUtcDay(at: Date): Date {
  return new Date(Math.ceil(at.getTime() / DAY_MS) * DAY_MS);
}

export function startOfUtcMonth(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
}

/** The first instant after the month that `at` falls in, or `at` itself when it starts a month. */
export function endOfUtcMonth(at: Date): Date {
  const start = startOfUtcMonth(at);
  return start.getTime() === at.getTime() ? start : new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));
}

/**
 * The period a report covers: the last twelve months by default, else the client's, checked.
 * Aggregates over people are widened to whole UTC months, a fixed grid: no one can aim a narrow
 * window (1 ms) at one customer's purchase, nor take two windows a day apart, each describing
 * enough people, and subtract them to isolate the one customer of the day between. (Two reports
 * a month apart differ by that month: they sum only cells of k people or more, kAnonymity.ts.)
 * And they end where the last published month ends: a month still open grows between two requests,
 * and the difference of one report asked twice would be whatever was recorded in between, one
 * purchase perhaps. Aggregates count a record in the month it was recorded in (recorded_at), so
 * nothing is backdated into a published month; a month is published a day after it ends
 * (PUBLICATION_DELAY_MS), so events still on their way at midnight are in it. An aggregate period
 * lying wholly after the last published month is refused (PERIOD_NOT_CLOSED).
 */
/** How long after its end a month's aggregates are published: time for its last events to arrive. */
export const PUBLICATION_DELAY_MS = DAY_MS;

/** The end of the last month whose aggregates are published at `now`. */
export const publishedUntil = (now: Date): Date => startOfUtcMonth(new Date(now.getTime() - PUBLICATION_DELAY_MS));

export function resolvePeriod(input: PeriodInput | null | undefined, now: Date, aggregate: boolean): Period {
  let resolved: Period;
  const period = input ? periodOf(input) : null;
  if (!period) {
    const from = new Date(now);
    from.setUTCFullYear(from.getUTCFullYear() - 1);
    resolved = aggregate ? { from: startOfUtcMonth(from), to: publishedUntil(now) } : { from, to: now };
  } else {
    if (period.from < EARLIEST || period.to > LATEST) throw bad('A report period must lie between 2000-01-01 and 2100-01-01');
    if (period.from >= period.to) throw bad('period.from must be before period.to');
    resolved = period;
  }
  if (aggregate) {
    const closedUntil = publishedUntil(now);
    const from = startOfUtcMonth(resolved.from);
    if (from >= closedUntil) {
      throw greenError('PERIOD_NOT_CLOSED', `Reports over many people cover published months only: this one starts in ${from.toISOString().slice(0, 7)}, and a month is published a day after it ends`, {
        argument: 'period',
        closedUntil: closedUntil.toISOString(),
      });
    }
    const to = endOfUtcMonth(resolved.to);
    resolved = { from, to: to > closedUntil ? closedUntil : to };
  }
  if (resolved.to.getTime() - resolved.from.getTime() > MAX_PERIOD_MS) throw bad('A report covers at most five years');
  return resolved;
}
