// Names a configuration defines and uses: variables (map, set, ...), upstream groups, shared memory
// zones; where a word points to (go to definition); the outline of a file.

import type { ProjectAnalysis } from '../engine/analyze';
import { type ConfigDirective, modelMemoKey } from '../model/config';
import type { Directive, ParsedFile, Token } from '../nginx/ast';
import { locate } from './locate';
import { addTo } from '../core/maps';

/** Directives that define a variable, and which argument names it. */
const VARIABLE_DEFINERS: Record<string, number> = {
  map: 1,
  geo: -1, // the last argument: `geo [$address] $variable`
  split_clients: 1,
  set: 0,
  auth_request_set: 0,
  js_set: 0,
  perl_set: 0,
  auth_jwt_claim_set: 0,
  auth_jwt_header_set: 0,
  set_by_lua: 0,
  set_by_lua_block: 0,
  set_by_lua_file: 0,
};

/** The argument naming the variable a directive defines (`$name`), if it is one of those that do. */
export function definingArgument(d: Directive): Token | undefined {
  const index = VARIABLE_DEFINERS[d.name];
  if (index === undefined) return undefined;
  const arg = index === -1 ? d.args[d.args.length - 1] : d.args[index];
  return arg?.value.startsWith('$') ? arg : undefined;
}

function definedVariable(d: Directive): string | undefined {
  return definingArgument(d)?.value.slice(1);
}

const DEFINITIONS = modelMemoKey<Map<string, ConfigDirective[]>>('variable definitions');

/** Variables the configuration defines, with the directives that define them. */
export function variableDefinitions(analysis: ProjectAnalysis): Map<string, ConfigDirective[]> {
  return analysis.model.memo(DEFINITIONS, () => {
    const map = new Map<string, ConfigDirective[]>();
    for (const d of analysis.model.directives()) {
      const name = definedVariable(d.node);
      if (name) addTo(map, name, d);
    }
    return map;
  });
}

export function upstreamDefinitions(analysis: ProjectAnalysis): Map<string, ConfigDirective> {
  const map = new Map<string, ConfigDirective>();
  for (const d of analysis.model.directives()) {
    if (d.node.name === 'upstream' && d.node.args[0] && !map.has(d.node.args[0].value)) map.set(d.node.args[0].value, d);
  }
  return map;
}

/** `limit_req_zone ... zone=NAME:10m`, `limit_conn_zone ... zone=NAME:10m`: zone name → definition. */
export function zoneDefinitions(analysis: ProjectAnalysis, kind: 'limit_req_zone' | 'limit_conn_zone'): Map<string, ConfigDirective> {
  const map = new Map<string, ConfigDirective>();
  for (const d of analysis.model.directives()) {
    if (d.node.name !== kind) continue;
    const zone = d.node.args.map((a) => /^zone=([^:]+)/.exec(a.value)?.[1]).find((z) => z);
    if (zone && !map.has(zone)) map.set(zone, d);
  }
  return map;
}

export const PASS_DIRECTIVES = new Set(['proxy_pass', 'fastcgi_pass', 'uwsgi_pass', 'scgi_pass', 'grpc_pass', 'memcached_pass']);

/** The upstream name a proxy_pass-like argument names: `http://kasm_api/api/` → kasm_api. */
export function upstreamNameIn(value: string): string | undefined {
  const match = /^(?:[a-z]+:\/\/)?([^/:$]+)/i.exec(value);
  return match?.[1];
}

export interface Target {
  file: string;
  /** Offsets in that file (a whole file: 0, 0). */
  start: number;
  end: number;
  parsed?: ParsedFile;
}

function targetOf(d: ConfigDirective): Target {
  return { file: d.file.path, start: d.node.start, end: d.node.end, parsed: d.file };
}

/** Where the word at `offset` points to: included files, the upstream, the zone, the variable's definitions. */
export function definitionsAt(analysis: ProjectAnalysis, file: ParsedFile, offset: number): Target[] {
  const at = locate(file, offset);
  if (!at.directive || !at.token || at.token.index < 0) return [];
  const { directive } = at;
  const arg = at.token.token;

  if (directive.name === 'include') {
    const instance = analysis.model.directives().find((d) => d.node === directive && d.include);
    return (instance?.include?.files ?? []).map((path) => ({ file: path, start: 0, end: 0 }));
  }
  if (PASS_DIRECTIVES.has(directive.name)) {
    const name = upstreamNameIn(arg.value);
    const upstream = name ? upstreamDefinitions(analysis).get(name) : undefined;
    if (upstream) return [targetOf(upstream)];
  }
  if (directive.name === 'limit_req' || directive.name === 'limit_conn') {
    const zone = directive.name === 'limit_req' ? /^zone=(.+)$/.exec(arg.value)?.[1] : arg.value;
    const definition = zone ? zoneDefinitions(analysis, directive.name === 'limit_req' ? 'limit_req_zone' : 'limit_conn_zone').get(zone) : undefined;
    if (definition) return [targetOf(definition)];
  }
  const variable = /\$\{?([A-Za-z_][A-Za-z0-9_]*)/g;
  const relative = offset - arg.start;
  for (let m = variable.exec(arg.value); m; m = variable.exec(arg.value)) {
    if (m.index <= relative && relative <= m.index + m[0].length + 1) {
      return (variableDefinitions(analysis).get(m[1]!) ?? []).map(targetOf);
    }
  }
  return [];
}

export type OutlineKind = 'namespace' | 'class' | 'method' | 'interface' | 'variable' | 'file' | 'event' | 'struct';

export interface OutlineItem {
  name: string;
  detail?: string;
  kind: OutlineKind;
  start: number;
  end: number;
  selectionStart: number;
  selectionEnd: number;
  children: OutlineItem[];
}

const OUTLINED: Record<string, OutlineKind> = {
  http: 'namespace',
  stream: 'namespace',
  mail: 'namespace',
  events: 'event',
  server: 'class',
  location: 'method',
  if: 'method',
  limit_except: 'method',
  upstream: 'interface',
  map: 'variable',
  geo: 'variable',
  split_clients: 'variable',
  types: 'struct',
};

function serverLabel(block: Directive): string {
  const names = block.block?.directives.find((d) => d.name === 'server_name')?.args.map((a) => a.value) ?? [];
  const listens = block.block?.directives.filter((d) => d.name === 'listen').map((d) => d.args[0]?.value ?? '') ?? [];
  return [names.join(' '), listens.length ? `:${listens.join(', ')}` : ''].filter((s) => s).join(' ') || '(no server_name)';
}

/** The outline of a file: blocks and includes, nested as they are written. Built without recursion. */
export function outline(file: ParsedFile): OutlineItem[] {
  const root: OutlineItem[] = [];
  const stack: Array<{ directives: Directive[]; into: OutlineItem[]; index: number }> = [{ directives: file.root.directives, into: root, index: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.index >= top.directives.length) {
      stack.pop();
      continue;
    }
    const d = top.directives[top.index++]!;
    const kind = d.name === 'include' ? 'file' : d.block ? OUTLINED[d.name] : undefined;
    if (!kind) continue;
    const args = d.args.map((a) => a.value).join(' ');
    const item: OutlineItem = {
      name: d.name === 'server' && d.block ? `server ${serverLabel(d)}` : `${d.name}${args ? ` ${args}` : ''}`,
      kind,
      start: d.start,
      end: d.end,
      selectionStart: d.nameToken.start,
      selectionEnd: d.args.length ? d.args[d.args.length - 1]!.end : d.nameToken.end,
      children: [],
    };
    top.into.push(item);
    if (d.block && !d.block.lua && kind !== 'variable' && kind !== 'struct') stack.push({ directives: d.block.directives, into: item.children, index: 0 });
  }
  return root;
}

export interface Fold {
  startLine: number;
  endLine: number;
  kind: 'region' | 'comment';
}

/** Blocks, and runs of two or more comment lines. */
export function foldingRanges(file: ParsedFile): Fold[] {
  const folds: Fold[] = [];
  const stack = [file.root];
  while (stack.length > 0) {
    const block = stack.pop()!;
    for (const d of block.directives) {
      if (!d.block) continue;
      const start = file.lines.positionAt(d.block.open).line;
      const end = file.lines.positionAt(d.block.close ?? file.text.length).line - 1;
      if (end > start) folds.push({ startLine: start, endLine: end, kind: 'region' });
      if (!d.block.lua) stack.push(d.block);
    }
  }
  let run: { start: number; end: number } | undefined;
  const flush = () => {
    if (run && run.end > run.start) folds.push({ startLine: run.start, endLine: run.end, kind: 'comment' });
    run = undefined;
  };
  for (const comment of file.comments) {
    const line = file.lines.positionAt(comment.start).line;
    const alone = file.lines.lineText(line).trimStart().startsWith('#');
    if (alone && run && line === run.end + 1) run.end = line;
    else {
      flush();
      if (alone) run = { start: line, end: line };
    }
  }
  flush();
  return folds.sort((a, b) => a.startLine - b.startLine);
}
