import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'fs';
import * as path from 'path';
import { filePathProblem, resolveDataFile } from '../../../../src/connectors/csv';
import { ConnectorError } from '../../../../src/connectors/types';
import { makeDataDir, removeDir } from './helpers';

describe('filePathProblem (syntactic, for config validation)', () => {
  it.each([
    ['../x.csv', "filePath '../x.csv' escapes the tenant data directory"],
    ['a/../../x.csv', "filePath 'a/../../x.csv' escapes the tenant data directory"],
    ['..', "filePath '..' escapes the tenant data directory"],
    ['/etc/passwd', "filePath '/etc/passwd' must be relative to the tenant data directory, not absolute"],
    ['users\0.csv', 'filePath must not contain NUL bytes'],
    ['', 'filePath is required'],
    ['.', "filePath '.' names the data directory itself, not a file"],
  ])('rejects %j', (filePath, message) => {
    expect(filePathProblem(filePath)).toBe(message);
  });

  it.each(['users.csv', 'hr/users.csv', 'hr/../users.csv', './users.csv', '..users.csv'])('accepts %j', (filePath) => {
    expect(filePathProblem(filePath)).toBeUndefined();
  });
});

describe('resolveDataFile', () => {
  let root: string;
  let dataDir: string;
  beforeEach(() => {
    root = makeDataDir();
    dataDir = path.join(root, 'tenant');
    mkdirSync(path.join(dataDir, 'hr'), { recursive: true });
    writeFileSync(path.join(dataDir, 'hr', 'users.csv'), 'id\n1\n');
    writeFileSync(path.join(root, 'secret.csv'), 'id\nsecret\n');
  });
  afterEach(() => removeDir(root));

  async function rejection(filePath: string): Promise<ConnectorError> {
    const err = await resolveDataFile(dataDir, filePath).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectorError);
    return err as ConnectorError;
  }

  it('returns the real path of a file inside the data directory', async () => {
    await expect(resolveDataFile(dataDir, 'hr/users.csv')).resolves.toBe(realpathSync(path.join(dataDir, 'hr', 'users.csv')));
  });

  it('follows a symlink that stays inside the data directory', async () => {
    symlinkSync(path.join(dataDir, 'hr', 'users.csv'), path.join(dataDir, 'current.csv'));
    await expect(resolveDataFile(dataDir, 'current.csv')).resolves.toBe(realpathSync(path.join(dataDir, 'hr', 'users.csv')));
  });

  it('rejects a symlink pointing outside the data directory', async () => {
    symlinkSync(path.join(root, 'secret.csv'), path.join(dataDir, 'link.csv'));
    const err = await rejection('link.csv');
    expect(err.kind).toBe('permanent');
    expect(err.message).toBe("filePath 'link.csv' resolves outside the tenant data directory (symbolic link?)");
  });

  it('rejects a symlinked directory pointing outside', async () => {
    symlinkSync(root, path.join(dataDir, 'up'));
    expect((await rejection('up/secret.csv')).message).toBe("filePath 'up/secret.csv' resolves outside the tenant data directory (symbolic link?)");
  });

  it.each([
    ['../secret.csv', "filePath '../secret.csv' escapes the tenant data directory"],
    ['/etc/passwd', "filePath '/etc/passwd' must be relative to the tenant data directory, not absolute"],
    ['hr/users.csv\0.txt', 'filePath must not contain NUL bytes'],
  ])('rejects %j before touching the file system', async (filePath, message) => {
    const err = await rejection(filePath);
    expect(err.kind).toBe('permanent');
    expect(err.message).toBe(message);
  });

  it('reports a missing file as permanent, naming it', async () => {
    const err = await rejection('hr/missing.csv');
    expect(err.kind).toBe('permanent');
    expect(err.message).toBe("CSV file 'hr/missing.csv': file not found (ENOENT)");
    expect(err.details.code).toBe('ENOENT');
  });
});
