export type Tone = 'ok' | 'warn' | 'bad' | 'cold' | 'neutral';

const ICONS: Record<Tone, string> = { ok: '●', warn: '▲', bad: '■', cold: '▼', neutral: '○' };

/** A state in colour, with a shape and words, so colour is never the only cue. */
export function LevelBadge({ tone, text }: { tone: Tone; text: string }) {
  return (
    <span class={`badge tone-${tone}`}>
      <span aria-hidden="true">{ICONS[tone]}</span> {text}
    </span>
  );
}
