import { Kind, parse, type ConstDirectiveNode, type ConstValueNode } from 'graphql';

/** Per field (`Type.field`): its @cost weight and @listSize, as written in the subgraphs' SDL. */
export interface FieldCost {
  weight?: number;
  assumedSize?: number;
  slicingArguments?: string[];
}
export type CostModel = Map<string, FieldCost>;

function arg(directive: ConstDirectiveNode, name: string): ConstValueNode | undefined {
  return directive.arguments?.find((a) => a.name.value === name)?.value;
}

/**
 * Reads @cost and @listSize from the composed supergraph, so the subgraph that owns a field says
 * what it costs and the gateway enforces it (Apollo's demand-control directives, federation v2.9).
 */
export function costModelFromSupergraph(supergraphSdl: string): CostModel {
  const model: CostModel = new Map();
  for (const def of parse(supergraphSdl).definitions) {
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION && def.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    for (const field of def.fields ?? []) {
      const entry: FieldCost = {};
      for (const d of field.directives ?? []) {
        if (d.name.value === 'cost') {
          const w = arg(d, 'weight');
          if (w?.kind === Kind.INT) entry.weight = Number(w.value);
        } else if (d.name.value === 'listSize') {
          const size = arg(d, 'assumedSize');
          if (size?.kind === Kind.INT) entry.assumedSize = Number(size.value);
          const slicing = arg(d, 'slicingArguments');
          if (slicing?.kind === Kind.LIST) {
            entry.slicingArguments = slicing.values.flatMap((v) => (v.kind === Kind.STRING ? [v.value] : []));
          }
        }
      }
      if (Object.keys(entry).length > 0) model.set(`${def.name.value}.${field.name.value}`, entry);
    }
  }
  return model;
}
