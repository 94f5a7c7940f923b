import { BusyError, ConstraintViolationError, InvalidCredentialsError, NoSuchObjectError, UnavailableError, UnwillingToPerformError } from 'ldapts';
import { isConnectionLoss, toConnectorError } from '../../../../src/connectors/ldap/errors';
import { InvalidDnError } from '../../../../src/connectors/ldap/escape';

describe('toConnectorError', () => {
  it.each([
    [new BusyError('busy'), 'retryable', 51],
    [new UnavailableError('down for maintenance'), 'retryable', 52],
    [new UnwillingToPerformError('no'), 'permanent', 53],
    [new NoSuchObjectError('no such object'), 'permanent', 32],
    [new ConstraintViolationError('too long'), 'permanent', 19],
    [new InvalidCredentialsError(), 'permanent', 49],
  ])('classifies %s', (error, kind, resultCode) => {
    const e = toConnectorError(error, 'modify of cn=x');
    expect(e.kind).toBe(kind);
    expect(e.details.resultCode).toBe(resultCode);
    expect(e.message).toMatch(/^LDAP modify of cn=x failed: /);
    expect(e.message).not.toMatch(/Code: 0x/);
  });

  it('keeps the server message', () => {
    expect(toConnectorError(new ConstraintViolationError('attribute too long'), 'add').message).toBe('LDAP add failed: constraintViolation (attribute too long)');
  });

  it('treats refused connections and timeouts as retryable connection losses', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    for (const e of [refused, new Error('Connection timeout'), new Error('SearchRequest: Operation timed out')]) {
      const c = toConnectorError(e, 'search');
      expect(c.kind).toBe('retryable');
      expect(isConnectionLoss(c)).toBe(true);
    }
    expect(isConnectionLoss(toConnectorError(new BusyError('busy'), 'search'))).toBe(false);
  });

  it('treats unknown local failures and bad DNs as permanent', () => {
    expect(toConnectorError(new Error('boom'), 'x').kind).toBe('permanent');
    expect(toConnectorError(new InvalidDnError('x', 'bad'), 'x').details.resultCode).toBe(34);
  });
});
