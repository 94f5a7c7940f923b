import { Router, type Request, type Response } from 'express';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { ApiContext } from '../context';
import { route } from '../routing';
import { tenantOf } from '../tenant';
import { AppError, validationError } from '../../errors';
import { TaskRunStore, type RunKind, type TaskRunDoc } from '../../store/task-runs';
import { toProgress } from '../../tasks/progress';
import { launchRun, requireTaskDefinition } from '../../tasks/launcher';
import { describeSchedule, setSchedulePaused } from '../../temporal/schedules';
import type { ExecutionPlan } from '../../config/schemas';
import { JobEvents } from '../../store/job-events';
import { pauseSignal, resumeSignal } from '../../workflows/signals';

/** `option=expandErrorDetails:true|false` (the seed's syntax). */
function expandErrors(req: Request): boolean {
  const raw = req.query.option;
  if (raw === undefined) return false;
  const m = /^expandErrorDetails:(true|false)$/.exec(String(raw));
  if (!m) throw validationError([{ path: 'option', reason: 'expected expandErrorDetails:true or expandErrorDetails:false' }]);
  return m[1] === 'true';
}

const TERMINAL = (r: TaskRunDoc) => r.progressStatus === 'COMPLETED';

/**
 * Task runs over REST, exactly as the seed's tables for `sync-tasks` and `prov-tasks` (SPEC.md §6): launch (the
 * instance id as text/plain), monitor, histories, cancel, pause/resume of an instance, and the scheduled job.
 */
export function tasksRouter(ctx: ApiContext, kind: RunKind): Router {
  const router = Router({ mergeParams: true });
  const base = kind === 'SYNC' ? '/sync/sync-tasks' : '/sync/prov-tasks';
  const db = (res: Response) => ctx.dbs.db(tenantOf(res));
  const runs = (res: Response) => new TaskRunStore(db(res));

  async function findRun(req: Request, res: Response): Promise<TaskRunDoc> {
    const run = await runs(res).get(String(req.params.instanceId));
    if (!run || run.kind !== kind || run.taskDefinitionId !== req.params.taskDefinitionId)
      throw new AppError('NOT_FOUND', `No instance ${req.params.instanceId} of task ${req.params.taskDefinitionId}`, { instanceId: req.params.instanceId });
    return run;
  }

  async function progressList(res: Response, list: TaskRunDoc[], expand: boolean) {
    const store = runs(res);
    return Promise.all(list.map(async (r) => toProgress(r, expand ? await store.errorsOf(r) : undefined)));
  }

  route(router, `${base}/~instances`, {
    GET: async (req, res) => {
      const expand = expandErrors(req);
      res.json(await progressList(res, await runs(res).list(kind), expand));
    },
  });

  route(router, `${base}/:taskDefinitionId/instances`, {
    POST: async (req, res) => {
      const id = await launchRun(ctx.temporal, db(res), ctx.settings.TEMPORAL_TASK_QUEUE, kind, tenantOf(res), String(req.params.taskDefinitionId), 'REST');
      res.status(200).type('text/plain').send(id);
    },
    GET: async (req, res) => {
      const expand = expandErrors(req);
      await requireTaskDefinition(db(res), kind, String(req.params.taskDefinitionId));
      res.json(await progressList(res, await runs(res).list(kind, String(req.params.taskDefinitionId)), expand));
    },
  });

  route(router, `${base}/:taskDefinitionId/instances/:instanceId`, {
    GET: async (req, res) => {
      const expand = expandErrors(req);
      const run = await findRun(req, res);
      res.json(toProgress(run, expand ? await runs(res).errorsOf(run) : undefined));
    },
  });

  route(router, `${base}/:taskDefinitionId/instances/:instanceId/~cancel`, {
    POST: async (req, res) => {
      const run = await findRun(req, res);
      if (TERMINAL(run)) {
        // Provisioning cancel is idempotent (seed); a synchronization run in a terminal state cannot be cancelled.
        if (kind === 'PROVISIONING') return void res.status(200).end();
        throw new AppError('CONFLICT', `Instance ${run._id} is already ${run.outcomeStatus}`, { instanceId: run._id, outcomeStatus: run.outcomeStatus }, 'Nothing to cancel');
      }
      try {
        await ctx.temporal.workflow.getHandle(run.workflowId).cancel();
      } catch (e) {
        if (!(e instanceof WorkflowNotFoundError)) throw e;
      }
      res.status(200).end();
    },
  });

  for (const [action, signal] of [['~pause', pauseSignal], ['~resume', resumeSignal]] as const) {
    route(router, `${base}/:taskDefinitionId/instances/:instanceId/${action}`, {
      POST: async (req, res) => {
        const run = await findRun(req, res);
        if (TERMINAL(run)) throw new AppError('CONFLICT', `Instance ${run._id} is not running (${run.outcomeStatus})`, { instanceId: run._id }, 'Only a running instance can be paused or resumed');
        try {
          await ctx.temporal.workflow.getHandle(run.workflowId).signal(signal);
        } catch (e) {
          if (e instanceof WorkflowNotFoundError) throw new AppError('CONFLICT', `Instance ${run._id} is not running`, { instanceId: run._id });
          throw e;
        }
        res.status(200).json(toProgress({ ...run, progressStatus: action === '~pause' ? run.progressStatus : run.progressStatus }));
      },
    });
  }

  for (const [action, paused] of [['~pause', true], ['~resume', false]] as const) {
    route(router, `${base}/:taskDefinitionId/job/${action}`, {
      POST: async (req, res) => {
        const id = String(req.params.taskDefinitionId);
        await requireTaskDefinition(db(res), kind, id);
        await setSchedulePaused(ctx.temporal, kind, tenantOf(res), id, paused);
        res.status(204).end();
      },
    });
  }

  route(router, `${base}/:taskDefinitionId/job/~scheduling`, {
    GET: async (req, res) => {
      const id = String(req.params.taskDefinitionId);
      const def = await requireTaskDefinition(db(res), kind, id);
      const [scheduling, events, history] = await Promise.all([
        describeSchedule(ctx.temporal, kind, tenantOf(res), id, def.executionPlan as ExecutionPlan | undefined),
        new JobEvents(db(res)).get(kind, id),
        runs(res).list(kind, id),
      ]);
      const last = history[0];
      res.json({
        ...scheduling,
        firedCount: events?.fired ?? 0,
        skippedCount: events?.skipped ?? 0,
        lastSkipped: events?.lastSkipped ?? null,
        lastRun: last ? { instanceId: last._id, trigger: last.trigger, progressStatus: last.progressStatus, outcomeStatus: last.outcomeStatus, startDate: last.startDate, endDate: last.endDate } : null,
      });
    },
  });

  return router;
}
