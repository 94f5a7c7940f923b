import { startTestApi, type TestApi } from '../../harness/api';
import { testSettings, uniqueTenant } from '../../harness/env';
import { loadConnectorDefinitionWithSecrets, SECRET_MASK } from '../../../src/config/secrets';
import { conf, create, exportXml, importXml, ldapConnector, PATHS } from './fixtures';

const KEY = 'a'.repeat(64);

async function rawPassword(api: TestApi, tenant: string, id: string): Promise<unknown> {
  const doc = await api.ctx.dbs.db(tenant).collection('connectorDefinitions').findOne({ _id: id as never });
  return doc?.connectorProperties.bindPassword;
}

describe('secrets (bindPassword)', () => {
  let api: TestApi;
  const tenant = uniqueTenant('sec');
  const path = conf(tenant, PATHS.connectorDefinition, 'ldap');

  beforeAll(async () => {
    api = await startTestApi(testSettings({ SECRETS_KEY: KEY }));
  });
  afterAll(async () => api.close());

  it('is masked in the POST answer, GET, list and export', async () => {
    const created = await create(api, tenant, PATHS.connectorDefinition, ldapConnector('ldap', 's3cret!'));
    expect(created.connectorProperties.bindPassword).toBe(SECRET_MASK);
    expect((await api.req('GET', path)).json.connectorProperties.bindPassword).toBe(SECRET_MASK);
    const list = await api.req('GET', conf(tenant, PATHS.connectorDefinition));
    expect(list.json[0].connectorProperties.bindPassword).toBe(SECRET_MASK);
    expect(list.text).not.toContain('s3cret');
    const xml = await exportXml(api, tenant);
    expect(xml).toContain(`<bindPassword>${SECRET_MASK}</bindPassword>`);
    expect(xml).not.toContain('s3cret');
  });

  it('is encrypted at rest with AES-256-GCM (a fresh IV per value) and readable by the connectors', async () => {
    const raw = await rawPassword(api, tenant, 'ldap');
    expect(raw).toMatch(/^enc:v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
    expect(String(raw)).not.toContain('s3cret');
    await create(api, tenant, PATHS.connectorDefinition, ldapConnector('ldap2', 's3cret!'));
    expect(await rawPassword(api, tenant, 'ldap2')).not.toBe(raw);
    const clear = await loadConnectorDefinitionWithSecrets(api.ctx.dbs.db(tenant), 'ldap', { SECRETS_KEY: KEY });
    expect(clear).toMatchObject({ connectorType: 'LDAP', connectorProperties: { bindPassword: 's3cret!', pageSize: 500 } });
    await expect(loadConnectorDefinitionWithSecrets(api.ctx.dbs.db(tenant), 'ldap', { SECRETS_KEY: 'b'.repeat(64) })).rejects.toThrow(/cannot be decrypted/);
  });

  it('a PUT carrying the mask keeps the stored value; a PUT with a new value replaces it', async () => {
    const before = await rawPassword(api, tenant, 'ldap');
    const read = (await api.req('GET', path)).json;
    const put = await api.req('PUT', path, { ...read, name: 'renamed' });
    expect(put.status).toBe(200);
    expect(await rawPassword(api, tenant, 'ldap')).toBe(before);
    await api.req('PUT', path, { ...ldapConnector('ldap', 'n3w') });
    expect((await loadConnectorDefinitionWithSecrets(api.ctx.dbs.db(tenant), 'ldap', { SECRETS_KEY: KEY }))?.connectorProperties).toMatchObject({ bindPassword: 'n3w' });
  });

  it('an import carrying the mask keeps the stored value', async () => {
    const before = await rawPassword(api, tenant, 'ldap');
    const res = await importXml(api, tenant, await exportXml(api, tenant));
    expect(res.status).toBe(200);
    expect(await rawPassword(api, tenant, 'ldap')).toBe(before);
  });

  it('a mask with no stored value is kept as "unknown", and the connector load says so', async () => {
    const other = uniqueTenant('sec2');
    expect((await importXml(api, other, await exportXml(api, tenant))).status).toBe(200);
    expect(await rawPassword(api, other, 'ldap')).toBe(SECRET_MASK);
    await expect(loadConnectorDefinitionWithSecrets(api.ctx.dbs.db(other), 'ldap', { SECRETS_KEY: KEY })).rejects.toThrow(/not known/);
  });

  it('is stored in clear when no key is configured, and still masked on read', async () => {
    const plain = await startTestApi(testSettings());
    try {
      const t = uniqueTenant('sec3');
      await create(plain, t, PATHS.connectorDefinition, ldapConnector('ldap', 'plain'));
      expect(await rawPassword(plain, t, 'ldap')).toBe('plain');
      expect((await plain.req('GET', conf(t, PATHS.connectorDefinition, 'ldap'))).json.connectorProperties.bindPassword).toBe(SECRET_MASK);
    } finally {
      await plain.close();
    }
  });
});
