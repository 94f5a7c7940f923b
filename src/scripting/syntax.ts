/**
 * Syntax check of a compute rule without running it (config validation calls this on every save).
 */
import type { QuickJSContext } from 'quickjs-emscripten';
import { syncQuickJS } from './wasm-module';

export interface ScriptSyntaxError {
  /** 1-based, relative to the user's script. */
  line: number;
  /** 1-based; QuickJS reports lines only, so this is 1 unless the error is an unbalanced brace. */
  column: number;
  message: string;
}

/** Lines the wrapper adds before the user's script; line numbers QuickJS reports are shifted back by this. */
export const WRAPPER_LINES_BEFORE = 1;
export const RULE_FILE_NAME = 'rule.js';

/** The source that turns a rule body into a function expression. */
export function wrapRuleBody(script: string): string {
  return `(function () {\n${script}\n})`;
}

/**
 * A body that closes the wrapper early (`}); evil(); (function () {`) parses fine inside `wrapRuleBody`.
 * Wrapping it in a second, extra block makes any such escape a syntax error, so a body valid in both is a
 * genuine function body.
 */
function wrapRuleBodyInBlock(script: string): string {
  return `(function () {{\n${script}\n}})`;
}

let checkContext: QuickJSContext | undefined;

function context(): QuickJSContext {
  // One small context reused for every check: compiling without running leaves nothing behind in it.
  checkContext ??= syncQuickJS().newContext();
  return checkContext;
}

/** Compiles `source` in `ctx` without running it; returns the QuickJS syntax error, if any. */
export function compileOnly(ctx: QuickJSContext, source: string): { lineNumber?: number; message: string } | null {
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

/** Returns null when `script` is a valid JavaScript function body, else where and why it is not. */
export function checkSyntax(script: string): ScriptSyntaxError | null {
  const lineCount = script.split('\n').length;
  const toScriptLine = (fileLine: number | undefined): number =>
    Math.min(Math.max((fileLine ?? WRAPPER_LINES_BEFORE + 1) - WRAPPER_LINES_BEFORE, 1), lineCount);

  const ctx = context();
  const plain = compileOnly(ctx, wrapRuleBody(script));
  if (plain) return { line: toScriptLine(plain.lineNumber), column: 1, message: plain.message };
  const blocked = compileOnly(ctx, wrapRuleBodyInBlock(script));
  if (blocked) return { line: toScriptLine(blocked.lineNumber), column: 1, message: `unbalanced closing brace: ${blocked.message}` };
  return null;
}
