/**
 * Syntax check of a compute rule without running it (config validation calls this on every save).
 */
import type { QuickJSContext } from 'quickjs-emscripten';
import { syncQuickJS } from './wasm-module';
import { RULE_FILE_NAME, WRAPPER_LINES_BEFORE, scriptLine, wrapRuleBody, wrapRuleBodyInBlock } from './wrapper';

export interface ScriptSyntaxError {
  /** 1-based, relative to the user's script. */
  line: number;
  /** 1-based. QuickJS reports lines only, so this is always 1. */
  column: number;
  message: string;
}

let checkContext: QuickJSContext | undefined;

function context(): QuickJSContext {
  // One small context reused for every check: compiling without running leaves nothing behind in it.
  checkContext ??= syncQuickJS().newContext();
  return checkContext;
}

/** Compiles `source` in `ctx` without running it; returns the QuickJS syntax error, if any. */
function compileOnly(ctx: QuickJSContext, source: string): { lineNumber?: number; message: string } | null {
  const result = ctx.evalCode(source, RULE_FILE_NAME, { compileOnly: true });
  if (!result.error) {
    result.value.dispose();
    return null;
  }
  const dumped: unknown = ctx.dump(result.error);
  result.error.dispose();
  const err = (dumped ?? {}) as { lineNumber?: unknown; message?: unknown };
  return {
    lineNumber: typeof err.lineNumber === 'number' ? err.lineNumber : undefined,
    message: typeof err.message === 'string' ? err.message : String(dumped),
  };
}

/** Returns null when `script` is a valid JavaScript function body (strict mode), else where and why it is not. */
export function checkSyntax(script: string): ScriptSyntaxError | null {
  const ctx = context();
  const toError = (found: { lineNumber?: number; message: string }, prefix = ''): ScriptSyntaxError => ({
    line: scriptLine(found.lineNumber ?? WRAPPER_LINES_BEFORE + 1, script),
    column: 1,
    message: prefix + found.message,
  });
  const plain = compileOnly(ctx, wrapRuleBody(script));
  if (plain) return toError(plain);
  const blocked = compileOnly(ctx, wrapRuleBodyInBlock(script));
  return blocked ? toError(blocked, 'unbalanced closing brace: ') : null;
}
