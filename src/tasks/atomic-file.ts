import { promises as fs } from 'node:fs';

/**
 * Writes `file` whole or not at all: `write` fills a file beside it, which is then renamed into place. A reader never
 * sees half of it, a retry rewrites it, and a failed write leaves nothing behind.
 */
export async function writeAtomically(file: string, write: (partial: string) => Promise<void>): Promise<void> {
  const partial = `${file}.part`;
  try {
    await write(partial);
  } catch (err) {
    await fs.rm(partial, { force: true });
    throw err;
  }
  await fs.rename(partial, file);
}
