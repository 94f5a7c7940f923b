import { createHash } from 'node:crypto';
import { sha256 } from '../../src/sha256';
import { deterministicId, shadowId } from '../../src/engine/ids';

describe('sha256', () => {
  it.each([
    ['an empty text', ''],
    ['a uid', 'E0000001'],
    ['the parts of a shadow id', '["shadow","hr","__ACCOUNT__","u1"]'],
    ['non-ASCII and control characters', 'é✓😀\u0000\u2028'],
    ['100,000 characters', 'x'.repeat(100_000)],
  ])('equals a Hash object digest of %s', (_what, text) => {
    for (const encoding of ['hex', 'base64url'] as const) expect(sha256(text, encoding)).toBe(createHash('sha256').update(text).digest(encoding));
  });

  it('keeps the ids derived from it what they were (stored documents are found by them)', () => {
    expect(shadowId('hr', '__ACCOUNT__', 'E0000000')).toBe('1d544701-ca2f-5d27-b7fc-f2d7fd3d948f');
    expect(deterministicId('idm', 'x', 0)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
