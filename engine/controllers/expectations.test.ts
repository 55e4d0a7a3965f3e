import { describe, expect, it } from 'vitest';
import { EXPECTATIONS_TTL_MS, Expectations } from './expectations.js';

describe('Expectations', () => {
  it('holds a key until its creations and deletions are observed, or they expire', () => {
    let now = 0;
    const e = new Expectations(() => now);
    expect(e.satisfied('ns/rs')).toBe(true);
    e.expect('ns/rs', 2);
    e.creationObserved('ns/rs');
    expect(e.satisfied('ns/rs')).toBe(false);
    e.creationObserved('ns/rs');
    expect(e.satisfied('ns/rs')).toBe(true);
    e.expect('ns/rs', 0, ['ns/a', 'ns/b']);
    e.deletionObserved('ns/rs', 'ns/a');
    e.deletionObserved('ns/rs', 'ns/a');
    expect(e.satisfied('ns/rs')).toBe(false);
    now = EXPECTATIONS_TTL_MS + 1;
    expect(e.satisfied('ns/rs')).toBe(true);
  });
});
