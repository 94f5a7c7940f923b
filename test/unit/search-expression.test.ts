import { narrowing, toMongoFilter, validateSearchExpression } from '../../src/store/search-expression';

describe('search expressions (SPEC §8)', () => {
  it.each([
    [{ lastName: 'Doe' }],
    [{ kind: 'IDENTITY', type: { $in: ['employee', 'partner'] } }],
    [{ $or: [{ mail: { $regex: '@acme\\.com$', $options: 'i' } }, { mail: { $exists: false } }] }],
    [{ $not: { lifecycleState: 'SOFT_DELETED' } }],
    [{ createdAt: { $gte: '2026-01-01T00:00:00.000Z', $lt: '2027-01-01' }, age: { $gt: 17 } }],
    [{ id: { $nin: ['a', 'b'] }, updatedAt: { $ne: null } }],
  ])('accepts %j', (expr) => {
    expect(validateSearchExpression(expr)).toEqual([]);
  });

  it.each([
    [{ $where: 'sleep(1000)' }, 'filter.$where', /unknown operator/],
    [{ $expr: { $eq: ['$a', '$b'] } }, 'filter.$expr', /unknown operator/],
    [{ name: { $function: { body: 'x' } } }, 'filter.name.$function', /unknown operator/],
    [{ 'a\u0000b': 1 }, 'filter.a\u0000b', /invalid attribute name/],
    [{ 'attributes.x': 1 }, 'filter.attributes.x', /invalid attribute name/],
    [{ $and: [] }, 'filter.$and', /non-empty list/],
    [{ x: ['a', 'b'] }, 'filter.x', /use \{"\$in"/],
    [{ x: { $regex: '(' } }, 'filter.x.$regex', /invalid regular expression/],
    [{ x: { $in: 'a' } }, 'filter.x.$in', /list/],
    [{ x: { $exists: 'yes' } }, 'filter.x.$exists', /true or false/],
    [{ x: { $options: 'i' } }, 'filter.x.$options', /goes with \$regex/],
    [{ x: { $gt: { $lt: 1 } } }, 'filter.x.$gt', /string or a number/],
    [[{ a: 1 }], 'filter', /expected an object/],
    ['name=x', 'filter', /expected an object/],
    [{ x: {} }, 'filter.x', /empty operator object/],
  ])('rejects %j at %s', (expr, path, reason) => {
    const issues = validateSearchExpression(expr);
    expect(issues).toContainEqual({ path, reason: expect.stringMatching(reason) });
  });

  it('rejects a deeply nested expression without blowing the stack', () => {
    let e: Record<string, unknown> = { a: 1 };
    for (let i = 0; i < 10_000; i++) e = { $not: e };
    const issues = validateSearchExpression(e);
    expect(issues[0]!.reason).toMatch(/nested deeper than 32/);
  });

  it('reports every problem, not just the first', () => {
    expect(validateSearchExpression({ $where: 1, b: { $foo: 1 }, c: { $in: 3 } })).toHaveLength(3);
  });

  it('translates names to the stored document layout', () => {
    expect(toMongoFilter({ id: 'x', kind: 'IDENTITY', mail: { $regex: 'a' }, $or: [{ type: 'e' }, { city: 'Paris' }], $not: { lifecycleState: 'INACTIVE' } })).toEqual({
      _id: 'x',
      kind: 'IDENTITY',
      'attributes.mail': { $regex: 'a' },
      $or: [{ type: 'e' }, { 'attributes.city': 'Paris' }],
      $and: [{ $nor: [{ lifecycleState: 'INACTIVE' }] }],
    });
  });

  it('takes names of Object.prototype (constructor, toString...) for attributes, not for object fields', () => {
    const expr = { constructor: 'a', toString: 'b', hasOwnProperty: 'c', valueOf: { $in: ['d'] } };
    expect(validateSearchExpression(expr)).toEqual([]);
    expect(toMongoFilter(expr)).toEqual({ 'attributes.constructor': 'a', 'attributes.toString': 'b', 'attributes.hasOwnProperty': 'c', 'attributes.valueOf': { $in: ['d'] } });
    expect(narrowing({ constructor: 'a' }, ['constructor'])).toEqual({ attribute: 'constructor', values: ['a'] });
  });
});

describe('narrowing: what a matching object must hold, for a look-up through correlation keys', () => {
  const tracked = ['email', 'login', 'badge'];
  it.each([
    [{ email: 'a@x' }, { attribute: 'email', values: ['a@x'] }],
    [{ email: { $eq: 5 } }, { attribute: 'email', values: [5] }],
    [{ email: { $in: ['a', 'b', true] } }, { attribute: 'email', values: ['a', 'b', true] }],
    [{ email: { $in: [] } }, { attribute: 'email', values: [] }],
    [{ email: { $eq: 'a', $ne: 'b' } }, { attribute: 'email', values: ['a'] }],
    [{ type: 'employee', login: 'jd' }, { attribute: 'login', values: ['jd'] }],
    [{ $and: [{ lastName: 'x' }, { $and: [{ badge: { $in: ['1', '2'] } }] }] }, { attribute: 'badge', values: ['1', '2'] }],
    [{ email: { $in: ['a', 'b'] }, login: 'jd' }, { attribute: 'login', values: ['jd'] }],
  ])('%j narrows to %j', (expr, expected) => {
    expect(narrowing(expr, tracked)).toEqual(expected);
  });

  it.each([
    [{ lastName: 'x' }, 'an attribute without keys'],
    [{ email: null }, 'null (matches objects without the attribute)'],
    [{ email: { $eq: null } }, '$eq null'],
    [{ email: { $in: ['a', null] } }, '$in with null'],
    [{ email: { $ne: 'a' } }, '$ne'],
    [{ email: { $regex: '^a' } }, '$regex'],
    [{ email: { $exists: true } }, '$exists'],
    [{ email: { $gt: 'a' } }, 'a range'],
    [{ $or: [{ email: 'a' }, { login: 'b' }] }, '$or'],
    [{ $not: { email: 'a' } }, '$not'],
    [{ id: 'x' }, 'an object field'],
    [{}, 'an empty expression'],
  ] as Array<[Record<string, unknown>, string]>)('%j does not narrow (%s)', (expr) => {
    expect(narrowing(expr, tracked)).toBeNull();
  });
});
