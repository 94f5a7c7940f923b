import { diffAccount, diffMemberships, recordable } from '../../../src/engine/outbound/account-diff';

const oc = 'inetOrgPerson';
const desired = {
  __NAME__: 'uid=jdoe,ou=people,dc=example,dc=com',
  __AUXILIARY_OBJECT_CLASS__: ['person', 'organizationalPerson'],
  uid: 'jdoe',
  mail: ['b@example.com', 'a@example.com'],
  description: null,
  __PASSWORD__: 's3cret',
};

describe('outbound account diff', () => {
  it('the record of a write compares equal to what was written: nothing to change', () => {
    expect(diffAccount(desired, recordable(desired), { recorded: true, objectClassId: oc })).toEqual({ newName: null, changes: [] });
  });

  it('never records a password in clear', () => {
    const r = recordable(desired);
    expect(r.__PASSWORD__).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(JSON.stringify(r)).not.toContain('s3cret');
  });

  it('changes only what differs: one attribute, in any value order', () => {
    const changed = { ...desired, mail: ['a@example.com', 'c@example.com'] };
    expect(diffAccount(changed, recordable(desired), { recorded: true, objectClassId: oc })).toEqual({
      newName: null,
      changes: [{ op: 'replace', name: 'mail', values: ['a@example.com', 'c@example.com'] }],
    });
  });

  it('a different DN is a rename (compared as a DN: case and spaces do not count)', () => {
    const same = { ...desired, __NAME__: 'UID=jdoe, ou=People,dc=example,dc=com' };
    expect(diffAccount(same, recordable(desired), { recorded: true, objectClassId: oc }).newName).toBeNull();
    const moved = { ...desired, __NAME__: 'uid=john,ou=people,dc=example,dc=com' };
    expect(diffAccount(moved, recordable(desired), { recorded: true, objectClassId: oc })).toEqual({ newName: 'uid=john,ou=people,dc=example,dc=com', changes: [] });
  });

  it('a changed password is written in clear, a null value removes the attribute', () => {
    const changed = { ...desired, __PASSWORD__: 'other', description: 'now set' };
    const recorded = recordable(desired);
    expect(diffAccount(changed, recorded, { recorded: true, objectClassId: oc }).changes).toEqual([
      { op: 'replace', name: 'description', values: ['now set'] },
      { op: 'replace', name: '__PASSWORD__', values: ['other'] },
    ]);
    const cleared = diffAccount(desired, recordable(changed), { recorded: true, objectClassId: oc }).changes;
    expect(cleared).toContainEqual({ op: 'replace', name: 'description', values: [] });
  });

  it('against an account read from the directory: names case-insensitive, implicit object classes ignored, password always set', () => {
    const read = {
      __UID__: 'u-1',
      __NAME__: 'uid=jdoe,ou=people,dc=example,dc=com',
      __AUXILIARY_OBJECT_CLASS__: ['organizationalPerson', 'person'],
      UID: 'jdoe',
      mail: ['a@example.com', 'b@example.com'],
    };
    expect(diffAccount(desired, read, { recorded: false, objectClassId: oc }).changes).toEqual([{ op: 'replace', name: '__PASSWORD__', values: ['s3cret'] }]);
  });

  it('memberships: adds the missing, removes the extra, DNs compared as DNs', () => {
    expect(diffMemberships(['cn=a,dc=x', 'cn=b,dc=x'], ['CN=A, dc=x', 'cn=c,dc=x'])).toEqual({ add: ['cn=b,dc=x'], remove: ['cn=c,dc=x'] });
  });
});
