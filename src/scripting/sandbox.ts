/**
 * One QuickJS runtime + context with limits, the prelude installed, and the rules compiled into it.
 * A sandbox is thrown away and replaced (by the engine) after an error that may leave QuickJS unusable:
 * out of memory, stack overflow, interruption.
 */
import {
  DefaultIntrinsics,
  type Intrinsics,
  type QuickJSAsyncContext,
  type QuickJSAsyncWASMModule,
  type QuickJSContext,
  type QuickJSHandle,
  type QuickJSRuntime,
  type QuickJSWASMModule,
} from 'quickjs-emscripten';
import { callFunctionAsync, type AsyncCallResult } from './async-call';
import { PRELUDE_FILE_NAME, PRELUDE_SOURCE } from './prelude';
import type { ContextName } from './context-use';
import type { ScriptContext } from './types';
import { RULE_FILE_NAME, wrapRuleBody } from './wrapper';

/** The context names in the order `run` takes them (bit k of its object mask is name k). */
export const CONTEXT_NAMES = ['ACCOUNT', 'IDM_OBJECT', 'VALUE', 'OBJECT_TYPE', 'SITUATION', 'CORRELATION_METADATA'] as const satisfies readonly ContextName[];

/** The arguments of one `run` call: handles to pass, the ones this call created (to dispose), the object mask. */
interface Marshalled {
  args: QuickJSHandle[];
  created: QuickJSHandle[];
}

export interface SandboxLimits {
  timeoutMs: number;
  memoryLimitBytes: number;
  maxStackBytes: number;
}

/** The host side of ObjectFinder.find: filter as JSON and a bounded limit in, flat IDM objects as JSON out. */
export type HostFind = (filterJson: string, limit: number) => Promise<string>;

/** What a script threw (or QuickJS threw on its behalf), dumped to plain data. */
export class SandboxError extends Error {
  constructor(
    message: string,
    readonly errorName: string,
    readonly stack_: string | undefined,
    /** The sandbox must not be used again (out of memory, stack overflow, interrupted, host failure). */
    readonly fatal: boolean,
  ) {
    super(message);
  }
}

/**
 * No typed arrays or ArrayBuffer: identity rules never need binary data, and in this QuickJS build their
 * backing stores escape the runtime's memory limit (a loop of `new Uint8Array(1e6)` grew past 2 GB).
 */
const INTRINSICS: Intrinsics = { ...DefaultIntrinsics, TypedArrays: false };

// QuickJS reports these as InternalError; after them the runtime's state is not trustworthy.
const FATAL_MESSAGES = /out of memory|stack overflow|interrupted/i;

export class Sandbox {
  private deadline = Number.POSITIVE_INFINITY;
  private readonly run: QuickJSHandle;
  private readonly owned: QuickJSHandle[] = [];
  private disposed = false;
  /** The current evaluation's ObjectFinder (async sandboxes only; set per call). */
  private hostFind: HostFind | null = null;
  /** Number handles for object masks, made once: a crossing into wasm costs about a microsecond. */
  private readonly masks = new Map<number, QuickJSHandle>();

  private constructor(
    private readonly runtime: QuickJSRuntime,
    private readonly context: QuickJSContext,
    private readonly limits: SandboxLimits,
    withObjectFinder: boolean,
  ) {
    runtime.setMemoryLimit(limits.memoryLimitBytes);
    runtime.setMaxStackSize(limits.maxStackBytes);
    runtime.setInterruptHandler(() => Date.now() > this.deadline);
    const setup = this.own(this.unwrap(context.evalCode(PRELUDE_SOURCE, PRELUDE_FILE_NAME)));
    const finder = withObjectFinder ? this.own(this.newHostFind(context as QuickJSAsyncContext)) : context.null;
    this.run = this.own(this.unwrap(context.callFunction(setup, context.undefined, finder)));
  }

  /** A sandbox on the fast sync variant: every rule kind that needs no async host call. */
  static sync(module: QuickJSWASMModule, limits: SandboxLimits): Sandbox {
    const runtime = module.newRuntime();
    return new Sandbox(runtime, runtime.newContext({ intrinsics: INTRINSICS }), limits, false);
  }

  /** A sandbox on the asyncified variant, where ObjectFinder.find may suspend the script on a host call. */
  static async(module: QuickJSAsyncWASMModule, limits: SandboxLimits): Sandbox {
    const runtime = module.newRuntime();
    return new Sandbox(runtime, runtime.newContext({ intrinsics: INTRINSICS }), limits, true);
  }

  get alive(): boolean {
    return !this.disposed;
  }

  /** Compiles a rule body (already syntax-checked: see checkSyntax) into a function handle owned by this sandbox. */
  compile(script: string): QuickJSHandle {
    return this.own(this.unwrap(this.context.evalCode(wrapRuleBody(script), RULE_FILE_NAME)));
  }

  /**
   * Runs a compiled rule with a copy of the names of `context` it `reads` (the others are undefined in the script);
   * returns the prelude's `tag:payload` answer.
   */
  call(rule: QuickJSHandle, context: ScriptContext, reads: ReadonlySet<ContextName>): string {
    const { args, created } = this.marshal(rule, context, reads);
    this.deadline = Date.now() + this.limits.timeoutMs;
    try {
      return this.envelope(this.context.callFunction(this.run, this.context.undefined, args));
    } finally {
      this.deadline = Number.POSITIVE_INFINITY;
      for (const handle of created) handle.dispose();
    }
  }

  /**
   * Like `call`, on an async sandbox, with `hostFind` serving ObjectFinder.find; time spent in host calls does
   * not count against the deadline. The caller must not start another call before this one settles
   * (see `serialized`).
   */
  async callAsync(rule: QuickJSHandle, context: ScriptContext, reads: ReadonlySet<ContextName>, hostFind: HostFind | null): Promise<string> {
    const { args, created } = this.marshal(rule, context, reads);
    this.hostFind = hostFind;
    this.deadline = Date.now() + this.limits.timeoutMs;
    try {
      return this.envelope(await callFunctionAsync(this.context as QuickJSAsyncContext, this.run, args));
    } finally {
      this.deadline = Number.POSITIVE_INFINITY;
      this.hostFind = null;
      for (const handle of created) handle.dispose();
    }
  }

  /** Copies the context into the sandbox: scalars as QuickJS values, objects as JSON text parsed inside. */
  private marshal(rule: QuickJSHandle, context: ScriptContext, reads: ReadonlySet<ContextName>): Marshalled {
    const ctx = this.context;
    const created: QuickJSHandle[] = [];
    const values: QuickJSHandle[] = [];
    let mask = 0;
    try {
      CONTEXT_NAMES.forEach((name, k) => {
        const value = reads.has(name) ? context[name] : undefined;
        if (value === undefined) values.push(ctx.undefined);
        else if (value === null) values.push(ctx.null);
        else if (typeof value === 'boolean') values.push(value ? ctx.true : ctx.false);
        else {
          const handle = typeof value === 'number' ? ctx.newNumber(value) : typeof value === 'string' ? ctx.newString(value) : this.jsonHandle(name, value);
          if (typeof value !== 'number' && typeof value !== 'string') mask |= 1 << k;
          created.push(handle);
          values.push(handle);
        }
      });
    } catch (err) {
      for (const handle of created) handle.dispose();
      throw err;
    }
    return { args: [rule, this.maskHandle(mask), ...values], created };
  }

  private jsonHandle(name: string, value: unknown): QuickJSHandle {
    let json: string | undefined;
    try {
      json = JSON.stringify(value);
    } catch (err) {
      throw new SandboxError(`${name} cannot be passed to the script: ${err instanceof Error ? err.message : String(err)}`, 'TypeError', undefined, false);
    }
    return this.context.newString(json ?? 'null');
  }

  private maskHandle(mask: number): QuickJSHandle {
    let handle = this.masks.get(mask);
    if (!handle) {
      handle = this.own(this.context.newNumber(mask));
      this.masks.set(mask, handle);
    }
    return handle;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    try {
      for (const handle of this.owned.reverse()) if (handle.alive) handle.dispose();
      this.context.dispose();
      this.runtime.dispose();
    } catch {
      // A runtime that ran out of memory may refuse to free cleanly; it is unreachable from now on either way.
    }
  }

  /**
   * The host side of ObjectFinder.find. It answers `{"found": [...]}` or `{"error": "..."}` as JSON and the
   * prelude throws inside the sandbox: a rejection must never escape, since a suspended asyncify call cannot
   * be resumed with an exception, and an error made in the script's own realm carries the script's line.
   */
  private newHostFind(context: QuickJSAsyncContext): QuickJSHandle {
    return context.newAsyncifiedFunction('hostFind', async (filterHandle, limitHandle) => {
      const started = Date.now();
      try {
        if (!this.hostFind) throw new Error('no object finder was given for this evaluation');
        const found = await this.hostFind(context.getString(filterHandle), context.getNumber(limitHandle));
        return context.newString(`{"found":${found}}`);
      } catch (err) {
        return context.newString(JSON.stringify({ error: `ObjectFinder.find failed: ${err instanceof Error ? err.message : String(err)}` }));
      } finally {
        this.deadline += Date.now() - started;
      }
    });
  }

  private own(handle: QuickJSHandle): QuickJSHandle {
    this.owned.push(handle);
    return handle;
  }

  private envelope(result: AsyncCallResult): string {
    const handle = this.unwrap(result);
    try {
      return this.context.getString(handle);
    } finally {
      handle.dispose();
    }
  }

  /** The value of a call result, or a SandboxError carrying what the script threw. */
  private unwrap(result: AsyncCallResult): QuickJSHandle {
    if (!result.error) return result.value;
    let dumped: unknown;
    try {
      dumped = this.context.dump(result.error);
    } catch {
      dumped = { name: 'InternalError', message: 'out of memory' };
    } finally {
      result.error.dispose();
    }
    const err = dumped !== null && typeof dumped === 'object' ? (dumped as { name?: unknown; message?: unknown; stack?: unknown }) : {};
    const name = typeof err.name === 'string' ? err.name : 'Error';
    const message = typeof err.message === 'string' ? err.message : typeof dumped === 'string' ? dumped : JSON.stringify(dumped) ?? String(dumped);
    const stack = typeof err.stack === 'string' ? err.stack : undefined;
    throw new SandboxError(message, name, stack, name === 'InternalError' && FATAL_MESSAGES.test(message));
  }
}
