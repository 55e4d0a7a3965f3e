import { describe, expect, it } from 'vitest';
import { PendingWrites } from './pending-writes.js';

describe('PendingWrites', () => {
  const obj = (rv: string) => ({ metadata: { name: 'x', resourceVersion: rv } });

  it('waits until the cache shows a write, or the write expires', () => {
    let now = 0;
    const w = new PendingWrites(1000, () => now);
    w.wrote('ns/web', 'ns/web-a', '10', undefined);
    w.wrote('ns/web', 'ns/web-b', undefined, obj('3'));
    expect(w.waiting('ns/web')).toBe(true);
    expect(w.waiting('ns/other')).toBe(false);
    w.observed('ns/web-a', obj('9'));
    w.observed('ns/web-b', obj('4'));
    expect(w.waiting('ns/web')).toBe(true);
    w.observed('ns/web-a', obj('11'));
    expect(w.waiting('ns/web')).toBe(true);
    w.observed('ns/web-b', undefined);
    expect(w.waiting('ns/web')).toBe(false);
    w.wrote('ns/web', 'ns/web-c', '12', undefined);
    now = 1001;
    expect(w.waiting('ns/web')).toBe(false);
  });

  it('records nothing the cache already shows', () => {
    const w = new PendingWrites();
    w.wrote('ns/web', 'ns/web-a', '10', obj('10'));
    w.wrote('ns/web', 'ns/web-b', undefined, undefined);
    expect(w.waiting('ns/web')).toBe(false);
  });
});
