import { describe, expect, it } from 'vitest';
import { formatBytes, formatCpu, parseQuantity } from './quantity';

describe('parseQuantity', () => {
  it.each([
    ['250m', 0.25],
    ['2', 2],
    ['1.5', 1.5],
    ['128Mi', 128 * 2 ** 20],
    ['1Gi', 2 ** 30],
    ['1G', 1e9],
    ['500k', 500e3],
    ['1e3', 1000],
    ['100n', 1e-7],
  ])('%s', (q, want) => {
    expect(parseQuantity(q)).toBeCloseTo(want, 12);
  });
  it.each([undefined, '', 'lots', '1Qi', '1.2.3'])('%s is not a quantity', (q) => {
    expect(parseQuantity(q)).toBeNaN();
  });
});

describe('formatCpu', () => {
  it.each([
    [0, '0'],
    [0.25, '250m'],
    [1, '1'],
    [1.5, '1500m'],
    [4, '4'],
    [NaN, '?'],
  ])('%s cores → %s', (cores, want) => {
    expect(formatCpu(cores)).toBe(want);
  });
});

describe('formatBytes', () => {
  it.each([
    [512, '512'],
    [2048, '2Ki'],
    [128 * 2 ** 20, '128Mi'],
    [1.5 * 2 ** 30, '1.5Gi'],
    [8 * 2 ** 30 - 2 ** 20, '8Gi'],
  ])('%s → %s', (bytes, want) => {
    expect(formatBytes(bytes)).toBe(want);
  });
});
