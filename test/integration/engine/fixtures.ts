import type {
  Application,
  InboundAttributeMapping,
  ObjectSchemaMappingDefinition,
  ObjectSynchronizationDefinition,
  OutboundAttributeMapping,
  SynchronizationActionDecisionDefinition,
} from '../../../src/config/schemas/application';
import { CSV_OBJECT_CLASS_ID, type Situation, type SyncAction } from '../../../src/config/enums';
import { shadowId } from '../../../src/engine/ids';
import type { IdmAttributes } from '../../../src/store/idm-model';
import type { ShadowDoc } from '../../../src/store/shadows';
import type { EngineEnv } from './harness';

/**
 * Configurations of the engine tests. CSV columns: id (__UID__), login (__NAME__), empNo, first, last, type, mail;
 * accounts correlate on empNo = employeeNumber and map to employeeNumber, firstName, lastName.
 */
export const APP_ID = 'hr-test';
export const HEADER = 'id,login,empNo,first,last,type,mail';

export const simpleMapping = (idm: string, column: string, script?: string): InboundAttributeMapping => ({
  idmAttributeId: idm,
  simple: { applicationAttributeId: column, ...(script ? { computeRule: { script } } : {}) },
});

export const BASE_MAPPINGS: InboundAttributeMapping[] = [simpleMapping('employeeNumber', 'empNo'), simpleMapping('firstName', 'first'), simpleMapping('lastName', 'last')];

export interface AppOptions {
  reactions?: Partial<Record<Situation, SyncAction[]>>;
  decision?: SynchronizationActionDecisionDefinition;
  customAction?: string;
  migrationAllowed?: boolean;
  /** replaces the single default object synchronization definition */
  objectSyncs?: ObjectSynchronizationDefinition[];
  /** extra fields of the default object synchronization definition */
  objectSync?: Partial<ObjectSynchronizationDefinition>;
  inbound?: InboundAttributeMapping[];
  outbound?: OutboundAttributeMapping[];
  mappings?: ObjectSchemaMappingDefinition[];
  objectClassId?: string;
}

export function reactionsOf(r: Partial<Record<Situation, SyncAction[]>>): ObjectSynchronizationDefinition['reactionDefinitions'] {
  return Object.entries(r).map(([situation, actions]) => ({ situation: situation as Situation, actions: actions! }));
}

/** The application of the tests: type `partner` when column type is "partner", else `employee`. */
export function testApp(o: AppOptions = {}): Application {
  const objectClassId = o.objectClassId ?? CSV_OBJECT_CLASS_ID;
  const objectSync: ObjectSynchronizationDefinition = {
    objectType: null,
    objectClassId,
    shadowKind: 'ACCOUNT',
    correlationDefinition: { simpleCorrelationStrategyDefinition: { attributeCorrelationDefinitions: [{ inputAttributeId: 'empNo', idmAttributeId: 'employeeNumber' }] } },
    reactionDefinitions: reactionsOf(o.reactions ?? {}),
    ...(o.decision ? { synchronizationActionDecisionDefinition: o.decision } : {}),
    ...(o.customAction ? { customAction: { script: o.customAction } } : {}),
    ...o.objectSync,
  };
  return {
    id: APP_ID,
    name: 'HR test',
    connectorId: 'csv',
    synchronizationDefinition: {
      objectTypeResolutionDefinition: {
        defaultObjectTypeId: 'employee',
        assignmentRules: [{ objectTypeId: 'partner', condition: { simple: { inputAttributeId: 'type', regex: '^partner$' } } }],
      },
      objectTypeMigrationAllowed: o.migrationAllowed ?? false,
      objectSynchronizationDefinitions: o.objectSyncs ?? [objectSync],
    },
    schemaMappingDefinition: {
      objectSchemaMappingDefinitions: o.mappings ?? [
        { objectType: null, objectClassId, shadowKind: 'ACCOUNT', inboundAttributeMappings: o.inbound ?? BASE_MAPPINGS, outboundAttributeMappings: o.outbound ?? [] },
      ],
    },
  };
}

/** A CSV text from rows of the columns of HEADER. */
export const csv = (...rows: string[]): string => [HEADER, ...rows].join('\n') + '\n';

export async function idmObject(env: EngineEnv, attributes: IdmAttributes, type = 'employee', id?: string): Promise<string> {
  return (await env.idm.create({ ...(id ? { id } : {}), kind: 'IDENTITY', type, lifecycleState: 'ACTIVE', attributes })).id;
}

/** A shadow as a previous run left it (linked to `owners`). */
export async function existingShadow(env: EngineEnv, uid: string, owners: string[], extra: Partial<ShadowDoc> = {}, objectClassId = CSV_OBJECT_CLASS_ID): Promise<ShadowDoc> {
  const doc: ShadowDoc = {
    _id: shadowId(APP_ID, objectClassId, uid),
    applicationId: APP_ID,
    objectClassId,
    shadowKind: 'ACCOUNT',
    uid,
    name: uid,
    objectType: 'employee',
    owners,
    dead: false,
    generation: 0,
    createdAt: '2024-01-01T00:00:00.000Z',
    updatedAt: '2024-01-01T00:00:00.000Z',
    ...extra,
  };
  await env.shadows.upsertMany([doc]);
  return doc;
}

export async function shadowOf(env: EngineEnv, uid: string, objectClassId = CSV_OBJECT_CLASS_ID): Promise<ShadowDoc | undefined> {
  return (await env.shadows.getMany([shadowId(APP_ID, objectClassId, uid)])).values().next().value;
}

/** Every IDM object, sorted by id. */
export async function allObjects(env: EngineEnv) {
  return (await env.idm.search({}, 0, 1000)).items;
}

/** The maintained correlation keys must equal keys rebuilt from scratch from the IDM objects. */
export async function expectKeysConsistent(env: EngineEnv): Promise<void> {
  const maintained = await env.idm.keys.snapshot();
  await env.idm.keys.rebuild();
  expect(maintained).toEqual(await env.idm.keys.snapshot());
}
