import { createLdapConnector, sameDn } from '../../../src/connectors/ldap';
import type { Connector } from '../../../src/connectors/types';
import { testEnv } from '../../harness/env';
import { createSubtree, deleteSubtree, ldapadd, ldapProps, ldapsearch, personLdif } from './ldap-support';

jest.setTimeout(60_000);

const OC = 'inetOrgPerson';

describe('LDAP connector: provisioning verified with ldapsearch', () => {
  const ldap = testEnv().ldap;
  let tree: { base: string; people: string; groups: string };
  let connector: Connector;

  /** The entry as the command-line client sees it (null when absent). */
  const entry = async (dn: string) => (await ldapsearch(ldap, dn, '(objectClass=*)', ['*', '+'], 'base'))[0] ?? null;
  const members = async (groupDn: string) => (await entry(groupDn))?.member ?? [];

  beforeAll(async () => {
    tree = await createSubtree(ldap, 'ldaptest-prov');
    await ldapadd(ldap, `dn: cn=seed,${tree.people}\nobjectClass: person\ncn: seed\nsn: seed\n`);
    const groups = ['staff', 'admins'].map((cn) => `dn: cn=${cn},${tree.groups}\nobjectClass: groupOfNames\ncn: ${cn}\nmember: cn=seed,${tree.people}\n`);
    await ldapadd(ldap, groups.join('\n'));
    connector = createLdapConnector(
      ldapProps(ldap, {
        baseDn: tree.people,
        groupBaseDn: tree.groups,
        disableStrategy: { attribute: 'employeeType', disabledValue: 'disabled', enabledValue: 'active' },
      }),
    );
  });

  afterAll(async () => {
    await connector.close();
    await deleteSubtree(ldap, tree.base);
  });

  it('creates an entry with auxiliary classes, password and activation, and returns it with its entryUUID', async () => {
    const dn = `uid=jdoe,${tree.people}`;
    const account = await connector.create(OC, {
      __NAME__: dn,
      __AUXILIARY_OBJECT_CLASS__: ['posixAccount'],
      __PASSWORD__: 'initial-Secret1',
      __ENABLE__: true,
      uid: 'jdoe',
      cn: 'John Doe',
      sn: 'Doe',
      mail: ['john@example.com', 'jd@example.com'],
      uidNumber: 1001,
      gidNumber: 1001,
      homeDirectory: '/home/jdoe',
    });
    const seen = await entry(dn);
    expect(seen).not.toBeNull();
    expect(seen!.objectClass!.sort()).toEqual(['inetOrgPerson', 'posixAccount']);
    expect(seen!.mail!.sort()).toEqual(['jd@example.com', 'john@example.com']);
    expect(seen!.userPassword).toEqual(['initial-Secret1']);
    expect(seen!.employeeType).toEqual(['active']);
    expect(seen!.uidNumber).toEqual(['1001']);
    expect(account.uid).toBe(seen!.entryUUID![0]);
    expect(account.name).toBe(dn);
    expect(account.attributes).toEqual(
      expect.objectContaining({
        __UID__: account.uid,
        __objectId__: account.uid,
        __NAME__: dn,
        __AUXILIARY_OBJECT_CLASS__: ['posixAccount'],
        __ENABLE__: true,
        cn: 'John Doe',
        mail: expect.arrayContaining(['john@example.com', 'jd@example.com']),
      }),
    );
    expect(account.attributes.userPassword).toBeUndefined();
    expect(await connector.get(OC, account.uid)).toEqual(account);
  });

  it('modifies values (replace, add, remove) multi-valued aware and idempotently', async () => {
    const uid = (await connector.create(OC, { __NAME__: `uid=mod,${tree.people}`, uid: 'mod', cn: 'Mod', sn: 'M', mail: ['a@x.org', 'b@x.org'], title: 'Dev' })).uid;
    const changes = [
      { op: 'add' as const, name: 'mail', values: ['c@x.org', 'a@x.org'] },
      { op: 'remove' as const, name: 'mail', values: ['b@x.org', 'missing@x.org'] },
      { op: 'replace' as const, name: 'cn', values: ['Modified'] },
      { op: 'replace' as const, name: 'title', values: [] },
      { op: 'replace' as const, name: 'description', values: ['one', 'two'] },
    ];
    const account = await connector.update(OC, uid, changes);
    // Applying the same changes again (an activity retried) changes nothing and does not fail.
    await connector.update(OC, uid, changes);
    const seen = await entry(`uid=mod,${tree.people}`);
    expect(seen!.mail!.sort()).toEqual(['a@x.org', 'c@x.org']);
    expect(seen!.cn).toEqual(['Modified']);
    expect(seen!.title).toBeUndefined();
    expect(seen!.description!.sort()).toEqual(['one', 'two']);
    expect(account.attributes.cn).toBe('Modified');
    expect(account.attributes.title).toBeUndefined();
  });

  it('changes auxiliary object classes through __AUXILIARY_OBJECT_CLASS__', async () => {
    const created = await connector.create(OC, { __NAME__: `uid=aux,${tree.people}`, uid: 'aux', cn: 'Aux', sn: 'A' });
    expect(created.attributes.__AUXILIARY_OBJECT_CLASS__).toEqual([]);
    await connector.update(OC, created.uid, [{ op: 'add', name: '__AUXILIARY_OBJECT_CLASS__', values: ['shadowAccount'] }]);
    expect((await entry(`uid=aux,${tree.people}`))!.objectClass!.sort()).toEqual(['inetOrgPerson', 'shadowAccount']);
    const back = await connector.update(OC, created.uid, [{ op: 'replace', name: '__AUXILIARY_OBJECT_CLASS__', values: [] }]);
    expect((await entry(`uid=aux,${tree.people}`))!.objectClass).toEqual(['inetOrgPerson']);
    expect(back.attributes.__AUXILIARY_OBJECT_CLASS__).toEqual([]);
  });

  it('adds and removes group memberships; both are idempotent; the last member leaves a placeholder', async () => {
    const dn = `uid=member,${tree.people}`;
    const { uid } = await connector.create(OC, { __NAME__: dn, uid: 'member', cn: 'Member', sn: 'M' });
    const staff = `cn=staff,${tree.groups}`;
    const admins = `cn=admins,${tree.groups}`;
    await connector.addMembership(OC, uid, staff);
    await connector.addMembership(OC, uid, staff);
    await connector.addMembership(OC, uid, admins);
    expect((await members(staff)).sort()).toEqual([`cn=seed,${tree.people}`, dn].sort());
    expect((await connector.listMemberships(OC, uid)).sort()).toEqual([admins, staff].sort());

    await connector.removeMembership(OC, uid, staff);
    await connector.removeMembership(OC, uid, staff);
    expect(await members(staff)).toEqual([`cn=seed,${tree.people}`]);
    expect(await connector.listMemberships(OC, uid)).toEqual([admins]);

    // A group whose only member is the account: removing it leaves the group with the empty-DN placeholder.
    const seedless = await connector.create(OC, { __NAME__: `uid=solo,${tree.people}`, uid: 'solo', cn: 'Solo', sn: 'S' });
    const soloGroup = `cn=solo,${tree.groups}`;
    await ldapadd(ldap, `dn: ${soloGroup}\nobjectClass: groupOfNames\ncn: solo\nmember: uid=solo,${tree.people}\n`);
    await connector.removeMembership(OC, seedless.uid, soloGroup);
    expect(await members(soloGroup)).toEqual(['']);
    expect(await connector.listMemberships(OC, seedless.uid)).toEqual([]);
    // Adding a member again drops the placeholder.
    await connector.addMembership(OC, seedless.uid, soloGroup);
    expect(await members(soloGroup)).toEqual([`uid=solo,${tree.people}`]);
  });

  it('renames (to a new superior) before other changes and keeps group memberships right', async () => {
    const oldDn = `uid=mover,${tree.people}`;
    const { uid } = await connector.create(OC, { __NAME__: oldDn, uid: 'mover', cn: 'Mover', sn: 'M' });
    const staff = `cn=staff,${tree.groups}`;
    await connector.addMembership(OC, uid, staff);
    await ldapadd(ldap, `dn: ou=moved,${tree.people}\nobjectClass: organizationalUnit\nou: moved\n`);
    const newDn = `uid=Mover\\, Jr.,ou=moved,${tree.people}`;
    const account = await connector.update(OC, uid, [
      { op: 'replace', name: '__NAME__', values: [newDn] },
      { op: 'replace', name: 'uid', values: ['Mover, Jr.'] },
      { op: 'replace', name: 'title', values: ['Moved'] },
    ]);
    expect(await entry(oldDn)).toBeNull();
    const moved = (await ldapsearch(ldap, `ou=moved,${tree.people}`, '(uid=Mover, Jr.)'))[0];
    // The server writes the DN in its own escaping style (`\2C` for `\,`): compared as DNs, not strings.
    expect(sameDn(moved!.dn[0]!, newDn)).toBe(true);
    expect(moved?.entryUUID).toEqual([uid]);
    expect(moved?.title).toEqual(['Moved']);
    expect(account.uid).toBe(uid);
    expect(sameDn(account.name, newDn)).toBe(true);
    const staffMembers = await members(staff);
    expect(staffMembers.filter((m) => sameDn(m, newDn))).toHaveLength(1);
    expect(staffMembers.filter((m) => sameDn(m, oldDn))).toHaveLength(0);
    expect(await connector.listMemberships(OC, uid)).toEqual([staff]);
  });

  it('disables and enables through disableStrategy', async () => {
    const dn = `uid=sleeper,${tree.people}`;
    const { uid } = await connector.create(OC, { __NAME__: dn, uid: 'sleeper', cn: 'Sleeper', sn: 'S' });
    expect((await connector.get(OC, uid))!.attributes.__ENABLE__).toBe(true);
    await connector.setEnabled(OC, uid, false);
    expect((await entry(dn))!.employeeType).toEqual(['disabled']);
    expect((await connector.get(OC, uid))!.attributes.__ENABLE__).toBe(false);
    await connector.setEnabled(OC, uid, true);
    expect((await entry(dn))!.employeeType).toEqual(['active']);
  });

  it('reports inactivation as not supported without disableStrategy', async () => {
    const plain = createLdapConnector(ldapProps(ldap, { baseDn: tree.people }));
    try {
      expect(plain.capabilities().enable).toBe(false);
      await expect(plain.setEnabled(OC, 'whatever', false)).rejects.toMatchObject({ kind: 'permanent', message: 'inactivation not supported: no disableStrategy' });
    } finally {
      await plain.close();
    }
  });

  it('deletes an entry and its memberships', async () => {
    const dn = `uid=leaver,${tree.people}`;
    const { uid } = await connector.create(OC, { __NAME__: dn, uid: 'leaver', cn: 'Leaver', sn: 'L' });
    const admins = `cn=admins,${tree.groups}`;
    await connector.addMembership(OC, uid, admins);
    await connector.delete(OC, uid);
    expect(await entry(dn)).toBeNull();
    expect(await members(admins)).not.toContain(dn);
    expect(await connector.get(OC, uid)).toBeNull();
    await expect(connector.delete(OC, uid)).rejects.toMatchObject({ kind: 'permanent', details: { resultCode: 32 } });
  });

  it('escapes filter values: an injection uid finds nothing, with entryUUID or uid as the uid attribute', async () => {
    await ldapadd(ldap, personLdif(`uid=victim,${tree.people}`, 'victim'));
    const injection = '*)(uid=*';
    expect(await connector.get(OC, injection)).toBeNull();
    const byUid = createLdapConnector(ldapProps(ldap, { baseDn: tree.people, uidAttribute: 'uid' }));
    try {
      expect(await byUid.get(OC, injection)).toBeNull();
      expect(await byUid.get(OC, '*')).toBeNull();
      expect((await byUid.get(OC, 'victim'))?.name).toBe(`uid=victim,${tree.people}`);
      await expect(byUid.addMembership(OC, injection, `cn=staff,${tree.groups}`)).rejects.toMatchObject({ kind: 'permanent', details: { resultCode: 32 } });
    } finally {
      await byUid.close();
    }
    expect(await members(`cn=staff,${tree.groups}`)).not.toContain(`uid=victim,${tree.people}`);
  });

  it('classifies server refusals as permanent with the result code and server message', async () => {
    const dn = `uid=twice,${tree.people}`;
    await connector.create(OC, { __NAME__: dn, uid: 'twice', cn: 'Twice', sn: 'T' });
    await expect(connector.create(OC, { __NAME__: dn, uid: 'twice', cn: 'Twice', sn: 'T' })).rejects.toMatchObject({
      kind: 'permanent',
      details: { resultCode: 68 },
      message: expect.stringContaining('entryAlreadyExists'),
    });
    await expect(connector.create(OC, { __NAME__: `uid=nosn,${tree.people}`, uid: 'nosn', cn: 'No Sn' })).rejects.toMatchObject({
      kind: 'permanent',
      details: { resultCode: 65 },
      message: expect.stringMatching(/objectClassViolation.*sn/),
    });
    await expect(connector.create(OC, { __NAME__: `uid=x,ou=nowhere,${tree.people}`, uid: 'x', cn: 'X', sn: 'X' })).rejects.toMatchObject({
      kind: 'permanent',
      details: { resultCode: 32 },
    });
    await expect(connector.create(OC, { __NAME__: `uid=badnum,${tree.people}`, __AUXILIARY_OBJECT_CLASS__: ['posixAccount'], uid: 'badnum', cn: 'B', sn: 'B', uidNumber: 'abc', gidNumber: 1, homeDirectory: '/h' })).rejects.toMatchObject({
      kind: 'permanent',
      details: { resultCode: 21 },
    });
  });

  it('returns binary values base64-encoded', async () => {
    const photo = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);
    const dn = `uid=photo,${tree.people}`;
    await ldapadd(ldap, personLdif(dn, 'photo', `jpegPhoto:: ${photo.toString('base64')}\n`));
    const uid = (await entry(dn))!.entryUUID![0]!;
    const account = await connector.get(OC, uid);
    expect(account?.attributes.jpegPhoto).toBe(photo.toString('base64'));
  });
});
