// The todos and the pattern mix both search benchmarks use (search-index.bench.ts, search-mongo.bench.ts),
// and the filters (tags, states, a word) the embedded store's bench adds (issue 22).
import type { State } from "../src/vocabulary/todo";
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

/** 60 tags, of Zipf-like popularity: tag k is drawn with weight 1 / (k + 1)^1.5. */
export const TAGS = [
  "work", "home", "errand", "shopping", "family", "health", "finance", "project", "email", "phone",
  "car", "garden", "kids", "school", "travel", "reading", "music", "sport", "cooking", "cleaning",
  "repair", "paperwork", "taxes", "insurance", "bank", "doctor", "dentist", "pets", "friends", "birthday",
  "gift", "holiday", "weekend", "meeting", "report", "review", "planning", "budget", "client", "team",
  "hiring", "design", "backend", "frontend", "ops", "security", "legal", "marketing", "sales", "support",
  "research", "writing", "photo", "video", "volunteer", "church", "neighbours", "landlord", "moving", "passport",
];
const TAG_WEIGHTS = TAGS.map((_, k) => 1 / (k + 1) ** 1.5);
const TAG_TOTAL = TAG_WEIGHTS.reduce((a, b) => a + b);
/** A well-mixed number in [0, 1) from i and a salt (mulberry32's finaliser): tags and states apart from the text's stream. */
function hashed(i: number, salt: number): number {
  let h = Math.imul(i ^ Math.imul(salt, 0x9e3779b9), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x27d4eb2d);
  return ((h ^ (h >>> 15)) >>> 0) / 2 ** 32;
}
function tag(u: number): string {
  let x = u * TAG_TOTAL;
  for (const [k, w] of TAG_WEIGHTS.entries()) if ((x -= w) < 0) return TAGS[k]!;
  return TAGS.at(-1)!;
}

/** A tag on one todo in 10,000 (100 of 1M), beside the 60. */
const VERY_RARE_TAG = "archive";

/** The filters the embedded store's bench times, each alone and with a word (issue 22: filters at a million). */
export const FILTERS: { name: string; tags: string[]; states: State[]; pattern?: string }[] = [
  { name: "very rare tag (0.01%)", tags: [VERY_RARE_TAG], states: [] },
  { name: "rare tag (~0.1%)", tags: ["passport"], states: [] },
  { name: "common tag (~40%)", tags: ["work"], states: [] },
  { name: "two tags", tags: ["work", "passport"], states: [] },
  { name: "rare tag + state", tags: ["passport"], states: ["STATE_NOT_STARTED"] },
  { name: "middle tag (~0.4%) + rare state", tags: ["doctor"], states: ["STATE_IN_PROGRESS"] },
  { name: "rare tag + state + word", tags: ["passport"], states: ["STATE_NOT_STARTED"], pattern: "meeting" },
  { name: "common tag + state + rare word", tags: ["work"], states: ["STATE_NOT_STARTED"], pattern: "milk" },
  { name: "middle tag + state + common word", tags: ["doctor"], states: ["STATE_DONE"], pattern: "meeting" },
  { name: "rare state alone", tags: [], states: ["STATE_IN_PROGRESS"] },
  { name: "rare state + rare word", tags: [], states: ["STATE_IN_PROGRESS"], pattern: "zanzibar" },
];

/**
 * Todo `i` of `count`: pseudo-random words; "meeting" in ~20% of todos, "zanzibar" in exactly 10 (half of
 * them "Zanzibar"), "invoice NNNN" in ~1%, "milk" and "bread" in ~0.5% each, and nothing has five
 * digits, a dash and five digits. Tags: none (30%), one (35%), two (25%) or three (10%) drawn from TAGS,
 * and "archive" on one todo in 10,000;
 * states: not started 60%, in progress 7% (~0.7% with the rare state filter's tag), done 33%.
 */
export function benchTodo(i: number, count: number): { title: string; description: string; tags: string[]; state: State } {
  const title = words(3);
  const description = words(15);
  if (random() < 0.2) description.splice(3, 0, "meeting");
  if (random() < 0.01) title.push(`invoice ${String(Math.floor(random() * 10_000)).padStart(4, "0")}`);
  if (random() < 0.005) description.push("milk");
  if (random() < 0.005) description.push("bread");
  if (i % Math.floor(count / 10) === 7) title.push(Math.floor(i / (count / 10)) % 2 ? "Zanzibar" : "zanzibar");
  const drawn = hashed(i, 1);
  const tags = [...new Set(Array.from({ length: drawn < 0.3 ? 0 : drawn < 0.65 ? 1 : drawn < 0.9 ? 2 : 3 }, (_, k) => tag(hashed(i, 3 + k))))];
  if (i % 10_000 === 3) tags.push(VERY_RARE_TAG);
  const s = hashed(i, 2);
  const state: State = s < 0.6 ? "STATE_NOT_STARTED" : s < 0.67 ? "STATE_IN_PROGRESS" : "STATE_DONE";
  return { title: title.join(" "), description: description.join(" "), tags, state };
}

export const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
