import type { Attributes, AttributeValue } from '../connectors/types';
import { valuesOf } from '../store/idm-model';
import type { ScriptContext } from '../scripting/types';
import type { CompiledSchemaMapping } from './compiled-application';
import { mappedValues } from './mapped-values';

function toAccountValue(values: unknown[]): AttributeValue {
  const flat = values.filter((x): x is string | number | boolean => ['string', 'number', 'boolean'].includes(typeof x));
  if (flat.length === 0) return null;
  return flat.length === 1 ? flat[0]! : flat;
}

/**
 * Outbound mappings (SPEC.md §3.2): the account an IDM object should have. Simple = the IDM attribute (its compute
 * rule applied per value); custom = the rule's result. `__NAME__` gives the DN for LDAP (seed: "LDAP Provisioning
 * Considerations"). A null value means "the account must not have this attribute".
 */
export async function computeOutboundAccount(mapping: CompiledSchemaMapping | undefined, ctx: ScriptContext): Promise<Attributes> {
  const out: Attributes = {};
  const idm = ctx.IDM_OBJECT ?? {};
  for (const { def, rule } of mapping?.outbound ?? []) {
    if (!def.simple && !rule) continue;
    const source = def.simple ? valuesOf(idm[def.simple.idmAttributeId]) : null;
    out[def.applicationAttributeId] = toAccountValue(await mappedValues(source, rule, ctx));
  }
  return out;
}
