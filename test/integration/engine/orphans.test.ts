import { MongoClient, type CommandStartedEvent } from 'mongodb';
import { testEnv, uniqueTenant } from '../../harness/env';
import { orphanedAccounts } from '../../../src/engine/outbound/orphans';
import { AccountLinks, accountLinkId, type AccountLinkDoc } from '../../../src/store/account-links';
import { COLLECTIONS } from '../../../src/store/collections';
import { IdmObjectStore } from '../../../src/store/idm-objects';
import { SeenMarks } from '../../../src/store/seen-marks';
import { ShadowStore, type ShadowDoc } from '../../../src/store/shadows';

const NOW = '2026-11-22T00:00:00.000Z';

function shadow(id: string, owners: string[], over: Partial<ShadowDoc> = {}): ShadowDoc {
  return { _id: id, applicationId: 'dir', objectClassId: '__ACCOUNT__', shadowKind: 'ACCOUNT', uid: id, name: `uid=${id}`, objectType: 'employee', owners, dead: false, generation: 0, profileId: 'staff', createdAt: NOW, updatedAt: NOW, ...over };
}

function link(objectId: string, shadowId: string, applicationId = 'dir'): AccountLinkDoc {
  return { _id: accountLinkId(applicationId, 'ACCOUNT', objectId), applicationId, shadowKind: 'ACCOUNT', objectId, shadowId };
}

describe('orphan pass of a provisioning run (real FerretDB)', () => {
  const client = new MongoClient(testEnv().mongoUri, { monitorCommands: true });
  afterAll(async () => client.close());

  it('returns, in link order, the live profile-made accounts whose every owner is gone, and looks up only unmarked objects', async () => {
    const db = client.db(uniqueTenant('orphans'));
    const idm = new IdmObjectStore(db);
    const person = (id: string) => idm.create({ id, kind: 'IDENTITY', type: 'employee', lifecycleState: 'ACTIVE', attributes: { login: id } });
    // in scope and found by the pages (marked); out of the scope but still in the repository (unmarked)
    for (const id of ['kept', 'outside', 'co-owner']) await person(id);
    const seen = new SeenMarks(db, 'run-1');
    await seen.add([{ _id: 'kept', line: 1 }]);
    await db.collection<ShadowDoc>(COLLECTIONS.shadows).insertMany([
      shadow('s-kept', ['kept']),
      shadow('s-outside', ['outside']),
      shadow('s-gone-2', ['gone-2']),
      shadow('s-gone-1', ['gone-1']),
      shadow('s-dead', ['gone-3'], { dead: true, owners: ['gone-3'] }),
      shadow('s-synced', ['gone-4'], { profileId: undefined }), // made by a synchronization, not by a profile
      shadow('s-shared', ['gone-5', 'co-owner']), // another owner is still there
      shadow('s-other-app', ['gone-6'], { applicationId: 'crm' }),
    ]);
    // s-missing: the link of a gone object whose shadow no longer exists
    const links = [link('kept', 's-kept'), link('gone-2', 's-gone-2'), link('outside', 's-outside'), link('gone-1', 's-gone-1'), link('gone-3', 's-dead'), link('gone-4', 's-synced'), link('gone-5', 's-shared'), link('gone-7', 's-missing'), link('gone-6', 's-other-app', 'crm')];
    await new AccountLinks(db).apply(links, [], new Set(links.map((l) => l._id)));

    const idmFinds: unknown[][] = [];
    const onCommand = (e: CommandStartedEvent) => {
      if (e.commandName === 'find' && e.command.find === COLLECTIONS.idmObjects) idmFinds.push((e.command.filter as { _id: { $in: unknown[] } })._id.$in);
    };
    client.on('commandStarted', onCommand);
    const found: string[] = [];
    const deps = { idm, shadows: new ShadowStore(db), seen };
    for await (const o of orphanedAccounts(deps, new AccountLinks(db).ofApplications(['dir']), 3)) found.push(o._id);
    client.off('commandStarted', onCommand);

    expect(found).toEqual(['s-gone-2', 's-gone-1']);
    // the marked object is never looked up; each batch of 3 links asks for its unmarked objects, then the owners
    expect(idmFinds.flat()).not.toContain('kept');
    expect(idmFinds.flat()).toEqual(expect.arrayContaining(['outside', 'gone-1', 'gone-2', 'gone-5', 'co-owner']));
  });

  it('finds nothing when every linked object was marked by the pages', async () => {
    const db = client.db(uniqueTenant('orphans'));
    const seen = new SeenMarks(db, 'run-2');
    await seen.add([{ _id: 'a', line: 1 }, { _id: 'b', line: 2 }]);
    const links = [link('a', 's-a'), link('b', 's-b')];
    await new AccountLinks(db).apply(links, [], new Set(links.map((l) => l._id)));
    const found: string[] = [];
    for await (const o of orphanedAccounts({ idm: new IdmObjectStore(db), shadows: new ShadowStore(db), seen }, new AccountLinks(db).ofApplications(['dir']), 500)) found.push(o._id);
    expect(found).toEqual([]);
  });
});
