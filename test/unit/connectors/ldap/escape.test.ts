import { escapeDnValue, escapeFilterValue, formatDn, InvalidDnError, normalizeDn, parseDn, sameDn, splitDn } from '../../../../src/connectors/ldap/escape';

describe('escapeFilterValue (RFC 4515)', () => {
  it.each([
    ['plain', 'plain'],
    ['*)(uid=*', '\\2a\\29\\28uid=\\2a'],
    ['a\\b', 'a\\5cb'],
    ['nul\0', 'nul\\00'],
    ['éà ü', 'éà ü'],
  ])('%j → %j', (value, expected) => {
    expect(escapeFilterValue(value)).toBe(expected);
  });
});

describe('escapeDnValue (RFC 4514)', () => {
  it.each([
    ['John Smith', 'John Smith'],
    ['Smith, John', 'Smith\\, John'],
    ['a+b;c<d>e"f', 'a\\+b\\;c\\<d\\>e\\"f'],
    ['#start', '\\#start'],
    [' lead and trail ', '\\ lead and trail\\ '],
    ['mid#dle', 'mid#dle'],
    ['back\\slash', 'back\\5cslash'],
    ['nul\0', 'nul\\00'],
    ['Zoë', 'Zoë'],
  ])('%j → %j', (value, expected) => {
    expect(escapeDnValue(value)).toBe(expected);
  });

  it('round-trips through parseDn for awkward values', () => {
    for (const value of ['Smith, John', ' x ', '#1', 'a\\', 'a+b=c', 'q"uote', 'ends with,', 'Zoë']) {
      const dn = `cn=${escapeDnValue(value)},ou=people,dc=example,dc=com`;
      expect(parseDn(dn)[0]).toEqual([{ type: 'cn', value }]);
    }
  });
});

describe('parseDn', () => {
  it('splits RDNs and multi-valued RDNs', () => {
    expect(parseDn('cn=a+uid=b,ou=x,dc=example,dc=com')).toEqual([
      [
        { type: 'cn', value: 'a' },
        { type: 'uid', value: 'b' },
      ],
      [{ type: 'ou', value: 'x' }],
      [{ type: 'dc', value: 'example' }],
      [{ type: 'dc', value: 'com' }],
    ]);
  });

  it('decodes hex pairs as UTF-8 and keeps escaped trailing spaces only', () => {
    expect(parseDn('cn=Zo\\C3\\AB ,ou=x')[0]).toEqual([{ type: 'cn', value: 'Zoë' }]);
    expect(parseDn('cn=a\\ ,ou=x')[0]).toEqual([{ type: 'cn', value: 'a ' }]);
  });

  it('accepts spaces around separators and an OID type', () => {
    expect(parseDn('cn = a , 2.5.4.11=x')).toEqual([[{ type: 'cn', value: 'a' }], [{ type: '2.5.4.11', value: 'x' }]]);
  });

  it('returns no RDN for the empty DN', () => {
    expect(parseDn('')).toEqual([]);
  });

  it.each(['cn', 'cn=a,', '=a', 'c n=a', 'cn=a\\'])('rejects %j', (dn) => {
    expect(() => parseDn(dn)).toThrow(InvalidDnError);
  });
});

describe('normalizeDn / sameDn / splitDn', () => {
  it('compares DNs ignoring case, spaces and escaping style', () => {
    expect(sameDn('CN=John\\2C Smith, OU=People,dc=Example,dc=com', 'cn=john\\, smith,ou=people,dc=example,dc=com')).toBe(true);
    expect(sameDn('cn=a+uid=b,dc=x', 'UID=B+cn=A,dc=x')).toBe(true);
    expect(sameDn('cn=a,dc=x', 'cn=b,dc=x')).toBe(false);
    expect(normalizeDn('CN=A,DC=X')).toBe('cn=a,dc=x');
  });

  it('splits a DN into its RDN and parent, canonically escaped', () => {
    expect(splitDn('cn=Smith\\, John,ou=people,dc=example,dc=com')).toEqual({ rdn: 'cn=Smith\\, John', parent: 'ou=people,dc=example,dc=com' });
    expect(splitDn('cn=a\\\\,dc=x')).toEqual({ rdn: 'cn=a\\5c', parent: 'dc=x' });
    expect(() => splitDn('')).toThrow(InvalidDnError);
  });

  it('formats what it parses', () => {
    const dn = 'cn=a\\,b+uid=c,ou=x';
    expect(formatDn(parseDn(dn))).toBe(dn);
  });
});
