import type { IdmAttributes, IdmValue } from '../../store/idm-model';
import { valuesOf } from '../../store/idm-model';
import type { ScriptContext, ScriptValue } from '../../scripting/types';
import type { CompiledSchemaMapping } from '../compiled-application';
import { AppError } from '../../errors';
import { mappedValues } from '../mapped-values';

const IDM_ATTRIBUTE_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,127}$/;

/** A script or column result as an IDM value: null / [] = no value, one value = scalar, several = list. */
export function toIdmValue(v: ScriptValue | unknown): IdmValue {
  const flat = valuesOf(v).filter((x) => ['string', 'number', 'boolean'].includes(typeof x));
  if (flat.length === 0) return null;
  return flat.length === 1 ? flat[0]! : flat;
}

/**
 * Inbound mappings (SPEC.md §3.2): simple = the account attribute, its compute rule applied to each value;
 * custom = the compute rule's result. Returns the mapped IDM attributes (null = the attribute has no value).
 */
export async function mapInbound(mapping: CompiledSchemaMapping | undefined, ctx: ScriptContext): Promise<IdmAttributes> {
  const out: IdmAttributes = {};
  for (const { def, rule } of mapping?.inbound ?? []) {
    if (!IDM_ATTRIBUTE_NAME.test(def.idmAttributeId))
      throw new AppError('CONFIGURATION_ERROR', `Invalid IDM attribute name ${JSON.stringify(def.idmAttributeId)} in an inbound mapping`, { idmAttributeId: def.idmAttributeId });
    if (!def.simple && !rule) continue;
    const source = def.simple ? valuesOf(ctx.ACCOUNT?.[def.simple.applicationAttributeId]) : null;
    out[def.idmAttributeId] = toIdmValue(await mappedValues(source, rule, ctx));
  }
  return out;
}

const same = (a: IdmValue | undefined, b: IdmValue | undefined): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The attributes of `current` after `mapped` is applied, and whether anything changed (only changes are written). */
export function mergeAttributes(current: IdmAttributes, mapped: IdmAttributes): { attributes: IdmAttributes; changed: boolean } {
  const attributes = { ...current };
  let changed = false;
  for (const [k, v] of Object.entries(mapped)) {
    if (same(current[k], v)) continue;
    changed = true;
    if (v === null) delete attributes[k];
    else attributes[k] = v;
  }
  return { attributes, changed };
}
