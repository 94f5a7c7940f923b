import { KeyedMutex } from '../../src/keyed-mutex';

const tick = () => new Promise<void>((r) => setImmediate(r));

describe('KeyedMutex', () => {
  it('runs the sections of one key one at a time, in arrival order, and those of other keys alongside', async () => {
    const mutex = new KeyedMutex();
    const log: string[] = [];
    const section = (key: string, name: string) =>
      mutex.run(key, async () => {
        log.push(`${name} start`);
        await tick();
        await tick();
        log.push(`${name} end`);
        return name;
      });
    const results = await Promise.all([section('a', 'a1'), section('a', 'a2'), section('b', 'b1'), section('a', 'a3')]);
    expect(results).toEqual(['a1', 'a2', 'b1', 'a3']);
    const a = log.filter((l) => l.startsWith('a'));
    expect(a).toEqual(['a1 start', 'a1 end', 'a2 start', 'a2 end', 'a3 start', 'a3 end']);
    expect(log.indexOf('b1 start')).toBeLessThan(log.indexOf('a1 end'));
    expect(mutex.size).toBe(0);
  });

  it('a section that throws releases the key for the next one, and the error reaches its caller', async () => {
    const mutex = new KeyedMutex();
    const failing = mutex.run('k', async () => {
      await tick();
      throw new Error('boom');
    });
    const next = mutex.run('k', async () => 'next ran');
    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBe('next ran');
    expect(mutex.size).toBe(0);
  });
});
