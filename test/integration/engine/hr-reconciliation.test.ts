import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { testSettings } from '../../harness/env';
import { csvPropertiesSchema } from '../../../src/config/connector-properties';
import { applicationSchema } from '../../../src/config/schemas/application';
import { ConfigService } from '../../../src/config/service';
import { createCsvConnector } from '../../../src/connectors/csv';
import type { IdmObject } from '../../../src/store/idm-model';
import { shadowId } from '../../../src/engine/ids';
import { carriedBy } from '../../../src/store/seen-marks';
import { expectKeysConsistent } from './fixtures';
import { openEngineEnv, runTask, startRun, type EngineEnv, type RunResult } from './harness';

/**
 * The examples/ configuration (dataset.xml, imported through the configuration service) reconciling
 * examples/data/hr.csv against a repository that yesterday's export filled: adds, updates, links, deletes and
 * unchanged identities, checked object by object.
 */

const ROOT = join(__dirname, '../../..');
const HR_CSV_HEADER = 'employeeNumber,firstName,lastName,email,department,contractType,manager';

/** Yesterday's export: no E1003, P2003 (their identities exist unlinked), no new hires, two leavers, two changes. */
function yesterday(today: string): string {
  const rows = today.trim().split('\n').slice(1);
  const kept = rows
    .filter((r) => !/^(E1003|E1013|E1014|E1015|P2003|P2004|P2005),/.test(r))
    .map((r) => r.replace('E1002,Bruno,Bernard,bruno.bernard@example.com,Finance', 'E1002,Bruno,Bernard,bruno.bernard@example.com,Accounting'))
    .map((r) => r.replace('E1005,Emma,Robert,', 'E1005,Emma,Roberts,'));
  return [HR_CSV_HEADER, ...kept, 'E0999,Old,Timer,old.timer@example.com,Sales,employee,E1008', 'P2999,Ex,Partner,ex.partner@acme-outsourcing.com,Sales,partner,E1008'].join('\n') + '\n';
}

type Expected = Pick<IdmObject, 'type' | 'lifecycleState' | 'version' | 'attributes'>;

const employee = (n: string, first: string, last: string, department: string, manager: string | null, version = 1, lifecycleState: IdmObject['lifecycleState'] = 'ACTIVE'): Expected => ({
  type: 'employee',
  lifecycleState,
  version,
  attributes: {
    employeeNumber: n,
    firstName: first,
    lastName: last,
    email: `${first.toLowerCase().replace('ç', 'c')}.${last.toLowerCase()}@example.com`,
    department,
    ...(manager ? { manager } : {}),
    displayName: `${first} ${last}`,
  },
});
const partner = (n: string, first: string, last: string, domain: string, department: string, sponsor: string, version = 1, lifecycleState: IdmObject['lifecycleState'] = 'ACTIVE'): Expected => ({
  type: 'partner',
  lifecycleState,
  version,
  attributes: {
    employeeNumber: n,
    firstName: first,
    lastName: last,
    email: `${first.toLowerCase().replace('é', 'e')}.${last.toLowerCase()}@${domain}.com`,
    department,
    sponsor,
    company: domain,
  },
});

/** The repository after today's reconciliation, by employee number. */
const EXPECTED: Record<string, Expected> = {
  E0999: employee('E0999', 'Old', 'Timer', 'Sales', 'E1008', 2, 'INACTIVE'), // left: INACTIVATE_IDM_OBJECT
  E1001: employee('E1001', 'Alice', 'Martin', 'Executive', null),
  E1002: employee('E1002', 'Bruno', 'Bernard', 'Finance', 'E1001', 2), // moved from Accounting
  E1003: employee('E1003', 'Claire', 'Dubois', 'Finance', 'E1002', 2), // linked by correlation, then synchronized
  E1004: employee('E1004', 'David', 'Thomas', 'Engineering', 'E1001'),
  E1005: employee('E1005', 'Emma', 'Robert', 'Engineering', 'E1004', 2), // name corrected
  E1006: employee('E1006', 'François', 'Richard', 'Engineering', 'E1004'),
  E1007: employee('E1007', 'Gabrielle', 'Petit', 'Engineering', 'E1004'),
  E1008: employee('E1008', 'Hugo', 'Durand', 'Sales', 'E1001'),
  E1009: employee('E1009', 'Inès', 'Leroy', 'Sales', 'E1008'),
  E1010: employee('E1010', 'Julien', 'Moreau', 'Sales', 'E1008'),
  E1011: employee('E1011', 'Karine', 'Simon', 'Human Resources', 'E1001'),
  E1012: employee('E1012', 'Louis', 'Laurent', 'Human Resources', 'E1011'),
  E1013: employee('E1013', 'Manon', 'Lefebvre', 'Support', 'E1004'), // new hires
  E1014: employee('E1014', 'Nicolas', 'Michel', 'Support', 'E1013'),
  E1015: employee('E1015', 'Océane', 'Garcia', 'Marketing', 'E1008'),
  P2001: partner('P2001', 'Paul', 'David', 'partner-consulting', 'Engineering', 'E1004'),
  P2002: partner('P2002', 'Quentin', 'Bertrand', 'partner-consulting', 'Engineering', 'E1004'),
  P2003: partner('P2003', 'Rose', 'Roux', 'acme-outsourcing', 'Support', 'E1013', 2), // found by e-mail (custom correlation)
  P2004: partner('P2004', 'Samuel', 'Vincent', 'acme-outsourcing', 'Sales', 'E1008'),
  P2005: partner('P2005', 'Théa', 'Fournier', 'acme-outsourcing', 'Marketing', 'E1015'),
  P2999: partner('P2999', 'Ex', 'Partner', 'acme-outsourcing', 'Sales', 'E1008', 2, 'SOFT_DELETED'), // contract ended
};
// Accents are kept in names but not in the e-mail addresses of the export.
EXPECTED.E1009!.attributes.email = 'ines.leroy@example.com';
EXPECTED.E1015!.attributes.email = 'oceane.garcia@example.com';
EXPECTED.P2005!.attributes.email = 'thea.fournier@acme-outsourcing.com';

describe('reconciliation of examples/data/hr.csv with examples/dataset.xml', () => {
  let env: EngineEnv;
  let result: RunResult;
  let todayRunId = '';

  beforeAll(async () => {
    env = await openEngineEnv();
    const config = new ConfigService({ settings: testSettings(), dbs: env.dbs });
    await config.importDataset(env.tenant, await readFile(join(ROOT, 'examples/dataset.xml'), 'utf8'));
    const app = applicationSchema.parse(await config.get(env.tenant, 'application', 'hr'));
    const props = csvPropertiesSchema.parse((await config.get(env.tenant, 'connectorDefinition', 'hr-csv')).connectorProperties);
    const today = await readFile(join(ROOT, 'examples/data/hr.csv'), 'utf8');
    const connector = createCsvConnector(props, { dataDir: env.dataDir });
    const reconcile = async (content: string) => {
      await writeFile(join(env.dataDir, props.filePath), content);
      const ctx = await startRun(env, app, 'RECONCILIATION', connector);
      todayRunId = ctx.run.runId;
      return runTask(ctx, connector, 7);
    };

    const first = await reconcile(yesterday(today));
    expect(first.counters).toEqual(expect.objectContaining({ processed: 15, errors: 0 }));
    // Identities known before the HR export had their rows: found by correlation today.
    await env.idm.create({ kind: 'IDENTITY', type: 'employee', lifecycleState: 'ACTIVE', attributes: { employeeNumber: 'E1003', firstName: 'Claire', lastName: 'Dubois-Old' } });
    await env.idm.create({ kind: 'IDENTITY', type: 'partner', lifecycleState: 'ACTIVE', attributes: { email: 'rose.roux@acme-outsourcing.com', company: 'acme' } });

    result = await reconcile(today);
  });
  afterAll(async () => env.close());

  it('reports every situation and action of the run', () => {
    expect(result.accounts.filter((o) => o.error)).toEqual([]);
    expect(result.counters).toEqual({
      processed: 22,
      errors: 0,
      skipped: 0,
      situations: { LINKED: 13, UNLINKED: 2, UNMATCHED: 5, DELETED: 2 },
      actions: { SYNCHRONIZE_IDM_OBJECT: 15, LINK: 2, ADD_IDM_OBJECT: 5, INACTIVATE_IDM_OBJECT: 1, SOFT_DELETE_IDM_OBJECT: 1 },
    });
    expect(result.deleted.map((o) => [o.uid, o.actions])).toEqual(
      expect.arrayContaining([
        ['E0999', ['INACTIVATE_IDM_OBJECT']],
        ['P2999', ['SOFT_DELETE_IDM_OBJECT']],
      ]),
    );
  });

  it('marks every account it read as seen, and only those: the shadows it wrote carry the mark', async () => {
    const live = (await env.shadows.col.find({ dead: false }).toArray()).filter((s) => !s.uid.endsWith('999'));
    expect([...result.seen.keys()].sort()).toEqual(live.map((s) => s._id).sort());
    expect(live).toHaveLength(20);
    const situation = Object.fromEntries(result.accounts.map((o) => [o.uid, o.situation]));
    const carriers = live.filter((s) => carriedBy(s, todayRunId));
    // the 7 accounts new today have new shadows, which carry the mark; unchanged shadows were not rewritten
    expect(carriers.filter((s) => situation[s.uid] !== 'LINKED').map((s) => s.uid).sort()).toEqual(
      result.accounts.filter((o) => o.situation === 'UNLINKED' || o.situation === 'UNMATCHED').map((o) => o.uid).sort(),
    );
    expect(carriers.filter((s) => situation[s.uid] !== 'LINKED')).toHaveLength(7);
    for (const s of carriers) expect(result.seen.get(s._id)).toEqual(carriedBy(s, todayRunId));
  });

  it('leaves the repository object by object as expected', async () => {
    const objects = (await env.idm.search({}, 0, 1000)).items;
    expect(objects).toHaveLength(Object.keys(EXPECTED).length);
    const byNumber = Object.fromEntries(objects.map((o) => [o.attributes.employeeNumber as string, o]));
    for (const [n, expected] of Object.entries(EXPECTED)) {
      const o = byNumber[n];
      expect({ n, kind: o?.kind, type: o?.type, lifecycleState: o?.lifecycleState, version: o?.version, attributes: o?.attributes }).toEqual({ n, kind: 'IDENTITY', ...expected });
    }
  });

  it('links every account to its identity; leavers are dead shadows', async () => {
    const objects = (await env.idm.search({}, 0, 1000)).items;
    const shadows = await env.shadows.getMany(Object.keys(EXPECTED).map((n) => shadowId('hr', '__ACCOUNT__', n)));
    for (const o of objects) {
      const n = o.attributes.employeeNumber as string;
      const s = shadows.get(shadowId('hr', '__ACCOUNT__', n));
      expect({ n, owners: s?.owners, dead: s?.dead, objectType: s?.objectType }).toEqual({ n, owners: [o.id], dead: n.endsWith('999'), objectType: o.type });
    }
    await expectKeysConsistent(env);
  });
});
