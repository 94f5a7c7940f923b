import { mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { archiveFile } from '../../../src/tasks/file-archive';

function tenantWithSource(): { tenantDir: string; source: string } {
  const tenantDir = mkdtempSync(path.join(tmpdir(), 'tenant-'));
  const source = path.join(tenantDir, 'hr.csv');
  writeFileSync(source, 'id\n1\n');
  return { tenantDir, source };
}

describe('archiving the source file of a run', () => {
  it('keeps one copy per run, named after the run, in a directory it creates; the source stays', async () => {
    const { tenantDir, source } = tenantWithSource();
    expect(await archiveFile(tenantDir, source, 'archive/hr', false, 'run-1')).toBe(path.join('archive', 'hr', 'hr.run-1.csv'));
    writeFileSync(source, 'id\n2\n');
    await archiveFile(tenantDir, source, 'archive/hr', false, 'run-2');
    await archiveFile(tenantDir, source, 'archive/hr', false, 'run-2'); // a retried activity
    const dir = path.join(tenantDir, 'archive', 'hr');
    expect(readdirSync(dir).sort()).toEqual(['hr.run-1.csv', 'hr.run-2.csv']);
    expect(readFileSync(path.join(dir, 'hr.run-1.csv'), 'utf8')).toBe('id\n1\n');
    expect(readFileSync(path.join(dir, 'hr.run-2.csv'), 'utf8')).toBe('id\n2\n');
    expect(readFileSync(source, 'utf8')).toBe('id\n2\n');
  });

  it('with overwriteExistingArchive keeps the source name and replaces the previous archive', async () => {
    const { tenantDir, source } = tenantWithSource();
    await archiveFile(tenantDir, source, 'archive', true, 'run-1');
    writeFileSync(source, 'id\n3\n');
    expect(await archiveFile(tenantDir, source, 'archive', true, 'run-2')).toBe(path.join('archive', 'hr.csv'));
    expect(readdirSync(path.join(tenantDir, 'archive'))).toEqual(['hr.csv']);
    expect(readFileSync(path.join(tenantDir, 'archive', 'hr.csv'), 'utf8')).toBe('id\n3\n');
  });

  it.each([
    ['an absolute directory', '/tmp/elsewhere', /relative/],
    ['a directory above the tenant', '../other-tenant', /\.\./],
    ['a NUL byte', 'arch\0ive', /NUL/],
  ])('refuses %s and writes nothing', async (_what, dir, reason) => {
    const { tenantDir, source } = tenantWithSource();
    await expect(archiveFile(tenantDir, source, dir, false, 'r')).rejects.toThrow(reason);
    expect(readdirSync(tenantDir)).toEqual(['hr.csv']);
  });

  it.each(['archive', 'archive/deeper/still'])('refuses a directory (%s) that a symbolic link leads out of the tenant directory, creating nothing outside', async (dir) => {
    const { tenantDir, source } = tenantWithSource();
    const outside = mkdtempSync(path.join(tmpdir(), 'outside-'));
    symlinkSync(outside, path.join(tenantDir, 'archive'));
    await expect(archiveFile(tenantDir, source, dir, false, 'r')).rejects.toThrow(/outside the tenant data directory/);
    expect(readdirSync(outside)).toEqual([]);
  });

  it('a link that stays inside the tenant directory is followed', async () => {
    const { tenantDir, source } = tenantWithSource();
    mkdirSync(path.join(tenantDir, 'real'));
    symlinkSync(path.join(tenantDir, 'real'), path.join(tenantDir, 'archive'));
    expect(await archiveFile(tenantDir, source, 'archive', false, 'r')).toBe(path.join('real', 'hr.r.csv'));
  });

  it('fails clearly when the directory is a file', async () => {
    const { tenantDir, source } = tenantWithSource();
    mkdirSync(path.join(tenantDir, 'a'));
    writeFileSync(path.join(tenantDir, 'a', 'b'), 'not a directory');
    await expect(archiveFile(tenantDir, source, 'a/b', false, 'r')).rejects.toThrow(/a\/b is not a directory/);
    await expect(archiveFile(tenantDir, source, 'hr.csv/x', false, 'r')).rejects.toThrow(/hr\.csv is not a directory/);
  });
});
