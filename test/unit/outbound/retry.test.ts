import { ConnectorError, type Connector } from '../../../src/connectors/types';
import { countingConnector } from '../../../src/connectors/counting';
import { backoffMs, withRetry } from '../../../src/engine/outbound/retry';

const policy = { maxAttempts: 4, initialIntervalMs: 1000, backoffCoefficient: 2, maxIntervalMs: 3000 };

function env() {
  const waits: number[] = [];
  let beats = 0;
  return { waits, beats: () => beats, sleep: async (ms: number) => void waits.push(ms), heartbeat: () => void beats++ };
}

describe('outbound retry policy', () => {
  it('backs off exponentially up to the cap', () => {
    expect([1, 2, 3, 4].map((n) => backoffMs(policy, n))).toEqual([1000, 2000, 3000, 3000]);
  });

  it('retries retryable connector errors, waiting in heartbeat-sized slices', async () => {
    const e = env();
    let calls = 0;
    const r = await withRetry({ ...policy, initialIntervalMs: 12_000, maxIntervalMs: 12_000 }, e, async () => {
      if (++calls < 2) throw new ConnectorError('retryable', 'down', { code: 'ECONNREFUSED' });
      return 'ok';
    });
    expect(r).toBe('ok');
    expect(e.waits).toEqual([5000, 5000, 2000]);
    expect(e.beats()).toBe(3);
  });

  it('gives up after maxAttempts with the last error, saying so', async () => {
    const e = env();
    let calls = 0;
    const err = await withRetry(policy, e, async () => {
      calls++;
      throw new ConnectorError('retryable', 'LDAP add failed: server unreachable', { code: 'ECONNREFUSED' });
    }).catch((x: unknown) => x as ConnectorError);
    expect(calls).toBe(4);
    expect(err.message).toBe('LDAP add failed: server unreachable (gave up after 4 attempts)');
    expect(err.details).toEqual({ code: 'ECONNREFUSED' });
    expect(e.waits).toEqual([1000, 2000, 3000]);
  });

  it('never retries a permanent error', async () => {
    let calls = 0;
    const err = await withRetry(policy, env(), async () => {
      calls++;
      throw new ConnectorError('permanent', 'entryAlreadyExists', { resultCode: 68 });
    }).catch((x: unknown) => x as ConnectorError);
    expect(calls).toBe(1);
    expect(err.details.resultCode).toBe(68);
  });
});

describe('counting connector', () => {
  it('counts write requests per method, reads not at all', async () => {
    const inner = {
      type: 'LDAP',
      get: async () => null,
      listMemberships: async () => [],
      create: async () => ({ uid: 'u', name: 'n', attributes: {} }),
      addMembership: async () => undefined,
      delete: async () => {
        throw new ConnectorError('permanent', 'noSuchObject', { resultCode: 32 });
      },
    } as unknown as Connector;
    const c = countingConnector(inner);
    await c.get('oc', 'u');
    await c.listMemberships('oc', 'u');
    await c.create('oc', {});
    await c.addMembership('oc', 'u', 'g1');
    await c.addMembership('oc', 'u', 'g2');
    await expect(c.delete('oc', 'u')).rejects.toThrow('noSuchObject');
    expect(c.writes()).toEqual({ create: 1, update: 0, delete: 1, setEnabled: 0, addMembership: 2, removeMembership: 0 });
    expect(c.totalWrites()).toBe(4);
  });
});
