import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { csvPropertiesSchema } from '../../../../src/config/connector-properties';
import { createCsvConnector } from '../../../../src/connectors/csv';
import type { Connector, ReadItem } from '../../../../src/connectors/types';

export const ACCOUNT = '__ACCOUNT__';

/** A fresh tenant data directory under the OS temp dir; remove it with `removeDir` in afterEach/afterAll. */
export function makeDataDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'csv-connector-'));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export function writeCsv(dataDir: string, name: string, content: string | Buffer): void {
  writeFileSync(path.join(dataDir, name), content);
}

/** A connector with the schema's defaults applied, as config validation would hand it over. */
export function csvConnector(dataDir: string, props: Record<string, unknown>): Connector {
  return createCsvConnector(csvPropertiesSchema.parse({ uidAttribute: 'id', ...props }), { dataDir });
}

/** Every item of the file, read page by page; also returns how many pages it took. */
export async function readAll(connector: Connector, pageSize = 100): Promise<{ items: ReadItem[]; pages: number }> {
  const items: ReadItem[] = [];
  let position: string | null = null;
  let pages = 0;
  do {
    const page = await connector.readPage(ACCOUNT, position, pageSize);
    pages++;
    expect(page.items.length).toBeLessThanOrEqual(pageSize);
    items.push(...page.items);
    position = page.next;
  } while (position !== null);
  return { items, pages };
}

/** The accounts' attributes, in file order (failing if any item is an error). */
export function attributesOf(items: ReadItem[]): Array<Record<string, unknown>> {
  return items.map((item) => {
    if (!item.ok) throw new Error(`unexpected error item: ${item.message}`);
    return item.account.attributes;
  });
}

export function uidsOf(items: ReadItem[]): string[] {
  return items.flatMap((item) => (item.ok ? [item.account.uid] : []));
}

export function errorsOf(items: ReadItem[]): Array<Extract<ReadItem, { ok: false }>> {
  return items.flatMap((item) => (item.ok ? [] : [item]));
}
