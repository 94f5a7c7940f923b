import path from 'node:path';
import type { ConnectorDefinition } from '../config/schemas';
import { createCsvConnector } from './csv';
import { createLdapConnector } from './ldap';
import type { Connector } from './types';

/** Opens the connector of a definition (secrets already revealed). CSV files live under `<DATA_DIR>/<tenant>/`. */
export function openConnector(def: ConnectorDefinition, ctx: { dataDir: string; tenant: string }): Connector {
  switch (def.connectorType) {
    case 'CSV':
      return createCsvConnector(def.connectorProperties, { dataDir: path.join(ctx.dataDir, ctx.tenant) });
    case 'LDAP':
      return createLdapConnector(def.connectorProperties);
  }
}
