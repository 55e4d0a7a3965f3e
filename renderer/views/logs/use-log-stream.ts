// Reads a pod log URL (streaming when it follows) into a capped line buffer, re-rendering at most
// once per animation frame however fast lines arrive.
import { useEffect, useRef, useState } from 'react';
import { errorFromResponse, errorText, isAbort, send } from '../../api/http';
import { LineSplitter } from '../../api/line-splitter';
import { LineBuffer } from './log-lines';

/** Where a log read is. */
export type LogPhase = 'idle' | 'loading' | 'streaming' | 'ended' | 'error';

/** The buffer (mutated in place; `version` changes when it did) and the read's phase. */
export interface LogStream {
  buffer: LineBuffer;
  version: number;
  phase: LogPhase;
  error?: string;
}

/** Reads `url` (undefined: nothing) into a buffer; a new URL (or `generation`) starts over. */
export function useLogStream(url: string | undefined, generation: number): LogStream {
  const buffer = useRef(new LineBuffer()).current;
  const [version, setVersion] = useState(0);
  const [phase, setPhase] = useState<LogPhase>('idle');
  const [error, setError] = useState<string>();

  useEffect(() => {
    buffer.clear();
    setVersion((v) => v + 1);
    setError(undefined);
    if (!url) {
      setPhase('idle');
      return;
    }
    setPhase('loading');
    const controller = new AbortController();
    let frame = 0;
    const bump = () => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        setVersion((v) => v + 1);
      });
    };
    void (async () => {
      try {
        const res = await send(url, { signal: controller.signal });
        if (!res.ok || !res.body) throw await errorFromResponse(res);
        setPhase('streaming');
        const reader = res.body.getReader();
        const decoder = new TextDecoder();
        const lines = new LineSplitter();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) {
            buffer.append([...lines.push(decoder.decode()), ...lines.end()]);
            break;
          }
          buffer.append(lines.push(decoder.decode(value, { stream: true })));
          bump();
        }
        setVersion((v) => v + 1);
        setPhase('ended');
      } catch (err) {
        if (controller.signal.aborted || isAbort(err)) return;
        setError(errorText(err));
        setPhase('error');
        setVersion((v) => v + 1);
      }
    })();
    return () => {
      controller.abort();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [url, generation, buffer]);

  return { buffer, version, phase, ...(error ? { error } : {}) };
}
