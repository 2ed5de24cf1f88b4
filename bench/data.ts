// The data set the search figures are measured on, and the pattern mix, written down so that every run
// (and every store) measures the same thing. Todo i is a function of i alone: a run is reproducible.

/** Everyday words; each title takes two of them, so each word is in roughly 2/64 of the todos. */
const WORDS = [
  "buy", "call", "fix", "book", "send", "pay", "clean", "plan", "read", "write", "check", "order", "return", "renew", "print", "review",
  "bread", "eggs", "car", "bike", "roof", "sink", "tax", "rent", "report", "slides", "email", "letter", "garden", "window", "passport", "ticket",
  "mum", "dad", "dentist", "doctor", "bank", "school", "office", "landlord", "plumber", "team", "client", "library", "gym", "vet", "post", "shop",
  "monday", "friday", "weekend", "tonight", "soon", "later", "today", "tomorrow", "again", "first", "quickly", "carefully", "maybe", "finally", "early", "late",
];

/** ~10 todos in the whole set carry this word, wherever its size (the needle of the rare-word search). */
export const RARE_WORD = "zanzibar";

/** Todo i of a set of `count`: a title of words and a number, a description, tags. */
export function benchTodo(i: number, count: number): { title: string; description: string; tags: string[] } {
  // A cheap, well-mixed hash of i, so words do not repeat in stripes.
  let h = Math.imul(i ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  const word = (shift: number) => WORDS[(h >>> shift) & 63]!;
  const words = [word(0), word(6)];
  // One in 20 is urgent, in one of three spellings: what `(?i)urgent` must find.
  if ((h >>> 12) % 20 === 0) words.unshift(["urgent", "URGENT", "Urgent"][(h >>> 17) % 3]!);
  if (i % Math.max(1, Math.floor(count / 10)) === 7) words.push(RARE_WORD);
  // One in 16 carries an invoice number, one in 50 a phone-like number (matched by the pattern with no literal).
  if (((h >>> 20) & 15) === 0) words.push(`invoice ${(h >>> 8) % 100000}`);
  const description = (h >>> 24) % 50 === 0 ? `ring ${100 + ((h >>> 4) % 900)}-${1000 + ((h >>> 2) % 9000)}` : `${word(24)} ${word(26)} item ${i}`;
  return { title: words.join(" "), description, tags: [word(18)] };
}

/** The search patterns (RE2), by name: what each stands for in issue 11. */
export const PATTERNS: Record<string, string> = {
  /** A common word: ~1/16 of the todos (two title words and two description words of 64). */
  common_word: "garden",
  /** A rare word: ~10 todos of the whole set. */
  rare_word: RARE_WORD,
  /** A word plus a character class: ~1/16 of the todos carry an invoice number. */
  word_class: "invoice [0-9]+7\\b",
  /** An alternation of two words. */
  alternation: "dentist|plumber",
  /** Case-insensitive word: "urgent" in three spellings, ~1/20 of the todos. */
  case_insensitive: "(?i)urgent",
  /** No literal at all (a phone-like number, ~1/50 of the todos): a full scan is unavoidable. */
  no_literal: "[0-9]{3}-[0-9]{4}",
};
