import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { Client as LdapClient } from 'ldapts';
import { MongoClient } from 'mongodb';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { freePort } from '../../src/embedded/process';
import { startFerretDb } from '../../src/embedded/ferretdb';
import { projectRoot } from '../../src/embedded/paths';
import { createWorker } from '../../src/temporal/worker';
import { TenantDbs } from '../../src/store/mongo';
import { startTestApi, type TestApi } from '../harness/api';
import { testEnv, testSettings, uniqueTenant } from '../harness/env';
import { pingWorkflow } from '../../src/workflows';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function expectErrorRepresentation(body: Record<string, unknown>, errorId: string, label: string): void {
  expect(body).toEqual(
    expect.objectContaining({ errorId, label, description: expect.any(String), properties: expect.any(Object), fix: expect.any(String) }),
  );
  expect(body.appId).toMatch(/^idm-sync-v\d+\.\d+\.\d+$/);
  expect(new Date(body.timestamp as string).toISOString()).toBe(body.timestamp);
  expect(body.logTrackingId).toMatch(UUID_RE);
}

describe('foundation: the API on real servers', () => {
  let api: TestApi;
  const tenant = uniqueTenant();

  beforeAll(async () => {
    api = await startTestApi(testSettings({ MAX_BODY_BYTES: '65536' }));
  });
  afterAll(async () => api.close());

  it('GET /healthz is 200 when MongoDB and Temporal answer', async () => {
    const res = await api.req('GET', '/healthz');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: 'UP', checks: { mongodb: 'up', temporal: 'up' } });
  });

  it('an unknown route is 404 with the error representation', async () => {
    const res = await api.req('GET', `/${tenant}/api/no/such/thing`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expectErrorRepresentation(res.json, 'SYNC-C0000404', 'NOT_FOUND');
  });

  it('malformed JSON is 400', async () => {
    const res = await api.req('POST', `/${tenant}/api/sync/conf/connector-definitions/`, '{"id": ', { 'content-type': 'application/json' });
    expect(res.status).toBe(400);
    expectErrorRepresentation(res.json, 'SYNC-C0000400', 'VALIDATION_ERROR');
    expect(res.json.description).toMatch(/not well-formed JSON/);
  });

  it('a body over the size limit is 413', async () => {
    const big = JSON.stringify({ pad: 'x'.repeat(70_000) });
    const res = await api.req('POST', `/${tenant}/api/sync/conf/connector-definitions/`, big, { 'content-type': 'application/json' });
    expect(res.status).toBe(413);
    expectErrorRepresentation(res.json, 'SYNC-C0000413', 'PAYLOAD_TOO_LARGE');
  });

  it.each([['UPPER'], ['-dash-first'], ['a'.repeat(64)], ['with_underscore'], ['%00nul']])('tenant id %p is 400', async (t) => {
    const res = await api.req('GET', `/${t}/api/sync/conf/applications/`);
    expect(res.status).toBe(400);
    expectErrorRepresentation(res.json, 'SYNC-C0000400', 'VALIDATION_ERROR');
    expect(res.json.properties.path).toBe('tenant');
  });

  it('the logTrackingId of an error is the one the request was logged with', async () => {
    const a = await api.req('GET', `/${tenant}/api/nope`);
    const b = await api.req('GET', `/${tenant}/api/nope`);
    expect(a.json.logTrackingId).not.toBe(b.json.logTrackingId);
  });
});

describe('foundation: healthz when the store is down', () => {
  it('answers 503 naming mongodb once FerretDB stops, 200 before', async () => {
    const env = testEnv();
    const port = await freePort();
    const ferret = await startFerretDb({ port, dataDir: path.join(env.varDir, `ferret-down-${port}`), logDir: path.join(env.varDir, 'log') });
    const api = await startTestApi(testSettings({ MONGODB_URI: `mongodb://127.0.0.1:${port}/` }));
    try {
      expect((await api.req('GET', '/healthz')).status).toBe(200);
      await ferret.stop();
      const res = await api.req('GET', '/healthz');
      expect(res.status).toBe(503);
      expect(res.json.label).toBe('SERVICE_UNAVAILABLE');
      expect(res.json.properties.down).toEqual(['mongodb']);
    } finally {
      await ferret.stop();
      await api.close();
    }
  });

  it('answers 503 naming temporal when Temporal is unreachable', async () => {
    const port = await freePort();
    const api = await startTestApi(testSettings({ TEMPORAL_ADDRESS: `127.0.0.1:${port}` }));
    try {
      const res = await api.req('GET', '/healthz');
      expect(res.status).toBe(503);
      expect(res.json.properties.down).toEqual(['temporal']);
    } finally {
      await api.close();
    }
  });
});

describe('foundation: real servers', () => {
  it('runs a workflow end to end through the dev server and a worker', async () => {
    const settings = testSettings();
    const env = testEnv();
    const mongo = new MongoClient(env.mongoUri);
    const nativeConnection = await NativeConnection.connect({ address: env.temporalAddress });
    const connection = await Connection.connect({ address: env.temporalAddress });
    const client = new Client({ connection });
    const worker = await createWorker(nativeConnection, { settings, dbs: new TenantDbs(mongo, 'idmsync'), temporal: client }, { bundlePath: env.workflowBundlePath });
    try {
      const result = await worker.runUntil(
        client.workflow.execute(pingWorkflow, { taskQueue: settings.TEMPORAL_TASK_QUEUE, workflowId: `ping-${Date.now()}`, args: ['hello'] }),
      );
      expect(result).toBe('pong: hello');
    } finally {
      await connection.close();
      await nativeConnection.close();
      await mongo.close();
    }
  });

  it('writes and reads a document through FerretDB with the mongodb driver', async () => {
    const mongo = new MongoClient(testEnv().mongoUri);
    try {
      const db = new TenantDbs(mongo, 'idmsync').db(uniqueTenant());
      await db.collection('probe').insertOne({ _id: 'a' as never, name: 'Zoë', n: 42, tags: ['x', 'y'] });
      expect(await db.collection('probe').findOne({ _id: 'a' as never })).toEqual({ _id: 'a', name: 'Zoë', n: 42, tags: ['x', 'y'] });
    } finally {
      await mongo.close();
    }
  });

  it('binds to the test slapd and searches the suffix', async () => {
    const { ldap } = testEnv();
    const client = new LdapClient({ url: ldap.url });
    try {
      await client.bind(ldap.bindDn, ldap.bindPassword);
      const { searchEntries } = await client.search(ldap.suffix, { scope: 'base', attributes: ['objectClass', 'entryUUID'] });
      expect(searchEntries).toHaveLength(1);
      expect(searchEntries[0]!.objectClass).toEqual(expect.arrayContaining(['dcObject', 'organization']));
      expect(String(searchEntries[0]!.entryUUID)).toMatch(UUID_RE);
    } finally {
      await client.unbind();
    }
  });
});

describe('foundation: process settings', () => {
  it.each([
    ['API_PORT', 'abc', /invalid environment variable API_PORT="abc": expected a TCP port number/],
    ['MONGODB_URI', 'postgres://x', /MONGODB_URI.*MongoDB connection string/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL/],
  ])('%s=%s stops the API process with one line and exit code 1', (name, value, message) => {
    const server = path.join(projectRoot(), 'dist', 'src', 'server.js');
    const r = spawnSync(process.execPath, [server], { env: { ...process.env, [name]: value }, encoding: 'utf8', timeout: 20_000 });
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
  });
});
