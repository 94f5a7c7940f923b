import { ResultCodeError } from 'ldapts';
import { ConnectorError } from '../types';
import { InvalidDnError } from './escape';

/** LDAP result codes (RFC 4511 §4.1.9) the connector reacts to by name. */
export const ResultCode = {
  operationsError: 1,
  timeLimitExceeded: 3,
  sizeLimitExceeded: 4,
  adminLimitExceeded: 11,
  unavailableCriticalExtension: 12,
  noSuchAttribute: 16,
  undefinedAttributeType: 17,
  inappropriateMatching: 18,
  constraintViolation: 19,
  typeOrValueExists: 20,
  invalidAttributeSyntax: 21,
  noSuchObject: 32,
  invalidDnSyntax: 34,
  invalidCredentials: 49,
  insufficientAccessRights: 50,
  busy: 51,
  unavailable: 52,
  unwillingToPerform: 53,
  loopDetect: 54,
  namingViolation: 64,
  objectClassViolation: 65,
  notAllowedOnNonLeaf: 66,
  notAllowedOnRdn: 67,
  entryAlreadyExists: 68,
  other: 80,
} as const;

/**
 * Transient server states worth retrying. Everything else the server answers is permanent: retrying the same
 * request against the same data gives the same answer (53 unwillingToPerform included: it is a policy refusal).
 */
const RETRYABLE_RESULT_CODES = new Set<number>([ResultCode.timeLimitExceeded, ResultCode.busy, ResultCode.unavailable]);

const RESULT_CODE_NAMES: Record<number, string> = Object.fromEntries(Object.entries(ResultCode).map(([name, code]) => [code, name]));

/** Socket-level failures of a reachable-in-principle server: refused, reset, timed out, unreachable, DNS hiccup. */
const RETRYABLE_NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'EAI_AGAIN']);

/** ldapts reports timeouts and dropped connections as plain Errors; these are their messages. */
const RETRYABLE_MESSAGES = [/connection timeout/i, /operation timed out/i, /socket error/i, /connection closed/i, /socket connection not established/i];

export function isResultCode(e: unknown, code: number): boolean {
  return e instanceof ResultCodeError && e.code === code;
}

/** ldapts appends " Code: 0x31" to the server's diagnostic message; the code goes to details instead. */
function serverMessage(e: ResultCodeError): string {
  return e.message.replace(/\s*Code: 0x[0-9a-f]+$/i, '').trim();
}

/**
 * Classifies any failure of an LDAP operation. `action` says what was attempted ("modify uid=x,..."), so the
 * message reads on its own in a task report.
 */
export function toConnectorError(e: unknown, action: string): ConnectorError {
  if (e instanceof ConnectorError) return e;
  if (e instanceof ResultCodeError) {
    const name = RESULT_CODE_NAMES[e.code] ?? `resultCode ${e.code}`;
    const text = serverMessage(e);
    const kind = RETRYABLE_RESULT_CODES.has(e.code) ? 'retryable' : 'permanent';
    return new ConnectorError(kind, `LDAP ${action} failed: ${name}${text && text !== name ? ` (${text})` : ''}`, {
      resultCode: e.code,
      code: name,
      cause: text,
    });
  }
  if (e instanceof InvalidDnError) return new ConnectorError('permanent', `LDAP ${action} failed: ${e.message}`, { code: 'invalidDnSyntax', resultCode: ResultCode.invalidDnSyntax });
  // Duck-typed, not `instanceof Error`: socket errors may come from another realm (Node core vs a jest/vm context).
  const { code, message } = errorFields(e);
  if ((code && RETRYABLE_NETWORK_CODES.has(code)) || RETRYABLE_MESSAGES.some((re) => re.test(message)))
    return new ConnectorError('retryable', `LDAP ${action} failed: server unreachable or connection lost (${message})`, { code: code ?? 'connection', cause: message });
  return new ConnectorError('permanent', `LDAP ${action} failed: ${message}`, { ...(code ? { code } : {}), cause: message });
}

function errorFields(e: unknown): { code?: string; message: string } {
  if (typeof e !== 'object' || e === null) return { message: String(e) };
  const { code, message } = e as { code?: unknown; message?: unknown };
  return { ...(typeof code === 'string' ? { code } : {}), message: typeof message === 'string' ? message : String(e) };
}

/** True for failures where the connection itself is gone, so the session must be rebuilt before the next call. */
export function isConnectionLoss(e: unknown): boolean {
  return e instanceof ConnectorError && e.retryable && e.details.resultCode === undefined;
}
