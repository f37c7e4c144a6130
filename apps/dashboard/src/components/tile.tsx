import type { ComponentChildren } from 'preact';
import { UncertainMark } from './uncertain-mark';

interface TileProps {
  id: string;
  label: string;
  value: string;
  unit?: string;
  note?: ComponentChildren;
  children?: ComponentChildren;
  className?: string;
  /** The value's source marked it uncertain. */
  uncertain?: boolean;
}

/** One headline number with its label and unit, read from across the control room. */
export function Tile({ id, label, value, unit, note, children, className, uncertain = false }: TileProps) {
  return (
    <section class={`panel tile ${className ?? ''}`} aria-labelledby={`${id}-label`}>
      <h2 id={`${id}-label`} class="tile-label">
        {label}
      </h2>
      <p class="tile-value">
        <span data-testid={id}>{value}</span>
        {unit && <span class="unit"> {unit}</span>}
        <UncertainMark shown={uncertain} testId={`${id}-uncertain`} />
      </p>
      {note && <p class="tile-note">{note}</p>}
      {children}
    </section>
  );
}
