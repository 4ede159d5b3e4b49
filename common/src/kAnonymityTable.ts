/**
 * k-anonymity for a two-way table (merchants × months) published cell by cell while its margins
 * (each merchant's total, each month's total) are known from other figures. Hiding the small cells
 * is not enough: a row total minus its shown cells gives the row's hidden cells, a column total
 * gives the column's, and rows and columns combine (row m minus column t, plus row m'…), so a chain
 * of hidden cells can end in one small cell standing alone.
 *
 * The rule kept here, as in kAnonymity.ts: every sum of hidden cells that can be derived from the
 * shown cells and the margins either holds a cell of k people or more, or is the whole of a row (or
 * column) all of whose cells are hidden, which is that margin itself and no news.
 *
 * How sums are found: hidden cells are the edges of a bipartite graph between rows and columns.
 * Adding row equations with weight a(row) and subtracting column equations with weight b(col) weighs
 * cell (row, col) by a − b, so a 0/1 sum of hidden cells is derivable when some a, b give every
 * hidden cell 0 or 1. Split by levels, every such sum is a disjoint union of sums where a and b are
 * 0 or 1: those are the hidden cells touching no vertex of some independent set I (I = rows with
 * a = 0 and columns with b = 1; no hidden cell may join two of them). So a small cell e can be
 * isolated exactly when an independent set avoiding e's row and column touches every large cell: a
 * 2-SAT problem, solved per small cell. (Sums with negative weights, differences, are not counted,
 * as elsewhere in the house rule.)
 *
 * A total that no other figure publishes (a small one is suppressed where it would be) is not an
 * equation here; but the grand total still links such lines: rows of unknown total all take
 * one weight, and columns of unknown total another (the same one when the grand total is unknown
 * too), which splits each check into at most four 2-SAT problems.
 */

/**
 * Which totals of figure f can be known from what is published elsewhere: each row's, each
 * column's, the whole table's. A total no other figure reveals is not an equation here.
 */
export interface TableMargins {
  rowKnown(row: string, f: number): boolean;
  colKnown(col: string, f: number): boolean;
  totalKnown(f: number): boolean;
}

/** Totals known when they cover k people or more (`people[f]`; null: nothing there, known to be 0). */
export function marginsByPeople(
  rows: ReadonlyMap<string, readonly (number | null)[]>,
  cols: ReadonlyMap<string, readonly (number | null)[]>,
  total: readonly (number | null)[],
  k: number,
): TableMargins {
  const known = (people: readonly (number | null)[] | undefined, f: number) => {
    const n = people?.[f];
    return n === undefined || n === null || n >= k;
  };
  return { rowKnown: (row, f) => known(rows.get(row), f), colKnown: (col, f) => known(cols.get(col), f), totalKnown: (f) => known(total, f) };
}

export interface TableCell {
  key: string;
  row: string;
  col: string;
  /** Per figure (issued, redeemed…): distinct people behind it, or null when the cell has no part in it. */
  people: readonly (number | null)[];
  /** Never shown (a month still open): hidden from the start and protected like any small cell. */
  hidden?: boolean;
}

/** Rectangles tried per step (the cheapest first), which bounds a step's work on a large table. */
const MAX_RECTANGLES = 64;

const small = (c: TableCell, f: number, k: number) => c.people[f] !== null && c.people[f]! < k;
const large = (c: TableCell, f: number, k: number) => c.people[f] !== null && c.people[f]! >= k;

/** 2-SAT: literals 2v (v true) and 2v+1 (v false); each clause is (a ∨ b). Kosaraju's SCC. */
export function satisfiable(variables: number, clauses: readonly (readonly [number, number])[]): boolean {
  const n = variables * 2;
  const out: number[][] = Array.from({ length: n }, () => []);
  const back: number[][] = Array.from({ length: n }, () => []);
  for (const [a, b] of clauses) {
    out[a ^ 1]!.push(b);
    out[b ^ 1]!.push(a);
    back[b]!.push(a ^ 1);
    back[a]!.push(b ^ 1);
  }
  const order: number[] = [];
  const seen = new Uint8Array(n);
  for (let s = 0; s < n; s++) {
    if (seen[s]) continue;
    const stack: [number, number][] = [[s, 0]];
    seen[s] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const next = out[top[0]]![top[1]++];
      if (next === undefined) {
        order.push(top[0]);
        stack.pop();
      } else if (!seen[next]) {
        seen[next] = 1;
        stack.push([next, 0]);
      }
    }
  }
  const comp = new Int32Array(n).fill(-1);
  let c = 0;
  for (let i = n - 1; i >= 0; i--) {
    const s = order[i]!;
    if (comp[s] !== -1) continue;
    const stack = [s];
    comp[s] = c;
    while (stack.length > 0) {
      for (const prev of back[stack.pop()!]!) {
        if (comp[prev] === -1) {
          comp[prev] = c;
          stack.push(prev);
        }
      }
    }
    c++;
  }
  for (let v = 0; v < variables; v++) if (comp[2 * v] === comp[2 * v + 1]) return false;
  return true;
}

/** Lines whose total is unknown share one weight per kind (rows, columns) in any derivation. */
interface Variant {
  unknownRowsInI?: boolean;
  unknownColsInI?: boolean;
}

class Table {
  readonly ids = new Map<string, number>();
  readonly byRow = new Map<string, TableCell[]>();
  readonly byCol = new Map<string, TableCell[]>();
  constructor(
    readonly cells: readonly TableCell[],
    readonly k: number,
    readonly margins: TableMargins | undefined,
  ) {
    for (const cell of cells) {
      for (const node of [`r:${cell.row}`, `c:${cell.col}`]) if (!this.ids.has(node)) this.ids.set(node, this.ids.size);
      this.byRow.set(cell.row, [...(this.byRow.get(cell.row) ?? []), cell]);
      this.byCol.set(cell.col, [...(this.byCol.get(cell.col) ?? []), cell]);
    }
  }
  private yes = (node: string) => 2 * this.ids.get(node)!;
  private no = (node: string) => 2 * this.ids.get(node)! + 1;

  private rowKnown = (row: string, f: number) => this.margins?.rowKnown(row, f) ?? true;
  private colKnown = (col: string, f: number) => this.margins?.colKnown(col, f) ?? true;

  /**
   * The ways lines of unknown total can sit in a derivation (see the module comment): all their
   * weights equal per kind, so in each 0/1 piece all unknown rows are in I or all out, and so are
   * all unknown columns; without the grand total the two kinds move together.
   */
  private variants(f: number): Variant[] {
    const rows = [...this.byRow.keys()].some((row) => !this.rowKnown(row, f));
    const cols = [...this.byCol.keys()].some((col) => !this.colKnown(col, f));
    if (!rows && !cols) return [{}];
    const totalKnown = this.margins?.totalKnown(f) ?? true;
    const both = [true, false].flatMap((r) => [true, false].map((c) => ({ unknownRowsInI: r, unknownColsInI: c })));
    const tied = [{ unknownRowsInI: true, unknownColsInI: false }, { unknownRowsInI: false, unknownColsInI: true }];
    return (totalKnown ? both : tied).map((v) => ({ ...(rows ? { unknownRowsInI: v.unknownRowsInI } : {}), ...(cols ? { unknownColsInI: v.unknownColsInI } : {}) }));
  }

  private variantClauses(v: Variant, f: number): [number, number][] {
    const units: [number, number][] = [];
    const unit = (lit: number) => units.push([lit, lit]);
    if (v.unknownRowsInI !== undefined) {
      for (const row of this.byRow.keys()) if (!this.rowKnown(row, f)) unit(v.unknownRowsInI ? this.yes(`r:${row}`) : this.no(`r:${row}`));
    }
    if (v.unknownColsInI !== undefined) {
      for (const col of this.byCol.keys()) if (!this.colKnown(col, f)) unit(v.unknownColsInI ? this.yes(`c:${col}`) : this.no(`c:${col}`));
    }
    return units;
  }

  /**
   * Whether some derivable sum of hidden cells holds `e` (small in figure f) and no large cell, other
   * than a whole fully-hidden row or column of e's whose total is known anyway.
   */
  exposed(e: TableCell, f: number, hidden: ReadonlySet<string>): boolean {
    const clauses: [number, number][] = [];
    for (const h of this.cells) {
      if (!hidden.has(h.key)) continue;
      clauses.push([this.no(`r:${h.row}`), this.no(`c:${h.col}`)]);
      if (large(h, f, this.k)) clauses.push([this.yes(`r:${h.row}`), this.yes(`c:${h.col}`)]);
    }
    clauses.push([this.no(`r:${e.row}`), this.no(`r:${e.row}`)], [this.no(`c:${e.col}`), this.no(`c:${e.col}`)]);
    const variants = this.variants(f)
      .map((v) => [...clauses, ...this.variantClauses(v, f)])
      .filter((base) => satisfiable(this.ids.size, base));
    if (variants.length === 0) return false;
    // A sum holding all of a fully hidden row (column) of e's is that row's known total, no news: it
    // must leave out at least one other cell of it, i.e. touch that cell's column (row).
    const others = (line: TableCell[]) => line.filter((h) => h !== e);
    const row = this.byRow.get(e.row)!;
    const col = this.byCol.get(e.col)!;
    const wholeRow = this.rowKnown(e.row, f) && row.every((h) => hidden.has(h.key));
    const wholeCol = this.colKnown(e.col, f) && col.every((h) => hidden.has(h.key));
    const rowAlts = wholeRow ? others(row).map((h) => this.yes(`c:${h.col}`)) : [null];
    const colAlts = wholeCol ? others(col).map((h) => this.yes(`r:${h.row}`)) : [null];
    for (const base of variants) {
      for (const ra of rowAlts) {
        for (const ca of colAlts) {
          const extra: [number, number][] = [];
          if (ra !== null) extra.push([ra, ra]);
          if (ca !== null) extra.push([ca, ca]);
          if (satisfiable(this.ids.size, [...base, ...extra])) return true;
        }
      }
    }
    return false;
  }

  firstExposed(hidden: ReadonlySet<string>): [TableCell, number] | null {
    for (const e of this.cells) {
      if (!hidden.has(e.key)) continue;
      for (let f = 0; f < e.people.length; f++) if (small(e, f, this.k) && this.exposed(e, f, hidden)) return [e, f];
    }
    return null;
  }

  /**
   * What to hide next to protect e in figure f: one cell of its row or column (the smallest large
   * one that works), else the rest of a rectangle through e, else a whole column crossing its row,
   * else a whole row crossing its column; the first that leaves e unexposed, or, if none does, the
   * first candidate (progress).
   */
  nextToHide(e: TableCell, f: number, hidden: ReadonlySet<string>): string[] {
    const shown = (line: TableCell[]) => line.filter((h) => !hidden.has(h.key));
    const size = (h: TableCell) => h.people[f] ?? Number.MAX_SAFE_INTEGER;
    const singles = [...shown(this.byRow.get(e.row)!), ...shown(this.byCol.get(e.col)!)]
      .sort((a, b) => Number(large(b, f, this.k)) - Number(large(a, f, this.k)) || size(a) - size(b) || (a.key < b.key ? -1 : 1))
      .map((h) => [h.key]);
    // Whole lines: the fewest cells, then the fewest people in them, then by key.
    const lines = (crossing: TableCell[], along: Map<string, TableCell[]>, lineOf: (h: TableCell) => string, own: string) =>
      [...new Set(crossing.map(lineOf))]
        .filter((line) => line !== own)
        .map((line) => shown(along.get(line)!))
        .filter((line) => line.length > 0)
        .map((line) => ({ keys: line.map((h) => h.key), people: line.reduce((sum, h) => sum + (h.people[f] ?? 0), 0) }))
        .sort((a, b) => a.keys.length - b.keys.length || a.people - b.people || (a.keys[0]! < b.keys[0]! ? -1 : 1))
        .map((line) => line.keys);
    // Rectangles: e with one cell of its row, one of its column and the cell where those two cross.
    const at = new Map(this.cells.map((h) => [`${h.row}\u0000${h.col}`, h]));
    const rectangles = this.byRow
      .get(e.row)!
      .filter((h) => h !== e)
      .flatMap((inRow) =>
        this.byCol
          .get(e.col)!
          .filter((h) => h !== e)
          .map((inCol) => [inRow, inCol, at.get(`${inCol.row}\u0000${inRow.col}`)]),
      )
      .filter((corners): corners is TableCell[] => corners.every((h) => h !== undefined))
      .map((corners) => corners.filter((h) => !hidden.has(h.key)))
      .filter((corners) => corners.length > 1)
      .map((corners) => ({ keys: corners.map((h) => h.key), people: corners.reduce((sum, h) => sum + size(h), 0) }))
      .sort((a, b) => a.keys.length - b.keys.length || a.people - b.people || (a.keys.join() < b.keys.join() ? -1 : 1))
      .slice(0, MAX_RECTANGLES)
      .map((r) => r.keys);
    const candidates = [
      ...singles,
      ...rectangles,
      ...lines(this.byRow.get(e.row)!, this.byCol, (h) => h.col, e.col),
      ...lines(this.byCol.get(e.col)!, this.byRow, (h) => h.row, e.row),
    ];
    const works = candidates.find((keys) => !this.exposed(e, f, new Set([...hidden, ...keys])));
    if (works) return works;
    if (candidates[0]) return candidates[0];
    const anyShown = this.cells.find((h) => !hidden.has(h.key));
    return anyShown ? [anyShown.key] : [];
  }
}

/**
 * Which cells of a two-way table to hide: those with a figure behind fewer than k people (and any
 * marked hidden), then more, one step at a time, until no derivable sum isolates small cells (see
 * above). Without `margins`, every total is taken as known. Every step hides at least one more cell, so this ends; at worst everything is hidden.
 * Cells are taken in key order, so the outcome is deterministic.
 */
export function suppressTable(cells: readonly TableCell[], k: number, margins?: TableMargins): Set<string> {
  const sorted = [...cells].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const table = new Table(sorted, k, margins);
  const hidden = new Set(sorted.filter((c) => c.hidden || c.people.some((_, f) => small(c, f, k))).map((c) => c.key));
  for (let step = 0; step <= sorted.length; step++) {
    const found = table.firstExposed(hidden);
    if (!found) break;
    const more = table.nextToHide(found[0], found[1], hidden);
    if (more.length === 0) break;
    for (const key of more) hidden.add(key);
  }
  return hidden;
}
