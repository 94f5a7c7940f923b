import type { Connector } from './types';

/** What a page decided ahead may do with its connector: read its page of the source, and nothing else. */
const ALLOWED = new Set<string | symbol>(['type', 'capabilities', 'readPage', 'close']);

/**
 * A view of `connector` that reads pages of the source and refuses everything else (account writes of inbound
 * actions, look-ups of single accounts): `onRefused` is told, then the call throws. A page decided ahead of its turn
 * (activities/decide-ahead.ts) must not act on the application before it is known to be right, and a read of the
 * directory could see an account the previous page is still changing.
 */
export function sourceReader(connector: Connector, onRefused: (what: string) => void): Connector {
  return new Proxy(connector, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || ALLOWED.has(prop)) return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      return () => {
        const what = `connector.${String(prop)}`;
        onRefused(what);
        throw new Error(`${what} is not allowed while a page is decided ahead of its turn`);
      };
    },
  });
}
