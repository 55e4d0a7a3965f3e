// Status text with its colour (the text always says it; the colour only helps).
import type { ReactNode } from 'react';
import type { Tone } from '../format/column';

/** A status label: `children` shown in the tone's colour, with a marker shape per tone. */
export function ToneText({ tone, children }: { tone: Tone | undefined; children: ReactNode }) {
  return <span className={tone ? `tone tone-${tone}` : undefined}>{children}</span>;
}
