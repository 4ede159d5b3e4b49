/** Pure report arithmetic: sums of integer records, grouped; no I/O, so every figure is traceable. */

export interface ImpactRow {
  category: string;
  month: string;
  co2eGrams: number;
  waterLitres: number;
  plasticGrams: number;
  greenPoints: number;
  records: number;
}

export interface Totals {
  co2eGrams: number;
  co2eKg: number;
  waterLitres: number;
  plasticGrams: number;
  greenPoints: number;
  records: number;
}

export function sumRows(rows: ImpactRow[]): Totals {
  const t = rows.reduce(
    (acc, r) => ({
      co2eGrams: acc.co2eGrams + r.co2eGrams,
      waterLitres: acc.waterLitres + r.waterLitres,
      plasticGrams: acc.plasticGrams + r.plasticGrams,
      greenPoints: acc.greenPoints + r.greenPoints,
      records: acc.records + r.records,
    }),
    { co2eGrams: 0, waterLitres: 0, plasticGrams: 0, greenPoints: 0, records: 0 },
  );
  return { ...t, co2eKg: t.co2eGrams / 1000 };
}

function groupBy(rows: ImpactRow[], key: (r: ImpactRow) => string): [string, ImpactRow[]][] {
  const groups = new Map<string, ImpactRow[]>();
  for (const r of rows) groups.set(key(r), [...(groups.get(key(r)) ?? []), r]);
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b));
}

/** kg CO2 one tree takes up in a year; `treeYears` = kg avoided ÷ this. */
export function buildReport(rows: ImpactRow[], treeKgPerYear: number | null) {
  const totals = sumRows(rows);
  return {
    totals,
    byCategory: groupBy(rows, (r) => r.category).map(([category, g]) => ({ category, totals: sumRows(g) })),
    monthly: groupBy(rows, (r) => r.month).map(([month, g]) => ({ month, totals: sumRows(g) })),
    treeYears: treeKgPerYear ? Math.round((totals.co2eKg / treeKgPerYear) * 100) / 100 : 0,
  };
}

/** Every UTC month a period touches, YYYY-MM, in order: a user's monthly series shows empty months as zeros. */
export function monthsOf(from: Date, to: Date): string[] {
  const months: string[] = [];
  const at = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), 1));
  while (at < to && months.length < 61) {
    months.push(at.toISOString().slice(0, 7));
    at.setUTCMonth(at.getUTCMonth() + 1);
  }
  return months;
}

const ZERO: Totals = { co2eGrams: 0, co2eKg: 0, waterLitres: 0, plasticGrams: 0, greenPoints: 0, records: 0 };

/** The monthly series with a zero entry for each month of the period without records. */
export function fillMonths(monthly: { month: string; totals: Totals }[], months: string[]): { month: string; totals: Totals }[] {
  const byMonth = new Map(monthly.map((m) => [m.month, m.totals]));
  return months.map((month) => ({ month, totals: byMonth.get(month) ?? ZERO }));
}

export interface Profile {
  category: string;
  co2eGramsPerUnit: number;
  waterLitresPerUnit: number;
  plasticGramsPerUnit: number;
  greenPointsPerUnit: number;
  factorKey: string | null;
  factorVersion: number | null;
}

/** One impact record per green purchase line: per-unit impact × quantity, pinned to the profile's factor. */
export function impactOfLine(profile: Profile, quantity: number) {
  return {
    category: profile.category,
    quantity,
    co2eGrams: profile.co2eGramsPerUnit * quantity,
    waterLitres: profile.waterLitresPerUnit * quantity,
    plasticGrams: profile.plasticGramsPerUnit * quantity,
    greenPoints: profile.greenPointsPerUnit * quantity,
    factorKey: profile.factorKey,
    factorVersion: profile.factorVersion,
  };
}
