import { flatIdmObject, type IdmObject } from '../../../src/store/idm-model';

const object = (attributes: Record<string, unknown>): IdmObject =>
  JSON.parse(JSON.stringify({ id: 'o1', kind: 'IDENTITY', type: 'user', lifecycleState: 'ACTIVE', attributes, createdAt: 'c', updatedAt: 'u', version: 3 })) as IdmObject;

describe('flatIdmObject', () => {
  it('puts the attributes beside id, kind, type and lifecycleState, which win over attributes of the same name', () => {
    const flat = flatIdmObject(object({ email: 'a@x', groups: ['g1', 'g2'], id: 'spoofed', type: 'admin', empty: null }));
    expect(flat).toEqual({ email: 'a@x', groups: ['g1', 'g2'], empty: null, id: 'o1', kind: 'IDENTITY', type: 'user', lifecycleState: 'ACTIVE' });
    expect(Object.getPrototypeOf(flat)).toBe(Object.prototype);
  });

  it('keeps an attribute named __proto__ as a value, not as the prototype of the view', () => {
    const o = object({});
    Object.defineProperty(o.attributes, '__proto__', { value: { polluted: true }, enumerable: true, writable: true, configurable: true });
    o.attributes.email = 'a@x';
    const flat = flatIdmObject(o);
    expect(Object.getPrototypeOf(flat)).toBe(Object.prototype);
    expect((flat as { polluted?: unknown }).polluted).toBeUndefined();
    expect(Object.hasOwn(flat, '__proto__')).toBe(true);
    expect(JSON.parse(JSON.stringify(flat))).toEqual(JSON.parse('{"__proto__":{"polluted":true},"email":"a@x","id":"o1","kind":"IDENTITY","type":"user","lifecycleState":"ACTIVE"}'));
  });

  it('does not share the attributes object with the IDM object', () => {
    const o = object({ email: 'a@x' });
    const flat = flatIdmObject(o);
    flat.email = 'changed';
    expect(o.attributes.email).toBe('a@x');
  });
});
