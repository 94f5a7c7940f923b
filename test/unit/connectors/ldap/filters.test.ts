import { accountsByUidsFilter } from '../../../../src/connectors/ldap/filters';
import { ldapPropertiesSchema } from '../../../../src/config/connector-properties';

describe('accountsByUidsFilter', () => {
  const props = ldapPropertiesSchema.parse({ url: 'ldap://127.0.0.1:1', baseDn: 'dc=example,dc=com', searchFilter: 'employeeType=staff' });

  it('selects the accounts of the object class among the uids, one equality each', () => {
    expect(accountsByUidsFilter(props, 'inetOrgPerson', ['a-1', 'b-2'])).toBe('(&(&(objectClass=inetOrgPerson)(entryUUID=*)(employeeType=staff))(|(entryUUID=a-1)(entryUUID=b-2)))');
  });

  it('escapes hostile uids, so a uid can only ever match itself', () => {
    const filter = accountsByUidsFilter(props, 'inetOrgPerson', ['*)(objectClass=*', 'x\\00y', '(']);
    expect(filter).toBe('(&(&(objectClass=inetOrgPerson)(entryUUID=*)(employeeType=staff))(|(entryUUID=\\2a\\29\\28objectClass=\\2a)(entryUUID=x\\5c00y)(entryUUID=\\28)))');
  });
});
