/**
 * Green actions without a purchase: what each kind earns and how often, per user. Fixed points per
 * action with daily and monthly caps, as behaviour-based green schemes do (Ant Forest: e-invoices at
 * most 5 a day, metro rides 5 a day). Points are the alliance's policy, not an environmental
 * figure: no CO2e is claimed for an action without a sourced factor.
 */
export const ACTIVITY_KINDS = ['SURVEY', 'TRAINING', 'RECYCLING_DROP_OFF', 'E_RECEIPT', 'PUBLIC_TRANSPORT'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

export interface ActivityRule {
  kind: ActivityKind;
  /** The report category its impact records fall in. */
  category: string;
  greenPoints: number;
  perDay: number;
  perMonth: number;
  description: string;
}

export const ACTIVITY_RULES: Record<ActivityKind, ActivityRule> = {
  SURVEY: { kind: 'SURVEY', category: 'GREEN_SURVEY', greenPoints: 20, perDay: 1, perMonth: 4, description: 'An environmental survey answered in full' },
  TRAINING: { kind: 'TRAINING', category: 'GREEN_TRAINING', greenPoints: 50, perDay: 1, perMonth: 4, description: 'A green-consumption training attended' },
  RECYCLING_DROP_OFF: { kind: 'RECYCLING_DROP_OFF', category: 'RECYCLING', greenPoints: 10, perDay: 2, perMonth: 20, description: 'Used batteries, bottles or packaging handed in at a collection point' },
  E_RECEIPT: { kind: 'E_RECEIPT', category: 'E_RECEIPT', greenPoints: 1, perDay: 5, perMonth: 60, description: 'An electronic receipt or invoice instead of paper' },
  PUBLIC_TRANSPORT: { kind: 'PUBLIC_TRANSPORT', category: 'PUBLIC_TRANSIT', greenPoints: 2, perDay: 5, perMonth: 100, description: 'A metro or bus ride' },
};

export const isActivityKind = (kind: string): kind is ActivityKind => (ACTIVITY_KINDS as readonly string[]).includes(kind);

/** The alliance's day: China Standard Time (UTC+8, no daylight saving), so caps reset at local midnight. */
const CST_OFFSET_MS = 8 * 3_600_000;

/** The CST day and month an activity counts towards, as dates (YYYY-MM-DD, month as its first day). */
export function capPeriods(occurredAt: Date): { day: string; month: string } {
  const local = new Date(occurredAt.getTime() + CST_OFFSET_MS).toISOString();
  return { day: local.slice(0, 10), month: `${local.slice(0, 7)}-01` };
}

/** How far back an organiser may date an activity: a month, so caps of a closed month stay closed. */
export const MAX_BACKDATE_DAYS = 31;
