import { defineQuery, defineSignal } from '@temporalio/workflow';

/** Pause takes effect between pages; resume lets the run go on. The API sends them, the workflow honours them. */
export const pauseSignal = defineSignal('pause');
export const resumeSignal = defineSignal('resume');

export interface LiveProgress {
  phase: string;
  pageNo: number;
  paused: boolean;
  processed: number;
  errors: number;
}

/** The live view of a run (the API reads MongoDB; an operator can query the workflow directly too). */
export const progressQuery = defineQuery<LiveProgress>('progress');
