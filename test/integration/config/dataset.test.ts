import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startTestApi, type TestApi } from '../../harness/api';
import { testSettings, uniqueTenant } from '../../harness/env';
import { conf, create, csvConnector, errorPaths, exportXml, importXml, PATHS, post } from './fixtures';

const EXAMPLE = readFileSync(path.join(__dirname, '../../../examples/dataset.xml'), 'utf8');
const MASKED_EXAMPLE = EXAMPLE.replace('<bindPassword>admin-secret</bindPassword>', '<bindPassword>********</bindPassword>');

describe('XML dataset import/export over HTTP', () => {
  let api: TestApi;
  const tenant = uniqueTenant('ds');

  beforeAll(async () => {
    api = await startTestApi(testSettings({ MAX_BODY_BYTES: String(1024 * 1024) }));
    const res = await importXml(api, tenant, EXAMPLE);
    if (res.status !== 200) throw new Error(`import of the example failed: ${res.text}`);
  });
  afterAll(async () => api.close());

  it('imports the example: every resource created and readable through REST', async () => {
    const apps = await api.req('GET', conf(tenant, PATHS.application));
    expect(apps.json.map((a: { id: string }) => a.id)).toEqual(['directory', 'hr']);
    const hr = (await api.req('GET', conf(tenant, PATHS.application, 'hr'))).json;
    expect(hr.synchronizationDefinition.objectTypeResolutionDefinition.assignmentRules[0]).toEqual({
      objectTypeId: 'partner',
      condition: { simple: { inputAttributeId: 'contractType', regex: '^partner$' } },
    });
    const prov = (await api.req('GET', conf(tenant, PATHS.provisioningTaskDefinition, 'directory-provisioning'))).json;
    expect(prov).toMatchObject({ scope: { kind: 'IDENTITY' }, applicationIds: ['directory'], version: 1 });
  });

  it('exports the example as it was imported, with the secret masked, as application/xml', async () => {
    const res = await api.req('GET', `/${tenant}/api/sync/conf/dataset/export`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/xml/);
    expect(res.text).toBe(MASKED_EXAMPLE);
    expect(res.text).not.toContain('admin-secret');
  });

  it('export → import into an empty tenant → export gives the same document', async () => {
    const first = await exportXml(api, tenant);
    const other = uniqueTenant('ds2');
    const res = await importXml(api, other, first);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ created: 10, updated: 0 });
    expect(await exportXml(api, other)).toBe(first);
  });

  it('re-importing upserts by id (version +1, createdAt kept) and keeps the stored secret', async () => {
    const other = uniqueTenant('ds3');
    await importXml(api, other, EXAMPLE);
    const before = (await api.req('GET', conf(other, PATHS.application, 'hr'))).json;
    const res = await importXml(api, other, MASKED_EXAMPLE.replace('<name>HR</name>', '<name>Human resources</name>'));
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ created: 0, updated: 10 });
    const after = (await api.req('GET', conf(other, PATHS.application, 'hr'))).json;
    expect(after).toMatchObject({ name: 'Human resources', version: before.version + 1, createdAt: before.createdAt });
    const raw = await api.ctx.dbs.db(other).collection('connectorDefinitions').findOne({ _id: 'ldap' as never });
    expect(raw?.connectorProperties.bindPassword).toBe('admin-secret');
  });

  it('an invalid dataset is rejected whole, reporting every problem, and writes nothing', async () => {
    const other = uniqueTenant('ds4');
    const broken = EXAMPLE.replace('<connectorId>hr-csv</connectorId>', '<connectorId>nope</connectorId>')
      .replace('<cron>0 30 2 ? * MON-FRI *</cron>', '<cron>every night</cron>')
      .replace('<applicationId>directory</applicationId>\n      <enabled>', '<applicationId>ghost</applicationId>\n      <enabled>');
    const res = await importXml(api, other, broken);
    expect(res.status).toBe(400);
    expect(errorPaths(res).sort()).toEqual(['applicationProfiles[0].applicationId', 'applications[1].connectorId', 'synchronizationTaskDefinitions[1].executionPlan.cron']);
    expect(await exportXml(api, other)).toBe(await exportXml(api, uniqueTenant('empty')));
  });

  it('schema problems of every resource are reported together', async () => {
    const res = await importXml(api, uniqueTenant('ds5'), EXAMPLE.replace('<pageSize>500</pageSize>', '<pageSize>many</pageSize>').replace('<taskType>IMPORT</taskType>', '<taskType>IMPORT</taskType><colour>red</colour>'));
    expect(res.status).toBe(400);
    expect(errorPaths(res).sort()).toEqual(['connectorDefinitions[1].connectorProperties.pageSize', 'synchronizationTaskDefinitions[0].colour']);
  });

  it('a connector of an unknown type is reported for its type alone, with the problems of the other resources', async () => {
    const res = await importXml(api, uniqueTenant('ds8'), EXAMPLE.replace('<connectorType>LDAP</connectorType>', '<connectorType>SQL</connectorType>').replace('<taskType>IMPORT</taskType>', '<taskType>IMPORT</taskType><colour>red</colour>'));
    expect(res.status).toBe(400);
    expect(res.json.properties.errors).toEqual([
      { path: 'connectorDefinitions[1].connectorType', reason: 'unsupported value "SQL"' },
      { path: 'synchronizationTaskDefinitions[0].colour', reason: 'unknown element <colour>' },
    ]);
  });

  it('a schema problem in one resource does not hide a cross-field problem in another', async () => {
    const res = await importXml(api, uniqueTenant('ds7'), EXAMPLE.replace('<taskType>IMPORT</taskType>', '<taskType>IMPORT</taskType><colour>red</colour>').replace('<connectorId>hr-csv</connectorId>', '<connectorId>nope</connectorId>'));
    expect(res.status).toBe(400);
    expect(errorPaths(res).sort()).toEqual(['applications[1].connectorId', 'synchronizationTaskDefinitions[0].colour']);
  });

  it('resolves references to resources already stored', async () => {
    const other = uniqueTenant('ds6');
    await create(api, other, PATHS.connectorDefinition, csvConnector('csv'));
    const app = EXAMPLE.slice(EXAMPLE.indexOf('<application id="hr">'), EXAMPLE.indexOf('</applications>')).replace('<connectorId>hr-csv</connectorId>', '<connectorId>csv</connectorId>');
    const res = await importXml(api, other, `<dataset><applications>${app}</applications></dataset>`);
    expect(res.status).toBe(200);
    expect(res.json.resources).toEqual([{ type: 'application', id: 'hr', result: 'created' }]);
  });

  describe('hostile input leaves the stored configuration exactly as it was', () => {
    let before: string;
    beforeAll(async () => {
      before = await exportXml(api, tenant);
    });
    afterEach(async () => {
      expect(await exportXml(api, tenant)).toBe(before);
    });

    const dataset = (s: string) => `<?xml version="1.0"?><dataset>${s}</dataset>`;

    it('malformed XML: 400 naming line and column', async () => {
      const res = await importXml(api, tenant, '<dataset>\n<applications>\n<application id="x">\n</dataset>');
      expect(res.status).toBe(400);
      expect(res.json.properties).toMatchObject({ line: expect.any(Number), column: expect.any(Number) });
      expect(res.json.description).toMatch(/line \d+, column \d+/);
    });

    it('an entity-expansion bomb: 400 without expanding anything', async () => {
      const lol = Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`).join('');
      const res = await importXml(api, tenant, `<?xml version="1.0"?><!DOCTYPE dataset [<!ENTITY lol0 "lol">${lol}]><dataset><applications>&lol9;</applications></dataset>`);
      expect(res.status).toBe(400);
      expect(res.json.description).toMatch(/DOCTYPE/);
    });

    it('an external entity: 400', async () => {
      const res = await importXml(api, tenant, `<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><dataset>&x;</dataset>`);
      expect(res.status).toBe(400);
    });

    it('a 10 MB body: 413 (XML and JSON)', async () => {
      const big = dataset(`<applications>${' '.repeat(10 * 1024 * 1024)}</applications>`);
      const xml = await importXml(api, tenant, big);
      expect(xml.status).toBe(413);
      expect(xml.json.label).toBe('PAYLOAD_TOO_LARGE');
      const json = await post(api, tenant, PATHS.connectorDefinition, { ...csvConnector('big'), description: 'x'.repeat(10 * 1024 * 1024) });
      expect(json.status).toBe(413);
    });

    it('elements nested too deep: 400', async () => {
      const res = await importXml(api, tenant, `<dataset>${'<a>'.repeat(10000)}${'</a>'.repeat(10000)}</dataset>`);
      expect(res.status).toBe(400);
      expect(res.json.description).toMatch(/nested deeper than 64/);
    });

    it('a 10,000-level nested JSON body: clear 400', async () => {
      const nested = `{"id":"deep","name":"d","connectorType":"CSV","connectorProperties":${'{"a":'.repeat(10000)}1${'}'.repeat(10000)}}`;
      const res = await api.req('POST', conf(tenant, PATHS.connectorDefinition), nested, { 'content-type': 'application/json' });
      expect(res.status).toBe(400);
      expect(res.json.label).toBe('VALIDATION_ERROR');
      const app = await api.req('PUT', conf(tenant, PATHS.application, 'hr'), `{"id":"hr","name":${'['.repeat(10000)}${']'.repeat(10000)}}`, { 'content-type': 'application/json' });
      expect(app.status).toBe(400);
      expect(app.json.description).toMatch(/nested deeper than 64|problems/);
    });

    it('unknown fields, wrong types and $-prefixed keys in JSON: 400', async () => {
      const hr = (await api.req('GET', conf(tenant, PATHS.application, 'hr'))).json;
      for (const body of [{ ...hr, colour: 'red' }, { ...hr, name: ['HR'] }, { ...hr, $set: { name: 'x' } }, { ...hr, schemaMappingDefinition: { $where: '1' } }]) {
        const res = await api.req('PUT', conf(tenant, PATHS.application, 'hr'), body);
        expect(res.status).toBe(400);
      }
    });

    it('unknown elements, wrong types and a wrong root in XML: 400', async () => {
      const cases = [
        EXAMPLE.replace('<name>HR</name>', '<name>HR</name><colour>red</colour>'),
        EXAMPLE.replace('<header>true</header>', '<header>yes</header>'),
        EXAMPLE.replace('<dataset>', '<configuration>').replace('</dataset>', '</configuration>'),
        dataset('<applications><application id="$x"><name>x</name></application></applications>'),
        'not xml at all',
      ];
      for (const xml of cases) expect((await importXml(api, tenant, xml)).status).toBe(400);
    });

    it('the wrong content type: 415', async () => {
      for (const [body, type] of [[EXAMPLE, 'text/plain'], [EXAMPLE, 'application/json'], ['{"dataset":{}}', 'application/json']]) {
        const res = await api.req('POST', `/${tenant}/api/sync/conf/dataset/import`, body, { 'content-type': type! });
        expect(res.status).toBe(415);
        expect(res.json).toMatchObject({ label: 'UNSUPPORTED_MEDIA_TYPE', fix: 'Send the body with Content-Type: application/xml' });
      }
    });
  });

  it('the dataset endpoints allow only their method', async () => {
    const imp = await api.req('GET', `/${tenant}/api/sync/conf/dataset/import`);
    expect(imp.status).toBe(405);
    expect(imp.headers.get('allow')).toBe('POST');
    const exp = await api.req('POST', `/${tenant}/api/sync/conf/dataset/export`, EXAMPLE, { 'content-type': 'application/xml' });
    expect(exp.status).toBe(405);
    expect(exp.headers.get('allow')).toBe('GET');
  });
});
