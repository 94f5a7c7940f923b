import type { SlapdInfo } from '../../src/embedded/slapd';
import type { TestApi } from '../harness/api';
import { launch, waitForRun, type Progress } from '../harness/runs';
import { createSubtree, ldapadd, ldapsearch, type LdifEntry } from '../integration/connectors/ldap-support';

/** Shared by the provisioning end-to-end tests: a private LDAP subtree with groups, REST config, runs, ldapsearch. */

export interface ProvTree {
  base: string;
  people: string;
  groups: string;
  group(cn: string): string;
}

/** `ou=prov-<random>` with `ou=people` and `ou=groups`, and the named groups (empty: only the placeholder member ""). */
export async function provTree(ldap: SlapdInfo, groups: string[]): Promise<ProvTree> {
  const t = await createSubtree(ldap, 'prov');
  const group = (cn: string) => `cn=${cn},${t.groups}`;
  if (groups.length) await ldapadd(ldap, groups.map((cn) => `dn: ${group(cn)}\nobjectClass: groupOfNames\ncn: ${cn}\nmember:\n`).join('\n'));
  return { ...t, group };
}

/** Creates a configuration resource through REST (201 expected). */
export async function createResource(api: TestApi, tenant: string, restPath: string, body: Record<string, unknown>): Promise<void> {
  const r = await api.req('POST', `/${tenant}/api/sync/conf/${restPath}`, body);
  if (r.status !== 201) throw new Error(`POST ${restPath} ${String(body.id)}: ${r.status} ${r.text}`);
}

export function ldapConnector(id: string, ldap: SlapdInfo, tree: ProvTree, extra: Record<string, unknown> = {}, retryPolicy?: Record<string, number>) {
  return {
    id,
    name: `LDAP ${id}`,
    connectorType: 'LDAP',
    connectorProperties: { url: ldap.url, bindDn: ldap.bindDn, bindPassword: ldap.bindPassword, baseDn: tree.people, groupBaseDn: tree.groups, ...extra },
    ...(retryPolicy ? { retryPolicy } : {}),
  };
}

const simple = (applicationAttributeId: string, idmAttributeId: string) => ({ applicationAttributeId, simple: { idmAttributeId } });
const custom = (applicationAttributeId: string, script: string) => ({ applicationAttributeId, custom: { computeRule: { script } } });

/** An outbound-only application: inetOrgPerson accounts named `uid=<login>,<people>`. */
export function directoryApplication(id: string, connectorId: string, tree: ProvTree) {
  return {
    id,
    name: `Directory ${id}`,
    connectorId,
    schemaMappingDefinition: {
      objectSchemaMappingDefinitions: [
        {
          objectClassId: 'inetOrgPerson',
          shadowKind: 'ACCOUNT',
          outboundAttributeMappings: [
            custom('__NAME__', `return 'uid=' + IDM_OBJECT.login + ',${tree.people}';`),
            custom('__AUXILIARY_OBJECT_CLASS__', "return ['person', 'organizationalPerson'];"),
            simple('uid', 'login'),
            custom('cn', "return IDM_OBJECT.firstName + ' ' + IDM_OBJECT.lastName;"),
            simple('sn', 'lastName'),
            simple('givenName', 'firstName'),
            simple('mail', 'email'),
            simple('departmentNumber', 'department'),
          ],
        },
      ],
    },
  };
}

export function profile(id: string, applicationId: string, types: string[], entitlements: string[], extra: Record<string, unknown> = {}) {
  return {
    id,
    applicationId,
    shadowKind: 'ACCOUNT',
    objectMatchingCondition: { objectKind: 'IDENTITY', objectTypes: types },
    assignments: entitlements.map((entitlementId) => ({ entitlementId })),
    ...extra,
  };
}

export interface Person {
  id: string;
  type: string;
  lifecycleState: string;
  attributes: Record<string, unknown>;
  version: number;
}

export async function createPerson(api: TestApi, tenant: string, type: string, attributes: Record<string, unknown>): Promise<Person> {
  const r = await api.req('POST', `/${tenant}/api/idm/objects`, { kind: 'IDENTITY', type, lifecycleState: 'ACTIVE', attributes });
  if (r.status !== 201) throw new Error(`POST idm object: ${r.status} ${r.text}`);
  return r.json as Person;
}

/** PUT of an object with some fields changed (the rest as stored). */
export async function changePerson(api: TestApi, tenant: string, id: string, change: (p: Person) => Partial<Person>): Promise<Person> {
  const current = (await api.req('GET', `/${tenant}/api/idm/objects/${id}`)).json as Person;
  const { id: _id, ...rest } = { ...current, ...change(current) };
  const r = await api.req('PUT', `/${tenant}/api/idm/objects/${id}`, rest);
  if (r.status !== 200) throw new Error(`PUT idm object ${id}: ${r.status} ${r.text}`);
  return r.json as Person;
}

/** Launches a provisioning task and waits for its completion (progress with error details). */
export async function provision(api: TestApi, tenant: string, taskId: string): Promise<Progress> {
  const { path } = await launch(api, tenant, 'prov-tasks', taskId);
  return waitForRun(api, `${path}?option=expandErrorDetails:true`);
}

/** People entries by DN (lower-cased), user attributes only, read with ldapsearch. */
export async function people(ldap: SlapdInfo, tree: ProvTree): Promise<Map<string, LdifEntry>> {
  const entries = await ldapsearch(ldap, tree.people, '(objectClass=inetOrgPerson)', ['*']);
  return new Map(entries.map((e) => [e.dn[0]!.toLowerCase(), e]));
}

/** The member DNs of a group (the empty placeholder left out), lower-cased and sorted. */
export async function members(ldap: SlapdInfo, groupDn: string): Promise<string[]> {
  const [g] = await ldapsearch(ldap, groupDn, '(objectClass=*)', ['member'], 'base');
  return (g?.member ?? []).filter((m) => m !== '').map((m) => m.toLowerCase()).sort();
}
