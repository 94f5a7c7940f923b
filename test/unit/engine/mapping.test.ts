import { AppError } from '../../../src/errors';
import { mergeAttributes, toIdmValue } from '../../../src/engine/inbound/mapping';
import { simpleMatcher } from '../../../src/engine/matching';
import { entryError } from '../../../src/engine/outcome';
import { shadowChanged } from '../../../src/engine/inbound/page';
import type { ShadowDoc } from '../../../src/store/shadows';

describe('inbound values and changes', () => {
  it.each([
    [null, null],
    [[], null],
    ['a', 'a'],
    [['a'], 'a'],
    [['a', 2, true], ['a', 2, true]],
    [[null, 'x', { nested: 1 }], 'x'],
  ])('toIdmValue(%j) = %j', (input, expected) => {
    expect(toIdmValue(input)).toEqual(expected);
  });

  it('mergeAttributes writes only what changed, null removes, unmapped attributes stay', () => {
    const current = { a: '1', b: ['x', 'y'], keep: 'k' };
    expect(mergeAttributes(current, { a: '1', b: ['x', 'y'] })).toEqual({ attributes: current, changed: false });
    expect(mergeAttributes(current, { a: '2', b: null, c: 'new' })).toEqual({ attributes: { a: '2', keep: 'k', c: 'new' }, changed: true });
    expect(mergeAttributes(current, { missing: null })).toEqual({ attributes: current, changed: false });
  });

  it('a simple matcher matches when any value matches (search semantics)', () => {
    const m = simpleMatcher({ inputAttributeId: 'dept', regex: '^(Test|Sandbox)$' });
    expect([m({ dept: 'Test' }), m({ dept: ['Prod', 'Sandbox'] }), m({ dept: 'Testing' }), m({})]).toEqual([true, true, false, false]);
  });
});

describe('per-entry outcomes', () => {
  it("an error names the account; a compute rule's own line is kept as ruleLine", () => {
    const err = new AppError('SCRIPT_ERROR', 'Compute rule r failed at line 3: x', { rule: 'r', line: 3, cause: 'x' });
    expect(entryError(err, { uid: 'u1', name: 'n', line: 12 }).properties).toEqual({ rule: 'r', ruleLine: 3, cause: 'x', uid: 'u1', name: 'n', line: 12 });
    expect(entryError(new Error('boom'), { uid: 'u1' })).toEqual(expect.objectContaining({ label: 'INTERNAL_ERROR', properties: { uid: 'u1', cause: 'boom' } }));
  });

  it('a shadow counts as changed by its content, not by its updatedAt', () => {
    const before = { _id: 's', owners: ['a'], dead: false, updatedAt: 'then' } as unknown as ShadowDoc;
    expect(shadowChanged(before, { ...before, updatedAt: 'now' })).toBe(false);
    expect(shadowChanged(before, { ...before, owners: [] })).toBe(true);
    expect(shadowChanged(before, { ...before, dead: true })).toBe(true);
  });
});
