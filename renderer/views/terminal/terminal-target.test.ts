import { describe, expect, it } from 'vitest';
import { exitLine, openTerminalRoute, parseServerMessage, parseTerminalSpec, targetIn, terminalSpec, terminalTitle, terminalUrl, type TerminalRequest } from './terminal-target';

describe('terminal specs in the route', () => {
  const cases: Array<[TerminalRequest, string]> = [
    [{ kind: 'host' }, 'host'],
    [{ kind: 'node', node: 'dev-worker' }, 'node/dev-worker'],
    [{ kind: 'pod', namespace: 'web', pod: 'api-1' }, 'pod/web/api-1'],
    [{ kind: 'pod', namespace: 'web', pod: 'api-1', container: 'app' }, 'pod/web/api-1/app'],
  ];
  it.each(cases)('%j ↔ %s', (req, spec) => {
    expect(terminalSpec(req)).toBe(spec);
    expect(parseTerminalSpec(spec)).toEqual(req);
  });
  it.each(['', 'host/x', 'node', 'node/', 'pod/web', 'pod//x', 'pod/a/b/c/d', 'vm/x'])('refuses %j', (spec) => {
    expect(parseTerminalSpec(spec)).toBeUndefined();
  });
  it('makes the route patch that opens a tab', () => {
    expect(openTerminalRoute({ kind: 'node', node: 'dev-worker' }, 'dev')).toEqual({ view: 'terminal', terminal: 'node/dev-worker', name: undefined, cluster: 'dev' });
    expect(openTerminalRoute({ kind: 'host' })).toEqual({ view: 'terminal', terminal: 'host', name: undefined });
  });
});

describe('terminalUrl', () => {
  it('puts the target and size in the query of a same-host ws: URL', () => {
    const url = new URL(terminalUrl({ protocol: 'http:', host: '127.0.0.1:7811' }, targetIn('dev', { kind: 'pod', namespace: 'web', pod: 'api' }), { cols: 100, rows: 30 }));
    expect(url.origin).toBe('ws://127.0.0.1:7811');
    expect(url.pathname).toBe('/terminal');
    expect(Object.fromEntries(url.searchParams)).toEqual({ kind: 'pod', namespace: 'web', pod: 'api', cluster: 'dev', cols: '100', rows: '30' });
    expect(terminalUrl({ protocol: 'https:', host: 'h' }, { kind: 'host', cluster: 'dev' }, { cols: 1, rows: 1 })).toMatch(/^wss:\/\/h\/terminal\?/);
  });
});

describe('titles and exit lines', () => {
  it('titles tabs by what they are a shell in', () => {
    expect(terminalTitle({ kind: 'host', cluster: 'dev' })).toBe('dev: host shell');
    expect(terminalTitle({ kind: 'node', cluster: 'dev', node: 'dev-worker' })).toBe('dev-worker');
    expect(terminalTitle({ kind: 'pod', cluster: 'dev', namespace: 'a', pod: 'web', container: 'app' })).toBe('web/app');
  });
  it.each([
    ['{"type":"exit","code":0}', '[process exited with code 0]'],
    ['{"type":"exit","code":130,"signal":"SIGINT"}', '[process killed by SIGINT]'],
    ['{"type":"exit","error":"pod \\"x\\" not found in namespace \\"y\\""}', '[pod "x" not found in namespace "y"]'],
  ])('%s → %s', (text, line) => {
    expect(exitLine(parseServerMessage(text))).toBe(line);
  });
  it('says when the socket went without an exit message, and ignores unknown messages', () => {
    expect(exitLine(undefined)).toBe('[connection to the dashboard lost]');
    expect(parseServerMessage('{"type":"hello"}')).toBeUndefined();
    expect(parseServerMessage('nope')).toBeUndefined();
  });
});
