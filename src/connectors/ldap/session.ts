import { Client } from 'ldapts';
import type { LdapProperties } from '../../config/connector-properties';
import { ConnectorError } from '../types';
import { isConnectionLoss, isResultCode, ResultCode, toConnectorError } from './errors';

/**
 * One authenticated LDAP connection per connector instance, rebuilt on demand.
 *
 * ldapts reconnects a dropped socket by itself, but the new socket is neither upgraded with StartTLS nor bound
 * (autoRebind replays the bind only without StartTLS). Operations could then run anonymously and see less than
 * the service account, so before each operation the session checks the client is still connected and bound,
 * and otherwise builds a fresh one: connect, StartTLS when configured, bind.
 */
export class LdapSession {
  private client: Client | undefined;
  /** Shared by concurrent callers while a connection is being opened, so only one is ever opened. */
  private opening: Promise<Client> | undefined;

  constructor(private readonly props: LdapProperties) {}

  /**
   * Runs `op` on the connection and classifies its failure. `idempotent` operations (reads) are tried once more
   * on a fresh connection when the connection was lost under them; writes are not, since the first attempt may
   * have been applied: the caller decides, helped by the 'retryable' classification.
   */
  async run<T>(action: string, op: (client: Client) => Promise<T>, opts: { idempotent: boolean }): Promise<T> {
    try {
      return await this.attempt(action, op);
    } catch (e) {
      if (!opts.idempotent || !isConnectionLoss(e)) throw e;
      return this.attempt(action, op);
    }
  }

  private async attempt<T>(action: string, op: (client: Client) => Promise<T>): Promise<T> {
    const client = await this.connection();
    try {
      return await op(client);
    } catch (e) {
      const error = toConnectorError(e, action);
      if (isConnectionLoss(error)) this.discard(client);
      throw error;
    }
  }

  /** Opens (or reuses) the connection; also the connectivity check of Connector.test(). */
  async connection(): Promise<Client> {
    const current = this.client;
    if (current && current.isConnected && (current.isBound || !this.props.bindDn)) return current;
    if (current) this.discard(current);
    this.opening ??= this.open().finally(() => {
      this.opening = undefined;
    });
    return this.opening;
  }

  private async open(): Promise<Client> {
    const { url, startTls, connectTimeoutMs, operationTimeoutMs, bindDn, bindPassword } = this.props;
    const client = new Client({ url, connectTimeout: connectTimeoutMs, timeout: operationTimeoutMs, autoRebind: !startTls });
    try {
      if (startTls) await client.startTLS();
      if (bindDn) await client.bind(bindDn, bindPassword ?? '');
    } catch (e) {
      this.discard(client);
      throw this.openError(e);
    }
    this.client = client;
    return client;
  }

  private openError(e: unknown): ConnectorError {
    const { url, bindDn } = this.props;
    if (isResultCode(e, ResultCode.invalidCredentials))
      return new ConnectorError('permanent', `LDAP bind to ${url} as "${bindDn}" failed: invalid credentials (wrong bindDn or bindPassword)`, {
        resultCode: ResultCode.invalidCredentials,
        code: 'invalidCredentials',
      });
    return toConnectorError(e, `connect/bind to ${url}${bindDn ? ` as "${bindDn}"` : ''}`);
  }

  private discard(client: Client): void {
    if (this.client === client) this.client = undefined;
    // Fire and forget: the socket may already be dead, and an unbind on it must not block or fail the caller.
    client.unbind().catch(() => undefined);
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) await client.unbind().catch(() => undefined);
  }
}
