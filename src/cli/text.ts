// Text as a terminal shows it: stored text made inert, widths in columns (not UTF-16 units), cuts on
// grapheme boundaries, and words wrapped to a width.

/**
 * Characters that act on a terminal instead of being shown: C0 and C1 controls and DEL (ESC starts the
 * sequences that retitle a window or recolour the screen), and the bidirectional overrides and
 * isolates that reorder what follows them on the line.
 */
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const CONTROLS_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { "\t": "\\t", "\n": "\\n", "\r": "\\r" };

function visible(char: string): string {
  const code = char.charCodeAt(0);
  return NAMED[char] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`);
}

/** Whether the text holds a character that acts on a terminal (see CONTROLS): a newline or a tab too. */
export const hasControls = (text: string) => new RegExp(CONTROLS.source).test(text);

/** Text from the store, safe to print: every control character shown as an escape such as \x1b or \t. */
export function inert(text: string, options: { keepNewlines?: boolean } = {}): string {
  return text.replace(options.keepNewlines ? CONTROLS_BUT_NEWLINE : CONTROLS, visible);
}

/** What JSON.stringify leaves raw that a terminal acts on: DEL, C1 controls, bidi controls, line separators. */
const RAW_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

/**
 * JSON text of a value, safe to print: JSON.stringify escapes C0 controls itself, and these escape the
 * rest as \uXXXX, so a program parses exactly the stored value and a terminal shows it inert.
 */
export function inertJson(value: unknown): string {
  return JSON.stringify(value).replace(RAW_IN_JSON, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** What oneLine changes: anything but printable ASCII and single spaces, a space at either end. */
const CHANGED_BY_ONE_LINE = /[^\x21-\x7e ]| {2}|^ | $/;

/** One line for a table cell: runs of whitespace (tabs and newlines too) become one space, other controls escapes. */
export function oneLine(text: string): string {
  // Most text is printable ASCII with single spaces, left as it is: a list of a million todos asks
  // three times a row.
  if (!CHANGED_BY_ONE_LINE.test(text)) return text;
  return inert(text.replace(/\s+/g, " ").trim());
}

/** Columns the text takes on a terminal: East Asian wide characters and emoji count two, combining marks none. */
export const displayWidth = (text: string): number => Bun.stringWidth(text);

/** Made when first needed: building it loads ICU's segmentation data, which every command would pay at start. */
let graphemes: Intl.Segmenter | undefined;

/** The text cut to at most `width` columns, ending in … when cut; never splits a character or an emoji sequence. */
export function fit(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 0) return "";
  let out = "";
  let used = 0;
  graphemes ??= new Intl.Segmenter(undefined, { granularity: "grapheme" });
  for (const { segment } of graphemes.segment(text)) {
    const w = displayWidth(segment);
    if (used + w > width - 1) break;
    out += segment;
    used += w;
  }
  return `${out}…`;
}

/** Pads with spaces to `width` columns. */
export function padEnd(text: string, width: number): string {
  return text + " ".repeat(Math.max(0, width - displayWidth(text)));
}

/** Words wrapped into lines of at most `width` columns; a word longer than a line gets a line of its own. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    for (const word of paragraph.split(/ +/).filter(Boolean)) {
      const candidate = line ? `${line} ${word}` : word;
      if (displayWidth(candidate) <= width) line = candidate;
      else {
        if (line) lines.push(line);
        line = word;
      }
    }
    lines.push(line);
  }
  return lines;
}

/** "1 todo", "2 todos". */
export const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;

/**
 * A whole number with commas between its thousands ("10,000"), as toLocaleString("en-US") writes it,
 * without it: its first call loads the number formatting data, ~4 ms of a `todo add` whose help texts
 * say their limits this way (a profile of the compiled binary: 15% of its samples).
 */
export const thousands = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
