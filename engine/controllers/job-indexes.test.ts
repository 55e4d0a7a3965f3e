import { describe, expect, it } from 'vitest';
import { countIndexes, firstFreeIndexes, formatIndexes, hasIndex, indexedGenerateName, mergeIntervals, parseIndexes, withIndexes } from './job-indexes.js';

describe('completion index sets', () => {
  it.each([
    ['', 10, []],
    ['0', 10, [{ first: 0, last: 0 }]],
    ['0-2,4', 10, [{ first: 0, last: 2 }, { first: 4, last: 4 }]],
    ['1,2,3', 10, [{ first: 1, last: 3 }]],
    ['3-9', 5, [{ first: 3, last: 4 }]],
    ['1,7,8', 5, [{ first: 1, last: 1 }]],
    ['x,2', 5, [{ first: 2, last: 2 }]],
  ])('parses %j (completions %i)', (text, completions, want) => expect(parseIndexes(text, completions)).toEqual(want));

  it.each([
    [[], ''],
    [[0, 1, 2, 4], '0-2,4'],
    [[3, 4], '3,4'],
    [[0, 2, 4, 5, 6, 9], '0,2,4-6,9'],
  ])('formats %j as %j', (indexes, want) => expect(formatIndexes(withIndexes([], indexes))).toEqual(want));

  it('merges, counts and looks up', () => {
    const a = parseIndexes('0-2,6', 10);
    const b = parseIndexes('3,8-9', 10);
    const m = mergeIntervals(a, b);
    expect(formatIndexes(m)).toBe('0-3,6,8,9');
    expect(countIndexes(m)).toBe(7);
    expect([0, 3, 4, 6, 7, 9].map((i) => hasIndex(m, i))).toEqual([true, true, false, true, false, true]);
  });

  it('picks the first free indexes', () => {
    expect(firstFreeIndexes(parseIndexes('0,2-3', 10), 3, 10)).toEqual([1, 4, 5]);
    expect(firstFreeIndexes(parseIndexes('1', 3), 5, 3)).toEqual([0, 2]);
    expect(firstFreeIndexes([], 0, 3)).toEqual([]);
  });

  it('names indexed pods <job>-<index>- and cuts long job names', () => {
    expect(indexedGenerateName('sample', 3)).toBe('sample-3-');
    const long = 'j'.repeat(63);
    const name = indexedGenerateName(long, 12);
    expect(name).toHaveLength(58);
    expect(name.endsWith('-12-')).toBe(true);
  });
});
