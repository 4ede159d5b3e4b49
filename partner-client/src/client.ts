import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';

/** What a partner's budget has left after an operation (the gateway's `extensions.quota`). */
export interface Quota {
  cost: number;
  remainingPerMinute: number;
  remainingPerDay: number;
}

/** A refusal from the graph, with its `extensions.code` (e.g. QUOTA_EXCEEDED, BAD_USER_INPUT). */
export class PartnerClientError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    /** Seconds to wait before retrying, when the gateway said so (429). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'PartnerClientError';
  }
}

export interface PartnerClientOptions {
  /** The gateway's GraphQL URL, e.g. https://graph.greenpoints.example/graphql. */
  url: string;
  /** The partner's bearer token (role `partner`, with `partner_id`). */
  token: string;
  fetch?: typeof fetch;
  /** Per request; the default suits a sync job. */
  timeoutMs?: number;
}

/**
 * A small typed client: each call takes a document generated from the partner contract, so its
 * variables and result are typed, and a field outside the contract fails at build time.
 */
export function createPartnerClient(options: PartnerClientOptions) {
  const doFetch = options.fetch ?? fetch;
  const printed = new WeakMap<object, string>();
  let lastQuota: Quota | undefined;

  async function request<TResult, TVariables>(document: TypedDocumentNode<TResult, TVariables>, variables: TVariables): Promise<TResult> {
    const query = printed.get(document) ?? print(document);
    printed.set(document, query);
    const res = await doFetch(options.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', authorization: `Bearer ${options.token}` },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
    const body = (await res.json()) as { data?: TResult | null; errors?: { message: string; extensions?: { code?: string } }[]; extensions?: { quota?: Quota } };
    lastQuota = body.extensions?.quota ?? lastQuota;
    const first = body.errors?.[0];
    if (first || !body.data) {
      const retryAfter = res.headers.get('retry-after');
      throw new PartnerClientError(first?.extensions?.code ?? 'UNKNOWN', first?.message ?? `HTTP ${res.status}`, res.status, retryAfter ? Number(retryAfter) : undefined);
    }
    return body.data;
  }

  return {
    request,
    /** The budget left after the last answered operation. */
    quota: () => lastQuota,
  };
}

export type PartnerClient = ReturnType<typeof createPartnerClient>;
