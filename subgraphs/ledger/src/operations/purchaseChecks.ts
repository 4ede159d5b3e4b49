import { DAY_MS, isCleanText, isUuid, type Principal } from '@greenpoints/common';
import type { LineIn } from '../domain/earning.ts';
import { badInput, LedgerError } from '../errors.ts';

/** What recordPurchase takes from a merchant. */
export interface PurchaseInput {
  userId: string;
  merchantId: string;
  amountMinor: number;
  lines?: LineIn[] | null;
  occurredAt?: Date | null;
}

/** The largest single purchase accepted: ¥10,000,000 in fen. Anything above is a typo or an attack. */
const MAX_AMOUNT_MINOR = 1_000_000_000;
const MAX_LINES = 200;

/** Points are earned under published rules; nothing in the alliance predates this. */
const EARLIEST_PURCHASE = new Date('2000-01-01T00:00:00Z');

export function validate(input: PurchaseInput, now: Date): void {
  if (!isUuid(input.userId)) throw badInput('userId', 'userId is not a valid id');
  if (!isUuid(input.merchantId)) throw new LedgerError('UNKNOWN_MERCHANT', 'No such merchant', { field: 'merchantId' });
  if (!Number.isSafeInteger(input.amountMinor) || input.amountMinor <= 0 || input.amountMinor > MAX_AMOUNT_MINOR) {
    throw badInput('amountMinor', `amountMinor must be a whole number of fen between 1 and ${MAX_AMOUNT_MINOR}`);
  }
  const lines = input.lines ?? [];
  if (lines.length > MAX_LINES) throw badInput('lines', `at most ${MAX_LINES} lines`);
  for (const line of lines) {
    if (!line.sku || !isCleanText(line.sku, 64)) throw badInput('lines.sku', 'each line needs a SKU of at most 64 characters of valid text');
    if (!Number.isSafeInteger(line.quantity) || line.quantity <= 0 || line.quantity > 10_000) throw badInput('lines.quantity', 'quantity must be 1–10000');
    if (!Number.isSafeInteger(line.unitPriceMinor) || line.unitPriceMinor < 0) throw badInput('lines.unitPriceMinor', 'unitPriceMinor must be a non-negative integer');
  }
  if (input.occurredAt && input.occurredAt.getTime() > now.getTime() + 60_000) throw badInput('occurredAt', 'occurredAt is in the future');
  if (input.occurredAt && input.occurredAt < EARLIEST_PURCHASE) throw badInput('occurredAt', 'occurredAt is before 2000');
  if (lines.length > 0) {
    const sum = lines.reduce((s, l) => s + l.quantity * l.unitPriceMinor, 0);
    if (sum !== input.amountMinor) {
      throw new LedgerError('LINES_MISMATCH', `The lines add up to ${sum} fen, not the ${input.amountMinor} fen paid`, { field: 'lines' });
    }
  }
}

/**
 * A backdated purchase would earn under an older, perhaps more generous rule. Checked only for a new
 * request, inside the operation: a retry of a purchase recorded in time returns its first result
 * however late it comes.
 */
export function checkWindow(input: PurchaseInput, now: Date, windowDays: number): void {
  if (input.occurredAt && input.occurredAt.getTime() < now.getTime() - windowDays * DAY_MS) {
    throw new LedgerError('PURCHASE_OUT_OF_WINDOW', `A purchase may be recorded at most ${windowDays} days after it happened`, { field: 'occurredAt' });
  }
}

/** Merchants record their own purchases; admins any. Points are only issued from a real purchase. */
export function authorize(principal: Principal, merchantId: string): void {
  if (principal.role === 'admin') return;
  if (principal.role === 'merchant' && principal.merchantId === merchantId) return;
  throw new LedgerError('FORBIDDEN', 'Only the merchant itself may record its purchases');
}

/** What the ledger's read models say about a purchase's parties and lines, read together. */
export interface PurchaseFacts {
  user: { status: string; ageBand: string | null } | undefined;
  merchant: { status: string } | undefined;
  /** Which merchant each of the purchase's SKUs belongs to (read model of ProductListed). */
  owners: ReadonlyMap<string, string>;
}

/**
 * Points go only to a registered, active user at an active merchant, as the ledger's read models
 * (kept from the users and merchants events) know them.
 */
export function checkParties(facts: PurchaseFacts): void {
  const { user, merchant } = facts;
  if (!user || user.status === 'ERASED') throw new LedgerError('UNKNOWN_USER', 'No such user', { field: 'userId' });
  if (user.status !== 'ACTIVE') throw new LedgerError('USER_NOT_ACTIVE', 'The user cannot earn points now', { field: 'userId' });
  if (!merchant) throw new LedgerError('UNKNOWN_MERCHANT', 'No such merchant', { field: 'merchantId' });
  if (merchant.status !== 'ACTIVE') throw new LedgerError('MERCHANT_NOT_ACTIVE', 'The merchant cannot issue points now', { field: 'merchantId' });
}

/** Every line must be one of the merchant's own products. */
export function checkLines(facts: PurchaseFacts, input: PurchaseInput): void {
  const foreign = (input.lines ?? []).find((l) => facts.owners.get(l.sku) !== input.merchantId);
  if (foreign !== undefined) {
    throw new LedgerError('UNKNOWN_PRODUCT', `SKU ${foreign.sku} is not one of this merchant's products`, { field: 'lines.sku' });
  }
}
