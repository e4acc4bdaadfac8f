// The EditorConfig properties that apply to a file (https://spec.editorconfig.org): every
// `.editorconfig` from the file's folder up to the first one that says `root = true`, read from the
// top down, later sections overriding earlier ones; section names are globs (`*`, `**`, `?`, `[...]`,
// `[!...]`, `{a,b}`, `{1..9}`, `\` escapes), matched against the path relative to the .editorconfig's
// folder, or against any trailing part of it when the glob holds no `/`. Only the properties a
// formatter needs are kept.

import { dirname, join, relative, sep } from 'node:path';
import { escapeRegExp } from '../core/text';
import type { FileHost } from '../workspace/host';
import type { FormatOptions } from './format';

export interface EditorConfig {
  indent_style?: 'tab' | 'space';
  indent_size?: number | 'tab';
  tab_width?: number;
  end_of_line?: 'lf' | 'crlf' | 'cr';
  insert_final_newline?: boolean;
  trim_trailing_whitespace?: boolean;
}

type Raw = Map<string, string>;

interface Section {
  glob: string;
  properties: Raw;
}

interface ParsedEditorConfig {
  root: boolean;
  sections: Section[];
}

/** Reads an .editorconfig text. Unknown lines are ignored, as EditorConfig's cores ignore them. */
export function parseEditorConfig(text: string): ParsedEditorConfig {
  const result: ParsedEditorConfig = { root: false, sections: [] };
  let section: Section | undefined;
  for (const rawLine of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.*)\]$/.exec(line);
    if (header) {
      section = { glob: header[1]!, properties: new Map() };
      result.sections.push(section);
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim().toLowerCase();
    const value = line.slice(eq + 1).trim();
    if (section) section.properties.set(key, value);
    else if (key === 'root') result.root = value.toLowerCase() === 'true';
  }
  return result;
}

/** The regular expression of an EditorConfig glob, and the numeric ranges its `{m..n}` groups must satisfy. */
export function globToRegExp(glob: string): { regexp: RegExp; ranges: Array<[number, number]> } {
  const ranges: Array<[number, number]> = [];
  let depth = 0;
  // Which `{` have a matching `}` and a comma (or are a numeric range), so that lone braces are literal.
  const braces = matchBraces(glob);
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '\\' && i + 1 < glob.length) {
      out += escapeRegExp(glob[++i]!);
    } else if (c === '*') {
      if (glob[i + 1] === '*') {
        out += '.*';
        i++;
      } else out += '[^/]*';
    } else if (c === '?') {
      out += '[^/]';
    } else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      const body = close < 0 ? '' : glob.slice(i + 1, close);
      if (close < 0 || body.includes('/')) {
        out += '\\[';
        continue;
      }
      const negated = body.startsWith('!') || body.startsWith('^');
      const members = (negated ? body.slice(1) : body).replace(/[\\\]^]/g, '\\$&');
      out += negated ? `[^/${members}]` : `[${members}]`;
      i = close;
    } else if (c === '{' && braces.has(i)) {
      const close = braces.get(i)!;
      const numeric = /^([+-]?\d+)\.\.([+-]?\d+)$/.exec(glob.slice(i + 1, close));
      if (numeric) {
        const [a, b] = [Number(numeric[1]), Number(numeric[2])];
        ranges.push([Math.min(a, b), Math.max(a, b)]);
        out += '([+-]?\\d+)';
        i = close;
      } else {
        out += '(?:';
        depth++;
      }
    } else if (c === ',' && depth > 0) {
      out += '|';
    } else if (c === '}' && depth > 0 && [...braces.values()].includes(i)) {
      out += ')';
      depth--;
    } else {
      out += escapeRegExp(c);
    }
  }
  return { regexp: new RegExp(`^${out}$`), ranges };
}

/** Offsets of `{` that open a real group (a comma inside, or a numeric range), mapped to their `}`. */
function matchBraces(glob: string): Map<number, number> {
  const groups = new Map<number, number>();
  const open: Array<{ at: number; comma: boolean }> = [];
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '\\') i++;
    else if (c === '{') open.push({ at: i, comma: false });
    else if (c === ',' && open.length > 0) open[open.length - 1]!.comma = true;
    else if (c === '}' && open.length > 0) {
      const group = open.pop()!;
      if (group.comma || /^[+-]?\d+\.\.[+-]?\d+$/.test(glob.slice(group.at + 1, i))) groups.set(group.at, i);
    }
  }
  return groups;
}

/** Whether a section's glob applies to `path`, relative to the .editorconfig's folder (with `/`). */
export function sectionMatches(glob: string, path: string): boolean {
  if (glob.length > 4096) return false;
  const anchored = glob.replace(/\[[^\]]*\]/g, '').includes('/');
  // Without a `/`, the glob may match at any depth: `**/glob` against the path behind a `/`.
  const { regexp, ranges } = globToRegExp(anchored ? glob.replace(/^\//, '') : `**/${glob}`);
  const match = regexp.exec(anchored ? path : `/${path}`);
  if (!match) return false;
  return ranges.every(([min, max], i) => {
    const n = Number(match[i + 1]);
    return Number.isInteger(n) && n >= min && n <= max;
  });
}

/** The EditorConfig properties of a file, read through the host. */
export function editorConfigFor(host: FileHost, path: string): EditorConfig {
  const files: Array<{ dir: string; config: ParsedEditorConfig }> = [];
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    const read = host.read(join(dir, '.editorconfig'));
    if (read.ok) {
      const config = parseEditorConfig(read.text);
      files.unshift({ dir, config });
      if (config.root) break;
    }
    if (dirname(dir) === dir) break;
  }
  const raw: Raw = new Map();
  for (const { dir, config } of files) {
    const relativePath = relative(dir, path).split(sep).join('/');
    for (const section of config.sections) {
      if (!sectionMatches(section.glob, relativePath)) continue;
      for (const [key, value] of section.properties) raw.set(key, value);
    }
  }
  return interpret(raw);
}

function interpret(raw: Raw): EditorConfig {
  const value = (key: string) => {
    const v = raw.get(key)?.toLowerCase();
    return v === 'unset' ? undefined : v;
  };
  const positive = (v: string | undefined) => (v !== undefined && /^\d+$/.test(v) && Number(v) > 0 ? Math.min(Number(v), 16) : undefined);
  const boolean = (v: string | undefined) => (v === 'true' ? true : v === 'false' ? false : undefined);
  const config: EditorConfig = {};
  const style = value('indent_style');
  if (style === 'tab' || style === 'space') config.indent_style = style;
  const size = value('indent_size');
  if (size === 'tab') config.indent_size = 'tab';
  else if (positive(size)) config.indent_size = positive(size);
  const tabWidth = positive(value('tab_width'));
  if (tabWidth) config.tab_width = tabWidth;
  const eol = value('end_of_line');
  if (eol === 'lf' || eol === 'crlf' || eol === 'cr') config.end_of_line = eol;
  const finalNewline = boolean(value('insert_final_newline'));
  if (finalNewline !== undefined) config.insert_final_newline = finalNewline;
  const trim = boolean(value('trim_trailing_whitespace'));
  if (trim !== undefined) config.trim_trailing_whitespace = trim;
  // The spec's defaults between properties.
  if (config.indent_style === 'tab' && config.indent_size === undefined) config.indent_size = 'tab';
  if (config.indent_size === 'tab' && config.tab_width !== undefined) config.indent_size = config.tab_width;
  if (typeof config.indent_size === 'number' && config.tab_width === undefined) config.tab_width = config.indent_size;
  return config;
}

/** What the editor asks for (LSP's FormattingOptions, or nothing on the command line). */
export interface EditorFormatting {
  tabSize: number;
  insertSpaces: boolean;
  insertFinalNewline?: boolean;
  trimTrailingWhitespace?: boolean;
}

/**
 * The formatter's options: the .editorconfig's properties where it sets them (the project's choice),
 * otherwise the editor's, otherwise four spaces and the file's own line breaks. `end_of_line = cr` is
 * not followed: nginx does not end lines (nor comments) at a lone carriage return.
 */
export function formatOptions(config: EditorConfig, editor?: EditorFormatting): FormatOptions {
  const tabs = config.indent_style ? config.indent_style === 'tab' : editor ? !editor.insertSpaces : false;
  const size = typeof config.indent_size === 'number' ? config.indent_size : (config.tab_width ?? editor?.tabSize ?? 4);
  const options: FormatOptions = { indent: tabs ? '\t' : ' '.repeat(Math.max(1, Math.min(size, 16))) };
  if (config.end_of_line === 'lf') options.eol = '\n';
  if (config.end_of_line === 'crlf') options.eol = '\r\n';
  const finalNewline = config.insert_final_newline ?? editor?.insertFinalNewline;
  if (finalNewline === false) options.insertFinalNewline = false;
  const trim = config.trim_trailing_whitespace ?? editor?.trimTrailingWhitespace;
  if (trim === false) options.trimTrailingWhitespace = false;
  return options;
}
