// The table `todo list` and `todo search` print, laid out from what fits and then streamed: the column
// widths come from the first page of todos (and, on a terminal, its width), and every later page is
// printed in those columns as it arrives. Nothing waits for every row, so a list of a million todos
// starts at once and holds one page in memory. On a terminal a later cell too wide for its column is
// cut; piped, nothing is cut: a longer cell pushes the rest of its row right, two spaces still between.
import type { Todo__Output } from "../proto/gen/types/todo/v1/Todo";
import { isOverdue, type Look, localRfc3339, relativeTime, STATE_STYLE, shortNumber, stateName, toMillis } from "./output";
import type { Style } from "./terminal";
import { displayWidth, fit, oneLine } from "./text";

interface Column {
  header: string;
  cell: (todo: Todo__Output) => string;
  style?: (todo: Todo__Output) => Style | undefined;
  /** Shrinks to fit the width: weight is its share of the room; the lowest `keep` is left out first when even the minimums do not fit. */
  flexible?: { min: number; weight: number; keep: number };
}

function columnsFor(look: Look): Column[] {
  const reminder = (t: Todo__Output) => (t.reminder ? (look.width === undefined ? localRfc3339(toMillis(t.reminder)) : relativeTime(toMillis(t.reminder), look.now)) : "-");
  return [
    { header: "#", cell: shortNumber },
    { header: "ID", cell: (t) => look.shownIds?.get(t.id) ?? t.id },
    { header: "STATE", cell: (t) => stateName(t.state), style: (t) => STATE_STYLE[t.state] },
    { header: "TITLE", cell: (t) => oneLine(t.title), flexible: { min: 12, weight: 3, keep: 3 } },
    { header: "DESCRIPTION", cell: (t) => oneLine(t.description), flexible: { min: 12, weight: 2, keep: 1 } },
    { header: "TAGS", cell: (t) => t.tags.map(oneLine).join(","), flexible: { min: 6, weight: 1, keep: 2 } },
    { header: "REMINDER", cell: reminder, style: (t) => (isOverdue(t, look.now) ? "red" : undefined) },
  ];
}

/** Column widths that fit `width`: fixed columns whole, flexible ones shrunk by weight or left out (undefined). */
function layout(columns: Column[], natural: number[], width: number): (number | undefined)[] {
  const widths: (number | undefined)[] = [...natural];
  const flexible = columns.map((_, i) => i).filter((i) => columns[i]!.flexible);
  const room = () => width - widths.reduce<number>((sum, w, i) => sum + (w === undefined ? 0 : i === 0 ? w : w + 2), 0);
  if (room() >= 0) return widths;
  for (const i of flexible) widths[i] = Math.min(natural[i]!, columns[i]!.flexible!.min);
  // While even the minimums do not fit, leave out flexible columns, all but the one to keep most.
  const byKeep = [...flexible].sort((a, b) => columns[a]!.flexible!.keep - columns[b]!.flexible!.keep);
  for (const i of byKeep.slice(0, -1)) if (room() < 0) widths[i] = undefined;
  const kept = flexible.filter((i) => widths[i] !== undefined);
  if (room() < 0) {
    const only = kept[0]!;
    widths[only] = Math.max(1, widths[only]! + room());
    return widths;
  }
  // Share what is left: one column at a time to the flexible column furthest below its share.
  for (let spare = room(); spare > 0; spare--) {
    const growing = kept.filter((i) => widths[i]! < natural[i]!);
    if (growing.length === 0) break;
    const next = growing.reduce((a, b) => (widths[a]! / columns[a]!.flexible!.weight <= widths[b]! / columns[b]!.flexible!.weight ? a : b));
    widths[next]!++;
  }
  return widths;
}

export interface Table {
  /** The header line, ended. */
  header: string;
  /** The todos' rows, each line ended. */
  rows(todos: readonly Todo__Output[]): string;
}

/**
 * The table's columns laid out from `first` (the first page): on a terminal a column none of them fills
 * (DESCRIPTION, TAGS) gives its room to the title, and the rest fit the width; piped, every column, as
 * wide as its widest cell on that page.
 */
export function tableFor(first: readonly Todo__Output[], look: Look): Table {
  const all = columnsFor(look);
  const cells = all.map((c) => first.map(c.cell));
  const kept = all.map((_, i) => i).filter((i) => look.width === undefined || !all[i]!.flexible || cells[i]!.some(Boolean));
  const columns = kept.map((i) => all[i]!);
  const natural = kept.map((i) => Math.max(displayWidth(all[i]!.header), ...cells[i]!.map(displayWidth)));
  const widths = look.width === undefined ? natural : layout(columns, natural, look.width);
  const shown = columns.map((c, i) => ({ ...c, width: widths[i] })).filter((c): c is Column & { width: number } => c.width !== undefined);
  const last = shown.length - 1;
  const cutting = look.width !== undefined;
  // A row is built in a plain loop: a list of a million rows runs it a million times, mostly before
  // the JIT has warmed up.
  const line = (text: (c: Column) => string, style: (c: Column) => Style | undefined) => {
    let out = "";
    for (let i = 0; i <= last; i++) {
      const c = shown[i]!;
      const cell = text(c);
      const cut = cutting ? fit(cell, c.width) : cell;
      out += look.paint(style(c), cut);
      if (i < last) out += " ".repeat(Math.max(0, c.width - displayWidth(cut)) + 2);
    }
    return `${out.trimEnd()}\n`;
  };
  return {
    header: line(
      (c) => c.header,
      () => "bold",
    ),
    rows: (todos) => {
      let out = "";
      for (const todo of todos)
        out += line(
          (c) => c.cell(todo),
          (c) => c.style?.(todo),
        );
      return out;
    },
  };
}
