// Line colours of the graphs, for the light and the dark scheme, each at least 3:1 against the
// panel the charts sit on (WCAG 1.4.11, non-text contrast). Lines are also told apart by the legend
// text and the hover text, never by colour alone.

/** The panel background of each scheme (styles.css --panel). */
export const PANEL = { light: '#ffffff', dark: '#1d232b' } as const;

/** Series colours by scheme, in the order series get them. */
export const SERIES_COLOURS = {
  light: ['#2458c6', '#b3261e', '#1f7a3a', '#8a5a00', '#7b3fb0', '#00727a', '#c2185b', '#4a5668'],
  dark: ['#6f9cf0', '#ff8a80', '#6fd08c', '#f0c060', '#c39bf0', '#4fd1d9', '#f48fb1', '#b0bccb'],
} as const;

/** A scheme's name. */
export type Scheme = keyof typeof PANEL;

/** The colour of series number `i` in `scheme` (colours repeat after the last). */
export function seriesColour(i: number, scheme: Scheme): string {
  const list = SERIES_COLOURS[scheme];
  return list[((i % list.length) + list.length) % list.length]!;
}

/** Relative luminance of a #rrggbb colour (WCAG 2). */
export function luminance(hex: string): number {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new Error(`not a #rrggbb colour: ${hex}`);
  const [r, g, b] = [m[1]!, m[2]!, m[3]!].map((h) => {
    const c = parseInt(h, 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** Contrast ratio of two #rrggbb colours (1 to 21). */
export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}
