import { sha256 } from '../../sha256';
import type { Application } from '../../config/schemas';
import type { IdmAttributes } from '../../store/idm-model';
import type { CompiledSchemaMapping } from '../compiled-application';

/** Raised when a release changes what an inbound mapping computes or what the basis covers: every basis is then stale. */
export const MAPPING_BASIS_VERSION = 1;

/** The context names whose values the basis covers; a rule reading any other name (IDM_OBJECT, SITUATION...) has none. */
const COVERED: ReadonlySet<string> = new Set(['ACCOUNT', 'VALUE', 'OBJECT_TYPE']);

/** What the basis of an account's inbound mapping is made of, beside the mapping itself. */
export interface MappingInputs {
  app: Application;
  objectType: string;
  objectClassId: string;
  shadowKind: string;
  account: Record<string, unknown>;
}

const configurations = new WeakMap<Application, string>();
const coverage = new WeakMap<CompiledSchemaMapping, boolean>();

/**
 * The basis of an account's inbound mapping (the shadow's `mappedBasis`): a hash of everything the mapping's result
 * depends on (the application's configuration, the account's object type and attributes) and of the values the
 * mapped IDM attributes have in the object. SYNCHRONIZE_IDM_OBJECT records it after it mapped the account without
 * reading the clock or randomness, from the object as the mapping left it; a later run that finds the same basis
 * knows the mapping would give the same values and the object holds them already, so it skips the rules (in a
 * reconciliation of unchanged accounts they were a fifth of the worker's time: docs/decisions.md, "The inbound
 * mapping basis"). Any change of the account, of the configuration or of a mapped attribute of the object (by
 * anyone) changes the basis, and the account is mapped again. Undefined when a rule of the mapping reads a name the
 * basis does not cover (its result could change with nothing here changing).
 */
export function mappingBasis(mapping: CompiledSchemaMapping | undefined, inputs: MappingInputs, object: IdmAttributes): string | undefined {
  if (!mapping || !covered(mapping)) return undefined;
  const mapped = mapping.inbound.filter((m) => m.def.simple || m.rule).map((m) => object[m.def.idmAttributeId] ?? null);
  const text = JSON.stringify([MAPPING_BASIS_VERSION, configuration(inputs.app), inputs.objectType, inputs.objectClassId, inputs.shadowKind, inputs.account, mapped]);
  return sha256(text, 'base64url').slice(0, 22);
}

function covered(mapping: CompiledSchemaMapping): boolean {
  let c = coverage.get(mapping);
  if (c === undefined) {
    c = mapping.inbound.every((m) => !m.rule || [...m.rule.contextNames].every((n) => COVERED.has(n)));
    coverage.set(mapping, c);
  }
  return c;
}

/** One hash of the whole application per compiled application: any change of its configuration makes every basis stale. */
function configuration(app: Application): string {
  let h = configurations.get(app);
  if (h === undefined) {
    h = sha256(JSON.stringify(app), 'base64url');
    configurations.set(app, h);
  }
  return h;
}
