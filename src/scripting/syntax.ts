/**
 * Syntax check of a compute rule without running it (config validation calls this on every save).
 */
import { parse } from 'acorn';
import type { QuickJSContext } from 'quickjs-emscripten';
import { syncQuickJS } from './wasm-module';
import { RULE_FILE_NAME, WRAPPER_LINES_BEFORE, scriptLine, wrapRuleBody, wrapRuleBodyInBlock } from './wrapper';

export interface ScriptSyntaxError {
  /** 1-based, relative to the user's script. */
  line: number;
  /** 1-based; 1 when the column is not known (see columnOf). */
  column: number;
  message: string;
}

/**
 * The parser's stack limit. QuickJS parses recursively; without a limit of its own, a script nested a thousand levels
 * deep (`((((...`) overflows the host's stack inside the wasm module, which throws a RangeError out of it and leaves
 * the module's stack pointer behind. Measured: 32 KiB stops every shape tried (brackets, blocks, arrows, unary and
 * conditional chains) at 400 levels or more, before the host's stack; 16 KiB halves both, with twice the margin.
 */
const PARSE_STACK_BYTES = 16 * 1024;

let checkContext: QuickJSContext | undefined;

function context(): QuickJSContext {
  // One small context reused for every check: compiling without running leaves nothing behind in it.
  if (!checkContext) {
    const runtime = syncQuickJS().newRuntime();
    runtime.setMaxStackSize(PARSE_STACK_BYTES);
    checkContext = runtime.newContext();
  }
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
  const message = typeof err.message === 'string' ? err.message : String(dumped);
  return {
    lineNumber: typeof err.lineNumber === 'number' ? err.lineNumber : undefined,
    message: message === 'stack overflow' ? 'the script is nested too deeply to parse (brackets, blocks or operator chains)' : message,
  };
}

/** Returns null when `script` is a valid JavaScript function body (strict mode), else where and why it is not. */
export function checkSyntax(script: string): ScriptSyntaxError | null {
  const ctx = context();
  const toError = (source: string, found: { lineNumber?: number; message: string }, prefix = ''): ScriptSyntaxError => {
    const wrappedLine = found.lineNumber ?? WRAPPER_LINES_BEFORE + 1;
    if (wrappedLine - WRAPPER_LINES_BEFORE > script.split('\n').length) return endOfScript(script, prefix);
    const line = scriptLine(wrappedLine, script);
    return { line, column: line === wrappedLine - WRAPPER_LINES_BEFORE ? columnOf(source, wrappedLine) : 1, message: prefix + found.message };
  };
  const plain = compileOnly(ctx, wrapRuleBody(script));
  if (plain) return toError(wrapRuleBody(script), plain);
  const blocked = compileOnly(ctx, wrapRuleBodyInBlock(script));
  return blocked ? toError(wrapRuleBodyInBlock(script), blocked, 'unbalanced closing brace: ') : null;
}

/**
 * An error found past the script's last line is found in the wrapper's closing text, and QuickJS names a token of it
 * (`'}'`, `')'`) that the user never wrote: it is reported where the script ends, as what it is.
 */
function endOfScript(script: string, prefix: string): ScriptSyntaxError {
  const lines = script.trimEnd().split('\n');
  return {
    line: lines.length,
    column: lines.at(-1)!.length + 1,
    message: `${prefix}unexpected end of the script: a bracket, block, string or expression is not closed`,
  };
}

/**
 * QuickJS, which decides whether a script is valid, names the line of a syntax error but not the column. acorn, a
 * standard parser, is asked where it stops in the same source; its column is used when it stops on the same line
 * (the wrapper adds no column offset to the user's lines), else the column is unknown (1).
 */
function columnOf(source: string, wrappedLine: number): number {
  try {
    parse(source, { ecmaVersion: 'latest', sourceType: 'script', locations: true });
  } catch (e) {
    const loc = (e as { loc?: { line: number; column: number } }).loc;
    if (e instanceof SyntaxError && loc?.line === wrappedLine) return loc.column + 1;
  }
  return 1;
}
