// A value from a request, quoted for an error message or a log line. Errors must not echo unbounded
// input: a 100 KB id echoed into grpc-message makes a header block peers refuse, and the caller never
// hears back. Long values are cut, saying how long they were.
const SHOWN = 48;

/** `value` as a JSON string, cut to its first 48 characters (code points) with its full length named. */
export function quote(value: string): string {
  const chars = [...value.slice(0, SHOWN * 2)].slice(0, SHOWN + 1);
  if (chars.length <= SHOWN) return JSON.stringify(value);
  return `${JSON.stringify(chars.slice(0, SHOWN).join(""))}… (${[...value].length} characters)`;
}
