// Proves that in a two-way table with known margins, no sum of hidden cells derivable by linear algebra isolates small cells, on examples and on random tables.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { marginsByPeople, satisfiable, suppressTable, type TableCell } from './kAnonymityTable.ts';

type People = { rows: Map<string, (number | null)[]>; cols: Map<string, (number | null)[]>; total: (number | null)[] };
const marginsOf = (p: People | undefined) => (p ? marginsByPeople(p.rows, p.cols, p.total, K) : undefined);

const K = 5;

/** A table from rows of people counts: null is an empty cell (no activity), a number is one figure's people. */
function table(rows: Record<string, (number | null)[]>, hiddenCols: number[] = []): TableCell[] {
  return Object.entries(rows).flatMap(([row, counts]) =>
    counts.flatMap((n, col) => (n === null ? [] : [{ key: `${row}${col}`, row, col: String(col), people: [n], hidden: hiddenCols.includes(col) }])),
  );
}

/** Whether v is a linear combination of the rows of m (Gaussian elimination; small integer tables). */
function inSpan(m: number[][], v: number[]): boolean {
  const rank = (rows: number[][]) => {
    const a = rows.map((r) => [...r]);
    let r = 0;
    for (let c = 0; c < (a[0]?.length ?? 0) && r < a.length; c++) {
      const p = a.findIndex((row, i) => i >= r && Math.abs(row[c]!) > 1e-9);
      if (p < 0) continue;
      [a[r], a[p]] = [a[p]!, a[r]!];
      for (let i = 0; i < a.length; i++) {
        if (i === r) continue;
        const factor = a[i]![c]! / a[r]![c]!;
        for (let j = c; j < a[i]!.length; j++) a[i]![j]! -= factor * a[r]![j]!;
      }
      r++;
    }
    return r;
  };
  return rank(m) === rank([...m, v]);
}

/**
 * Brute force, independent of the 2-SAT: every subset S of hidden cells whose sum follows from the
 * known totals (rows, columns, the whole table; a total under k people is unknown) and the shown
 * cells must hold a large cell, or hold no small one, or follow from the known totals alone (then it
 * is the totals' news, not the table's: a whole hidden row, say).
 */
function leaks(cells: TableCell[], hidden: Set<string>, margins?: People, f = 0): string[] | null {
  const h = cells.filter((c) => hidden.has(c.key));
  if (h.length > 14) throw new Error('too big to brute-force');
  const known = (people: readonly (number | null)[] | undefined) => people?.[f] === undefined || people[f] === null || people[f]! >= K;
  const lines = [
    ...[...new Set(cells.map((c) => c.row))].filter((row) => known(margins?.rows.get(row))).map((row) => (c: TableCell) => c.row === row),
    ...[...new Set(cells.map((c) => c.col))].filter((col) => known(margins?.cols.get(col))).map((col) => (c: TableCell) => c.col === col),
    ...(known(margins?.total) ? [() => true] : []),
  ];
  const overHidden = lines.map((inLine) => h.map((c) => (inLine(c) ? 1 : 0)));
  const overAll = lines.map((inLine) => cells.map((c) => (inLine(c) ? 1 : 0)));
  for (let mask = 1; mask < 1 << h.length; mask++) {
    const s = h.filter((_, i) => mask & (1 << i));
    if (!s.some((c) => c.people[f] !== null && c.people[f]! < K) || s.some((c) => c.people[f] !== null && c.people[f]! >= K)) continue;
    if (lines.length === 0 || !inSpan(overHidden, h.map((c) => (s.includes(c) ? 1 : 0)))) continue;
    if (inSpan(overAll, cells.map((c) => (s.includes(c) ? 1 : 0)))) continue;
    return s.map((c) => c.key);
  }
  return null;
}

describe('satisfiable (2-SAT)', () => {
  it('solves small formulas', () => {
    // (x ∨ y) ∧ (¬x ∨ y) ∧ (¬y ∨ ¬y): y must hold and must not.
    expect(satisfiable(2, [[0, 2], [1, 2], [3, 3]])).toBe(false);
    expect(satisfiable(2, [[0, 2], [1, 2]])).toBe(true);
  });
});

describe('suppressTable', () => {
  it('hides nothing when every cell holds k people', () => {
    expect(suppressTable(table({ a: [9, 8], b: [7, 6] }), K)).toEqual(new Set());
  });

  it('hides a rectangle around one small cell, so neither its row nor its column gives it away', () => {
    const cells = table({ a: [2, 8, 9], b: [7, 6, 12], c: [10, 11, 13] });
    const hidden = suppressTable(cells, K);
    expect(hidden.has('a0')).toBe(true);
    expect(hidden.size).toBe(4);
    expect(leaks(cells, hidden)).toBeNull();
  });

  it('withholds one whole closed month when every merchant’s open month is small and never shown', () => {
    // Columns 0–2 are closed months, 3 the open one: its cells are counted in the merchants' totals.
    const cells = table({ a: [9, 8, 7, 2], b: [12, 6, 9, 3], c: [10, 11, 13, 1] }, [3]);
    const hidden = suppressTable(cells, K);
    expect([...hidden].filter((key) => !key.endsWith('3')).sort()).toEqual(['a1', 'b1', 'c1']);
    expect(leaks(cells, hidden)).toBeNull();
  });

  it('follows a chain: a large cell alone in its column would be known, and its row would give away the small one', () => {
    // Hiding a0 (small) with a1 and b1 is not enough: b1 is b's only hidden cell.
    const cells = table({ a: [2, 9, null], b: [null, 8, 7], c: [6, null, 9] });
    const hidden = suppressTable(cells, K);
    expect(leaks(cells, hidden)).toBeNull();
  });

  it('leaves a merchant’s only month alone: its cell is its total, a margin published on its own terms', () => {
    const cells = table({ a: [2, null], b: [9, 8], c: [7, 6] });
    const hidden = suppressTable(cells, K);
    expect(leaks(cells, hidden)).toBeNull();
  });

  it('protects each figure of a cell (issued and redeemed) by its own people', () => {
    const cells: TableCell[] = [
      { key: 'a0', row: 'a', col: '0', people: [9, 2] },
      { key: 'a1', row: 'a', col: '1', people: [8, null] },
      { key: 'b0', row: 'b', col: '0', people: [7, 6] },
      { key: 'b1', row: 'b', col: '1', people: [9, 7] },
    ];
    const hidden = suppressTable(cells, K);
    expect(hidden.has('a0')).toBe(true);
    expect(leaks(cells, hidden, undefined, 0)).toBeNull();
    expect(leaks(cells, hidden, undefined, 1)).toBeNull();
  });

  it('does not withhold shown months for a small total no one publishes (one redemption, this month only)', () => {
    // Redeemed points: one person, in the open month, at one merchant; nowhere else.
    const cells: TableCell[] = [
      ...['0', '1', '2'].flatMap((col) => ['a', 'b'].map((row) => ({ key: `${row}${col}`, row, col, people: [null] }))),
      { key: 'a3', row: 'a', col: '3', people: [1], hidden: true },
      { key: 'b3', row: 'b', col: '3', people: [null], hidden: true },
    ];
    const margins: People = {
      rows: new Map([['a', [1]], ['b', [null]]]),
      cols: new Map([['0', [null]], ['1', [null]], ['2', [null]], ['3', [1]]]),
      total: [1],
    };
    const hidden = suppressTable(cells, K, marginsOf(margins));
    expect([...hidden].sort()).toEqual(['a3', 'b3']);
    expect(leaks(cells, hidden, margins)).toBeNull();
    // Were the merchant's total published, its shown months (zero) would give the open one away.
    expect(leaks(cells, hidden, { ...margins, rows: new Map([['a', [9]], ['b', [null]]]) })).not.toBeNull();
  });

  it('never lets a derivable sum isolate small cells, on random tables with totals known or not', () => {
    const people = (counts: (number | null)[], extra: number) => {
      const present = counts.filter((n): n is number => n !== null);
      return present.length === 0 ? null : Math.max(...present) + (extra % (present.reduce((a, b) => a + b, 0) - Math.max(...present) + 1));
    };
    const cell = fc.oneof(fc.constant(null), fc.integer({ min: 1, max: 9 }));
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { minLength: 3, maxLength: 3 }), { minLength: 2, maxLength: 4 }),
        fc.boolean(),
        fc.array(fc.nat(20), { minLength: 8, maxLength: 8 }),
        (rows, openMonth, extras) => {
          const cells = table(Object.fromEntries(rows.map((r, i) => [`m${i}`, r])), openMonth ? [2] : []);
          const margins: People = {
            rows: new Map(rows.map((r, i) => [`m${i}`, [people(r, extras[i]!)]])),
            cols: new Map([0, 1, 2].map((c) => [String(c), [people(rows.map((r) => r[c]!), extras[4 + c]!)]])),
            total: [people(rows.flat(), extras[7]!)],
          };
          for (const m of [undefined, margins]) {
            const hidden = suppressTable(cells, K, marginsOf(m));
            expect(leaks(cells, hidden, m)).toBeNull();
            for (const c of cells) if ((c.people[0] ?? K) < K) expect(hidden.has(c.key)).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never lets a derivable sum isolate small cells, on random tables', () => {
    const cell = fc.oneof(fc.constant(null), fc.integer({ min: 1, max: 12 }));
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 3, maxLength: 3 }), { minLength: 2, maxLength: 4 }), fc.boolean(), (rows, openMonth) => {
        const cells = table(Object.fromEntries(rows.map((r, i) => [`m${i}`, r])), openMonth ? [2] : []);
        const hidden = suppressTable(cells, K);
        expect(leaks(cells, hidden)).toBeNull();
        for (const c of cells) if ((c.people[0] ?? K) < K) expect(hidden.has(c.key)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
