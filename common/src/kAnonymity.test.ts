// Proves small groups are suppressed, and that no sum derivable from what stays shown covers fewer than k people.
import { describe, expect, it } from 'vitest';
import { crossingIsConnected, suppressNested, suppressPartition } from './kAnonymity.ts';

const sizes = (o: Record<string, number>) => new Map(Object.entries(o));
const nested = (children: Record<string, [number, string]>, parents: Record<string, number>) => ({
  children: new Map(Object.entries(children).map(([key, [size, parent]]) => [key, { size, parent }])),
  parents: sizes(parents),
});

describe('suppressPartition', () => {
  it('shows everything when every group holds k people', () => {
    expect(suppressPartition(sizes({ A: 5, B: 9 }), 5)).toEqual(new Set());
  });
  it('hides a small group and the smallest large one with it', () => {
    expect(suppressPartition(sizes({ A: 2, B: 6, C: 30 }), 5)).toEqual(new Set(['A', 'B']));
  });
  it('needs no second group when a hidden group is large already (forced by a linked figure)', () => {
    expect(suppressPartition(sizes({ A: 2, B: 6, C: 30 }), 5, ['C'])).toEqual(new Set(['A', 'C']));
  });
  it('hides everything when every group is small', () => {
    expect(suppressPartition(sizes({ A: 2, B: 4 }), 5)).toEqual(new Set(['A', 'B']));
  });
  it('breaks ties by key, so the same data gives the same answer', () => {
    expect(suppressPartition(sizes({ Z: 1, B: 7, A: 7 }), 5)).toEqual(new Set(['Z', 'A']));
  });
});

describe('suppressNested', () => {
  it('hides a second child of a shown parent, so parent minus shown children covers k people', () => {
    const r = suppressNested(nested({ m1: [2, 'FRUIT'], m2: [8, 'FRUIT'], m3: [9, 'FRUIT'], m4: [20, 'RAIL'] }, { FRUIT: 19, RAIL: 20 }), 5);
    expect(r).toEqual({ children: new Set(['m1', 'm2']), parents: new Set() });
  });
  it('hides the parent when it has no large child to give, and then a second parent with a large child', () => {
    const r = suppressNested(nested({ m1: [3, 'FRUIT'], m2: [4, 'FRUIT'], m3: [6, 'RAIL'], m4: [30, 'HOTEL'] }, { FRUIT: 7, RAIL: 6, HOTEL: 30 }), 5);
    // FRUIT (7 people) has only small merchants: it is hidden; the hidden parents then need a large
    // hidden child, so RAIL (the smallest parent with one) and m3 are hidden too.
    expect(r).toEqual({ children: new Set(['m1', 'm2', 'm3']), parents: new Set(['FRUIT', 'RAIL']) });
  });
  it('leaves a breakdown without small groups alone', () => {
    expect(suppressNested(nested({ m1: [5, 'A'], m2: [6, 'B'] }, { A: 5, B: 6 }), 5)).toEqual({ children: new Set(), parents: new Set() });
  });
  it('never leaves a derivable remainder without a large hidden child (random breakdowns)', () => {
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31), seed % n);
    for (let round = 0; round < 300; round++) {
      const children: Record<string, [number, string]> = {};
      const parents: Record<string, number> = {};
      const parentCount = 1 + rand(4);
      for (let i = 0; i < 1 + rand(8); i++) {
        const parent = `p${rand(parentCount)}`;
        const size = 1 + rand(12);
        children[`m${i}`] = [size, parent];
        // A parent holds at least as many people as its largest child (people may shop at several).
        parents[parent] = Math.max(parents[parent] ?? 0, size) + rand(3);
      }
      const g = nested(children, parents);
      const r = suppressNested(g, 5);
      const large = (keys: string[]) => keys.some((c) => g.children.get(c)!.size >= 5);
      for (const [parent] of g.parents) {
        const hidden = [...g.children].filter(([c, v]) => v.parent === parent && r.children.has(c)).map(([c]) => c);
        if (!r.parents.has(parent) && hidden.length > 0) expect(large(hidden)).toBe(true);
      }
      const underHidden = [...g.children].filter(([c, v]) => r.parents.has(v.parent) && r.children.has(c)).map(([c]) => c);
      if (r.parents.size > 0 && [...g.parents.keys()].some((p) => !r.parents.has(p))) expect(large(underHidden)).toBe(true);
      for (const [c, v] of g.children) if (v.size < 5) expect(r.children.has(c)).toBe(true);
      for (const [p, n] of g.parents) if (n < 5) expect(r.parents.has(p)).toBe(true);
    }
  });
});

describe('crossingIsConnected', () => {
  it('is connected when every merchant shares a month with the others', () => {
    expect(crossingIsConnected([['m1', '2026-01'], ['m2', '2026-01'], ['m2', '2026-02'], ['m3', '2026-02']])).toBe(true);
  });
  it('finds an island of merchants active only in months no one else was', () => {
    expect(crossingIsConnected([['m1', '2026-01'], ['m2', '2026-02']])).toBe(false);
  });
});
