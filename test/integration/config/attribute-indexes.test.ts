import type { Client } from '@temporalio/client';
import { MongoClient } from 'mongodb';
import { COLLECTIONS } from '../../../src/store/collections';
import type { StoredResource } from '../../../src/store/config-store';
import { correlationKeyId } from '../../../src/store/correlation-keys';
import { storeUsesSecondaryIndexes, TenantDbs, usesSecondaryIndexes } from '../../../src/store/mongo';
import { configListeners } from '../../../src/tasks/config-listeners';
import { testEnv, uniqueTenant } from '../../harness/env';
import { application } from './fixtures';

/**
 * Saving an application whose correlation looks up an IDM attribute: MongoDB gets an index on it, FerretDB none
 * (it would maintain the index on every write of an IDM object and never read it), and loses one made before.
 */
describe('attribute indexes of correlated IDM attributes', () => {
  const client = new MongoClient(testEnv().mongoUri);
  const dbs = new TenantDbs(client, 'idmsync');
  // an application's save never touches Temporal (only task definitions have schedules)
  const listeners = configListeners({ temporal: undefined as unknown as Client, taskQueue: 'unused', dbs });
  const saveApplication = async (tenant: string): Promise<void> => {
    const stored: StoredResource = { ...application('hr', 'csv'), id: 'hr', createdAt: 'c', updatedAt: 'u', version: 1 };
    await listeners.onSaved?.(tenant, 'application', stored);
  };
  afterAll(() => client.close());

  it('tells MongoDB from FerretDB by buildInfo', async () => {
    expect(usesSecondaryIndexes({ version: '7.0.14', gitVersion: 'ce59cfc6a3c5e5c067dca0d30697edd68d4f5188' })).toBe(true);
    expect(usesSecondaryIndexes({ version: '7.0.42', ferretdbVersion: 'v1.24.0' })).toBe(false);
    await expect(storeUsesSecondaryIndexes(client)).resolves.toBe(false);
  });

  it('keeps correlation keys but no attribute index on FerretDB, and drops one an earlier version made', async () => {
    const tenant = uniqueTenant('attridx');
    const objects = dbs.db(tenant).collection(COLLECTIONS.idmObjects);
    await objects.insertOne({ _id: 'o1' as never, attributes: { employeeNumber: 'E1' } });
    await objects.createIndex({ 'attributes.employeeNumber': 1 }, { name: 'attr_employeeNumber' });
    await objects.createIndex({ createdAt: 1 }, { name: 'by_creation' });

    await saveApplication(tenant);

    const names = (await objects.listIndexes().toArray()).map((i) => String(i.name)).sort();
    expect(names).toEqual(['_id_', 'by_creation']);
    const keys = await dbs.db(tenant).collection(COLLECTIONS.correlationKeys).find({}).toArray();
    expect(keys).toEqual([{ _id: correlationKeyId('employeeNumber', 'E1'), ids: ['o1'] }]);
  });

  it('saves an application of a tenant that has no IDM object yet', async () => {
    const tenant = uniqueTenant('attridx');
    await saveApplication(tenant);
    await expect(dbs.db(tenant).listCollections({ name: COLLECTIONS.idmObjects }).toArray()).resolves.toEqual([]);
  });
});
