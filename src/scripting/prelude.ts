/**
 * The code the sandbox runs once when it is created. It builds the script-side helpers (SyncAction,
 * CorrelationResult, ObjectFinder), freezes every intrinsic and the global object so no evaluation can leave
 * state behind for the next one (prototype pollution, new globals), and returns `run`, the one function the
 * host calls per evaluation.
 *
 * `run(rule, objectMask, ACCOUNT, IDM_OBJECT, VALUE, OBJECT_TYPE, SITUATION, CORRELATION_METADATA)` takes
 * scalars as they are and objects as JSON text (bit k of `objectMask` set for argument k): values are copied
 * in, never shared, and a normalize rule with a string VALUE pays for no JSON at all (QuickJS's JSON.parse
 * costs more than the rest of such an evaluation). It returns `tag:payload`, the payload raw for a string and
 * JSON otherwise; the tag tells the host what the script returned before JSON flattened it (a function,
 * `undefined`, a CorrelationResult...), so the return-type checks stay exact.
 * The answer starts with IMPURE_MARK when the evaluation read the clock or Math.random.
 */
import { SYNC_ACTIONS } from './sync-actions';

export const PRELUDE_FILE_NAME = 'sandbox-prelude.js';

/** Prefix of an answer whose evaluation read the clock (Date.now, new Date(), Date()) or Math.random. */
export const IMPURE_MARK = '!';

/** Tags `run` puts in the envelope; `correlation` is a CorrelationResult made by CorrelationResult.of. */
export type ResultTag =
  | 'undefined'
  | 'null'
  | 'string'
  | 'number'
  | 'boolean'
  | 'array'
  | 'object'
  | 'correlation'
  | 'function'
  | 'symbol'
  | 'bigint';

export const PRELUDE_SOURCE = `(function setup(hostFind) {
  'use strict';
  const IMPURE_MARK = ${JSON.stringify(IMPURE_MARK)};
  const SyncAction = Object.freeze(${JSON.stringify(Object.fromEntries(SYNC_ACTIONS.map((a) => [a, a])))});

  class CorrelationResultValue {
    constructor(ids, metadata) { this.ids = ids; this.metadata = metadata; Object.freeze(this); }
  }
  const CorrelationResult = Object.freeze({
    of(ids, metadata) { return new CorrelationResultValue(ids, metadata === undefined ? null : metadata); },
  });

  const ObjectFinder = Object.freeze({
    find(filter, limit) {
      if (hostFind === null) throw new Error('ObjectFinder is available in custom correlation rules only');
      if (limit !== undefined && (typeof limit !== 'number' || !(limit >= 1))) {
        throw new TypeError('ObjectFinder.find: limit must be a positive number');
      }
      const answer = JSON.parse(hostFind(JSON.stringify(filter === undefined ? {} : filter), limit === undefined ? -1 : limit));
      if (answer.error !== undefined) throw new Error(answer.error);
      return answer.found;
    },
  });

  // Reads of the clock and of randomness are noted: a result that depends on them is not a function of the
  // rule's inputs, so the host must not reuse it (provisioning skips an object only when its rules are pure).
  // The real Date stays reachable only through this wrapper: its prototype's constructor is the wrapper.
  let impure = false;
  const RealDate = Date;
  const TrackedDate = function Date(...args) {
    if (new.target === undefined) { impure = true; return RealDate(); }
    if (args.length === 0) impure = true;
    return Reflect.construct(RealDate, args, new.target);
  };
  Object.defineProperties(TrackedDate, {
    prototype: { value: RealDate.prototype },
    length: { value: 7 },
    now: { value: function now() { impure = true; return RealDate.now(); } },
    parse: { value: RealDate.parse },
    UTC: { value: RealDate.UTC },
  });
  Object.defineProperty(RealDate.prototype, 'constructor', { value: TrackedDate, writable: true, configurable: true });
  Object.defineProperty(globalThis, 'Date', { value: TrackedDate, writable: true, configurable: true });
  const realRandom = Math.random;
  Object.defineProperty(Math, 'random', { value: function random() { impure = true; return realRandom(); }, writable: true, configurable: true });

  // Freeze everything reachable from the global object and the intrinsics that are reachable only from
  // syntax (generator, async and iterator prototypes), so no script can leave anything behind.
  const seen = new Set();
  const harden = (o) => {
    if (o === null || (typeof o !== 'object' && typeof o !== 'function') || seen.has(o)) return;
    seen.add(o);
    Object.freeze(o);
    harden(Object.getPrototypeOf(o));
    for (const key of Reflect.ownKeys(o)) {
      const d = Object.getOwnPropertyDescriptor(o, key);
      if (d === undefined) continue;
      if ('value' in d) harden(d.value); else { harden(d.get); harden(d.set); }
    }
  };
  const hidden = [
    function* () {}, async function () {}, async function* () {}, (function* () {})(), (async function* () {})(),
    [][Symbol.iterator](), new Map()[Symbol.iterator](), new Set()[Symbol.iterator](), ''[Symbol.iterator](),
    /a/[Symbol.matchAll](''),
    Object.getOwnPropertyDescriptor((function () { 'use strict'; return arguments; })(), 'callee'),
  ];
  for (const o of hidden) harden(o);
  harden(SyncAction); harden(CorrelationResult); harden(ObjectFinder); harden(CorrelationResultValue);
  harden(globalThis);

  const tagOf = (r) => {
    if (r === null) return 'null';
    if (Array.isArray(r)) return 'array';
    if (r instanceof CorrelationResultValue) return 'correlation';
    return typeof r;
  };

  const parse = (mask, bit, value) => ((mask & bit) === 0 ? value : JSON.parse(value));

  const envelope = (r) => {
    if (typeof r === 'string') return 'string:' + r;
    const tag = tagOf(r);
    switch (tag) {
      case 'function': case 'symbol': case 'bigint': case 'undefined': return tag + ':';
      case 'correlation': return tag + ':' + JSON.stringify({ ids: r.ids, metadata: r.metadata });
      default: return tag + ':' + JSON.stringify(r);
    }
  };

  return function run(rule, mask, account, idmObject, value, objectType, situation, metadata) {
    impure = false;
    const r = mask === 0
      ? rule(account, idmObject, value, objectType, situation, metadata, SyncAction, ObjectFinder, CorrelationResult)
      : rule(parse(mask, 1, account), parse(mask, 2, idmObject), parse(mask, 4, value), parse(mask, 8, objectType),
          parse(mask, 16, situation), parse(mask, 32, metadata), SyncAction, ObjectFinder, CorrelationResult);
    const answer = envelope(r);
    return impure ? IMPURE_MARK + answer : answer;
  };
})`;
