// --help text: plain (no colour codes, whatever stdout is), no trailing spaces, words wrapped to the
// terminal's width (80 columns when piped).
import type { ArgDef, ArgsDef } from "citty";
import { aliasesOf, dashed, isVariadic } from "./command-line";
import { terminalWidth } from "./terminal";
import { displayWidth, padEnd, wrap } from "./text";

/** Width help is wrapped to: the terminal's (at most 100, for readable lines), else 80. */
export const helpWidth = () => Math.min(terminalWidth() ?? 80, 100);

/** Lines of text wrapped to `width`; lines that start with two spaces (examples) are kept as written. */
export function paragraphs(text: string, width: number): string[] {
  return text.split("\n").flatMap((line) => (line.startsWith("  ") || line === "" ? [line] : wrap(line, width)));
}

/** Two columns: a label, and its text wrapped beside it (or below it when the label is too wide). */
export function columns(rows: [string, string][], width: number, indent = 2): string[] {
  const pad = " ".repeat(indent);
  const labelWidth = Math.min(Math.max(...rows.map(([label]) => displayWidth(label))), 30);
  // Too narrow for two columns: each text goes under its label.
  if (width - indent - labelWidth - 2 < 30)
    return rows.flatMap(([label, text]) => [pad + label, ...(text ? wrap(text, width - indent - 4).map((line) => `${pad}    ${line}`) : [])]);
  const textWidth = width - indent - labelWidth - 2;
  const lines: string[] = [];
  for (const [label, text] of rows) {
    const wrapped = text ? wrap(text, textWidth) : [];
    if (displayWidth(label) > labelWidth) {
      lines.push(pad + label);
      for (const line of wrapped) lines.push(`${pad}${" ".repeat(labelWidth + 2)}${line}`);
      continue;
    }
    lines.push(wrapped.length ? `${pad}${padEnd(label, labelWidth)}  ${wrapped[0]}` : pad + label);
    for (const line of wrapped.slice(1)) lines.push(`${pad}${" ".repeat(labelWidth + 2)}${line}`);
  }
  return lines;
}

const positionalLabel = (name: string, def: ArgDef) => `${(def.valueHint ?? name).toUpperCase()}${isVariadic(def) ? "…" : ""}`;

function flagLabel(name: string, def: ArgDef): string {
  const names = [...aliasesOf(def).filter((a) => a.length === 1), name].map(dashed).join(", ");
  if (def.type === "boolean") return names;
  if (def.type === "enum" && def.options?.length) return `${names} <${def.options.join("|")}>`;
  return `${names} <${def.valueHint ?? "value"}>`;
}

function flagText(def: ArgDef): string {
  const notes = [def.required ? "required" : "", def.default !== undefined && def.default !== "" ? `default: ${def.default}` : ""].filter(Boolean);
  return [def.description ?? "", notes.length ? `(${notes.join("; ")})` : ""].filter(Boolean).join(" ");
}

export interface HelpSubject {
  /** "todo add", "todo config show". */
  path: string;
  description?: string;
  /** Other names that run the same command. */
  aliases?: string[];
  args: ArgsDef;
  /** For a command that groups others (todo config): each one's name and description. */
  subCommands?: [string, string][];
}

export function commandHelp(subject: HelpSubject, width = helpWidth()): string {
  const entries = Object.entries(subject.args);
  const positionals = entries.filter(([, d]) => d.type === "positional");
  const flags = entries.filter(([, d]) => d.type !== "positional");
  const synopsis = [
    subject.path,
    ...(subject.subCommands ? ["<command>"] : []),
    ...positionals.map(([name, def]) => (def.required ? positionalLabel(name, def) : `[${positionalLabel(name, def)}]`)),
    ...flags.filter(([, def]) => def.required).map(([name, def]) => flagLabel(name, def)),
    ...(flags.length ? ["[flags]"] : []),
  ].join(" ");
  const lines = [`Usage: ${synopsis}`];
  if (subject.aliases?.length) lines.push(`Also: ${subject.aliases.map((a) => `${subject.path.replace(/ \S+$/, "")} ${a}`).join(", ")}`);
  if (subject.description) lines.push("", ...paragraphs(subject.description, width));
  if (subject.subCommands?.length) lines.push("", "Commands:", ...columns(subject.subCommands, width));
  if (positionals.length) lines.push("", "Arguments:", ...columns(positionals.map(([name, def]) => [positionalLabel(name, def), flagText(def)]), width));
  lines.push("", "Flags:", ...columns([...flags.map(([name, def]): [string, string] => [flagLabel(name, def), flagText(def)]), ["-h, --help", "Show this help"]], width));
  return lines.map((l) => l.trimEnd()).join("\n");
}
