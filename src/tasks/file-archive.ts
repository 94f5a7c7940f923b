import { promises as fs } from 'node:fs';
import path from 'node:path';
import { relativePathProblem } from '../config/validate-common';
import { AppError } from '../errors';
import { writeAtomically } from './atomic-file';

/**
 * Archives the source file of a run (SPEC.md §3.4 `fileArchivingDefinition`): a copy in `archiveDirectory`, relative
 * to the tenant data directory, created if missing. The source stays where it is: the next run still finds a file
 * even if no new export arrived (docs/decisions.md). With `overwrite` the archive keeps the source's name and
 * replaces the previous one; without, each run keeps its own copy, named after the run (`hr.<runId>.csv`).
 * Written atomically: a retried activity writes the same file again. Returns the archive's path relative to the
 * tenant data directory.
 */
export async function archiveFile(tenantDir: string, sourceFile: string, archiveDirectory: string, overwrite: boolean, runId: string): Promise<string> {
  const problem = relativePathProblem(archiveDirectory);
  if (problem) throw archiveError(`archiveDirectory '${archiveDirectory}' ${problem}`);
  const realTenantDir = await fs.realpath(tenantDir);
  const dir = await directoryInside(realTenantDir, archiveDirectory);
  const ext = path.extname(sourceFile);
  const stem = path.basename(sourceFile, ext);
  const target = path.join(dir, overwrite ? `${stem}${ext}` : `${stem}.${runId}${ext}`);
  await writeAtomically(target, (partial) => fs.copyFile(sourceFile, partial));
  return path.relative(realTenantDir, target);
}

/**
 * The real path of `relative` under `root`, creating what is missing one level at a time: each level is resolved
 * (symbolic links followed) and checked before anything is created in it, so a link cannot lead a write outside.
 */
async function directoryInside(root: string, relative: string): Promise<string> {
  let dir = root;
  for (const segment of relative.split(/[\\/]+/).filter((s) => s !== '' && s !== '.')) {
    const next = path.join(dir, segment);
    await fs.mkdir(next).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') throw e;
    });
    dir = await fs.realpath(next);
    const inside = path.relative(root, dir);
    if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside))
      throw archiveError(`archiveDirectory '${relative}' resolves outside the tenant data directory (symbolic link?)`);
    if (!(await fs.stat(dir)).isDirectory()) throw archiveError(`archiveDirectory '${relative}': ${path.relative(root, next)} is not a directory`);
  }
  return dir;
}

function archiveError(message: string): AppError {
  return new AppError('CONFIGURATION_ERROR', message, {}, 'Give the post-processing definition an archiveDirectory inside the tenant data directory');
}
