/**
 * How a rule body (SPEC.md §3.9: a JavaScript function body) becomes a function. checkSyntax and the engine
 * share this so that what passes validation on save is exactly what compiles at run time.
 */

/** The names a rule sees, in the order the sandbox passes them. Parameters, not globals: a script that
 * reassigns one (`SyncAction = 1`) changes only its own binding for that one call. */
export const RULE_PARAMETERS = [
  'ACCOUNT',
  'IDM_OBJECT',
  'VALUE',
  'OBJECT_TYPE',
  'SITUATION',
  'CORRELATION_METADATA',
  'SyncAction',
  'ObjectFinder',
  'CorrelationResult',
] as const;

/** The file name QuickJS puts in stack traces of rule code, used to find the rule's own line in an error. */
export const RULE_FILE_NAME = 'rule.js';

/** Lines the wrapper puts before the user's script; reported lines are shifted back by this. */
export const WRAPPER_LINES_BEFORE = 1;

// Strict mode: assigning an undeclared name, writing to a frozen intrinsic or using `this` as the global
// object fails loudly instead of silently doing something else.
const HEAD = `(function (${RULE_PARAMETERS.join(', ')}) { 'use strict';`;

/** The source of a function expression whose body is the user's script. */
export function wrapRuleBody(script: string): string {
  return `${HEAD}\n${script}\n})`;
}

/**
 * A body that closes the wrapper early (`}); evil(); (function () {`) parses fine inside `wrapRuleBody`.
 * Inside an extra block any such escape becomes a syntax error, so a body valid in both is a genuine body.
 */
export function wrapRuleBodyInBlock(script: string): string {
  return `${HEAD} {\n${script}\n}})`;
}

/** Maps a line of the wrapped source to a 1-based line of the user's script (clamped to the script). */
export function scriptLine(wrappedLine: number, script: string): number {
  const lineCount = script.split('\n').length;
  return Math.min(Math.max(wrappedLine - WRAPPER_LINES_BEFORE, 1), lineCount);
}
