// From an RE2 pattern, an FTS5 query over the trigram index that every text the pattern matches also
// matches (Russ Cox, "Regular Expression Matching with a Trigram Index"). The index only narrows the
// candidates: each one is still matched with RE2, so the query may be weaker than the pattern, never
// stronger. Strings of fewer than three characters say nothing to a trigram index; a pattern that
// yields none of three or more has no query (null), and the search scans instead.
import { RE2Set } from "re2js";

/** Sets of strings larger than this become less precise facts (the "exact" set turns into a query). */
const MAX_SET = 16;
/** Terms of one AND or OR; an AND drops terms beyond it (weaker, still true), an OR gives up. */
const MAX_TERMS = 16;
/** Longest query text sent to FTS5; beyond it the pattern scans. */
const MAX_QUERY_LENGTH = 4_000;

type Query = { kind: "all" } | { kind: "phrase"; text: string } | { kind: "and" | "or"; terms: Query[] };

const ALL: Query = { kind: "all" };

/**
 * What is known of the strings a sub-pattern matches: either all of them (`exact`), or some of their
 * prefixes, suffixes and a query each satisfies.
 */
interface Info {
  exact: Set<string> | null;
  prefix: Set<string>;
  suffix: Set<string>;
  match: Query;
}

const ANYTHING: Info = { exact: null, prefix: new Set([""]), suffix: new Set([""]), match: ALL };
const exactly = (...strings: string[]): Info => ({ exact: new Set(strings), prefix: new Set(), suffix: new Set(), match: ALL });

/** The parsed, simplified pattern (re2js exports no parser; a set keeps each pattern it parses). */
interface Node {
  op: number;
  flags: number;
  runes: number[];
  subs: Node[];
  min: number;
  max: number;
  constructor: { Op: Record<string, number> };
}

function parse(pattern: string): Node {
  const set = new RE2Set() as unknown as { add(p: string): number; regexps: Node[] };
  set.add(pattern);
  return set.regexps[0]!;
}

const FOLD_CASE = 1;

/** The character the index stores for `rune` (FTS5 folds case; lowercasing ASCII keeps sets small), or null if unusable. */
function indexChar(rune: number, foldCase: boolean): string | null {
  if (rune < 0x20 || rune === 0x7f) return null;
  const char = String.fromCodePoint(rune);
  if (rune < 0x80) return char.toLowerCase();
  // Outside ASCII, a case-insensitive rune matches its whole case orbit, which FTS5's folding may not
  // join in one key; only a character without case is certain.
  if (foldCase && char.toLowerCase() !== char.toUpperCase()) return null;
  return char;
}

function cross(a: Set<string>, b: Set<string>): Set<string> | null {
  if (a.size * b.size > MAX_SET) return null;
  const out = new Set<string>();
  for (const x of a) for (const y of b) out.add(x + y);
  return out;
}

const chars = (s: string) => [...s];

/** A prefix set small enough to carry: each string cut to its first `n` characters (a suffix set: its last). */
function trim(set: Set<string>, end: "prefix" | "suffix"): Set<string> {
  for (let n = 2; n >= 0; n--) {
    const out = new Set([...set].map((s) => (end === "prefix" ? chars(s).slice(0, n) : chars(s).slice(Math.max(0, chars(s).length - n))).join("")));
    if (out.size <= MAX_SET) return out;
  }
  return new Set([""]);
}

/** An OR of more than two single trigrams: costly for FTS5 to evaluate, and it narrows little. */
const weak = (q: Query) => q.kind === "or" && q.terms.length > 2 && q.terms.every((t) => t.kind === "phrase" && chars(t.text).length === 3);

function and(...queries: Query[]): Query {
  let terms = queries.flatMap((q) => (q.kind === "and" ? q.terms : q.kind === "all" ? [] : [q]));
  // Dropping a term of an AND only weakens it; a weak term is dropped when another one remains.
  if (terms.some((t) => !weak(t))) terms = terms.filter((t) => !weak(t));
  if (terms.length === 0) return ALL;
  if (terms.length === 1) return terms[0]!;
  return { kind: "and", terms: terms.slice(0, MAX_TERMS) };
}

function or(...queries: Query[]): Query {
  if (queries.some((q) => q.kind === "all")) return ALL;
  const terms = queries.flatMap((q) => (q.kind === "or" ? q.terms : [q]));
  if (terms.length > MAX_TERMS) return ALL;
  if (terms.length > 2 && terms.every((t) => t.kind === "phrase")) {
    // FTS5 evaluates each phrase of an OR on its own: ten phrases sharing "invoice " cost ten times
    // one. The shared part, when it is long enough to look up, is implied by every phrase and cheap.
    const shared = sharedEnd(terms.map((t) => chars((t as { text: string }).text)));
    if (shared.length >= 3) return { kind: "phrase", text: shared };
  }
  return terms.length === 1 ? terms[0]! : { kind: "or", terms };
}

/** The longer of the strings' common prefix and common suffix. */
function sharedEnd(strings: string[][]): string {
  const common = (list: string[][]) => {
    let n = 0;
    while (list.every((s) => n < s.length && s[n] === list[0]![n])) n++;
    return list[0]!.slice(0, n);
  };
  const prefix = common(strings);
  const suffix = common(strings.map((s) => [...s].reverse())).reverse();
  return (prefix.length >= suffix.length ? prefix : suffix).join("");
}

/** Text containing any string of `set`: only when each has three characters or more. */
function anyOf(set: Set<string>): Query {
  if (set.size === 0 || [...set].some((s) => chars(s).length < 3)) return ALL;
  return or(...[...set].map((text): Query => ({ kind: "phrase", text })));
}

function inexact(info: Info): Info {
  if (!info.exact) return info;
  return { exact: null, prefix: trim(info.exact, "prefix"), suffix: trim(info.exact, "suffix"), match: and(info.match, anyOf(info.exact)) };
}

function concat(x: Info, y: Info): Info {
  if (x.exact && y.exact) {
    const exact = cross(x.exact, y.exact);
    if (exact) return { ...exactly(), exact };
  }
  const a = inexact(x);
  const b = inexact(y);
  const boundary = cross(a.suffix, b.prefix);
  return {
    exact: null,
    prefix: trim((x.exact && cross(x.exact, b.prefix)) || a.prefix, "prefix"),
    suffix: trim((y.exact && cross(a.suffix, y.exact)) || b.suffix, "suffix"),
    match: and(a.match, b.match, boundary ? anyOf(boundary) : ALL),
  };
}

function alternate(x: Info, y: Info): Info {
  if (x.exact && y.exact && x.exact.size + y.exact.size <= MAX_SET) return { ...exactly(), exact: new Set([...x.exact, ...y.exact]) };
  const a = inexact(x);
  const b = inexact(y);
  return {
    exact: null,
    prefix: trim(new Set([...a.prefix, ...b.prefix]), "prefix"),
    suffix: trim(new Set([...a.suffix, ...b.suffix]), "suffix"),
    match: or(a.match, b.match),
  };
}

function analyze(node: Node): Info {
  const Op = node.constructor.Op;
  const fold = (node.flags & FOLD_CASE) !== 0;
  switch (node.op) {
    case Op.EMPTY_MATCH:
    case Op.BEGIN_LINE:
    case Op.END_LINE:
    case Op.BEGIN_TEXT:
    case Op.END_TEXT:
    case Op.WORD_BOUNDARY:
    case Op.NO_WORD_BOUNDARY:
      return exactly("");
    case Op.LITERAL:
      return node.runes.reduce<Info>((info, rune) => {
        const char = indexChar(rune, fold);
        return concat(info, char === null ? ANYTHING : exactly(char));
      }, exactly(""));
    case Op.CHAR_CLASS: {
      const set = new Set<string>();
      for (let i = 0; i < node.runes.length; i += 2) {
        const [lo, hi] = [node.runes[i]!, node.runes[i + 1]!];
        if (hi - lo >= MAX_SET) return ANYTHING;
        for (let r = lo; r <= hi; r++) {
          const char = indexChar(r, false);
          if (char === null) return ANYTHING;
          set.add(char);
        }
        if (set.size > MAX_SET) return ANYTHING;
      }
      return set.size ? { ...exactly(), exact: set } : ANYTHING;
    }
    case Op.CAPTURE:
      return analyze(node.subs[0]!);
    case Op.STAR:
      return ANYTHING;
    case Op.QUEST:
      return alternate(analyze(node.subs[0]!), exactly(""));
    case Op.PLUS:
      return concat(analyze(node.subs[0]!), ANYTHING);
    case Op.REPEAT:
      return node.min >= 1 ? concat(analyze(node.subs[0]!), ANYTHING) : ANYTHING;
    case Op.CONCAT:
      return node.subs.map(analyze).reduce(concat, exactly(""));
    case Op.ALTERNATE:
      return node.subs.map(analyze).reduce(alternate);
    default:
      return ANYTHING;
  }
}

function render(query: Query): string {
  switch (query.kind) {
    case "all":
      return "";
    case "phrase":
      return `"${query.text.replaceAll('"', '""')}"`;
    case "and":
    case "or":
      return `(${query.terms.map(render).join(query.kind === "and" ? " AND " : " OR ")})`;
  }
}

/**
 * The FTS5 MATCH expression that narrows `pattern`'s candidates on the trigram index, limited to
 * `columns`, or null when the pattern offers nothing of three characters to look up.
 */
export function trigramQuery(pattern: string, columns: readonly string[]): string | null {
  const query = inexact(analyze(parse(pattern))).match;
  if (query.kind === "all") return null;
  const text = render(query);
  if (text.length > MAX_QUERY_LENGTH) return null;
  return `{${columns.join(" ")}} : ${text}`;
}
