import { MockActivityEnvironment } from '@temporalio/testing';
import { heartbeating } from '../../../src/activities/keep-alive';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Temporal's activity test environment records the heartbeats an activity sends. */
describe('heartbeating', () => {
  it('heartbeats while a long operation runs, and stops when it ends', async () => {
    const env = new MockActivityEnvironment();
    let beats = 0;
    env.on('heartbeat', () => beats++);
    const result = await env.run(() => heartbeating(async () => {
      await sleep(230);
      return 'done';
    }, 40));
    expect(result).toBe('done');
    expect(beats).toBeGreaterThanOrEqual(3);
    const atEnd = beats;
    await sleep(120);
    expect(beats).toBe(atEnd);
  });

  it('passes the failure of the operation through and stops heartbeating', async () => {
    const env = new MockActivityEnvironment();
    let beats = 0;
    env.on('heartbeat', () => beats++);
    await expect(env.run(() => heartbeating(async () => {
      await sleep(100);
      throw new Error('store unavailable');
    }, 30))).rejects.toThrow('store unavailable');
    const atEnd = beats;
    expect(atEnd).toBeGreaterThanOrEqual(1);
    await sleep(100);
    expect(beats).toBe(atEnd);
  });
});
