import { describe, expect, it } from 'vitest';
import { age, humanDuration } from './age';

describe('humanDuration (kubectl AGE)', () => {
  const m = 60;
  const h = 3600;
  const d = 86400;
  it.each([
    [0, '0s'],
    [-1, '0s'],
    [-5, '<invalid>'],
    [59, '59s'],
    [119, '119s'],
    [120, '2m'],
    [125, '2m5s'],
    [9 * m + 59, '9m59s'],
    [10 * m + 30, '10m'],
    [179 * m, '179m'],
    [3 * h, '3h'],
    [3 * h + 5 * m, '3h5m'],
    [7 * h + 59 * m, '7h59m'],
    [8 * h + 30 * m, '8h'],
    [47 * h, '47h'],
    [2 * d, '2d'],
    [2 * d + 3 * h, '2d3h'],
    [8 * d + 3 * h, '8d'],
    [400 * d, '400d'],
    [730 * d, '2y'],
    [735 * d, '2y5d'],
    [9 * 365 * d, '9y'],
  ])('%ss → %s', (seconds, want) => {
    expect(humanDuration(seconds)).toBe(want);
  });
});

describe('age', () => {
  it('measures from an RFC 3339 timestamp', () => {
    expect(age('2024-01-01T00:00:00Z', Date.parse('2024-01-01T00:03:10Z'))).toBe('3m10s');
  });
  it('says <unknown> without a usable timestamp', () => {
    expect(age(undefined, 0)).toBe('<unknown>');
    expect(age('garbage', 0)).toBe('<unknown>');
  });
});
