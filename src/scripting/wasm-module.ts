/**
 * Loading the QuickJS wasm modules.
 *
 * The sync variant is instantiated synchronously so that `checkSyntax` (called on every configuration save) can
 * stay a plain synchronous function: Node compiles a wasm module of this size synchronously without complaint,
 * and the Emscripten factory fills in the object it is given as soon as `instantiateWasm` hands it an instance.
 * The asyncified variant (needed only where a rule awaits a host call) is loaded the documented, async way.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { EmscriptenModuleLoader, QuickJSEmscriptenModule, QuickJSFFI } from '@jitl/quickjs-ffi-types';
import {
  QuickJSWASMModule,
  newQuickJSAsyncWASMModuleFromVariant,
  type QuickJSAsyncWASMModule,
} from 'quickjs-emscripten';
import RELEASE_ASYNC from '@jitl/quickjs-wasmfile-release-asyncify';

const SYNC_VARIANT = '@jitl/quickjs-wasmfile-release-sync';

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
let asyncModule: Promise<QuickJSAsyncWASMModule> | undefined;

/** The sync QuickJS module, instantiated once per process on first use (synchronously). */
export function syncQuickJS(): QuickJSWASMModule {
  if (!syncModule) syncModule = instantiateSyncVariant();
  return syncModule;
}

/** The asyncified QuickJS module (slower; only for rules that await host calls such as ObjectFinder.find). */
export function asyncQuickJS(): Promise<QuickJSAsyncWASMModule> {
  asyncModule ??= newQuickJSAsyncWASMModuleFromVariant(RELEASE_ASYNC);
  return asyncModule;
}

function instantiateSyncVariant(): QuickJSWASMModule {
  const dist = join(dirname(require.resolve(`${SYNC_VARIANT}/package.json`)), 'dist');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the loader is CommonJS; loaded once, lazily
  const loader = require(join(dist, 'emscripten-module.cjs')) as EmscriptenModuleLoader<QuickJSEmscriptenModule>;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- tsc's `node` resolution cannot see this exports-map entry
  const { QuickJSFFI: FFI } = require(`${SYNC_VARIANT}/ffi`) as { QuickJSFFI: new (module: QuickJSEmscriptenModule) => QuickJSFFI };
  const wasmBinary = readFileSync(join(dist, 'emscripten-module.wasm'));
  const moduleArg: Record<string, unknown> = {
    wasmBinary,
    instantiateWasm(imports: unknown, receiveInstance: (instance: WasmInstance) => void) {
      const instance = new Wasm.Instance(new Wasm.Module(wasmBinary), imports);
      receiveInstance(instance);
      return instance.exports;
    },
  };
  // The promise resolves to moduleArg itself; we use moduleArg right away, so only keep a failure from going unhandled.
  loader(moduleArg as Partial<QuickJSEmscriptenModule>).catch(() => undefined);
  if (typeof moduleArg['cwrap'] !== 'function') throw new Error('QuickJS sync variant did not initialize synchronously');
  const emscriptenModule = moduleArg as unknown as QuickJSEmscriptenModule & { type: 'sync' };
  emscriptenModule.type = 'sync';
  return new QuickJSWASMModule(emscriptenModule, new FFI(emscriptenModule));
}
