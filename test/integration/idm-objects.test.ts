import net from 'node:net';
import { startTestApi, type TestApi } from '../harness/api';
import { testSettings, uniqueTenant } from '../harness/env';
import { IdmObjectStore } from '../../src/store/idm-objects';
import { COLLECTIONS } from '../../src/store/collections';

describe('IDM objects REST API (SPEC §5)', () => {
  let api: TestApi;
  const tenant = uniqueTenant();
  const base = `/${tenant}/api/idm/objects`;

  beforeAll(async () => {
    api = await startTestApi(testSettings());
  });
  afterAll(async () => api.close());

  it('creates, reads, lists with a filter and paging, updates with a version check, deletes', async () => {
    const created = await api.req('POST', base, { kind: 'IDENTITY', type: 'employee', attributes: { firstName: 'Ada', lastName: 'Lovelace', mail: ['ada@acme.com'] } });
    expect(created.status).toBe(201);
    expect(created.json).toEqual(expect.objectContaining({ kind: 'IDENTITY', type: 'employee', lifecycleState: 'ACTIVE', version: 1 }));
    const id = created.json.id as string;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    for (const [i, n] of ['Babbage', 'Turing', 'Hopper'].entries())
      expect((await api.req('POST', base, { id: `fixed-${i}`, kind: 'IDENTITY', type: i === 0 ? 'partner' : 'employee', attributes: { lastName: n } })).status).toBe(201);

    expect((await api.req('GET', `${base}/${id}`)).json.attributes).toEqual({ firstName: 'Ada', lastName: 'Lovelace', mail: ['ada@acme.com'] });

    const employees = await api.req('GET', `${base}?filter=${encodeURIComponent(JSON.stringify({ type: 'employee' }))}&limit=2&offset=0`);
    expect(employees.status).toBe(200);
    expect(employees.headers.get('x-total-count')).toBe('3');
    expect(employees.json).toHaveLength(2);
    const page2 = await api.req('GET', `${base}?filter=${encodeURIComponent(JSON.stringify({ type: 'employee' }))}&limit=2&offset=2`);
    expect(page2.json).toHaveLength(1);

    const byMail = await api.req('GET', `${base}?filter=${encodeURIComponent(JSON.stringify({ mail: 'ada@acme.com' }))}`);
    expect(byMail.json.map((o: { id: string }) => o.id)).toEqual([id]);

    const updated = await api.req('PUT', `${base}/${id}`, { ...created.json, attributes: { lastName: 'King' } });
    expect(updated.status).toBe(200);
    expect(updated.json.version).toBe(2);
    expect(updated.json.createdAt).toBe(created.json.createdAt);
    const stale = await api.req('PUT', `${base}/${id}`, { ...created.json, attributes: { lastName: 'Byron' } });
    expect(stale.status).toBe(409);
    expect((await api.req('GET', `${base}/${id}`)).json.attributes).toEqual({ lastName: 'King' });

    expect((await api.req('DELETE', `${base}/${id}`)).status).toBe(204);
    expect((await api.req('GET', `${base}/${id}`)).status).toBe(404);
    expect((await api.req('DELETE', `${base}/${id}`)).status).toBe(404);
  });

  it.each([
    [{ kind: 'ALIEN', type: 'x' }, 'kind'],
    [{ kind: 'IDENTITY' }, 'type'],
    [{ kind: 'IDENTITY', type: 'x', attributes: { $where: 1 } }, 'attributes.$where'],
    [{ kind: 'IDENTITY', type: 'x', attributes: { a: { nested: 1 } } }, 'attributes.a'],
    [{ kind: 'IDENTITY', type: 'x', extra: true }, 'extra'],
    [{ id: '../x', kind: 'IDENTITY', type: 'x' }, 'id'],
  ])('rejects the body %j with a 400 naming %s', async (body, path) => {
    const res = await api.req('POST', base, body);
    expect(res.status).toBe(400);
    expect(res.json.properties.errors.map((e: { path: string }) => e.path)).toContain(path);
  });

  it.each([
    ['filter', '{"$where":"1"}'],
    ['filter', 'not json'],
    ['limit', '1001'],
    ['limit', '0'],
    ['offset', '-1'],
  ])('rejects %s=%s with 400', async (name, value) => {
    const res = await api.req('GET', `${base}?${name}=${encodeURIComponent(value)}`);
    expect(res.status).toBe(400);
    expect(res.json.label).toBe('VALIDATION_ERROR');
  });

  it('concurrent PUTs of one version: exactly one applies, the others are 409, no update is lost', async () => {
    await api.req('POST', base, { id: 'race', kind: 'IDENTITY', type: 'employee', attributes: { lastName: 'start' } });
    for (let round = 0; round < 3; round++) {
      const read = (await api.req('GET', `${base}/race`)).json;
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => api.req('PUT', `${base}/race`, { ...read, attributes: { lastName: `writer ${round}.${i}` } })));
      const winners = results.filter((r) => r.status === 200);
      expect(winners).toHaveLength(1);
      expect(results.filter((r) => r.status === 409)).toHaveLength(7);
      expect((await api.req('GET', `${base}/race`)).json).toMatchObject({ attributes: winners[0]!.json.attributes, version: read.version + 1 });
    }
  });

  it('a filter too long for a URL, or a request that is not HTTP, gets an error representation, not an empty body', async () => {
    const long = await api.req('GET', `${base}?filter=${encodeURIComponent(JSON.stringify({ lastName: 'x'.repeat(20_000) }))}`);
    expect(long.status).toBe(431);
    expect(long.json).toMatchObject({ errorId: 'SYNC-C0000431', label: 'HEADERS_TOO_LARGE', fix: expect.stringMatching(/16 KiB/), logTrackingId: expect.any(String) });
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(new URL(api.url).port), '127.0.0.1', () => socket.write('HELLO /\u0000 WORLD\r\n\r\n'));
      let text = '';
      socket.on('data', (d) => (text += d.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4))).toMatchObject({ errorId: 'SYNC-C0000400', label: 'VALIDATION_ERROR' });
  });

  it('is 415 for a non-JSON body and 405 for a method the resource lacks', async () => {
    const r = await api.req('POST', base, 'kind=IDENTITY', { 'content-type': 'text/plain' });
    expect(r.status).toBe(415);
    const m = await api.req('PATCH', `${base}/x`, {});
    expect(m.status).toBe(405);
    expect(m.headers.get('allow')).toBe('GET, PUT, DELETE');
  });

  it('keeps tenants apart', async () => {
    const other = uniqueTenant();
    await api.req('POST', `/${other}/api/idm/objects`, { id: 'only-other', kind: 'IDENTITY', type: 'x' });
    expect((await api.req('GET', `${base}/only-other`)).status).toBe(404);
    expect((await api.req('GET', `/${other}/api/idm/objects/only-other`)).status).toBe(200);
  });
});

describe('correlation keys', () => {
  it('are maintained on every write, backfilled for a new attribute, and equal a rebuild from scratch', async () => {
    const api = await startTestApi(testSettings());
    try {
      const db = api.ctx.dbs.db(uniqueTenant());
      const store = new IdmObjectStore(db);
      const a = await store.create({ kind: 'IDENTITY', type: 'e', lifecycleState: 'ACTIVE', attributes: { mail: 'a@x', login: 'a' } });
      const b = await store.create({ kind: 'IDENTITY', type: 'e', lifecycleState: 'ACTIVE', attributes: { mail: ['b@x', 'shared@x'], login: 'b' } });
      await store.keys.ensureTracked(['mail']); // backfill
      expect([...(await store.keys.lookup('mail', ['a@x']))]).toEqual([a.id]);
      const c = await store.create({ kind: 'IDENTITY', type: 'e', lifecycleState: 'ACTIVE', attributes: { mail: 'shared@x' } });
      expect([...(await store.keys.lookup('mail', ['shared@x']))].sort()).toEqual([b.id, c.id].sort());
      await store.replace(b.id, { kind: 'IDENTITY', type: 'e', lifecycleState: 'ACTIVE', attributes: { mail: 'b2@x', login: 'b' } });
      await store.delete(c.id);
      await store.keys.ensureTracked(['mail', 'login']);
      expect([...(await store.keys.lookup('mail', ['shared@x']))]).toEqual([]);
      expect([...(await store.keys.lookup('login', ['b', 'a']))].sort()).toEqual([a.id, b.id].sort());
      const maintained = await store.keys.snapshot();
      await store.keys.rebuild();
      expect(await store.keys.snapshot()).toEqual(maintained);
      expect(maintained.map((k) => k._id)).toEqual(['login=a', 'login=b', 'mail=a@x', 'mail=b2@x']);
      // A backfill that finds keys there already (one interrupted before it recorded the attribute as tracked) adds to
      // their sets: nothing lost, nothing doubled. 1,200 objects sharing and not sharing values: more than a batch.
      for (let i = 0; i < 1200; i++) await store.create({ kind: 'IDENTITY', type: 'e', lifecycleState: 'ACTIVE', attributes: { login: `u${i}`, badge: [`b${i % 7}`, `own${i}`] } });
      await store.keys.ensureTracked(['badge', 'login', 'mail']);
      const once = await store.keys.snapshot();
      await db.collection(COLLECTIONS.meta).updateOne({ _id: 'correlationAttributes' as never }, { $set: { attributes: ['login', 'mail'] } });
      await store.keys.ensureTracked(['badge']);
      expect(await store.keys.snapshot()).toEqual(once);
      expect((await store.keys.lookup('badge', ['b3'])).size).toBe(Array.from({ length: 1200 }, (_, i) => i).filter((i) => i % 7 === 3).length);
      await store.keys.rebuild();
      expect(await store.keys.snapshot()).toEqual(once);
    } finally {
      await api.close();
    }
  });

  it('hot-path look-ups are `_id` equalities that FerretDB pushes down to an index search', async () => {
    const api = await startTestApi(testSettings());
    try {
      const db = api.ctx.dbs.db(uniqueTenant());
      const store = new IdmObjectStore(db);
      await store.keys.ensureTracked(['mail']);
      await store.create({ kind: 'IDENTITY', type: 'e', lifecycleState: 'ACTIVE', attributes: { mail: 'm@x' } });
      await db.collection(COLLECTIONS.shadows).insertOne({ _id: 'x' as never });
      for (const col of [COLLECTIONS.idmObjects, COLLECTIONS.correlationKeys, COLLECTIONS.shadows]) {
        const plan = await db.command({ explain: { find: col, filter: { _id: 'some-id' } } });
        const sqlitePlan = JSON.stringify(plan.queryPlanner);
        expect({ col, filterPushdown: plan.filterPushdown, indexed: /SEARCH .* USING INDEX/.test(sqlitePlan) }).toEqual({ col, filterPushdown: true, indexed: true });
      }
    } finally {
      await api.close();
    }
  });
});
