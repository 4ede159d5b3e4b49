/** The dashboard's one request: the trusted document gateway/documents/dashboard/Analytics.graphql, by id. */

// Replaced at bundle time (gateway/src/plugins/useDashboard.ts) with the document's manifest id.
declare const ANALYTICS_DOCUMENT_ID: string;

export interface Figures {
  suppressed: boolean;
  members: number | null;
  points: number | null;
}
export interface MerchantRow extends Figures {
  merchant: { id: string; name: string | null } | null;
  category: string | null;
}
export interface FlowReport {
  transactionType: string;
  asset: 'POINTS' | 'GREEN_POINTS';
  total: Figures & { transactions: number | null };
  byMerchant: MerchantRow[];
  byCategory: (Figures & { category: string | null })[];
  byMonth: (Figures & { month: string })[];
}
export interface ImpactFigures {
  suppressed: boolean;
  members: number | null;
  co2eGrams: number | null;
  waterLitres: number | null;
  plasticGrams: number | null;
  greenPoints: number | null;
}
export interface Analytics {
  asOf: string;
  minGroupSize: number;
  issuance: FlowReport;
  refunds: FlowReport;
  redemption: FlowReport;
  cancellations: FlowReport;
  breakage: FlowReport;
  greenIssuance: FlowReport;
  greenActivities: FlowReport;
  outstanding: { asset: string; suppressed: boolean; members: number | null; points: number | null }[];
  membersByTier: { suppressed: boolean; activeMembers: number | null; byTier: { tier: string; suppressed: boolean; members: number | null }[] };
  budgets: {
    merchant: { id: string; name: string | null };
    asset: string;
    funded: number;
    suppressed: boolean;
    used: number | null;
    remaining: number | null;
    usedShare: number | null;
  }[];
  settlementPositions: { month: string; merchant: { id: string; name: string | null }; suppressed: boolean; netPoints: number | null }[];
  greenImpact: {
    minGroupSize: number;
    total: ImpactFigures & { records: number | null };
    byCategory: (ImpactFigures & { category: string })[];
    byMonth: (ImpactFigures & { month: string })[];
  } | null;
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/**
 * Fetches the aggregates as the signed-in analyst. Same origin, JSON, with the CSRF header the
 * gateway asks browsers for; the token travels only in the Authorization header.
 */
export async function fetchAnalytics(token: string): Promise<Analytics> {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      'x-graphql-csrf': 'dashboard',
      authorization: `Bearer ${token}`,
    },
    body: JSON.stringify({ documentId: ANALYTICS_DOCUMENT_ID }),
  });
  const body = (await response.json().catch(() => ({}))) as {
    data?: { analytics: Analytics | null } | null;
    errors?: { message: string; extensions?: { code?: string } }[];
  };
  const analytics = body.data?.analytics;
  if (!analytics) {
    const first = body.errors?.[0];
    throw new ApiError(first?.message ?? `HTTP ${response.status}`, first?.extensions?.code ?? `HTTP_${response.status}`);
  }
  return analytics;
}
