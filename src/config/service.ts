import { AppError, validationError, type ValidationIssue } from '../errors';
import type { Settings } from '../settings';
import { ConfigStore, duplicate, type StoredResource } from '../store/config-store';
import type { TenantDbs } from '../store/mongo';
import { REFERENCES } from './references';
import { RESOURCE_INFO, RESOURCE_TYPES, type ResourceType } from './resource-types';
import { maskSecrets, protectSecrets } from './secrets';
import { checkSchema, validateResource, type ReferenceResolver } from './validate-resource';
import { decodeDataset, type DatasetEntry } from './xml/decode-dataset';
import { encodeDataset } from './xml/encode-dataset';
import { KeyedMutex } from '../keyed-mutex';
import { logger } from '../log';

export type { ResourceType } from './resource-types';
export { RESOURCE_TYPES } from './resource-types';

/** Hooks called after each successful write (the lead wires schedules and IDM correlation indexes to them). */
export interface ConfigListeners {
  /** Throws (409) when the resource must not be deleted now, e.g. a task definition with a run in progress. */
  beforeDelete?(tenant: string, resourceType: ResourceType, id: string): Promise<void>;
  onSaved?(tenant: string, resourceType: ResourceType, resource: StoredResource): Promise<void>;
  onDeleted?(tenant: string, resourceType: ResourceType, id: string): Promise<void>;
}

export interface ConfigServiceDeps {
  settings: Pick<Settings, 'SECRETS_KEY' | 'MAX_BODY_BYTES'>;
  dbs: TenantDbs;
}

export interface ImportResult {
  created: number;
  updated: number;
  resources: Array<{ type: ResourceType; id: string; result: 'created' | 'updated' }>;
}

type Json = Record<string, unknown>;
/** Resources about to be written, by type and id: seen by reference resolution before the store. */
type Overlay = Map<ResourceType, Map<string, Json>>;

const META_KEYS = ['createdAt', 'updatedAt', 'version'] as const;

function withoutMeta(body: Json): Json {
  const out = { ...body };
  for (const k of META_KEYS) delete out[k];
  return out;
}

/**
 * CRUD and dataset import/export of the seven configuration resources, one generic implementation parameterized by
 * resource type. Every write is validated completely first (schema, cross-field rules, references, and the
 * resources that reference it) and followed by the listeners.
 */
export class ConfigService {
  /** Writes of one tenant's configuration, one at a time: checks (versions, references) and writes stay together. */
  private readonly writes = new KeyedMutex();

  constructor(
    private readonly deps: ConfigServiceDeps,
    private readonly listeners: ConfigListeners = {},
  ) {}

  private store(tenant: string): ConfigStore {
    return new ConfigStore(this.deps.dbs.db(tenant));
  }

  async list(tenant: string, type: ResourceType): Promise<StoredResource[]> {
    return (await this.store(tenant).list(type)).map((r) => maskSecrets(type, r));
  }

  async get(tenant: string, type: ResourceType, id: string): Promise<StoredResource> {
    return maskSecrets(type, await this.existing(this.store(tenant), type, id));
  }

  async create(tenant: string, type: ResourceType, body: Json): Promise<StoredResource> {
    return this.writes.run(tenant, () => this.createNow(tenant, type, body));
  }

  private async createNow(tenant: string, type: ResourceType, body: Json): Promise<StoredResource> {
    const store = this.store(tenant);
    const props = withoutMeta(body);
    await this.validateOrThrow(store, type, props);
    if (await store.get(type, String(props.id))) throw duplicate(type, String(props.id));
    const now = new Date().toISOString();
    const resource = { ...protectSecrets(type, props, undefined, this.deps.settings.SECRETS_KEY), createdAt: now, updatedAt: now, version: 1 } as StoredResource;
    return this.write(tenant, store, type, resource, undefined);
  }

  async update(tenant: string, type: ResourceType, id: string, body: Json): Promise<StoredResource> {
    return this.writes.run(tenant, () => this.updateNow(tenant, type, id, body));
  }

  private async updateNow(tenant: string, type: ResourceType, id: string, body: Json): Promise<StoredResource> {
    const store = this.store(tenant);
    const stored = await this.existing(store, type, id);
    if (body.id !== undefined && body.id !== id) {
      throw validationError([{ path: 'id', reason: `must equal the id in the path (${id}) or be absent` }]);
    }
    const props = withoutMeta({ ...body, id });
    // with its read-only properties: a version that is not the integer GET returned is a 400, not a conflict
    await this.validateOrThrow(store, type, { ...body, id });
    if (body.version !== undefined && body.version !== stored.version) {
      throw new AppError('CONFLICT', `${RESOURCE_INFO[type].label} ${JSON.stringify(id)} is at version ${stored.version}, not ${String(body.version)}`, { id, version: stored.version }, 'GET the resource again, reapply your change and send it with the current version');
    }
    await this.checkReferrers(store, new Map([[type, new Map([[id, props]])]]));
    const resource = { ...protectSecrets(type, props, stored, this.deps.settings.SECRETS_KEY), createdAt: stored.createdAt, updatedAt: new Date().toISOString(), version: stored.version + 1 } as StoredResource;
    return this.write(tenant, store, type, resource, stored);
  }

  async delete(tenant: string, type: ResourceType, id: string): Promise<void> {
    return this.writes.run(tenant, () => this.deleteNow(tenant, type, id));
  }

  private async deleteNow(tenant: string, type: ResourceType, id: string): Promise<void> {
    const store = this.store(tenant);
    await this.existing(store, type, id);
    await this.listeners.beforeDelete?.(tenant, type, id);
    const referrers = await this.referrersOf(store, type, id, new Map());
    if (referrers.length > 0) {
      const names = referrers.map((r) => `${RESOURCE_INFO[r.type].label} ${r.id}`).join(', ');
      throw new AppError('CONFLICT', `${RESOURCE_INFO[type].label} ${JSON.stringify(id)} is referenced by ${names}`, { id, referrers: referrers.map((r) => ({ type: RESOURCE_INFO[r.type].label, id: r.id })) }, 'Delete or change the referring resources first');
    }
    if (!(await store.remove(type, id))) throw notFound(type, id);
    await this.listeners.onDeleted?.(tenant, type, id);
  }

  /**
   * SPEC.md §7: all-or-nothing. Every resource of the bundle is validated (references resolve to the bundle first,
   * then the store) and every problem reported before anything is written; then resources are upserted by id in
   * dependency order.
   */
  async importDataset(tenant: string, xml: string): Promise<ImportResult> {
    return this.writes.run(tenant, () => this.importNow(tenant, xml));
  }

  private async importNow(tenant: string, xml: string): Promise<ImportResult> {
    const store = this.store(tenant);
    const { entries, issues } = decodeDataset(xml, this.deps.settings.MAX_BODY_BYTES);
    const overlay: Overlay = new Map(RESOURCE_TYPES.map((t) => [t, new Map()]));
    for (const e of entries) {
      const byId = overlay.get(e.type)!;
      if (byId.has(e.id)) issues.push({ path: e.path, reason: `${RESOURCE_INFO[e.type].label} ${e.id} appears twice in the dataset` });
      byId.set(e.id, e.value);
    }
    // Cross-field rules and references need typed resources: they run when every resource holds its schema or can be
    // salvaged (schema-salvage.ts); otherwise the schema problems alone are listed. What the decoder already reported
    // (an unknown element, left out of the value) is not reported again by a rule that misses it; an element it could
    // not decode at all (a connectorType naming no connector) is reported for that alone.
    const checks = entries.map((e) => checkSchema(e.type, e.value, e.path));
    if (checks.every((c) => c.ok || c.salvaged)) {
      const refs = this.resolver(store, overlay);
      const decoded = issues.map((i) => i.path);
      for (const e of entries) {
        const r = await validateResource(e.type, e.value, refs, e.path, decoded);
        if (!r.ok) issues.push(...r.issues);
      }
    } else for (const [i, c] of checks.entries()) if (!c.ok && !entries[i]!.undecodable) issues.push(...c.issues);
    if (issues.length > 0) throw validationError(issues, 'The dataset is invalid; nothing was imported');
    await this.checkReferrers(store, overlay);
    return this.writeImport(tenant, store, sortForWrite(entries));
  }

  async exportDataset(tenant: string): Promise<string> {
    const store = this.store(tenant);
    const byType = {} as Record<ResourceType, StoredResource[]>;
    for (const type of RESOURCE_TYPES) byType[type] = (await store.list(type)).map((r) => maskSecrets(type, r));
    return encodeDataset(byType);
  }

  /** Writes the bundle in dependency order; when one write fails, the ones before it are undone, last first. */
  private async writeImport(tenant: string, store: ConfigStore, entries: DatasetEntry[]): Promise<ImportResult> {
    const result: ImportResult = { created: 0, updated: 0, resources: [] };
    const done: Array<{ written: StoredResource; previous: StoredResource | undefined; type: ResourceType }> = [];
    try {
      for (const e of entries) {
        const stored = await store.get(e.type, e.id);
        const now = new Date().toISOString();
        const props = protectSecrets(e.type, withoutMeta(e.value), stored, this.deps.settings.SECRETS_KEY);
        const meta = stored ? { createdAt: stored.createdAt, updatedAt: now, version: stored.version + 1 } : { createdAt: now, updatedAt: now, version: 1 };
        const resource = { ...props, ...meta } as StoredResource;
        await this.write(tenant, store, e.type, resource, stored);
        done.push({ written: resource, previous: stored, type: e.type });
        result[stored ? 'updated' : 'created']++;
        result.resources.push({ type: e.type, id: e.id, result: stored ? 'updated' : 'created' });
      }
    } catch (e) {
      for (const d of done.reverse()) await this.undo(tenant, store, d.type, d.written, d.previous);
      throw e;
    }
    return result;
  }

  /**
   * Stores a resource (over `previous`, or new) and runs the listeners (its schedule, its correlation keys). When a
   * listener fails, the write is undone, so a resource is never stored without what it implies elsewhere.
   */
  private async write(tenant: string, store: ConfigStore, type: ResourceType, resource: StoredResource, previous: StoredResource | undefined): Promise<StoredResource> {
    if (previous) await store.replace(type, resource, previous.version);
    else await store.insert(type, resource);
    const masked = maskSecrets(type, resource);
    try {
      await this.listeners.onSaved?.(tenant, type, masked);
    } catch (e) {
      await this.undo(tenant, store, type, resource, previous);
      throw e;
    }
    return masked;
  }

  /** Puts back what was stored before `written`, and what the listeners derived from it (best effort: logged). */
  private async undo(tenant: string, store: ConfigStore, type: ResourceType, written: StoredResource, previous: StoredResource | undefined): Promise<void> {
    try {
      if (previous) {
        await store.replace(type, previous, written.version);
        await this.listeners.onSaved?.(tenant, type, maskSecrets(type, previous));
      } else {
        await store.remove(type, written.id);
        await this.listeners.onDeleted?.(tenant, type, written.id);
      }
    } catch (e) {
      logger.error({ tenant, type, id: written.id, err: e }, 'could not undo a configuration write whose side effects failed');
    }
  }

  private async existing(store: ConfigStore, type: ResourceType, id: string): Promise<StoredResource> {
    const r = await store.get(type, id);
    if (!r) throw notFound(type, id);
    return r;
  }

  private async validateOrThrow(store: ConfigStore, type: ResourceType, body: Json): Promise<void> {
    const r = await validateResource(type, body, this.resolver(store, new Map()));
    if (!r.ok) throw validationError(r.issues, `Invalid ${RESOURCE_INFO[type].label}`);
  }

  /** References resolve to the resources being written first, then to the store; results are typed (defaults applied). */
  private resolver(store: ConfigStore, overlay: Overlay): ReferenceResolver {
    return async <T extends ResourceType>(type: T, id: string) => {
      const raw = overlay.get(type)?.get(id) ?? (await store.get(type, id));
      if (!raw) return undefined;
      // a resource of the bundle with schema problems of its own (reported on it) is read without them
      const checked = checkSchema(type, raw);
      return checked.ok ? checked.value : checked.salvaged?.value;
    };
  }

  /** Resources (outside `overlay`) whose reference properties name `type`/`id`. */
  private async referrersOf(store: ConfigStore, type: ResourceType, id: string, overlay: Overlay): Promise<Array<{ type: ResourceType; id: string; resource: StoredResource }>> {
    const out: Array<{ type: ResourceType; id: string; resource: StoredResource }> = [];
    for (const ref of REFERENCES.filter((r) => r.to === type)) {
      for (const resource of await store.list(ref.from)) {
        if (overlay.get(ref.from)?.has(resource.id)) continue;
        if (ref.ids(resource as never).includes(id) && !out.some((o) => o.type === ref.from && o.id === resource.id)) out.push({ type: ref.from, id: resource.id, resource });
      }
    }
    return out;
  }

  /**
   * A write must not invalidate the stored resources that reference what changes (e.g. removing the
   * synchronizationDefinition a sync task needs, or turning an LDAP connector used with inetOrgPerson into a CSV
   * one): each is re-validated against the new state, and any problem is a 409 naming it.
   */
  private async checkReferrers(store: ConfigStore, overlay: Overlay): Promise<void> {
    const refs = this.resolver(store, overlay);
    const broken: Array<{ type: string; id: string; errors: ValidationIssue[] }> = [];
    for (const [type, byId] of overlay) {
      for (const id of byId.keys()) {
        for (const referrer of await this.referrersOf(store, type, id, overlay)) {
          if (broken.some((b) => b.type === RESOURCE_INFO[referrer.type].label && b.id === referrer.id)) continue;
          const r = await validateResource(referrer.type, referrer.resource, refs);
          if (!r.ok) broken.push({ type: RESOURCE_INFO[referrer.type].label, id: referrer.id, errors: r.issues });
        }
      }
    }
    if (broken.length > 0) {
      const names = broken.map((b) => `${b.type} ${b.id}`).join(', ');
      throw new AppError('CONFLICT', `The change would make resources that reference it invalid: ${names}`, { referrers: broken }, 'Change the referring resources first');
    }
  }
}

function notFound(type: ResourceType, id: string): AppError {
  return new AppError('NOT_FOUND', `${RESOURCE_INFO[type].label} ${JSON.stringify(id)} does not exist`, { id });
}

/** Dependency order (referenced types first), then document order. */
function sortForWrite(entries: DatasetEntry[]): DatasetEntry[] {
  return [...entries].sort((a, b) => RESOURCE_TYPES.indexOf(a.type) - RESOURCE_TYPES.indexOf(b.type));
}
