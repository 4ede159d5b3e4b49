import { SUBGRAPH_HEADER } from '@greenpoints/common';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { GraphQLError } from 'graphql';

type Fetch = (url: string, init: RequestInit, context?: unknown, info?: unknown) => Promise<Response> | Response;

/** What a call past its time becomes: the HTTP executor passes a GraphQLError through as it is. */
const timedOut = (ms: number) => new GraphQLError(`The operation was aborted due to timeout (${ms} ms)`, { extensions: { code: 'TIMEOUT_ERROR', http: { status: 504 } } });
const TIMEOUT = Symbol('upstream timeout');

/**
 * A time limit on every subgraph call, from sending the request to the last byte of the answer,
 * per subgraph (`UPSTREAM_TIMEOUT_MS`, `UPSTREAM_TIMEOUT_MS_<SUBGRAPH>`); past it the call is
 * aborted and the client reads SUBGRAPH_TIMEOUT naming the subgraph (errors/maskError.ts).
 *
 * Why not the HTTP transport's `timeout` option, or the runtime's `upstreamTimeout`: both join a
 * new `AbortSignal.timeout` with the executor's long-lived dispose signal through
 * `abortSignalAny`, which adds a listener to that one signal for every call and removes it only
 * when the garbage collector has finalized the joined signal. Between collections the list grows
 * by one per call (a single connection passes Node's 64-listener warning within a second), and
 * adding a listener walks the whole list: the cost of a call grew with the calls before it. Here
 * each call has its own controller and timer, both dropped when the answer has been read, and the
 * runtime's dispose aborts the calls still in flight.
 */
export function useUpstreamTimeout(timeoutMs: Record<string, number>): GatewayPlugin {
  const inFlight = new Set<AbortController>();
  // A subgraph the settings do not name (none today) gets the longest limit they give.
  const fallbackMs = Math.max(1, ...Object.values(timeoutMs));

  function timed(fetchFn: Fetch, ms: number): Fetch {
    return async (url, init, context, info) => {
      const controller = new AbortController();
      const timer = setTimeout(() => {
        inFlight.delete(controller);
        controller.abort(TIMEOUT);
      }, ms);
      inFlight.add(controller);
      const done = () => {
        clearTimeout(timer);
        inFlight.delete(controller);
      };
      const failed = (error: unknown): never => {
        done();
        throw controller.signal.reason === TIMEOUT ? timedOut(ms) : error;
      };
      try {
        const response = await fetchFn(url, { ...init, signal: controller.signal }, context, info);
        // The limit covers the body too: the executor reads it with text(), and only then is the call done.
        const text = response.text.bind(response);
        response.text = () => text().then((body) => (done(), body), failed);
        return response;
      } catch (error) {
        return failed(error);
      }
    };
  }

  return {
    onFetch({ options, fetchFn, setFetchFn }) {
      const headers = options.headers as Record<string, string> | Headers | undefined;
      const subgraph = headers instanceof Headers ? headers.get(SUBGRAPH_HEADER) : headers?.[SUBGRAPH_HEADER];
      // Only subgraph calls carry the header (useSubgraphSigning puts it there).
      if (!subgraph) return;
      setFetchFn(timed(fetchFn as Fetch, timeoutMs[subgraph] ?? fallbackMs) as typeof fetchFn);
    },
    onDispose() {
      for (const controller of inFlight) controller.abort(new Error('The gateway is shutting down'));
      inFlight.clear();
    },
  };
}
