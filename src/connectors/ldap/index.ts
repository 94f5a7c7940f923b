import type { LdapProperties } from '../../config/connector-properties';
import type { Connector } from '../types';
import { LdapConnector } from './connector';

/**
 * An LDAP connector for validated connectorProperties (`ldapPropertiesSchema`), with bindPassword in clear.
 * One connection per instance, opened on first use and reopened when it drops; `close()` releases it.
 */
export function createLdapConnector(props: LdapProperties): Connector {
  return new LdapConnector(props);
}

export { LdapConnector } from './connector';
export { escapeDnValue, escapeFilterValue, parseDn, normalizeDn, sameDn } from './escape';
export { EMPTY_GROUP_PLACEHOLDER } from './memberships';
