/** Turning sandbox failures into the AppErrors SPEC.md §2 users see, naming the rule and its line. */
import { AppError } from '../errors';
import { ResultTypeError } from './results';
import { SandboxError, type SandboxLimits } from './sandbox';
import { checkSyntax } from './syntax';
import { RULE_FILE_NAME, scriptLine } from './wrapper';

const RULE_FRAME = new RegExp(`${RULE_FILE_NAME.replace('.', '\\.')}:(\\d+)`);

/** The script line of the innermost frame in the rule's own code, if the stack has one. */
function lineOf(err: SandboxError, script: string): number | undefined {
  const match = err.stack_ ? RULE_FRAME.exec(err.stack_) : null;
  return match?.[1] ? scriptLine(Number(match[1]), script) : undefined;
}

function causeOf(err: SandboxError, limits: SandboxLimits): string {
  if (err.fatal && /interrupted/i.test(err.message)) return `ran past its time limit of ${limits.timeoutMs} ms`;
  if (err.fatal && /out of memory/i.test(err.message)) return `ran out of memory (limit ${limits.memoryLimitBytes} bytes)`;
  if (err.fatal && /stack overflow/i.test(err.message)) return 'exceeded the stack limit (recursion too deep)';
  return `${err.errorName}: ${err.message}`;
}

/** AppError SCRIPT_ERROR for a failed evaluation: { rule, line (when known), cause }. */
export function scriptError(location: string, script: string, err: unknown, limits: SandboxLimits): AppError {
  let cause: string;
  let line: number | undefined;
  if (err instanceof SandboxError) {
    cause = causeOf(err, limits);
    line = lineOf(err, script);
  } else if (err instanceof ResultTypeError) {
    cause = `returned the wrong type: it ${err.message}`;
  } else {
    cause = err instanceof Error ? err.message : String(err);
  }
  const where = line === undefined ? '' : ` at line ${line}`;
  return new AppError('SCRIPT_ERROR', `Compute rule ${location} failed${where}: ${cause}`, {
    rule: location,
    ...(line === undefined ? {} : { line }),
    cause,
  });
}

/** AppError VALIDATION_ERROR { path, line, column, reason } when `script` does not compile, else undefined. */
export function syntaxError(location: string, script: string): AppError | undefined {
  const found = checkSyntax(script);
  if (!found) return undefined;
  return new AppError('VALIDATION_ERROR', `${location}: syntax error at line ${found.line}: ${found.message}`, {
    path: location,
    line: found.line,
    column: found.column,
    reason: found.message,
  });
}
