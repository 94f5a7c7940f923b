/**
 * Loading the QuickJS wasm modules (sync and asyncified variants), once per process each.
 *
 * Both are instantiated synchronously instead of through the variants' loaders: `checkSyntax` (called on every
 * configuration save) can then stay a plain synchronous function, and no dynamic `import()` is involved (the
 * variants' loaders use one, which jest's CommonJS runtime refuses). Node compiles a wasm module of this size
 * synchronously without complaint, and the Emscripten factory fills in the object it is given as soon as
 * `instantiateWasm` hands it an instance.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { EitherFFI, EitherModule, EmscriptenModuleLoader, QuickJSAsyncEmscriptenModule, QuickJSAsyncFFI, QuickJSEmscriptenModule, QuickJSFFI } from '@jitl/quickjs-ffi-types';
import { QuickJSAsyncWASMModule, QuickJSWASMModule } from 'quickjs-emscripten';

/** The slice of the WebAssembly global we use (the project's `lib` has no DOM/WebAssembly typings). */
interface WasmInstance {
  exports: unknown;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: unknown) => WasmInstance;
}
const Wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let syncModule: QuickJSWASMModule | undefined;
let asyncModule: QuickJSAsyncWASMModule | undefined;

/** The sync QuickJS module: every rule that needs no async host call. */
export function syncQuickJS(): QuickJSWASMModule {
  if (!syncModule) {
    const { module, ffi } = instantiate<QuickJSEmscriptenModule, QuickJSFFI>('@jitl/quickjs-wasmfile-release-sync', 'sync');
    syncModule = new QuickJSWASMModule(module, ffi);
  }
  return syncModule;
}

/** The asyncified QuickJS module (slower; only for rules that await host calls such as ObjectFinder.find). */
export function asyncQuickJS(): QuickJSAsyncWASMModule {
  if (!asyncModule) {
    const { module, ffi } = instantiate<QuickJSAsyncEmscriptenModule, QuickJSAsyncFFI>('@jitl/quickjs-wasmfile-release-asyncify', 'async');
    asyncModule = new QuickJSAsyncWASMModule(module, ffi);
  }
  return asyncModule;
}

function instantiate<M extends EitherModule, F extends EitherFFI>(variant: string, type: 'sync' | 'async'): { module: M; ffi: F } {
  const dist = join(dirname(require.resolve(`${variant}/package.json`)), 'dist');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the loader is CommonJS; loaded once, lazily
  const loader = require(join(dist, 'emscripten-module.cjs')) as EmscriptenModuleLoader<M>;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- tsc's `node` resolution cannot see this exports-map entry
  const { QuickJSFFI, QuickJSAsyncFFI } = require(`${variant}/ffi`) as Record<string, (new (module: M) => F) | undefined>;
  const FFI = type === 'sync' ? QuickJSFFI : QuickJSAsyncFFI;
  if (!FFI) throw new Error(`${variant} has no FFI class for a ${type} module`);
  const wasmBinary = readFileSync(join(dist, 'emscripten-module.wasm'));
  const moduleArg: Record<string, unknown> = {
    wasmBinary,
    // Return what receiveInstance returns: the asyncify build wraps the exports there, and Emscripten keeps
    // whatever this callback returns as the module's exports.
    instantiateWasm: (imports: unknown, receiveInstance: (instance: WasmInstance) => unknown) =>
      receiveInstance(new Wasm.Instance(new Wasm.Module(wasmBinary), imports)),
  };
  // The promise resolves to moduleArg itself; we use moduleArg right away, so only keep a failure from going unhandled.
  loader(moduleArg as Partial<M>).catch(() => undefined);
  if (typeof moduleArg['cwrap'] !== 'function') throw new Error(`${variant} did not initialize synchronously`);
  moduleArg['type'] = type;
  const module = moduleArg as unknown as M;
  return { module, ffi: new FFI(module) };
}
