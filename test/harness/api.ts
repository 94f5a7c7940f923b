import { answerClientErrors } from '../../src/api/client-errors';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createApp } from '../../src/api/app';
import type { Settings } from '../../src/settings';
import { connectMongo, TenantDbs } from '../../src/store/mongo';
import { temporalClient } from '../../src/temporal/connection';
import { apiContext, type ApiContext } from '../../src/api/context';

export interface TestApi {
  url: string;
  ctx: ApiContext;
  close(): Promise<void>;
  /** fetch relative to the API root, e.g. req('POST', '/acme/api/...', body) */
  req(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<TestResponse>;
}

export interface TestResponse {
  status: number;
  headers: Headers;
  text: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- test convenience
}

/** The real HTTP app on a free loopback port, with real MongoDB and Temporal clients. */
export async function startTestApi(settings: Settings): Promise<TestApi> {
  const mongo = connectMongo(settings.MONGODB_URI);
  const temporal = temporalClient(settings);
  const ctx: ApiContext = apiContext(settings, new TenantDbs(mongo, settings.MONGODB_DB_PREFIX), temporal);
  const app = createApp(ctx);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  answerClientErrors(server);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    ctx,
    async close() {
      await new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections();
      await mongo.close();
      await temporal.connection.close();
    },
    async req(method, path, body, headers = {}) {
      const init: RequestInit = { method, headers: { ...headers } };
      if (body !== undefined) {
        if (typeof body === 'string') init.body = body;
        else {
          init.body = JSON.stringify(body);
          (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
        }
      }
      const res = await fetch(url + path, init);
      const text = await res.text();
      let json: unknown;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      return { status: res.status, headers: res.headers, text, json };
    },
  };
}
