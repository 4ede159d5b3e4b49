/** Milliseconds in a day; dates here are UTC instants, so a day is always this long. */
export const DAY_MS = 86_400_000;
