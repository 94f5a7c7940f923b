import { z } from 'zod';
import { salvage, touchesRemoved } from '../../../src/config/schema-salvage';

const schema = z.strictObject({
  name: z.string(),
  size: z.number().optional(),
  inner: z.strictObject({ flag: z.boolean().optional(), label: z.string() }).optional(),
  items: z.array(z.strictObject({ v: z.number(), note: z.string().optional() })).default([]),
});

function tried(body: unknown) {
  const parsed = schema.safeParse(body);
  if (parsed.success) throw new Error('expected a schema failure');
  return salvage(schema, body, parsed.error);
}

describe('salvaging a body that failed its schema', () => {
  it('removes unknown and mistyped optional properties, at any depth, and says which', () => {
    const body = { name: 'a', colour: 'red', size: 'big', inner: { flag: 'yes', label: 'l', extra: 1 }, items: [{ v: 1, note: 7 }] };
    const got = tried(body);
    expect(got).toEqual({
      value: { name: 'a', inner: { label: 'l' }, items: [{ v: 1 }] },
      removed: expect.arrayContaining(['colour', 'size', 'inner.flag', 'inner.extra', 'items[0].note']),
    });
    expect(got!.removed).toHaveLength(5);
    expect(body).toEqual({ name: 'a', colour: 'red', size: 'big', inner: { flag: 'yes', label: 'l', extra: 1 }, items: [{ v: 1, note: 7 }] }); // untouched
  });

  it('gives up where removing would change the meaning: a required property, a list element, a body that is not an object', () => {
    expect(tried({ name: 42 })).toBeNull();
    expect(tried({ name: 'a', items: [{ v: 'x' }] })).toBeNull();
    expect(tried({ name: 'a', items: ['x'] })).toBeNull();
    expect(tried({ name: 'a', inner: { flag: true } })).toBeNull(); // inner.label is required
    expect(tried('text')).toBeNull();
    expect(tried(null)).toBeNull();
    expect(tried([1, 2])).toBeNull();
  });

  it('does not follow hostile keys: __proto__ and constructor are removed as unknown, never walked into', () => {
    const body = JSON.parse('{"name":"a","__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}') as unknown;
    const got = tried(body);
    expect(got?.value).toEqual({ name: 'a', items: [] });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('tells which paths concern a removed property: itself, what it holds, what holds it', () => {
    const removed = ['inner.flag', 'items[0].note'];
    expect(touchesRemoved('inner.flag', removed)).toBe(true);
    expect(touchesRemoved('inner.flag.x', removed)).toBe(true);
    expect(touchesRemoved('inner', removed)).toBe(true);
    expect(touchesRemoved('items[0]', removed)).toBe(true);
    expect(touchesRemoved('items', removed)).toBe(true);
    expect(touchesRemoved('inner.flagged', removed)).toBe(false);
    expect(touchesRemoved('items[1].note', removed)).toBe(false);
    expect(touchesRemoved('name', removed)).toBe(false);
  });
});
