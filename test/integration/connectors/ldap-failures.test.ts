import net from 'node:net';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createLdapConnector } from '../../../src/connectors/ldap';
import { ConnectorError } from '../../../src/connectors/types';
import { freePort, type ManagedProcess } from '../../../src/embedded/process';
import { startSlapd, type SlapdInfo } from '../../../src/embedded/slapd';
import { testEnv } from '../../harness/env';
import { ldapProps } from './ldap-support';

jest.setTimeout(60_000);

/** The rejection of a promise, asserted to be a ConnectorError. */
async function failure(p: Promise<unknown>): Promise<ConnectorError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ConnectorError);
  return e as ConnectorError;
}

describe('LDAP connector: failures are classified', () => {
  const shared = testEnv().ldap;

  it('wrong password → permanent error saying the credentials are wrong', async () => {
    const connector = createLdapConnector(ldapProps(shared, { baseDn: shared.suffix, bindPassword: 'not-the-password' }));
    try {
      const e = await failure(connector.test());
      expect(e.kind).toBe('permanent');
      expect(e.details.resultCode).toBe(49);
      expect(e.message).toBe(`LDAP bind to ${shared.url} as "${shared.bindDn}" failed: invalid credentials (wrong bindDn or bindPassword)`);
    } finally {
      await connector.close();
    }
  });

  it('a missing baseDn fails the connection test permanently', async () => {
    const connector = createLdapConnector(ldapProps(shared, { baseDn: `ou=absent-${randomBytes(3).toString('hex')},${shared.suffix}` }));
    try {
      const e = await failure(connector.test());
      expect(e.kind).toBe('permanent');
      expect(e.details.resultCode).toBe(32);
      expect(e.message).toMatch(/^LDAP read of base entry "ou=absent-[0-9a-f]+,dc=example,dc=com" failed: noSuchObject/);
    } finally {
      await connector.close();
    }
  });

  it('a server that never answers → retryable timeout', async () => {
    const silent = net.createServer(() => undefined); // accepts, reads nothing, answers nothing
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as net.AddressInfo).port;
    const connector = createLdapConnector(ldapProps(shared, { url: `ldap://127.0.0.1:${port}`, baseDn: shared.suffix, operationTimeoutMs: 300 }));
    try {
      const e = await failure(connector.count('inetOrgPerson'));
      expect(e.kind).toBe('retryable');
      expect(e.message).toMatch(/timed out/);
    } finally {
      await connector.close();
      silent.close();
    }
  });

  describe('with a slapd of its own, stopped and restarted', () => {
    let proc: ManagedProcess | undefined;
    let info: SlapdInfo;
    let port: number;
    const dir = path.join(testEnv().varDir, `ldaptest-slapd-${randomBytes(3).toString('hex')}`);
    const start = async (fresh: boolean) => {
      const started = await startSlapd({ port, dir, logDir: dir, fresh });
      proc = started.proc;
      info = started.info;
    };

    beforeAll(async () => {
      port = await freePort();
      await start(true);
    });
    afterAll(async () => {
      await proc?.stop();
    });

    it('slapd stopped → retryable error; restarted → the same connector instance works again', async () => {
      const connector = createLdapConnector(ldapProps(info, { baseDn: info.suffix }));
      try {
        await connector.test();
        const created = await connector.create('organizationalUnit', { __NAME__: `ou=before,${info.suffix}`, ou: 'before' });

        await proc!.stop();
        const down = await failure(connector.get('organizationalUnit', created.uid));
        expect(down.kind).toBe('retryable');
        expect(down.retryable).toBe(true);
        expect(down.message).toMatch(/server unreachable or connection lost/);
        expect(down.details.resultCode).toBeUndefined();

        await start(false);
        // Reconnected and re-bound transparently: a write needs the bind, an anonymous one would be refused.
        expect((await connector.get('organizationalUnit', created.uid))?.name).toBe(`ou=before,${info.suffix}`);
        const after = await connector.create('organizationalUnit', { __NAME__: `ou=after,${info.suffix}`, ou: 'after' });
        expect(after.attributes.ou).toBe('after');
      } finally {
        await connector.close();
      }
    });

    it('nothing listening → retryable connection refused', async () => {
      const connector = createLdapConnector(ldapProps(info, { url: `ldap://127.0.0.1:${await freePort()}`, baseDn: info.suffix }));
      try {
        const e = await failure(connector.test());
        expect(e.kind).toBe('retryable');
        expect(e.details.code).toBe('ECONNREFUSED');
      } finally {
        await connector.close();
      }
    });
  });
});
