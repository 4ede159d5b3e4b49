import { Kind, parse, type ConstDirectiveNode, type ConstValueNode, type TypeNode } from 'graphql';

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

const namedType = (type: TypeNode): string => (type.kind === Kind.NAMED_TYPE ? type.name.value : namedType(type.type));

/**
 * Reads @cost and @listSize from the composed supergraph, so the subgraph that owns a field says
 * what it costs and the gateway enforces it (Apollo's demand-control directives, federation v2.9).
 * A `sizedFields` list (a connection's `edges`) is already counted by the connection's size, so
 * those fields are recorded as lists of one rather than multiplied a second time.
 */
export function costModelFromSupergraph(supergraphSdl: string): CostModel {
  const model: CostModel = new Map();
  const sized: string[] = [];
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
          const fields = arg(d, 'sizedFields');
          if (fields?.kind === Kind.LIST) {
            for (const v of fields.values) if (v.kind === Kind.STRING) sized.push(`${namedType(field.type)}.${v.value}`);
          }
          const slicing = arg(d, 'slicingArguments');
          if (slicing?.kind === Kind.LIST) {
            entry.slicingArguments = slicing.values.flatMap((v) => (v.kind === Kind.STRING ? [v.value] : []));
          }
        }
      }
      if (Object.keys(entry).length > 0) model.set(`${def.name.value}.${field.name.value}`, entry);
    }
  }
  for (const coordinate of sized) model.set(coordinate, { ...model.get(coordinate), assumedSize: 1 });
  return model;
}
