import type { ComponentChildren } from 'preact';

interface TileProps {
  id: string;
  label: string;
  value: string;
  unit?: string;
  note?: ComponentChildren;
  children?: ComponentChildren;
  className?: string;
}

/** One headline number with its label and unit, read from across the control room. */
export function Tile({ id, label, value, unit, note, children, className }: TileProps) {
  return (
    <section class={`panel tile ${className ?? ''}`} aria-labelledby={`${id}-label`}>
      <h2 id={`${id}-label`} class="tile-label">
        {label}
      </h2>
      <p class="tile-value">
        <span data-testid={id}>{value}</span>
        {unit && <span class="unit"> {unit}</span>}
      </p>
      {note && <p class="tile-note">{note}</p>}
      {children}
    </section>
  );
}
