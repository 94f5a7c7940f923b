/**
 * The one interface every connector implements (CSV, LDAP). The engine and the activities only ever see this.
 *
 * Attribute values: a single value is a scalar, a multi-valued attribute is an array (SPEC.md §3.9: ACCOUNT is
 * flat). Absent / empty means "no value". Built-ins (SPEC.md §4) are always present on accounts read:
 * `__UID__`, `__objectId__` (= __UID__), `__NAME__`; `__ENABLE__` when the connector supports it.
 */
export type AttributeValue = string | number | boolean | null | Array<string | number | boolean>;
export type Attributes = Record<string, AttributeValue>;

export const UID = '__UID__';
export const OBJECT_ID = '__objectId__';
export const NAME = '__NAME__';
export const ENABLE = '__ENABLE__';
export const PASSWORD = '__PASSWORD__';
export const AUXILIARY_OBJECT_CLASS = '__AUXILIARY_OBJECT_CLASS__';

export interface Account {
  uid: string;
  name: string;
  attributes: Attributes;
}

/** One item read from the source: an account, or a per-row problem that must not stop the read. */
export type ReadItem =
  | { ok: true; account: Account; /** 1-based source line (CSV) or ordinal (LDAP), for error messages */ line: number }
  | { ok: false; line: number; uid?: string; name?: string; message: string };

/**
 * An opaque, JSON-serializable token saying where the next page starts. It survives a process restart:
 * a new connector instance given the same position returns exactly the rest.
 */
export type Position = string;

export interface Page {
  items: ReadItem[];
  /** null when the source is exhausted */
  next: Position | null;
}

export type ChangeOp = 'replace' | 'add' | 'remove';
export interface AttributeChange {
  op: ChangeOp;
  name: string;
  values: Array<string | number | boolean>; // empty with replace = remove every value
}

export interface Capabilities {
  read: boolean;
  create: boolean;
  update: boolean;
  delete: boolean;
  enable: boolean; // __ENABLE__ / setEnabled supported
  entitlements: boolean; // group membership
  rename: boolean;
}

export type ConnectorErrorKind = 'retryable' | 'permanent';

/** Every failure a connector reports is classified, so callers retry only what is worth retrying. */
export class ConnectorError extends Error {
  constructor(
    readonly kind: ConnectorErrorKind,
    message: string,
    readonly details: { code?: number | string; resultCode?: number; cause?: string } = {},
  ) {
    super(message);
    this.name = 'ConnectorError';
  }
  get retryable(): boolean {
    return this.kind === 'retryable';
  }
}

export interface Connector {
  readonly type: 'CSV' | 'LDAP';
  capabilities(): Capabilities;
  /** Checks the configuration against the real source (file readable with its uid column, bind works...). */
  test(): Promise<void>;
  /** Number of accounts of the object class (rows for CSV, entries for LDAP), counted before processing. */
  count(objectClassId: string): Promise<number>;
  /** Reads up to pageSize items starting at position (null = from the start). */
  readPage(objectClassId: string, position: Position | null, pageSize: number): Promise<Page>;
  /**
   * Optional: every account in one pass, handed over in pages of pageSize numbered from 0, for a source whose
   * readPage costs more than a sequential read (LDAP). A run then stages its accounts first (store/staged-source.ts).
   * A pass that had to start over (connection lost) hands its pages over again from page 0.
   */
  readAll?(objectClassId: string, pageSize: number, onPage: (pageNo: number, items: ReadItem[]) => Promise<void>): Promise<{ pages: number; total: number }>;
  get(objectClassId: string, uid: string): Promise<Account | null>;
  /** Optional: the accounts among `uids` that exist, by uid, read in a few requests rather than one per account. */
  getMany?(objectClassId: string, uids: readonly string[]): Promise<Map<string, Account>>;
  /** The account named `name` (the DN for LDAP), or null; lets a create that found its name taken adopt the entry. */
  getByName?(objectClassId: string, name: string): Promise<Account | null>;
  /** Creates an account from attributes (`__NAME__` is the DN for LDAP); returns it as read back. */
  create(objectClassId: string, attributes: Attributes): Promise<Account>;
  /** Applies changes; a replace of `__NAME__` renames (LDAP modify DN). Returns the account as read back. */
  update(objectClassId: string, uid: string, changes: AttributeChange[]): Promise<Account>;
  delete(objectClassId: string, uid: string): Promise<void>;
  setEnabled(objectClassId: string, uid: string, enabled: boolean): Promise<void>;
  /** Entitlement ids are group DNs for LDAP. Adding an existing membership / removing a missing one is a no-op. */
  addMembership(objectClassId: string, uid: string, entitlementId: string): Promise<void>;
  removeMembership(objectClassId: string, uid: string, entitlementId: string): Promise<void>;
  listMemberships(objectClassId: string, uid: string): Promise<string[]>;
  close(): Promise<void>;
}
