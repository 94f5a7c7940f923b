/**
 * The ScriptEngine of types.ts: compile a rule once, evaluate it many times in a QuickJS sandbox.
 *
 * Rules that need no async host call run on the sync QuickJS variant (much faster); custom correlation, the
 * only kind that may call ObjectFinder.find, runs on the asyncified variant. Each variant gets one sandbox per
 * engine, created on first use and replaced after an error that may have left it unusable; rules compiled into
 * a replaced sandbox are compiled again on their next evaluation.
 */
import type { QuickJSAsyncWASMModule, QuickJSHandle, QuickJSWASMModule } from 'quickjs-emscripten';
import { AppError } from '../errors';
import { serialized } from './async-call';
import { contextNamesUsed, type ContextName } from './context-use';
import { hostFindFor } from './object-finder';
import { checkResult, parseEnvelope } from './results';
import { CONTEXT_NAMES, Sandbox, SandboxError, type SandboxLimits } from './sandbox';
import { scriptError, syntaxError } from './script-errors';
import type { CompiledRule, ObjectFinderFn, RuleKind, RuleResults, ScriptContext, ScriptEngine } from './types';
import { asyncQuickJS, syncQuickJS } from './wasm-module';

export interface ScriptEngineOptions {
  /** CPU deadline per evaluation (time in ObjectFinder host calls excluded). */
  timeoutMs?: number;
  /** Memory limit of each QuickJS runtime. */
  memoryLimitBytes?: number;
  /** Stack limit of each QuickJS runtime (bounds recursion depth). */
  maxStackBytes?: number;
}

export const DEFAULT_LIMITS: SandboxLimits = {
  timeoutMs: 100,
  memoryLimitBytes: 32 * 1024 * 1024,
  // QuickJS measures its own stack, but each of its frames also takes host (V8) stack: at 512 KB a deep
  // recursion overflowed Node's stack first and corrupted the runtime; 256 KB stops it at ~1,500 frames.
  maxStackBytes: 256 * 1024,
};

/** Kinds whose scripts may await a host call, hence run on the asyncified variant. */
const ASYNC_KINDS: ReadonlySet<RuleKind> = new Set<RuleKind>(['correlation']);

/** One sandbox, created lazily and replaced after a fatal error; `generation` tells rules to recompile. */
class SandboxSlot {
  private sandbox: Sandbox | undefined;
  generation = 0;

  constructor(private readonly create: () => Sandbox) {}

  get(): Sandbox {
    if (!this.sandbox?.alive) {
      this.sandbox = this.create();
      this.generation++;
    }
    return this.sandbox;
  }

  discard(): void {
    this.sandbox?.dispose();
    this.sandbox = undefined;
  }
}

class Rule<K extends RuleKind> implements CompiledRule<K> {
  private handle: QuickJSHandle | undefined;
  private compiledIn = -1;
  /** the context names the script can read: only those are copied into the sandbox */
  readonly contextNames: ReadonlySet<ContextName>;

  constructor(
    readonly kind: K,
    readonly location: string,
    private readonly script: string,
    private readonly slot: SandboxSlot,
    private readonly limits: SandboxLimits,
    private readonly purity: { impure: number; evaluated: number },
  ) {
    this.contextNames = contextNamesUsed(script, CONTEXT_NAMES);
    this.compiledHandle();
  }

  evaluate(context: ScriptContext, opts?: { objectFinder?: ObjectFinderFn }): Promise<RuleResults[K]> {
    if (!ASYNC_KINDS.has(this.kind)) {
      try {
        return Promise.resolve(this.evaluateSync(context));
      } catch (err) {
        return Promise.reject(err as Error);
      }
    }
    // One suspended call at a time per asyncified module: the whole evaluation (sandbox, compile, call) takes turns.
    return serialized(() => this.evaluateAsync(context, opts?.objectFinder));
  }

  private evaluateSync(context: ScriptContext): RuleResults[K] {
    return this.checked(this.guard(() => this.slot.get().call(this.compiledHandle(), context, this.contextNames)));
  }

  private async evaluateAsync(context: ScriptContext, finder: ObjectFinderFn | undefined): Promise<RuleResults[K]> {
    const hostFind = finder ? hostFindFor(finder) : null;
    let envelope: string;
    try {
      envelope = await this.slot.get().callAsync(this.compiledHandle(), context, this.contextNames, hostFind);
    } catch (err) {
      throw this.failed(err);
    }
    return this.checked(envelope);
  }

  /** The rule's function handle in the current sandbox, compiling it there if the sandbox is new. */
  private compiledHandle(): QuickJSHandle {
    const sandbox = this.slot.get();
    if (!this.handle || this.compiledIn !== this.slot.generation) {
      this.handle = this.guard(() => sandbox.compile(this.script));
      this.compiledIn = this.slot.generation;
    }
    return this.handle;
  }

  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      throw this.failed(err);
    }
  }

  /** The AppError for a failed call; a sandbox QuickJS may have left unusable is replaced first. */
  private failed(err: unknown): AppError {
    if (!(err instanceof SandboxError) || err.fatal) this.slot.discard();
    return err instanceof AppError ? err : scriptError(this.location, this.script, err, this.limits);
  }

  private checked(envelope: string): RuleResults[K] {
    try {
      const returned = parseEnvelope(envelope);
      this.purity.evaluated++;
      if (returned.impure) this.purity.impure++;
      return checkResult(this.kind, returned);
    } catch (err) {
      throw scriptError(this.location, this.script, err, this.limits);
    }
  }
}

class QuickJSScriptEngine implements ScriptEngine {
  private readonly purity = { impure: 0, evaluated: 0 };
  private readonly syncSlot: SandboxSlot;
  private readonly asyncSlot: SandboxSlot;
  private disposed = false;

  constructor(
    private readonly limits: SandboxLimits,
    syncModule: QuickJSWASMModule,
    asyncModule: QuickJSAsyncWASMModule,
  ) {
    this.syncSlot = new SandboxSlot(() => Sandbox.sync(syncModule, limits));
    this.asyncSlot = new SandboxSlot(() => Sandbox.async(asyncModule, limits));
  }

  compile<K extends RuleKind>(kind: K, script: string, location: string): CompiledRule<K> {
    if (this.disposed) throw new Error('ScriptEngine is disposed');
    const invalid = syntaxError(location, script);
    if (invalid) throw invalid;
    return new Rule(kind, location, script, ASYNC_KINDS.has(kind) ? this.asyncSlot : this.syncSlot, this.limits, this.purity);
  }

  get impureEvaluations(): number {
    return this.purity.impure;
  }

  get evaluations(): number {
    return this.purity.evaluated;
  }

  dispose(): void {
    this.disposed = true;
    this.syncSlot.discard();
    this.asyncSlot.discard();
  }
}

/** Loads the QuickJS wasm modules (once per process) and returns an engine with the given limits. */
export async function createScriptEngine(opts: ScriptEngineOptions = {}): Promise<ScriptEngine> {
  const limits: SandboxLimits = {
    timeoutMs: opts.timeoutMs ?? DEFAULT_LIMITS.timeoutMs,
    memoryLimitBytes: opts.memoryLimitBytes ?? DEFAULT_LIMITS.memoryLimitBytes,
    maxStackBytes: opts.maxStackBytes ?? DEFAULT_LIMITS.maxStackBytes,
  };
  return new QuickJSScriptEngine(limits, syncQuickJS(), await Promise.resolve(asyncQuickJS()));
}
