import { testEnv } from '../../harness/env';
import { createLdapConnector } from '../../../src/connectors/ldap';
import type { Connector } from '../../../src/connectors/types';
import { createSubtree, deleteSubtree, ldapadd, ldapProps, ldapsearch, personLdif } from '../connectors/ldap-support';
import { allObjects, existingShadow, idmObject, shadowOf, simpleMapping, testApp } from './fixtures';
import { openEngineEnv, runTask, startRun, type EngineEnv } from './harness';

/**
 * The account-side actions against a directory that can be written (SPEC.md §5): REMOVE_ACCOUNT (UNMATCHED),
 * INACTIVATE_ACCOUNT (UNLINKED) and ADD_ACCOUNT (DELETED), checked with ldapsearch afterwards.
 */

const CLASS = 'inetOrgPerson';

describe('account-side actions on LDAP', () => {
  const ldap = testEnv().ldap;
  let env: EngineEnv;
  let tree: { base: string; people: string };
  let connector: Connector;

  beforeAll(async () => {
    env = await openEngineEnv();
    tree = await createSubtree(ldap, 'engine');
    connector = createLdapConnector(
      ldapProps(ldap, { baseDn: tree.people, disableStrategy: { attribute: 'description', disabledValue: 'disabled', enabledValue: 'enabled' } }),
    );
  });
  afterAll(async () => {
    await connector.close();
    await deleteSubtree(ldap, tree.base);
    await env.close();
  });

  it('removes an unmatched account, disables an unlinked one, re-creates a deleted one from outbound mappings', async () => {
    await ldapadd(ldap, [personLdif(`uid=u1,${tree.people}`, 'u1', 'employeeNumber: E1\n'), personLdif(`uid=u2,${tree.people}`, 'u2', 'employeeNumber: E2\n')].join('\n'));
    const app = testApp({
      objectClassId: CLASS,
      reactions: { UNMATCHED: ['REMOVE_ACCOUNT'], UNLINKED: ['INACTIVATE_ACCOUNT'], DELETED: ['ADD_ACCOUNT'] },
      objectSync: { correlationDefinition: { simpleCorrelationStrategyDefinition: { attributeCorrelationDefinitions: [{ inputAttributeId: 'employeeNumber', idmAttributeId: 'employeeNumber' }] } } },
      inbound: [simpleMapping('employeeNumber', 'employeeNumber')],
      outbound: [
        { applicationAttributeId: '__NAME__', custom: { computeRule: { script: `return 'uid=' + IDM_OBJECT.employeeNumber + ',${tree.people}';` } } },
        { applicationAttributeId: '__AUXILIARY_OBJECT_CLASS__', custom: { computeRule: { script: "return ['top', 'person', 'organizationalPerson'];" } } },
        { applicationAttributeId: 'uid', simple: { idmAttributeId: 'employeeNumber' } },
        { applicationAttributeId: 'employeeNumber', simple: { idmAttributeId: 'employeeNumber' } },
        { applicationAttributeId: 'sn', simple: { idmAttributeId: 'lastName' } },
        { applicationAttributeId: 'cn', custom: { computeRule: { script: "return IDM_OBJECT.firstName + ' ' + IDM_OBJECT.lastName;" } } },
      ],
    });
    const X2 = await idmObject(env, { employeeNumber: 'E2' });
    const X3 = await idmObject(env, { employeeNumber: 'E3', firstName: 'Zoe', lastName: 'Zed' });
    const gone = await existingShadow(env, 'uuid-of-a-deleted-entry', [X3], {}, CLASS);

    const ctx = await startRun(env, app, 'RECONCILIATION', connector, CLASS);
    const result = await runTask(ctx, connector);

    expect(result.accounts.map((o) => [o.name, o.situation, o.actions, o.error?.description])).toEqual([
      [`uid=u1,${tree.people}`, 'UNMATCHED', ['REMOVE_ACCOUNT'], undefined],
      [`uid=u2,${tree.people}`, 'UNLINKED', ['INACTIVATE_ACCOUNT'], undefined],
    ]);
    expect(result.deleted.map((o) => [o.uid, o.situation, o.actions, o.idmObjectId, o.error])).toEqual([[gone.uid, 'DELETED', ['ADD_ACCOUNT'], X3, undefined]]);

    // The directory, read with ldapsearch.
    const entries = await ldapsearch(ldap, tree.people, '(objectClass=inetOrgPerson)', ['uid', 'description', 'cn', 'sn', 'employeeNumber', 'entryUUID']);
    const byUid = Object.fromEntries(entries.map((e) => [e.uid?.[0], e]));
    expect(Object.keys(byUid).sort()).toEqual(['E3', 'u2']);
    expect(byUid.u2!.description).toEqual(['disabled']);
    expect(byUid.E3).toEqual(expect.objectContaining({ dn: [`uid=E3,${tree.people}`], cn: ['Zoe Zed'], sn: ['Zed'], employeeNumber: ['E3'] }));

    // The shadows: u1 dead (its account removed), u2 recorded without a link, the re-created account linked to X3.
    expect(await shadowOf(env, result.accounts[0]!.uid!, CLASS)).toEqual(expect.objectContaining({ dead: true, owners: [] }));
    expect(await shadowOf(env, result.accounts[1]!.uid!, CLASS)).toEqual(expect.objectContaining({ dead: false, owners: [] }));
    expect(await shadowOf(env, gone.uid, CLASS)).toEqual(expect.objectContaining({ dead: true, owners: [X3] }));
    expect(await shadowOf(env, byUid.E3!.entryUUID![0]!, CLASS)).toEqual(expect.objectContaining({ dead: false, owners: [X3], name: `uid=E3,${tree.people}` }));
    expect((await allObjects(env)).map((o) => o.version)).toEqual([1, 1]);
    expect((await env.idm.get(X2))!.attributes).toEqual({ employeeNumber: 'E2' });

    // A second run finds the directory as it left it: nothing is DELETED again, the re-created account is LINKED.
    const again = await runTask(await startRun(env, app, 'RECONCILIATION', connector, CLASS), connector);
    expect(again.deleted).toEqual([]);
    expect(again.accounts.map((o) => [o.name, o.situation])).toEqual(
      expect.arrayContaining([
        [`uid=E3,${tree.people}`, 'LINKED'],
        [`uid=u2,${tree.people}`, 'UNLINKED'],
      ]),
    );
  });
});
