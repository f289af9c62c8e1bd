/** `--name value` from the command line, or undefined. */
export function textArgument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

/** `--name N` from the command line (a number >= 0), or `fallback`; throws on anything else. */
export function numberArgument(name: string, fallback: number): number {
  const text = textArgument(name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name}: not a number >= 0`);
  return value;
}
