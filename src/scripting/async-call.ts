/**
 * Calling a function handle in an asyncified QuickJS context so that host calls it makes may suspend it.
 *
 * quickjs-emscripten 0.31 offers `evalCodeAsync` but no async `callFunction`; re-parsing code per evaluation
 * is what compiled rules avoid, so this mirrors `QuickJSContext.callFunction` with an async-aware `QTS_Call`.
 * The FFI's own `QTS_Call_MaybeAsync` cannot be used: for all-numeric signatures Emscripten's `cwrap` returns
 * the raw export, which yields 0 instead of a promise when the call suspends; `cwrap` with `{ async: true }`
 * goes through `ccall`, which notices the suspension (the path `QTS_Eval_MaybeAsync`, taking a string, always
 * takes). It relies on the context's internal `module`, `ffi`, `ctx` and `memory` members; a guard fails
 * loudly if a library upgrade renames them.
 */
import type { JSContextPointer, JSValuePointer, QuickJSAsyncFFI } from '@jitl/quickjs-ffi-types';
import type { QuickJSAsyncContext, QuickJSHandle } from 'quickjs-emscripten';

type AsyncCall = (ctx: JSContextPointer, fn: number, thisVal: number, argc: number, argv: number) => Promise<JSValuePointer> | JSValuePointer;

interface ContextInternals {
  module: { cwrap(name: string, ret: string, args: string[], opts: { async: true }): AsyncCall };
  ffi: QuickJSAsyncFFI;
  ctx: { value: JSContextPointer };
  memory: {
    toPointerArray(handles: QuickJSHandle[]): { value: number; dispose(): void };
    heapValueHandle(ptr: JSValuePointer): QuickJSHandle;
  };
}

function internals(context: QuickJSAsyncContext): ContextInternals {
  const c = context as unknown as Partial<ContextInternals>;
  if (typeof c.module?.cwrap !== 'function' || !c.ffi || !c.ctx || typeof c.memory?.toPointerArray !== 'function') {
    throw new Error('quickjs-emscripten internals changed: cannot call a function asynchronously');
  }
  return c as ContextInternals;
}

const asyncCalls = new WeakMap<object, AsyncCall>();

function asyncCall(module: ContextInternals['module']): AsyncCall {
  let call = asyncCalls.get(module);
  if (!call) {
    call = module.cwrap('QTS_Call', 'number', ['number', 'number', 'number', 'number', 'number'], { async: true });
    asyncCalls.set(module, call);
  }
  return call;
}

export type AsyncCallResult = { value: QuickJSHandle; error?: undefined } | { error: QuickJSHandle; value?: undefined };

/** `fn(...args)` with `this` undefined; the caller disposes the returned handle. */
export async function callFunctionAsync(context: QuickJSAsyncContext, fn: QuickJSHandle, args: QuickJSHandle[]): Promise<AsyncCallResult> {
  const { module, ffi, ctx, memory } = internals(context);
  // The argument array stays allocated until the call settles, suspensions included.
  const argv = memory.toPointerArray(args);
  try {
    const resultPtr = await asyncCall(module)(ctx.value, fn.value as number, context.undefined.value as number, args.length, argv.value);
    const errorPtr = ffi.QTS_ResolveException(ctx.value, resultPtr);
    if (errorPtr) {
      ffi.QTS_FreeValuePointer(ctx.value, resultPtr);
      return { error: memory.heapValueHandle(errorPtr) };
    }
    return { value: memory.heapValueHandle(resultPtr) };
  } finally {
    argv.dispose();
  }
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs `task` after every task queued before it. The asyncified wasm module can hold only one suspended call at
 * a time (its asyncify state is per module, shared by every runtime made from it), so async calls take turns.
 */
export function serialized<T>(task: () => Promise<T>): Promise<T> {
  const result = queue.then(task, task);
  queue = result.catch(() => undefined);
  return result;
}
