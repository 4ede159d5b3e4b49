import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import type { Logger } from '@greenpoints/common';
import { GraphQLError, type ExecutionResult } from 'graphql';
import type { SecuritySettings } from '../config.ts';
import type { QuotaStore } from '../limits/quotaStore.ts';
import { principalOf } from './useJwtPrincipal.ts';
import { operationCostOf } from './useOperationLimits.ts';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

interface Spent {
  cost: number;
  remainingPerMinute: number;
  remainingPerDay: number;
}

/**
 * Partner quotas: a budget of cost units per partner per minute and per day, charged with each
 * operation's estimated cost (from @cost / @listSize, see limits/analyzeOperation.ts) rather than
 * counted in requests, so one catalogue sync of 100 rewards weighs what it costs. Budgets are per
 * partner (PARTNER_QUOTAS) with defaults, shared by every gateway replica through Redis. Past a
 * budget: 429 with Retry-After; within it, every answer tells the partner what is left.
 */
export function usePartnerQuota(store: QuotaStore, quotas: SecuritySettings['partnerQuotas'], logger: Logger): GatewayPlugin {
  const spentBy = new WeakMap<Request, Spent>();
  return {
    async onExecute({ args }) {
      const request = (args.contextValue as { request?: Request }).request;
      const principal = principalOf(request);
      if (principal.role !== 'partner' || !request || !principal.partnerId) return;
      const quota = quotas.byPartner[principal.partnerId] ?? quotas.default;
      const cost = Math.max(1, Math.ceil(operationCostOf(request) ?? 1));
      const id = principal.partnerId;
      let charge;
      try {
        charge = await store.charge([{ key: `partner:${id}:minute`, max: quota.perMinute, windowMs: MINUTE_MS }, { key: `partner:${id}:day`, max: quota.perDay, windowMs: DAY_MS }], cost);
      } catch (err) {
        logger.warn({ err }, 'quota store unavailable; partner request served without charging');
        return;
      }
      const [remainingPerMinute = 0, remainingPerDay = 0] = charge.remaining;
      if (!charge.ok) {
        const retryAfterSeconds = Math.max(1, Math.ceil(charge.retryAfterMs / 1000));
        throw new GraphQLError(`Quota exceeded: this operation costs ${cost}`, {
          extensions: { code: 'QUOTA_EXCEEDED', cost, remainingPerMinute, remainingPerDay, retryAfterSeconds, http: { status: 429, headers: { 'retry-after': String(retryAfterSeconds) } } },
        });
      }
      spentBy.set(request, { cost, remainingPerMinute, remainingPerDay });
    },
    onResultProcess({ request, result, setResult }) {
      const spent = spentBy.get(request);
      if (!spent || Array.isArray(result) || Symbol.asyncIterator in (result as object)) return;
      const r = result as ExecutionResult;
      setResult({ ...r, extensions: { ...r.extensions, quota: spent } });
    },
  };
}
