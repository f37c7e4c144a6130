/** Colours the canvas charts need as values; they match the CSS custom properties in styles.css. */
export const CHART_COLOURS = {
  axis: '#a9b7c6',
  grid: 'rgba(169, 183, 198, 0.14)',
  background: '#161d27',
} as const;

/** Line colours, distinct for the common colour-vision deficiencies and readable on the dark panel. */
export const LINE_COLOURS = ['#5cb3ff', '#f5c451', '#7ee0a1', '#ff8fb8', '#c6a6ff', '#ff9d5c'] as const;

export function lineColour(index: number): string {
  return LINE_COLOURS[index % LINE_COLOURS.length];
}
