import { describe, expect, it } from 'vitest';
import { parseClientMessage } from './socket-hub.js';

describe('parseClientMessage', () => {
  it.each([
    ['{"id":"1","op":"operation","operation":"abc"}', { id: '1', op: 'operation', operation: 'abc' }],
    ['{"id":"1","op":"operation","operation":"abc","extra":1}', { id: '1', op: 'operation', operation: 'abc' }],
    ['{"id":"2","op":"cancel"}', { id: '2', op: 'cancel' }],
    ['{"id":"1","op":"operation"}', undefined],
    ['{"id":1,"op":"cancel"}', undefined],
    ['{"op":"cancel"}', undefined],
    ['{"id":"1","op":"exec"}', undefined],
    ['null', undefined],
    ['"text"', undefined],
    ['not json', undefined],
  ])('%s', (text, msg) => {
    expect(parseClientMessage(text)).toEqual(msg);
  });
});
