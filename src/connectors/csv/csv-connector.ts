import { promises as fs } from 'fs';
import type { CsvProperties } from '../../config/connector-properties';
import type { Account, Capabilities, Connector, Page, Position } from '../types';
import { dialectOf, type Dialect } from './dialect';
import { assertAccountClass, fileError, permanentError, readOnlyError } from './errors';
import { resolveDataFile } from './file-path';
import { readLayout, type Layout } from './layout';
import { decodePosition, encodePosition, type FileFingerprint } from './position';
import { countRecords } from './record-counter';
import { readRecords } from './record-reader';
import { createRowMapper, type RowMapper } from './row-mapper';

export interface CsvConnectorContext {
  /** absolute `<DATA_DIR>/<tenant>`: filePath is resolved inside it */
  dataDir: string;
}

const CAPABILITIES: Capabilities = {
  read: true,
  create: false,
  update: false,
  delete: false,
  enable: false,
  entitlements: false,
  rename: false,
};

/** Rows scanned per batch by get(): bounds memory, the scan itself is linear. */
const GET_BATCH = 1000;

/** The file as opened for one operation: its real path, its content fingerprint, its layout and row mapper. */
interface OpenedFile {
  path: string;
  /** the configured dialect plus the file's line ending */
  dialect: Dialect;
  fingerprint: FileFingerprint;
  layout: Layout;
  mapper: RowMapper;
}

/**
 * A read-only connector over one CSV file of accounts (object class `__ACCOUNT__`). It holds no open file between
 * calls: every page is read from the byte offset in its position, so a position saved by one process is resumed
 * by another without re-reading the file. Only the header is cached, and only while the file is unchanged.
 */
export function createCsvConnector(props: CsvProperties, ctx: CsvConnectorContext): Connector {
  const dialect = dialectOf(props);
  let cached: OpenedFile | undefined;
  /** average record size of the last page read: sizes the reads of the next page (a hint, not part of positions) */
  let bytesPerRecord: number | undefined;

  async function open(): Promise<OpenedFile> {
    const path = await resolveDataFile(ctx.dataDir, props.filePath);
    const stats = await fs.stat(path);
    if (!stats.isFile()) throw permanentError(`CSV file '${props.filePath}' is not a regular file`);
    const fingerprint = { size: stats.size, mtimeMs: stats.mtimeMs };
    if (cached?.path === path && cached.fingerprint.size === fingerprint.size && cached.fingerprint.mtimeMs === fingerprint.mtimeMs)
      return cached;
    const layout = await readLayout(path, props, dialect);
    const fileDialect = { ...dialect, recordDelimiter: layout.recordDelimiter };
    cached = { path, dialect: fileDialect, fingerprint, layout, mapper: createRowMapper(props, layout.columns) };
    return cached;
  }

  /** Every failure leaves classified: file-system errors become retryable or permanent ConnectorErrors. */
  async function guarded<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      throw fileError(err, props.filePath);
    }
  }

  async function readPage(objectClassId: string, position: Position | null, pageSize: number): Promise<Page> {
    assertAccountClass(objectClassId);
    if (!Number.isSafeInteger(pageSize) || pageSize < 1) throw permanentError(`pageSize must be a positive integer, got ${pageSize}`);
    return guarded(async () => {
      const file = await open();
      const start = position === null ? file.layout.dataStart : decodePosition(position, file.fingerprint);
      const { records, exhausted } = await readRecords(file.path, file.dialect, start, pageSize, bytesPerRecord);
      const last = records[records.length - 1];
      if (last) bytesPerRecord = (last.next.offset - start.offset) / records.length;
      const next = exhausted || !last ? null : encodePosition(last.next, file.fingerprint);
      return { items: records.map(file.mapper), next };
    });
  }

  /** Linear scan (a CSV file has no index); stops at the first row with this uid. */
  async function get(objectClassId: string, uid: string): Promise<Account | null> {
    assertAccountClass(objectClassId);
    return guarded(async () => {
      const file = await open();
      for (let cursor = file.layout.dataStart; ; ) {
        const { records, exhausted } = await readRecords(file.path, file.dialect, cursor, GET_BATCH);
        for (const record of records) {
          const item = file.mapper(record);
          if (item.ok && item.account.uid === uid) return item.account;
        }
        const last = records[records.length - 1];
        if (exhausted || !last) return null;
        cursor = last.next;
      }
    });
  }

  const notSupported = async (): Promise<never> => {
    throw readOnlyError();
  };

  return {
    type: 'CSV',
    capabilities: () => ({ ...CAPABILITIES }),
    async test() {
      // Opening checks it all: inside the data dir, a readable regular file, a header, the uid and name columns
      await guarded(open);
    },
    async count(objectClassId) {
      assertAccountClass(objectClassId);
      return guarded(async () => {
        const file = await open();
        return countRecords(file.path, file.dialect, file.layout.dataStart);
      });
    },
    readPage,
    get,
    create: notSupported,
    update: notSupported,
    delete: notSupported,
    setEnabled: notSupported,
    addMembership: notSupported,
    removeMembership: notSupported,
    async listMemberships(objectClassId) {
      assertAccountClass(objectClassId);
      throw permanentError('not supported: the CSV connector has no entitlements');
    },
    async close() {
      cached = undefined;
    },
  };
}
