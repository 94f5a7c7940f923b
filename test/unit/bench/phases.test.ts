import { covered } from '../../../bench/phases';

describe('covered (time inside activities)', () => {
  it('adds disjoint spans', () => {
    expect(covered([[0, 1], [2, 4]])).toBe(3);
  });

  it('counts overlapping and nested spans once, in any order', () => {
    expect(covered([[5, 6], [0, 3], [1, 2], [2, 4]])).toBe(5);
  });

  it('is zero without spans', () => {
    expect(covered([])).toBe(0);
  });
});
