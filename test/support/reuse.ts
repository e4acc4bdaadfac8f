// Edits of a configuration (a directive's arguments or name, statements typed, written, deleted, any
// text), analysed the way the language server does (the analysis before and its parse cache given)
// and from scratch, compared finding by finding (test/engine/reuse.test.ts).

import { readFileSync } from 'node:fs';
import { analyzeProject, ParseCache, type ProjectAnalysis } from '../../server/src/engine/analyze';
import type { Finding } from '../../server/src/engine/findings';
import { forEachDirective, type Directive, type ParsedFile } from '../../server/src/nginx/ast';
import { type FileHost, NodeFileHost } from '../../server/src/workspace/host';
import { projectOf } from './engine';

/** Values any directive may be given: variables of each origin, switches, numbers, sizes, quotes. */
const ARGUMENT_POOL = ['off', 'on', '$http_origin', '$http_x_forwarded_for', '$host', '$binary_remote_addr', '*', '0', '10m', 'always', '"a b"', 'https://example.com', '127.0.0.1:8080', '^~', 'SAMEORIGIN', 'TLSv1', 'ALL', '$1'];

export interface EditOutcome {
  /** Where and what: `file:line name args -> new args`. */
  label: string;
  /** Differences between the analysis with reuse and the one from scratch (empty when equal). */
  differences: string[];
  /** Findings of the analysis before that the new one took over as they were. */
  taken: number;
}

/**
 * A project whose files' texts the test changes in memory, analysed with reuse (`step`) and from
 * scratch, compared after each edit.
 */
export class ReuseHarness {
  readonly texts = new Map<string, string>();
  private readonly cache = new ParseCache();
  private readonly host: FileHost;
  private readonly project;
  private previous: ProjectAnalysis;

  constructor(dir: string) {
    const { project, files, settings } = projectOf(dir);
    this.project = { project, files, settings };
    for (const f of files) this.texts.set(f, readFileSync(f, 'utf8'));
    const disk = new NodeFileHost();
    this.host = Object.create(disk, {
      read: { value: (path: string) => (this.texts.has(path) ? { ok: true, text: this.texts.get(path)!, latin1: false } : disk.read(path)) },
    });
    this.previous = this.analyse(true);
  }

  get analysis(): ProjectAnalysis {
    return this.previous;
  }

  private analyse(withReuse: boolean): ProjectAnalysis {
    const { project, files, settings } = this.project;
    return withReuse
      ? analyzeProject(project, { host: this.host, settings, files, cache: this.cache, previous: this.previous })
      : analyzeProject(project, { host: this.host, settings, files, cache: new ParseCache() });
  }

  /** The simple directives (`name args;`) of the configuration, with the file they stand in. */
  simpleDirectives(): Array<{ path: string; directive: Directive }> {
    const found: Array<{ path: string; directive: Directive }> = [];
    for (const [path, file] of this.previous.model.files) {
      if (!this.texts.has(path)) continue;
      forEachDirective(file.root, (d) => {
        if (!d.block && d.terminator === ';' && d.name !== 'include' && d.name !== 'load_module') found.push({ path, directive: d });
      });
    }
    return found;
  }

  /** Replaces the arguments of `directive` (of the current tree of `path`) with `args`, analyses and compares. */
  edit(path: string, directive: Directive, args: readonly string[]): EditOutcome {
    const text = this.texts.get(path)!;
    const from = directive.nameToken.end;
    const to = directive.terminatorOffset;
    const old = text.slice(from, to);
    const replacement = args.length > 0 ? ` ${args.join(' ')}` : '';
    const line = this.previous.model.files.get(path)!.lines.nginxLine(directive.start);
    const label = `${path}:${line} ${directive.name}${old.replace(/\s+/g, ' ')} -> ${directive.name}${replacement}`;
    this.texts.set(path, text.slice(0, from) + replacement + text.slice(to));
    return this.step(label);
  }

  /** Gives `directive` (of the current tree of `path`) the name `name`, its arguments kept, analyses and compares. */
  rename(path: string, directive: Directive, name: string): EditOutcome {
    const text = this.texts.get(path)!;
    const where = this.where(path, directive);
    this.texts.set(path, text.slice(0, directive.nameToken.start) + name + text.slice(directive.nameToken.end));
    return this.step(`${where} ${directive.name} renamed ${name}`);
  }

  /**
   * Types `word` on a new line before `directive`, a character at a time: an outcome per keystroke. The
   * line break comes first, as its own keystroke (`enterFirst`), or with the first character. Until
   * its `;`, the typed word reads as the name of a directive whose arguments are those of `directive`.
   */
  typeBefore(path: string, directive: Directive, word: string, enterFirst = false): EditOutcome[] {
    const file = this.previous.model.files.get(path)!;
    const at = directive.start;
    const lineStart = file.text.lastIndexOf('\n', at - 1) + 1;
    const indent = /^[ \t]*/.exec(file.text.slice(lineStart, at))![0];
    const where = this.where(path, directive);
    const outcomes: EditOutcome[] = [];
    const insert = (offset: number, typing: string, label: string) => {
      const text = this.texts.get(path)!;
      this.texts.set(path, `${text.slice(0, offset)}${typing}${text.slice(offset)}`);
      outcomes.push(this.step(`${where} ${label} before ${directive.name}`));
    };
    if (enterFirst) insert(at, `\n${indent}`, 'a line break typed');
    for (let typed = 1; typed <= word.length; typed++) {
      const typing = typed === 1 && !enterFirst ? `${word[0]}\n${indent}` : word[typed - 1]!;
      insert(at + typed - 1, typing, `"${word.slice(0, typed)}" typed on a new line`);
    }
    return outcomes;
  }

  /**
   * Types a line break, then `word` a character at a time, after `directive`: after the last statement
   * of a block, the typed word is a statement left open before the block's `}` until its `;`.
   */
  typeAfter(path: string, directive: Directive, word: string): EditOutcome[] {
    const file = this.previous.model.files.get(path)!;
    const lineStart = file.text.lastIndexOf('\n', directive.start - 1) + 1;
    const indent = /^[ \t]*/.exec(file.text.slice(lineStart, directive.start))![0];
    const typed = `\n${indent}${word}`;
    const outcomes: EditOutcome[] = [];
    for (let i = 1 + indent.length; i <= typed.length; i++) {
      const text = this.texts.get(path)!;
      const at = directive.end + (i === 1 + indent.length ? 0 : i - 1);
      this.texts.set(path, `${text.slice(0, at)}${i === 1 + indent.length ? typed.slice(0, i) : typed[i - 1]}${text.slice(at)}`);
      outcomes.push(this.step(`${this.where(path, directive)} ${JSON.stringify(typed.slice(1 + indent.length, i))} typed on a new line after ${directive.name}`));
    }
    return outcomes;
  }

  /** Writes `statement` after `directive`, on its line. */
  insertAfter(path: string, directive: Directive, statement: string): EditOutcome {
    const text = this.texts.get(path)!;
    this.texts.set(path, `${text.slice(0, directive.end)} ${statement}${text.slice(directive.end)}`);
    return this.step(`${this.where(path, directive)} "${statement}" written after ${directive.name} on its line`);
  }

  /** Writes `statement` on a new line after `directive`'s, indented as it is (a blank line for ''). */
  insertLineAfter(path: string, directive: Directive, statement: string): EditOutcome {
    const text = this.texts.get(path)!;
    const lineStart = text.lastIndexOf('\n', directive.start - 1) + 1;
    const indent = /^[ \t]*/.exec(text.slice(lineStart, directive.start))![0];
    const lineEnd = text.indexOf('\n', directive.end);
    const at = lineEnd < 0 ? text.length : lineEnd;
    this.texts.set(path, `${text.slice(0, at)}\n${statement ? indent + statement : ''}${text.slice(at)}`);
    return this.step(`${this.where(path, directive)} ${statement ? `"${statement}"` : 'a blank line'} written on a new line after ${directive.name}`);
  }

  /** Deletes the lines `directive` is written on, with their line breaks. */
  removeLines(path: string, directive: Directive): EditOutcome {
    const text = this.texts.get(path)!;
    const lineStart = text.lastIndexOf('\n', directive.start - 1) + 1;
    const lineEnd = text.indexOf('\n', directive.end);
    this.texts.set(path, text.slice(0, lineStart) + (lineEnd < 0 ? '' : text.slice(lineEnd + 1)));
    return this.step(`${this.where(path, directive)} the lines of ${directive.name} deleted`);
  }

  /** Deletes `directive` (its name to its `;` or `}`), the line breaks around it kept. */
  remove(path: string, directive: Directive): EditOutcome {
    const text = this.texts.get(path)!;
    this.texts.set(path, text.slice(0, directive.start) + text.slice(directive.end));
    return this.step(`${this.where(path, directive)} ${directive.name} deleted`);
  }

  /** Types a `;` after the first argument of `directive`, which ends it there: the rest becomes a directive. */
  split(path: string, directive: Directive): EditOutcome {
    const text = this.texts.get(path)!;
    const at = directive.args[0]!.end;
    this.texts.set(path, `${text.slice(0, at)};${text.slice(at)}`);
    return this.step(`${this.where(path, directive)} ${directive.name} ended after its first argument`);
  }

  /** Deletes the `;` of `directive`: the statement after it becomes its arguments. */
  join(path: string, directive: Directive): EditOutcome {
    const text = this.texts.get(path)!;
    const at = directive.terminatorOffset;
    this.texts.set(path, text.slice(0, at) + text.slice(at + 1));
    return this.step(`${this.where(path, directive)} ${directive.name} without its ";"`);
  }

  private where(path: string, directive: Directive): string {
    return `${path}:${this.previous.model.files.get(path)!.lines.nginxLine(directive.start)}`;
  }

  /** Gives `path` the text `text` (an edit of any kind), analyses and compares. */
  write(path: string, text: string, label: string): EditOutcome {
    this.texts.set(path, text);
    return this.step(label);
  }

  /** The current tree of `path`. */
  tree(path: string): ParsedFile {
    return this.previous.model.files.get(path)!;
  }

  /** Analyses again without any change. */
  again(): EditOutcome {
    return this.step('again');
  }

  /** Gives a directive of the current tree the arguments it had, through the same kind of edit. */
  restore(path: string, original: string): EditOutcome | undefined {
    const current = this.texts.get(path)!;
    if (current === original) return undefined;
    this.texts.set(path, original);
    return this.step(`${path} restored`);
  }

  /** The current texts analysed with reuse and from scratch, compared; the first becomes the analysis before. */
  private step(label: string): EditOutcome {
    const before = new Set(this.previous.findings);
    const withReuse = this.analyse(true);
    const fresh = this.analyse(false);
    this.previous = withReuse;
    return { label, differences: compare(withReuse, fresh), taken: withReuse.findings.filter((f) => before.has(f)).length };
  }
}

/** Other arguments for a directive: those of another directive of its name, or values from the pool. */
export function otherArguments(directive: Directive, sameName: readonly Directive[], random: (n: number) => number): string[] {
  const raw = (d: Directive) => d.args.map((a) => (a.quote ? `${a.quote}${a.value.replace(/[\\"']/g, '')}${a.quote}` : a.value)).filter((a) => !/[;{}\s#]/.test(a.replace(/^["'].*["']$/, 'x')));
  const args = raw(directive);
  const others = sameName.filter((d) => d !== directive && raw(d).join(' ') !== args.join(' '));
  const pick = random(5);
  if (pick < 2 && others.length > 0) return raw(others[random(others.length)]!);
  if (pick < 3) {
    const changed = [...args];
    changed[random(Math.max(1, changed.length))] = ARGUMENT_POOL[random(ARGUMENT_POOL.length)]!;
    return changed;
  }
  if (pick === 3) return args.slice(0, -1);
  return [...args, ARGUMENT_POOL[random(ARGUMENT_POOL.length)]!];
}

/** Each finding as text, every field and every fix's edits included. */
function described(f: Finding): string {
  const at = (r: Finding['range']) => `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
  const fixes = f.fixes.map((x) => `  fix ${x.id ?? ''} ${x.title} ${x.applicability}${x.preferred ? ' preferred' : ''}${x.edits.map((e) => `\n    ${e.file}@${at(e.range)} ${JSON.stringify(e.newText)}`).join('')}`);
  const related = f.related.map((r) => `  related ${r.file}@${at(r.range)} ${r.message}`);
  return [`${f.rule} ${f.severity} ${f.file}@${at(f.range)} ${f.message}${f.detail ? ` | ${f.detail}` : ''}`, ...related, ...fixes].join('\n');
}

function compare(withReuse: ProjectAnalysis, fresh: ProjectAnalysis): string[] {
  const differences: string[] = [];
  const a = withReuse.findings.map(described);
  const b = fresh.findings.map(described);
  const inB = new Map<string, number>();
  for (const x of b) inB.set(x, (inB.get(x) ?? 0) + 1);
  for (const x of a) {
    const n = inB.get(x) ?? 0;
    if (n === 0) differences.push(`only with reuse: ${x}`);
    else inB.set(x, n - 1);
  }
  for (const [x, n] of inB) for (let i = 0; i < n; i++) differences.push(`only from scratch: ${x}`);
  if (a.length === b.length && differences.length === 0 && a.some((x, i) => x !== b[i])) differences.push('the same findings in another order');
  if (JSON.stringify(withReuse.nginx) !== JSON.stringify(fresh.nginx)) differences.push(`nginx -t: ${JSON.stringify(withReuse.nginx)} with reuse, ${JSON.stringify(fresh.nginx)} from scratch`);
  return differences;
}
