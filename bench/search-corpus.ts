// The todos and the pattern mix both search benchmarks use (search-index.bench.ts, search-mongo.bench.ts).
/** The mix: a common word, a rare word (10 todos), a word and a class, an alternation, (?i), no literal. */
export const PATTERNS: { name: string; pattern: string }[] = [
  { name: "common word", pattern: "meeting" },
  { name: "rare word (10 todos)", pattern: "zanzibar" },
  { name: "word + class", pattern: "invoice [0-9]{4}" },
  { name: "alternation", pattern: "milk|bread" },
  { name: "(?i) word", pattern: "(?i)zanzibar" },
  { name: "no literal", pattern: "\\d{5}-\\d{5}" },
];

let state = 42;
const random = () => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
const SYLLABLES = ["ka", "lo", "mi", "re", "tu", "po", "ne", "vi", "da", "ge", "hu", "fa", "ri", "sol", "bem", "tar"];
const WORDS = Array.from({ length: 3_000 }, () => Array.from({ length: 2 + Math.floor(random() * 3) }, () => SYLLABLES[Math.floor(random() * SYLLABLES.length)]).join(""));
const word = () => WORDS[Math.floor(random() * WORDS.length)]!;
const words = (n: number) => Array.from({ length: n }, word);

/**
 * Todo `i` of `count`: pseudo-random words; "meeting" in ~20% of todos, "zanzibar" in exactly 10 (half of
 * them "Zanzibar"), "invoice NNNN" in ~1%, "milk" and "bread" in ~0.5% each, and nothing has five
 * digits, a dash and five digits.
 */
export function benchTodo(i: number, count: number): { title: string; description: string } {
  const title = words(3);
  const description = words(15);
  if (random() < 0.2) description.splice(3, 0, "meeting");
  if (random() < 0.01) title.push(`invoice ${String(Math.floor(random() * 10_000)).padStart(4, "0")}`);
  if (random() < 0.005) description.push("milk");
  if (random() < 0.005) description.push("bread");
  if (i % Math.floor(count / 10) === 7) title.push(Math.floor(i / (count / 10)) % 2 ? "Zanzibar" : "zanzibar");
  return { title: title.join(" "), description: description.join(" ") };
}

export const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
