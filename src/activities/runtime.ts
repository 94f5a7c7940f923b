import type { Db } from 'mongodb';
import { ConfigStore } from '../store/config-store';
import { AppError } from '../errors';
import type { Application } from '../config/schemas';
import { applicationSchema } from '../config/schemas';
import { createScriptEngine } from '../scripting';
import type { ScriptEngine } from '../scripting/types';
import { compileApplication, type CompiledApplication } from '../engine/compiled-application';
import type { Settings } from '../settings';
import type { ResourceType } from '../config/resource-types';

/**
 * Worker-process state shared by activities: one script engine, and compiled applications cached by
 * (tenant, id, version) so each compute rule is compiled once per run, not once per page (ARCHITECTURE.md §5).
 */
export class WorkerRuntime {
  private scripts: Promise<ScriptEngine> | undefined;
  private readonly compiled = new Map<string, CompiledApplication>();

  constructor(private readonly settings: Settings) {}

  scriptEngine(): Promise<ScriptEngine> {
    this.scripts ??= createScriptEngine({ timeoutMs: this.settings.SCRIPT_TIMEOUT_MS, memoryLimitBytes: this.settings.SCRIPT_MEMORY_MB * 1024 * 1024 });
    return this.scripts;
  }

  async compiledApplication(tenant: string, app: Application & { version?: number }): Promise<CompiledApplication> {
    const key = `${tenant}/${app.id}/${app.version ?? 0}`;
    let c = this.compiled.get(key);
    if (!c) {
      c = compileApplication(app, await this.scriptEngine());
      if (this.compiled.size > 100) this.compiled.clear();
      this.compiled.set(key, c);
    }
    return c;
  }
}

/** A configuration resource that must exist for a run to proceed; its absence makes the run FAILURE. */
export async function requireResource<T>(db: Db, type: ResourceType, id: string, label: string): Promise<T & { version: number }> {
  const r = await new ConfigStore(db).get(type, id);
  if (!r) throw new AppError('CONFIGURATION_ERROR', `${label} ${JSON.stringify(id)} does not exist`, { [type]: id }, `Create ${label} ${id} or correct the reference`);
  return r as unknown as T & { version: number };
}

export async function requireApplication(db: Db, id: string): Promise<Application & { version: number }> {
  const stored = await requireResource<Application>(db, 'application', id, 'Application');
  const parsed = applicationSchema.safeParse(stored);
  if (!parsed.success) throw new AppError('CONFIGURATION_ERROR', `Application ${id} is no longer valid: ${parsed.error.issues[0]?.message}`, { applicationId: id });
  return { ...parsed.data, version: stored.version };
}
