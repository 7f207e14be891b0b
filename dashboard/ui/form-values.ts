/** The non-empty lines of a textarea, trimmed: how lists (origins, blocked words) are typed. */
export const lines = (text: string): string[] =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

/**
 * The server's error for a field, including one about an item of a list field (`origins.2` for `origins`) or a
 * nested one (`settings.origins`), so that it shows next to the control that holds it.
 */
export function fieldError(
  fields: Record<string, string> | undefined,
  ...names: string[]
): string | undefined {
  if (!fields) return undefined;
  for (const name of names) {
    const key = Object.keys(fields).find((key) => key === name || key.startsWith(`${name}.`));
    if (key) return fields[key];
  }
  return undefined;
}
