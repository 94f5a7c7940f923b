import type { Change } from 'ldapts';
import { ldapPropertiesSchema } from '../../../../src/config/connector-properties';
import { buildAddRequest, buildUpdatePlan, type CurrentEntry } from '../../../../src/connectors/ldap/modifications';
import { ConnectorError } from '../../../../src/connectors/types';

const props = ldapPropertiesSchema.parse({ url: 'ldap://localhost', baseDn: 'dc=example,dc=com' });
const withStrategy = ldapPropertiesSchema.parse({
  url: 'ldap://localhost',
  baseDn: 'dc=example,dc=com',
  disableStrategy: { attribute: 'description', disabledValue: 'DISABLED', enabledValue: 'ENABLED' },
});

/** Changes as plain data, to assert on values. */
const plain = (changes: Change[]) => changes.map((c) => ({ op: c.operation, type: c.modification.type, values: c.modification.values }));

function entry(values: Record<string, string[]>, dn = 'uid=jd,ou=people,dc=example,dc=com'): CurrentEntry {
  return { dn, values: (a) => values[Object.keys(values).find((k) => k.toLowerCase() === a.toLowerCase()) ?? ''] ?? [] };
}

describe('buildAddRequest', () => {
  it('takes the DN from __NAME__, objectClass from the id plus auxiliaries, maps password and enable', () => {
    const req = buildAddRequest(withStrategy, 'inetOrgPerson', {
      __NAME__: 'uid=jd,ou=people,dc=example,dc=com',
      __AUXILIARY_OBJECT_CLASS__: ['posixAccount', 'inetOrgPerson'],
      __PASSWORD__: 's3cret',
      __ENABLE__: false,
      __UID__: 'ignored, entryUUID is generated',
      cn: 'John Doe',
      mail: ['a@x', 'b@x'],
      uidNumber: 1000,
      title: null,
    });
    expect(req).toEqual({
      dn: 'uid=jd,ou=people,dc=example,dc=com',
      attributes: {
        objectClass: ['inetOrgPerson', 'posixAccount'],
        userPassword: ['s3cret'],
        description: ['DISABLED'],
        cn: ['John Doe'],
        mail: ['a@x', 'b@x'],
        uidNumber: ['1000'],
      },
    });
  });

  it('requires a DN in __NAME__', () => {
    expect(() => buildAddRequest(props, 'inetOrgPerson', { cn: 'x' })).toThrow(/__NAME__ must hold exactly one DN/);
    expect(() => buildAddRequest(props, 'inetOrgPerson', { __NAME__: 'not a dn' })).toThrow(/invalid DN/);
  });

  it('refuses a disabled account without disableStrategy but accepts an enabled one', () => {
    expect(() => buildAddRequest(props, 'person', { __NAME__: 'cn=a,dc=x', __ENABLE__: false })).toThrow('inactivation not supported: no disableStrategy');
    expect(buildAddRequest(props, 'person', { __NAME__: 'cn=a,dc=x', __ENABLE__: true }).attributes).toEqual({ objectClass: ['person'] });
  });

  it('rejects unknown built-ins', () => {
    expect(() => buildAddRequest(props, 'person', { __NAME__: 'cn=a,dc=x', __FOO__: 'x' })).toThrow(ConnectorError);
  });
});

describe('buildUpdatePlan', () => {
  const current = entry({ objectClass: ['inetOrgPerson', 'posixAccount'], mail: ['a@x'], cn: ['John'] });

  it('drops adds of present values and removes of absent ones (idempotent)', () => {
    const plan = buildUpdatePlan(props, 'inetOrgPerson', current, [
      { op: 'add', name: 'mail', values: ['A@x', 'b@x'] },
      { op: 'remove', name: 'mail', values: ['zzz'] },
      { op: 'remove', name: 'title', values: [] },
    ]);
    expect(plain(plan.changes)).toEqual([{ op: 'add', type: 'mail', values: ['b@x'] }]);
    expect(plan.newDn).toBeUndefined();
  });

  it('follows the state change after change', () => {
    const plan = buildUpdatePlan(props, 'inetOrgPerson', current, [
      { op: 'replace', name: 'mail', values: ['c@x'] },
      { op: 'add', name: 'mail', values: ['a@x'] },
      { op: 'remove', name: 'mail', values: [] },
    ]);
    expect(plain(plan.changes)).toEqual([
      { op: 'replace', type: 'mail', values: ['c@x'] },
      { op: 'add', type: 'mail', values: ['a@x'] },
      { op: 'delete', type: 'mail', values: [] },
    ]);
  });

  it('renames only when __NAME__ names another DN', () => {
    expect(buildUpdatePlan(props, 'inetOrgPerson', current, [{ op: 'replace', name: '__NAME__', values: ['UID=jd, ou=People,dc=example,dc=com'] }]).newDn).toBeUndefined();
    expect(buildUpdatePlan(props, 'inetOrgPerson', current, [{ op: 'replace', name: '__NAME__', values: ['uid=jd2,ou=staff,dc=example,dc=com'] }]).newDn).toBe(
      'uid=jd2,ou=staff,dc=example,dc=com',
    );
    expect(() => buildUpdatePlan(props, 'inetOrgPerson', current, [{ op: 'add', name: '__NAME__', values: ['cn=x'] }])).toThrow(/can only be replaced/);
  });

  it('turns an auxiliary class replace into objectClass adds and deletes, never touching the main class', () => {
    const plan = buildUpdatePlan(props, 'inetOrgPerson', current, [{ op: 'replace', name: '__AUXILIARY_OBJECT_CLASS__', values: ['shadowAccount'] }]);
    expect(plain(plan.changes)).toEqual([
      { op: 'delete', type: 'objectClass', values: ['posixAccount'] },
      { op: 'add', type: 'objectClass', values: ['shadowAccount'] },
    ]);
  });

  it('writes __ENABLE__ through the disableStrategy, and refuses it without one', () => {
    const plan = buildUpdatePlan(withStrategy, 'inetOrgPerson', current, [{ op: 'replace', name: '__ENABLE__', values: [false] }]);
    expect(plain(plan.changes)).toEqual([{ op: 'replace', type: 'description', values: ['DISABLED'] }]);
    expect(() => buildUpdatePlan(props, 'inetOrgPerson', current, [{ op: 'replace', name: '__ENABLE__', values: [true] }])).toThrow(
      'inactivation not supported: no disableStrategy',
    );
  });

  it('refuses to change the uid', () => {
    expect(() => buildUpdatePlan(props, 'inetOrgPerson', current, [{ op: 'replace', name: '__UID__', values: ['x'] }])).toThrow('__UID__ is read-only');
  });
});
