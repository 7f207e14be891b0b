/**
 * A generated avatar: the first letter of the name on a colour taken from the server's six-hex-digit seed.
 * Drawn locally, so no request ever goes to an avatar service.
 */
export function Avatar({ name, seed }: { name: string; seed: string }) {
  // `+` reads hex with its 0x: shorter than parseInt in the first paint's bytes.
  const value = +`0x${seed}` || 0;
  const hue = (value >> 8) % 360;
  const lightness = 31 + (value & 7);
  // By code point, not UTF-16 unit: a name can start with an emoji.
  const letter = ([...name.trim()][0] ?? '').toUpperCase();
  return (
    <span class="av" part="avatar" aria-hidden="true" style={{ background: `hsl(${hue} 45% ${lightness}%)` }}>
      {letter}
    </span>
  );
}
