/** Each subgraph's origin (scheme, host, port): an override, or its URL in the supergraph. */
export function subgraphOrigins(supergraph: string, overrides: Record<string, string> | undefined): Record<string, string> {
  const origins: Record<string, string> = {};
  for (const match of supergraph.matchAll(/join__graph\(name: "([^"]+)", url: "([^"]+)"\)/g)) {
    origins[match[1]!] = new URL(overrides?.[match[1]!] ?? match[2]!).origin;
  }
  return origins;
}
