import { promises as fs } from 'fs';
import * as path from 'path';
import { fileError, permanentError } from './errors';

/**
 * Syntactic check of a CSV `filePath` (no file-system access), for config validation: returns what is wrong,
 * or undefined when the path is acceptable. The path must stay inside the tenant data directory.
 */
export function filePathProblem(filePath: string): string | undefined {
  if (filePath.length === 0) return 'filePath is required';
  if (filePath.includes('\0')) return 'filePath must not contain NUL bytes';
  if (path.isAbsolute(filePath)) return `filePath '${filePath}' must be relative to the tenant data directory, not absolute`;
  const normalized = path.normalize(filePath);
  if (normalized === '..' || normalized.startsWith(`..${path.sep}`))
    return `filePath '${filePath}' escapes the tenant data directory`;
  if (normalized === '.') return `filePath '${filePath}' names the data directory itself, not a file`;
  return undefined;
}

function isInside(dir: string, candidate: string): boolean {
  const relative = path.relative(dir, candidate);
  return relative !== '' && !relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative);
}

/**
 * Resolves `filePath` against the tenant data directory and returns the real path of the file. Symbolic links are
 * followed (realpath) and the target must still be inside the data directory, so a link cannot smuggle
 * `/etc/passwd` in. Every failure is a permanent ConnectorError (a configuration problem), except transient
 * file-system conditions (EMFILE...), which are retryable.
 */
export async function resolveDataFile(dataDir: string, filePath: string): Promise<string> {
  const problem = filePathProblem(filePath);
  if (problem) throw permanentError(problem);
  let realDir: string;
  try {
    realDir = await fs.realpath(dataDir);
  } catch (err) {
    throw fileError(err, `data directory ${dataDir}`);
  }
  let realFile: string;
  try {
    realFile = await fs.realpath(path.join(realDir, filePath));
  } catch (err) {
    throw fileError(err, filePath);
  }
  if (!isInside(realDir, realFile))
    throw permanentError(`filePath '${filePath}' resolves outside the tenant data directory (symbolic link?)`);
  return realFile;
}
