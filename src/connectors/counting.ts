import type { Connector } from './types';

/** The connector methods that change the target system. Everything else only reads. */
export const WRITE_METHODS = ['create', 'update', 'delete', 'setEnabled', 'addMembership', 'removeMembership'] as const;
export type WriteMethod = (typeof WRITE_METHODS)[number];

export interface CountingConnector extends Connector {
  /** Write requests sent so far, per method (every attempt counts, a failed one too: it reached for the directory). */
  writes(): Record<WriteMethod, number>;
  totalWrites(): number;
}

/**
 * Wraps a connector and counts the write requests that go through it. Provisioning reports the total in the run
 * statistics (`DIRECTORY_WRITES`): the claim "an unchanged object causes no write" is measured at the boundary
 * where a write would leave the service, independently of the engine's own bookkeeping.
 */
export function countingConnector(inner: Connector): CountingConnector {
  const counts = Object.fromEntries(WRITE_METHODS.map((m) => [m, 0])) as Record<WriteMethod, number>;
  const counted = <A extends unknown[], R>(method: WriteMethod, fn: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      counts[method]++;
      return fn(...args);
    };
  return {
    type: inner.type,
    capabilities: () => inner.capabilities(),
    test: () => inner.test(),
    count: (oc) => inner.count(oc),
    readPage: (oc, position, pageSize) => inner.readPage(oc, position, pageSize),
    ...(inner.readAll ? { readAll: (oc: string, pageSize: number, onPage: Parameters<NonNullable<Connector['readAll']>>[2]) => inner.readAll!(oc, pageSize, onPage) } : {}),
    get: (oc, uid) => inner.get(oc, uid),
    ...(inner.getMany ? { getMany: (oc: string, uids: readonly string[]) => inner.getMany!(oc, uids) } : {}),
    ...(inner.getByName ? { getByName: (oc: string, name: string) => inner.getByName!(oc, name) } : {}),
    listMemberships: (oc, uid) => inner.listMemberships(oc, uid),
    close: () => inner.close(),
    create: counted('create', (oc, attributes) => inner.create(oc, attributes)),
    update: counted('update', (oc, uid, changes) => inner.update(oc, uid, changes)),
    delete: counted('delete', (oc, uid) => inner.delete(oc, uid)),
    setEnabled: counted('setEnabled', (oc, uid, enabled) => inner.setEnabled(oc, uid, enabled)),
    addMembership: counted('addMembership', (oc, uid, e) => inner.addMembership(oc, uid, e)),
    removeMembership: counted('removeMembership', (oc, uid, e) => inner.removeMembership(oc, uid, e)),
    writes: () => ({ ...counts }),
    totalWrites: () => Object.values(counts).reduce((a, b) => a + b, 0),
  };
}
