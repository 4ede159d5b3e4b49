import { hasCursorShape, isCleanText, isInt32, isUuid } from '@greenpoints/common';
import { merchantsError } from '../errors.ts';

/**
 * Client values checked before they reach SQL: a value Postgres would reject (a non-UUID id, an
 * integer beyond `integer`, text with NUL) is the client's mistake, so BAD_USER_INPUT, never a
 * failed query. Cursors are opaque but not trusted: anyone can forge one.
 */
export const MAX_SKU_LENGTH = 64;
const MAX_SEARCH_LENGTH = 100;

const isUuidValue = (v: unknown): v is string => typeof v === 'string' && isUuid(v);

export const isIdCursor = (v: unknown): v is { id: string } => hasCursorShape(v, ['id']) && isUuidValue(v['id']);
export const isCostCursor = (v: unknown): v is { cost: number; id: string } =>
  hasCursorShape(v, ['cost', 'id']) && isInt32(v['cost']) && isUuidValue(v['id']);
/** A NEWEST cursor: created_at as the ISO text with microseconds we issue, and the id. */
const ISO_MICROS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
export const isNewestCursor = (v: unknown): v is { at: string; id: string } =>
  hasCursorShape(v, ['at', 'id']) &&
  typeof v['at'] === 'string' &&
  ISO_MICROS.test(v['at']) &&
  !Number.isNaN(Date.parse(v['at'])) &&
  isUuidValue(v['id']);
export const isPopularityCursor = (v: unknown): v is { redemptions: number; id: string } =>
  hasCursorShape(v, ['redemptions', 'id']) && isInt32(v['redemptions']) && isUuidValue(v['id']);
export const isSkuCursor = (v: unknown): v is { sku: string } =>
  hasCursorShape(v, ['sku']) && typeof v['sku'] === 'string' && isCleanText(v['sku'], MAX_SKU_LENGTH);

export interface CatalogFilterInput {
  merchantId?: string | null;
  merchantCategory?: string | null;
  kind?: string | null;
  maxPointsCost?: number | null;
  inStockOnly?: boolean | null;
  search?: string | null;
  affordableForMe?: boolean | null;
}

/** The catalogue filter as the repository takes it, each field checked. */
export function catalogFilter(f: CatalogFilterInput | null | undefined) {
  const filter = f ?? {};
  if (filter.merchantId != null && !isUuid(filter.merchantId)) {
    throw merchantsError('BAD_USER_INPUT', 'filter.merchantId is not a merchant id', { argument: 'filter.merchantId' });
  }
  if (filter.search != null && !isCleanText(filter.search, MAX_SEARCH_LENGTH)) {
    throw merchantsError('BAD_USER_INPUT', `filter.search must be at most ${MAX_SEARCH_LENGTH} characters of valid text`, { argument: 'filter.search' });
  }
  return {
    merchantId: filter.merchantId ?? undefined,
    merchantCategory: filter.merchantCategory ?? undefined,
    kind: filter.kind ?? undefined,
    maxPointsCost: filter.maxPointsCost ?? undefined,
    inStockOnly: filter.inStockOnly ?? true,
    search: filter.search ?? undefined,
    affordableForMe: filter.affordableForMe ?? false,
  };
}
