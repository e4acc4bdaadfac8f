// CORS as the proxy sets it: which Access-Control-Allow-Origin headers echo the request's Origin,
// whether credentials are allowed at the same place, the origin a server is reached at, and the
// allow-list `map` that replaces an echo.

import { keptIn } from '../core/maps';
import { type ConfigBlock, type ConfigDirective, type ConfigModel, modelMemoKey } from '../model/config';
import type { EditSpec } from '../rules/rule';
import { headerName, serverOf, effectiveHeaders, atHttpLevel, quoteArgument } from './locations';
import { analyzeOriginRegex } from './origin-regex';
import { copiesOf, mapsByVariable, variablesIn } from './variables';

export const ALLOW_ORIGIN = 'access-control-allow-origin';
export const ALLOW_CREDENTIALS = 'access-control-allow-credentials';

/** The variables that hold the request's Origin unchecked (http_origin and its copies). */
export function originCopies(model: ConfigModel): Set<string> {
  return copiesOf(model, 'http_origin');
}

/** Every `add_header Access-Control-Allow-Origin` nginx reads. */
export function allowOriginHeaders(model: ConfigModel): ConfigDirective[] {
  return model.named('add_header').filter((d) => d.node.terminator === ';' && headerName(d) === ALLOW_ORIGIN);
}

/** The header's value echoes the Origin: it uses $http_origin or a variable copied from it. */
export function reflectsOrigin(d: ConfigDirective, copies: ReadonlySet<string>): boolean {
  return variablesIn(d.node.args[1]?.value ?? '').some((v) => copies.has(v));
}

/** `Access-Control-Allow-Credentials: true` is in effect in `block`. */
export function allowsCredentials(block: ConfigBlock, version: string): ConfigDirective | undefined {
  return effectiveHeaders(block, 'add_header', version)
    .get(ALLOW_CREDENTIALS)
    ?.find((d) => d.node.args[1]?.value.trim().toLowerCase() === 'true');
}

/**
 * A name browsers can reach a server at, fit to become an origin: labels of a DNS name, at least two,
 * the last one not numeric. Not `_`, a wildcard, a regex, an address, `localhost`, nor a machine's bare
 * name such as Kasm's default `ubuntu-base`.
 */
export function isRealHostName(name: string): boolean {
  const labels = name.split('.');
  return labels.length >= 2 && labels.every((l) => /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/i.test(l)) && /[a-z]/i.test(labels[labels.length - 1]!) && !/^localhost$/i.test(labels[labels.length - 1]!);
}

/** The host browsers reach a server at, from its server_name, when one of its names is a real host name. */
export function serverHost(block: ConfigBlock): string | undefined {
  const server = serverOf(block);
  if (!server) return undefined;
  for (const d of server.items) {
    if (d.node.name !== 'server_name') continue;
    const name = d.node.args.map((a) => a.value).find(isRealHostName);
    if (name) return name.toLowerCase();
  }
  return undefined;
}

/** The regex of an allow-list entry for one host, dots escaped, anchored, any port. */
export function hostRegex(host: string): string {
  return `^https://${host.replaceAll('.', '\\.')}(:[0-9]+)?$`;
}

export const ALLOW_LIST_VARIABLE = 'cors_allowed_origin';

/**
 * An existing `map $http_origin` allow-list: defaults to "" and returns the origin only for patterns it
 * lists, if any. An allow-list with no pattern yet is the one this fix inserts when it has no host to
 * list: the next fix (in another file, or after an interrupted --fix wrote only some files) uses it too,
 * rather than adding a second map.
 */
export function existingAllowList(model: ConfigModel): string | undefined {
  for (const [name, definitions] of mapsByVariable(model)) {
    const ok = definitions.every(
      (m) =>
        variablesIn(m.source).includes('http_origin') &&
        m.defaultValue === '' &&
        m.entries.every((e) => /^~\*?/.test(e.key) && analyzeOriginRegex(e.key.replace(/^~\*?/, ''), e.key.startsWith('~*')).problems.length === 0),
    );
    if (ok) return name;
  }
  return undefined;
}

/**
 * The allow-list fix: one `map $http_origin $cors_allowed_origin` at http level (above the server of
 * `anchor`), and every echoing header switched to the map's variable. Without a host to list (no real
 * server_name), the map lists none yet: an example line, commented out, shows where yours go.
 */
export function allowListEdits(
  model: ConfigModel,
  anchor: ConfigBlock,
  host: string | undefined,
  echoing: readonly ConfigDirective[],
): { edits: EditSpec[]; variable: string; switched: number } | undefined {
  const existing = existingAllowList(model);
  let variable = existing;
  const edits: EditSpec[] = [];
  if (!variable) {
    variable = ALLOW_LIST_VARIABLE;
    for (let n = 2; mapsByVariable(model).has(variable); n++) variable = `${ALLOW_LIST_VARIABLE}_${n}`;
    const map = atHttpLevel(anchor, [
      `map $http_origin $${variable} {`,
      '    default "";',
      host ? `    ${quoteArgument(`~${hostRegex(host)}`, '"')} $http_origin;` : `    # ${quoteArgument(`~${hostRegex('www.example.com')}`, '"')} $http_origin;`,
      '}',
    ]);
    if (!map) return undefined;
    edits.push(map);
  }
  const switches = switchEdits(model, echoing, variable);
  return { edits: [...edits, ...switches], variable, switched: switches.length };
}

const SWITCHES = modelMemoKey<Map<readonly ConfigDirective[], Map<string, EditSpec[]>>>('allow-list switches of echoing headers');

/**
 * The edits that switch every echoing header to `variable`, made once for a list of headers: each of
 * thousands of reflecting headers offers the fix that switches all of them (the same edits).
 */
function switchEdits(model: ConfigModel, echoing: readonly ConfigDirective[], variable: string): EditSpec[] {
  const byVariable = keptIn(model.memo(SWITCHES, () => new Map()), echoing, () => new Map<string, EditSpec[]>());
  return keptIn(byVariable, variable, () => {
    const edits: EditSpec[] = [];
    const seen = new Set<ConfigDirective['node']>();
    for (const d of echoing) {
      if (seen.has(d.node)) continue;
      seen.add(d.node);
      const value = d.node.args[1]!;
      edits.push({ file: d.file, start: value.start, end: value.end, newText: `$${variable}` });
    }
    return edits;
  });
}
