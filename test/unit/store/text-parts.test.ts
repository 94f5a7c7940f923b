import { cut } from '../../../src/store/text-parts';

describe('cut (text in document-sized parts)', () => {
  it('cuts into slices of the size, the last one shorter, joined back to the text', () => {
    expect(cut('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    expect(cut('abcdefgh', 4)).toEqual(['abcd', 'efgh']);
  });

  it('gives one empty slice for an empty text', () => {
    expect(cut('', 4)).toEqual(['']);
  });

  it('never separates the two halves of a character outside the BMP', () => {
    const text = 'abc😀def😀😀g'; // each 😀 is two UTF-16 units
    for (const size of [2, 3, 4, 5]) {
      const parts = cut(text, size);
      expect(parts.join('')).toBe(text);
      for (const p of parts) {
        expect(p.length).toBeLessThanOrEqual(size);
        expect(p).toBe(Buffer.from(p, 'utf8').toString('utf8')); // no lone surrogate, so UTF-8 keeps it whole
      }
    }
  });
});
