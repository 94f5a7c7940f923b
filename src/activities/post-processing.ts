import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Db } from 'mongodb';
import type {
  ConnectorDefinition,
  ProvisioningTaskDefinition,
  ProvisioningTaskPostProcessingDefinition,
  SynchronizationTaskDefinition,
  SynchronizationTaskPostProcessingDefinition,
} from '../config/schemas';
import { resolveDataFile } from '../connectors/csv/file-path';
import { outcomeOf, type Counters } from '../engine/counters';
import { errorRepresentation, type ErrorRepresentation } from '../errors';
import { toProgress } from '../tasks/progress';
import { writeErrorReport } from '../tasks/error-report';
import { archiveFile } from '../tasks/file-archive';
import { writeAtomically } from '../tasks/atomic-file';
import { TaskRunStore, type OutcomeStatus, type RunKind } from '../store/task-runs';
import type { ActivityDeps } from './deps';
import { requireApplication, requireResource } from './runtime';

export interface PostProcessInput {
  tenant: string;
  kind: RunKind;
  taskDefinitionId: string;
  runId: string;
  outcome: OutcomeStatus;
  counters: Counters;
  failure: ErrorRepresentation | null;
}

type PostProcessing = SynchronizationTaskPostProcessingDefinition | ProvisioningTaskPostProcessingDefinition;

/**
 * What a run does once its entries are done, before it is shown COMPLETED (SPEC.md §3.4, §3.7; docs/decisions.md):
 * the archive of a CSV source, the error report, the run report. A failing step does not stop the others; it becomes
 * an error of the run (so a SUCCESS becomes PARTIAL, in the reports too), and the number of such errors is returned.
 * Idempotent: every file is written atomically. Reports go to `reports/<taskDefinitionId>/` in the tenant directory.
 */
export function postProcessingActivities(deps: ActivityDeps) {
  return {
    async postProcessRun(input: PostProcessInput): Promise<{ errors: number }> {
      const db = deps.dbs.db(input.tenant);
      const found = await postProcessingOf(db, input.kind, input.taskDefinitionId);
      if (!found) return { errors: 0 };
      const { definition, syncTask } = found;
      const runs = new TaskRunStore(db);
      const run = await runs.get(input.runId);
      if (!run) return { errors: 0 };
      const tenantDir = path.join(deps.settings.dataDirAbs, input.tenant);
      const dir = path.join(tenantDir, 'reports', input.taskDefinitionId);
      const problems: ErrorRepresentation[] = [];
      const step = async (what: string, body: () => Promise<unknown>) => {
        try {
          await body();
        } catch (e) {
          problems.push(postProcessingError(what, e instanceof Error ? e.message : String(e), input.runId));
        }
      };
      // The archive first, so that the reports include what went wrong with it.
      const archiving = 'fileArchivingDefinition' in definition ? definition.fileArchivingDefinition : undefined;
      if (archiving && syncTask && (input.outcome === 'SUCCESS' || input.outcome === 'PARTIAL')) {
        const overwrite = (definition as SynchronizationTaskPostProcessingDefinition).overwriteExistingArchive === true;
        await step('file archiving', async () => {
          const source = await csvSourceOf(db, syncTask, tenantDir);
          if (source) await archiveFile(tenantDir, source, archiving.archiveDirectory, overwrite, input.runId);
        });
      }
      const report = definition.reportDefinition;
      if (report?.errorPublicationDefinition) {
        const columns = report.errorPublicationDefinition.errorDetails;
        const sofar = [...problems];
        await step('error report', async () => {
          await fs.mkdir(dir, { recursive: true });
          await writeErrorReport(path.join(dir, `${input.runId}-errors.csv`), columns, allErrors(input.failure, runs.pageErrors(run), sofar));
        });
      }
      if (report?.reportPublicationDefinition?.enabled) {
        await step('run report', async () => {
          await fs.mkdir(dir, { recursive: true });
          const counters = { ...input.counters, errors: input.counters.errors + problems.length };
          const outcome = input.outcome === 'FAILURE' || input.outcome === 'ABORTED' ? input.outcome : outcomeOf(counters);
          const ended = { ...run, progressStatus: 'COMPLETED' as const, outcomeStatus: outcome, endDate: new Date().toISOString(), counters, failure: input.failure };
          const json = `${JSON.stringify(toProgress(ended), null, 2)}\n`;
          await writeAtomically(path.join(dir, `${input.runId}-report.json`), (partial) => fs.writeFile(partial, json, 'utf8'));
        });
      }
      await runs.addErrors(input.runId, 'post-processing', problems);
      return { errors: problems.length };
    },
  };
}

/** The error of a post-processing step, an error of the run. */
export function postProcessingError(step: string, cause: string, runId: string): ErrorRepresentation {
  return errorRepresentation('POST_PROCESSING_ERROR', `${step} failed: ${cause}`, { step }, 'Check the post-processing definition and the data directory, then launch the task again', runId);
}

/** The task's post-processing definition, if it names one; for a synchronization task, the task too (its source). */
async function postProcessingOf(db: Db, kind: RunKind, taskDefinitionId: string): Promise<{ definition: PostProcessing; syncTask?: SynchronizationTaskDefinition } | null> {
  if (kind === 'SYNC') {
    const syncTask = await requireResource<SynchronizationTaskDefinition>(db, 'synchronizationTaskDefinition', taskDefinitionId, 'SynchronizationTaskDefinition');
    const id = syncTask.synchronizationTaskPostProcessingId;
    if (!id) return null;
    return { definition: await requireResource<SynchronizationTaskPostProcessingDefinition>(db, 'synchronizationTaskPostProcessingDefinition', id, 'SynchronizationTaskPostProcessingDefinition'), syncTask };
  }
  const def = await requireResource<ProvisioningTaskDefinition>(db, 'provisioningTaskDefinition', taskDefinitionId, 'ProvisioningTaskDefinition');
  const id = def.provisioningTaskPostProcessingId;
  return id ? { definition: await requireResource<ProvisioningTaskPostProcessingDefinition>(db, 'provisioningTaskPostProcessingDefinition', id, 'ProvisioningTaskPostProcessingDefinition') } : null;
}

/** The real path of a synchronization task's CSV file; null for any other connector (nothing to archive). */
async function csvSourceOf(db: Db, task: SynchronizationTaskDefinition, tenantDir: string): Promise<string | null> {
  const app = await requireApplication(db, task.applicationId);
  const connector = await requireResource<ConnectorDefinition>(db, 'connectorDefinition', app.connectorId, 'ConnectorDefinition');
  return connector.connectorType === 'CSV' ? resolveDataFile(tenantDir, connector.connectorProperties.filePath) : null;
}

/** The errors a report lists: the run's failure, its pages' errors, then post-processing's own. */
async function* allErrors(failure: ErrorRepresentation | null, pages: AsyncIterable<ErrorRepresentation>, own: ErrorRepresentation[]): AsyncGenerator<ErrorRepresentation> {
  if (failure) yield failure;
  yield* pages;
  yield* own;
}
