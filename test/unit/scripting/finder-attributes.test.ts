import { finderEqualityAttributes } from '../../../src/scripting/finder-attributes';

describe('the attributes a correlation rule searches by equality with ObjectFinder (read from its source)', () => {
  it.each([
    ['the example partner rule', "const email = ACCOUNT.email; if (!email) return [];\nconst found = ObjectFinder.find({ email: email }, 2);\nreturn CorrelationResult.of(found.map(function (o) { return o.id; }));", ['email']],
    ['quoted keys and several calls', "ObjectFinder.find({ 'employeeNumber': ACCOUNT.id }); ObjectFinder.find({\"mail-alias\": x, lastName: {$eq: y}})", ['employeeNumber', 'lastName', 'mail-alias']],
    ['keys of the object literals of a $and list', 'return ObjectFinder.find({ $and: [{ login: a }, { $and: [{ costCenter: b }] }, null] }, 5);', ['costCenter', 'login']],
    ['object fields are not attributes', 'ObjectFinder.find({ id: a, type: "employee", kind: k, lifecycleState: "ACTIVE", email: e })', ['email']],
    ['a call nested in a function and an arrow', 'function f(x) { return (() => ObjectFinder.find({ badge: x }))(); } return f(ACCOUNT.badge);', ['badge']],
  ])('%s', (_, script, expected) => {
    expect(finderEqualityAttributes(script)).toEqual(expected);
  });

  it.each([
    ['a filter built at run time', 'const f = {}; f[ACCOUNT.attr] = ACCOUNT.value; return ObjectFinder.find(f);'],
    ['a computed key', 'return ObjectFinder.find({ [ACCOUNT.attr]: 1 });'],
    ['$or and $not (not conjunctive)', 'return ObjectFinder.find({ $or: [{ email: a }, { login: b }], $not: { badge: c } });'],
    ['a spread', 'return ObjectFinder.find({ ...base });'],
    ['another object named like it', 'return Finder.find({ email: a }) || ObjectFinder["find"]({ login: b }) || obj.ObjectFinder.find({ badge: c });'],
    ['names that are no attribute names', "return ObjectFinder.find({ 'a.b': 1, '$where': 'x', '1abc': 2, '': 3, ['x'.repeat(200)]: 4 });"],
    ['a script that does not parse', 'return ObjectFinder.find({ email: a '],
    ['no ObjectFinder at all', 'return CorrelationResult.of([]);'],
    ['an empty script', ''],
  ])('nothing from %s', (_, script) => {
    expect(finderEqualityAttributes(script)).toEqual([]);
  });

  it('survives a hostile source: deep nesting, huge literals, many calls', () => {
    expect(finderEqualityAttributes(`return ${'('.repeat(20_000)}1${')'.repeat(20_000)};`)).toEqual([]);
    expect(finderEqualityAttributes(`return ${'['.repeat(20_000)}${']'.repeat(20_000)};`)).toEqual([]);
    const many = Array.from({ length: 2_000 }, (_, i) => `ObjectFinder.find({ a${i % 3}: ${i} });`).join('\n');
    expect(finderEqualityAttributes(many)).toEqual(['a0', 'a1', 'a2']);
    expect(finderEqualityAttributes(`ObjectFinder.find({ email: '${'x'.repeat(1_000_000)}' })`)).toEqual(['email']);
  });
});
