// Proves an order never earns more green points than the cap, and lines keep theirs in order.
import { describe, expect, it } from 'vitest';
import { capGreenPoints } from './greenCap.ts';

describe('capGreenPoints', () => {
  it('keeps orders under the cap unchanged', () => {
    expect(capGreenPoints([{ greenPoints: 10 }, { greenPoints: 5 }], 100)).toEqual({ lines: [{ greenPoints: 10 }, { greenPoints: 5 }], greenPoints: 15 });
  });
  it('cuts the lines beyond the cap, first lines first', () => {
    expect(capGreenPoints([{ greenPoints: 60 }, { greenPoints: 60 }, { greenPoints: 10 }], 100)).toEqual({
      lines: [{ greenPoints: 60 }, { greenPoints: 40 }, { greenPoints: 0 }],
      greenPoints: 100,
    });
  });
});
