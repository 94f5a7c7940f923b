import { emptyCounters } from '../../../src/engine/counters';
import { progressPercentage } from '../../../src/tasks/progress';
import type { TaskRunDoc } from '../../../src/store/task-runs';

type RunState = Pick<TaskRunDoc, 'progressStatus' | 'numberOfEntriesToProcess' | 'counters' | 'taskType' | 'scannedTotal'>;

const at = (taskType: string, total: number, processed: number, scannedTotal?: number): RunState => ({
  progressStatus: 'RUNNING',
  taskType,
  numberOfEntriesToProcess: total,
  counters: { ...emptyCounters(), processed },
  ...(scannedTotal === undefined ? {} : { scannedTotal }),
});

describe('progressPercentage', () => {
  it('never goes back while a reconciliation adds the deleted shadows it found to the total, and is 100 only when COMPLETED', () => {
    // 9,000 shadows, 3,000 accounts left on the source: the scan, then 6,000 deleted added to the total
    const polls = [at('RECONCILIATION', 3000, 0), at('RECONCILIATION', 3000, 1500), at('RECONCILIATION', 3000, 3000), at('RECONCILIATION', 9000, 3000, 3000), at('RECONCILIATION', 9000, 6000, 3000), at('RECONCILIATION', 9000, 9000, 3000)];
    const percents = polls.map(progressPercentage);
    expect(percents).toEqual([0, 47, 95, 95, 97, 99]);
    expect(progressPercentage({ ...polls.at(-1)!, progressStatus: 'COMPLETED' })).toBe(100);
  });

  it('a provisioning whose orphan pass finds nothing holds at 95 until it completes', () => {
    expect([at('PROVISIONING', 10, 10), at('PROVISIONING', 10, 10, 10)].map(progressPercentage)).toEqual([95, 95]);
  });

  it('an IMPORT, which has one phase, uses 0-99; an empty run is 0', () => {
    expect([at('IMPORT', 200, 100), at('IMPORT', 200, 200), at('IMPORT', 0, 0)].map(progressPercentage)).toEqual([50, 99, 0]);
  });
});
