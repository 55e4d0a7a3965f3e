import { describe, expect, it } from 'vitest';
import { closeStdinFrame, execPath, exitFromStatus, parseExecMessage, POD_SHELL, refusalMessage, resizeFrame, stdinFrame } from './exec-channels.js';

describe('the exec channels the terminal sends', () => {
  it('prefixes stdin with channel 0, resize with 4 and a JSON size, close with 255 and the stdin channel', () => {
    expect([...stdinFrame(Buffer.from('ls\r'))]).toEqual([0, 108, 115, 13]);
    const resize = resizeFrame(132, 43);
    expect(resize[0]).toBe(4);
    expect(JSON.parse(resize.subarray(1).toString())).toEqual({ Width: 132, Height: 43 });
    expect([...closeStdinFrame()]).toEqual([255, 0]);
  });

  it('builds the exec path with one command parameter per argument', () => {
    const path = execPath('my ns', 'web', 'app', POD_SHELL);
    const url = new URL(path, 'https://x');
    expect(url.pathname).toBe('/api/v1/namespaces/my%20ns/pods/web/exec');
    expect(url.searchParams.getAll('command')).toEqual(['sh', '-c', 'command -v bash >/dev/null && exec bash || exec sh']);
    expect(Object.fromEntries([...url.searchParams].filter(([k]) => k !== 'command'))).toEqual({ container: 'app', stdin: 'true', stdout: 'true', tty: 'true' });
  });
});

describe('parseExecMessage', () => {
  const msg = (ch: number, body: string) => Buffer.concat([Buffer.from([ch]), Buffer.from(body)]);
  it.each([
    ['stdout', msg(1, 'hello'), { kind: 'output', data: Buffer.from('hello') }],
    ['stderr', msg(2, 'oops'), { kind: 'output', data: Buffer.from('oops') }],
    ['an empty stdout (v4 opens each channel with one)', msg(1, ''), { kind: 'ignore' }],
    ['an empty message', Buffer.alloc(0), { kind: 'ignore' }],
    ['a close of a channel', Buffer.from([255, 1]), { kind: 'ignore' }],
    ['success', msg(3, '{"metadata":{},"status":"Success"}'), { kind: 'exit', exit: { code: 0 } }],
    [
      'a non-zero exit',
      msg(3, JSON.stringify({ status: 'Failure', reason: 'NonZeroExitCode', message: 'command terminated with non-zero exit code', details: { causes: [{ reason: 'ExitCode', message: '42' }] } })),
      { kind: 'exit', exit: { code: 42 } },
    ],
    ['a failure to run', msg(3, JSON.stringify({ status: 'Failure', reason: 'InternalError', message: 'exec: "bash": not found' })), { kind: 'exit', exit: { error: 'exec: "bash": not found' } }],
    ['a plain-text error (v1 style)', msg(3, 'container not found'), { kind: 'exit', exit: { error: 'container not found' } }],
  ])('reads %s', (_name, message, want) => {
    expect(parseExecMessage(message)).toEqual(want);
  });

  it('reads a NonZeroExitCode without a usable cause as an error with its message', () => {
    expect(exitFromStatus(JSON.stringify({ status: 'Failure', reason: 'NonZeroExitCode', message: 'exit code unknown' }))).toEqual({ error: 'exit code unknown' });
  });
});

describe('refusalMessage', () => {
  it('takes the message of a Status body, else the text, else the code', () => {
    expect(refusalMessage(403, JSON.stringify({ kind: 'Status', message: 'pods "x" is forbidden' }))).toBe('pods "x" is forbidden');
    expect(refusalMessage(400, 'container "c" in pod "p" is not running\n')).toBe('container "c" in pod "p" is not running');
    expect(refusalMessage(502, '')).toBe('the API server refused the exec (HTTP 502)');
  });
});
