import { mkdirSync, symlinkSync, writeFileSync } from 'fs';
import * as path from 'path';
import { READ_ONLY_MESSAGE } from '../../../../src/connectors/csv';
import { fileError } from '../../../../src/connectors/csv/errors';
import { ConnectorError } from '../../../../src/connectors/types';
import { ACCOUNT, csvConnector, makeDataDir, removeDir, writeCsv } from './helpers';

async function failure(promise: Promise<unknown>): Promise<ConnectorError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConnectorError);
  return err as ConnectorError;
}

describe('CSV connector: test, get, count, capabilities, errors', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = makeDataDir();
    writeCsv(dataDir, 'users.csv', 'id,login,mail\nu1,ada,a@x\nu2,bob,b@x\nu3,cy,c@x\n');
  });
  afterEach(() => removeDir(dataDir));

  describe('test()', () => {
    it('passes on a readable file with its uid and name columns', async () => {
      await expect(csvConnector(dataDir, { filePath: 'users.csv', nameAttribute: 'login' }).test()).resolves.toBeUndefined();
    });

    it('names a missing uid column and lists the columns found', async () => {
      const err = await failure(csvConnector(dataDir, { filePath: 'users.csv', uidAttribute: 'employeeId' }).test());
      expect(err.kind).toBe('permanent');
      expect(err.message).toBe("uid column 'employeeId' not found in 'users.csv' (columns: id, login, mail)");
    });

    it('names a missing name column', async () => {
      const err = await failure(csvConnector(dataDir, { filePath: 'users.csv', nameAttribute: 'cn' }).test());
      expect(err.message).toBe("name column 'cn' not found in 'users.csv' (columns: id, login, mail)");
    });

    it('checks explicit columns when there is no header', async () => {
      const props = { filePath: 'users.csv', header: false, columns: ['a', 'b', 'c'] };
      expect((await failure(csvConnector(dataDir, props).test())).message).toBe("uid column 'id' not found in 'users.csv' (columns: a, b, c)");
    });

    it('reports a missing file as permanent', async () => {
      const err = await failure(csvConnector(dataDir, { filePath: 'nope.csv' }).test());
      expect(err).toMatchObject({ kind: 'permanent', message: "CSV file 'nope.csv': file not found (ENOENT)" });
    });

    it('reports an empty file: no header line', async () => {
      writeCsv(dataDir, 'empty.csv', '');
      const err = await failure(csvConnector(dataDir, { filePath: 'empty.csv' }).test());
      expect(err.message).toBe("CSV file 'empty.csv' is empty: no header line");
    });

    it('reports a directory as not a regular file', async () => {
      mkdirSync(path.join(dataDir, 'dir.csv'));
      expect((await failure(csvConnector(dataDir, { filePath: 'dir.csv' }).test())).message).toBe("CSV file 'dir.csv' is not a regular file");
    });

    it.each([
      ['../users.csv', "filePath '../users.csv' escapes the tenant data directory"],
      ['/etc/passwd', "filePath '/etc/passwd' must be relative to the tenant data directory, not absolute"],
      ['users\0.csv', 'filePath must not contain NUL bytes'],
    ])('rejects the path %j', async (filePath, message) => {
      expect(await failure(csvConnector(dataDir, { filePath }).test())).toMatchObject({ kind: 'permanent', message });
    });

    it('rejects a symlink pointing outside the data directory, on every operation', async () => {
      const outside = makeDataDir();
      writeFileSync(path.join(outside, 'secret.csv'), 'id\nroot\n');
      symlinkSync(path.join(outside, 'secret.csv'), path.join(dataDir, 'evil.csv'));
      const connector = csvConnector(dataDir, { filePath: 'evil.csv' });
      const message = "filePath 'evil.csv' resolves outside the tenant data directory (symbolic link?)";
      expect((await failure(connector.test())).message).toBe(message);
      expect((await failure(connector.readPage(ACCOUNT, null, 10))).message).toBe(message);
      expect((await failure(connector.count(ACCOUNT))).message).toBe(message);
      removeDir(outside);
    });
  });

  describe('get()', () => {
    it('finds an account by uid (linear scan)', async () => {
      const account = await csvConnector(dataDir, { filePath: 'users.csv', nameAttribute: 'login' }).get(ACCOUNT, 'u2');
      expect(account).toEqual({
        uid: 'u2',
        name: 'bob',
        attributes: { id: 'u2', login: 'bob', mail: 'b@x', __UID__: 'u2', __objectId__: 'u2', __NAME__: 'bob' },
      });
    });

    it('returns null for an unknown uid', async () => {
      await expect(csvConnector(dataDir, { filePath: 'users.csv' }).get(ACCOUNT, 'u9')).resolves.toBeNull();
    });

    it('scans past the first batch', async () => {
      writeCsv(dataDir, 'many.csv', ['id', ...Array.from({ length: 2500 }, (_, i) => `u${i}`)].join('\n'));
      const account = await csvConnector(dataDir, { filePath: 'many.csv' }).get(ACCOUNT, 'u2499');
      expect(account?.uid).toBe('u2499');
    });
  });

  describe('count()', () => {
    it('counts records, not lines (quoted newlines, blank lines, CRLF)', async () => {
      writeCsv(dataDir, 'c.csv', 'id,note\r\n\r\nu1,"a\r\nb"\r\nu2,"x,""y"""\r\n\r\n   \r\nu3,z');
      await expect(csvConnector(dataDir, { filePath: 'c.csv' }).count(ACCOUNT)).resolves.toBe(3);
    });

    it('falls back to parsing for a multi-byte delimiter', async () => {
      writeCsv(dataDir, 'm.csv', 'id§note\nu1§"a§\nb"\n\nu2§c\n');
      const connector = csvConnector(dataDir, { filePath: 'm.csv', delimiter: '§' });
      await expect(connector.count(ACCOUNT)).resolves.toBe(2);
      await expect(connector.get(ACCOUNT, 'u1')).resolves.toMatchObject({ attributes: { note: 'a§\nb' } });
    });

    it('counts 0 for a header-only file', async () => {
      writeCsv(dataDir, 'h.csv', 'id,name\n');
      await expect(csvConnector(dataDir, { filePath: 'h.csv' }).count(ACCOUNT)).resolves.toBe(0);
    });
  });

  describe('read-only and object classes', () => {
    const connectorFor = () => csvConnector(dataDir, { filePath: 'users.csv' });

    it('says it can only read', () => {
      expect(connectorFor().capabilities()).toEqual({
        read: true,
        create: false,
        update: false,
        delete: false,
        enable: false,
        entitlements: false,
        rename: false,
      });
      expect(connectorFor().type).toBe('CSV');
    });

    it.each([
      ['create', (c: ReturnType<typeof connectorFor>) => c.create(ACCOUNT, { id: 'x' })],
      ['update', (c: ReturnType<typeof connectorFor>) => c.update(ACCOUNT, 'u1', [{ op: 'replace', name: 'mail', values: ['z'] }])],
      ['delete', (c: ReturnType<typeof connectorFor>) => c.delete(ACCOUNT, 'u1')],
      ['setEnabled', (c: ReturnType<typeof connectorFor>) => c.setEnabled(ACCOUNT, 'u1', false)],
      ['addMembership', (c: ReturnType<typeof connectorFor>) => c.addMembership(ACCOUNT, 'u1', 'g')],
      ['removeMembership', (c: ReturnType<typeof connectorFor>) => c.removeMembership(ACCOUNT, 'u1', 'g')],
    ])('%s is not supported (permanent)', async (_name, operation) => {
      const err = await failure(operation(connectorFor()));
      expect(err).toMatchObject({ kind: 'permanent', message: READ_ONLY_MESSAGE });
      expect(err.message).toBe('not supported: the CSV connector is read-only');
    });

    it('has no entitlements to list', async () => {
      expect((await failure(connectorFor().listMemberships(ACCOUNT, 'u1'))).message).toBe('not supported: the CSV connector has no entitlements');
    });

    it.each([
      ['readPage', (c: ReturnType<typeof connectorFor>) => c.readPage('__GROUP__', null, 10)],
      ['count', (c: ReturnType<typeof connectorFor>) => c.count('__GROUP__')],
      ['get', (c: ReturnType<typeof connectorFor>) => c.get('__GROUP__', 'u1')],
    ])('%s rejects any object class but __ACCOUNT__', async (_name, operation) => {
      const err = await failure(operation(connectorFor()));
      expect(err).toMatchObject({ kind: 'permanent', message: "unknown object class '__GROUP__': a CSV connector only holds __ACCOUNT__" });
    });

    it('rejects a page size that is not a positive integer', async () => {
      expect((await failure(connectorFor().readPage(ACCOUNT, null, 0))).message).toBe('pageSize must be a positive integer, got 0');
    });
  });

  describe('file error classification', () => {
    const errno = (code: string) => Object.assign(new Error(`${code}: boom`), { code });

    it.each(['EMFILE', 'ENFILE', 'EAGAIN', 'EBUSY'])('%s is retryable', (code) => {
      const err = fileError(errno(code), 'users.csv');
      expect(err).toMatchObject({ kind: 'retryable', retryable: true, message: `CSV file 'users.csv' is temporarily unavailable (${code})` });
      expect(err.details).toEqual({ code, cause: `${code}: boom` });
    });

    it.each([
      ['ENOENT', 'file not found'],
      ['EACCES', 'permission denied'],
      ['EPERM', 'permission denied'],
      ['EISDIR', 'is a directory, not a file'],
    ])('%s is permanent', (code, reason) => {
      expect(fileError(errno(code), 'users.csv')).toMatchObject({ kind: 'permanent', message: `CSV file 'users.csv': ${reason} (${code})` });
    });

    it('passes an already classified error through', () => {
      const original = new ConnectorError('retryable', 'x');
      expect(fileError(original, 'users.csv')).toBe(original);
    });
  });
});
