import { DEFAULT_POINTS_VALID_DAYS } from './earnRules.ts';

/** The figures of the rules in force that the disclosure states. */
export interface TermsInForce {
  /** The longest return window among the rules in force at active merchants. */
  maxPendingDays: number;
  /** The shortest and longest expiry terms among them; null when no rule is in force yet. */
  minValidDays: number | null;
  maxValidDays: number | null;
}

function expiryText(min: number, max: number): string {
  const term = min === max ? `${min} days` : `between ${min} and ${max} days, by the merchant's earn rule in force when they were earned,`;
  return `Points expire ${term} after they are earned. The date is shown when they are earned and is never shortened, even when a merchant later publishes a shorter term; the points that expire first are spent first.`;
}

/**
 * The programme's rules as disclosed to members, from the rules in force. test/e2e/earnRules.e2e.ts
 * checks that a lot the ledger writes expires exactly when the merchant's rule says.
 */
export function programRules(terms: TermsInForce) {
  const minValid = terms.minValidDays ?? DEFAULT_POINTS_VALID_DAYS;
  const maxValid = terms.maxValidDays ?? DEFAULT_POINTS_VALID_DAYS;
  return {
    earning:
      "Points are earned only from a real purchase at a member merchant or a verified green action. A purchase earns by the merchant's earn rule in force at the time of purchase: points per yuan paid (a rule may set another rate for some product categories), times your tier's multiplier, times any promotion you are eligible for (listed with the rules, each with its window, who it is for and its budget of bonus points; stackable ones multiply together, others apply alone, at most twentyfold in all), up to the rule's per-order cap; green products and green actions earn green points. Every rule version and every promotion is published before it takes effect.",
    pending: `Points earned from a purchase stay pending for the merchant's return window (at most ${terms.maxPendingDays} days today), then become spendable. A refund inside the window takes them back.`,
    expiry: expiryText(minValid, maxValid),
    redemption:
      "Points are redeemed for any reward in the catalogue, goods and services alike, at any member merchant, at the cost shown (the sale cost inside its window). The terms are shown before you redeem; a cancelled redemption returns the points.",
    neverAllowed: [
      'Exchanging points for cash.',
      'Transferring points to anyone outside your household.',
      'Interest on points, or points that grow in value.',
      'Points issued without a real purchase or a verified green action.',
    ],
    pointsValidDays: minValid,
    maxPointsValidDays: maxValid,
    maxPendingDays: terms.maxPendingDays,
    cashOut: false,
    transferOutsideHousehold: false,
    interest: false,
  };
}
