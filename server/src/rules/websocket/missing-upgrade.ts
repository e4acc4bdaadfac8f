import type { ConfigDirective, ConfigModel } from '../../model/config';
import { effective } from '../../model/effective';
import { versionNumber } from '../../nginx/directives';
import { addSettings, addToLevel, atHttpLevel, effectiveHeaders, isKasmModel, LOCATION_READS, type LocationInfo, locations, locationsToCheck, mergeInsertions } from '../../proxy/locations';
import { looksLikeKasm, proxyTarget } from '../../proxy/upstreams';
import { mapsByVariable, variablesIn } from '../../proxy/variables';
import { listWords } from '../../core/strings';
import { insertLinesAfter, replaceArguments } from '../edits';
import { defineRule, type EditSpec, type FixSpec, paced } from '../rule';

/** nginx speaks HTTP/1.1 to upstreams by default from this version on. */
const HTTP11_DEFAULT = '1.29.7';
const MAP_VARIABLE = 'connection_upgrade';

/** Variables a `map $http_upgrade` defines (the recommended Connection value). */
function upgradeMaps(model: ConfigModel): Set<string> {
  const names = new Set<string>();
  for (const [name, definitions] of mapsByVariable(model)) {
    if (definitions.some((m) => variablesIn(m.source).includes('http_upgrade'))) names.add(name);
  }
  return names;
}

interface Missing {
  version?: ConfigDirective | 'absent';
  upgrade: boolean;
  connection?: ConfigDirective | 'absent';
}

function missingLines(l: LocationInfo, version: string, maps: ReadonlySet<string>): Missing | undefined {
  const headers = effectiveHeaders(l.block, 'proxy_set_header', version);
  const upgrade = (headers.get('upgrade') ?? []).some((d) => variablesIn(d.node.args[1]?.value ?? '').includes('http_upgrade'));
  const connections = headers.get('connection') ?? [];
  const connection = connections.some((d) => {
    const value = d.node.args[1]?.value ?? '';
    return /\bupgrade\b/i.test(value) || variablesIn(value).some((v) => maps.has(v));
  });
  const httpVersion = effective(l.block, 'proxy_http_version', version).directives.at(-1);
  const needs11 = versionNumber(version) < versionNumber(HTTP11_DEFAULT);
  const version11 = httpVersion ? httpVersion.node.args[0]?.value === '1.1' : !needs11;
  if (upgrade && connection && version11) return undefined;
  return {
    version: version11 ? undefined : httpVersion ?? 'absent',
    upgrade: !upgrade,
    connection: connection ? undefined : connections.find((d) => d.parent === l.block) ?? 'absent',
  };
}

export default defineRule({
  meta: {
    id: 'websocket/missing-upgrade',
    defaultSeverity: 'information',
    // On any nginx a half-configured upgrade is a bug; Kasm's own trees carry all the lines.
    presets: { 'nginx-recommended': 'warning' },
    messages: {
      kasm: {
        text: 'This location proxies to a WebSocket service without passing the upgrade.',
        why: 'It lacks {missing}. Upgrade and Connection are hop-by-hop headers nginx forwards only when told to, so WebSocket connections through it fail.',
        whyKasm:
          'It lacks {missing}. Upgrade and Connection are hop-by-hop headers nginx forwards only when told to: Kasm streams desktops over WebSockets, so sessions through it hang on "connecting".',
        severity: 'warning',
      },
      partial: {
        text: 'This location passes part of a WebSocket upgrade only.',
        why: 'It lacks {missing}, so WebSocket connections through it fail.',
      },
    },
    fixes: {
      lines: { title: 'Add {lines}', applicability: 'safe' },
      map: { title: 'Add {lines} with "map $http_upgrade ${variable}" (closes idle keep-alive connections properly)', applicability: 'safe' },
    },
    reads: [...LOCATION_READS, 'location', 'map', 'proxy_http_version', 'proxy_pass', 'proxy_set_header', 'server', 'upstream'],
    // (maps of $http_upgrade, the upstream a location proxies to and the servers it lists count wherever they are)
    perLocation: { outside: ['map', 'server', 'upstream'] },
    docs: {
      summary: 'A proxying location that does not pass the WebSocket upgrade (Upgrade, Connection, HTTP/1.1).',
      whatItDoes:
        "For each location with `proxy_pass`, checks the directives in effect after nginx's inheritance: `proxy_http_version 1.1` (needed " +
        'before nginx 1.29.7, which made 1.1 the default; Kasm\'s image is 1.25.1), `proxy_set_header Upgrade $http_upgrade`, and a ' +
        '`Connection` header carrying "upgrade" (or a variable from `map $http_upgrade`). It reports a location that has some of them but not ' +
        'all, and, outside a Kasm tree, any location that proxies to Kasm (an upstream or host named like Kasm\'s services, or HTTPS to port ' +
        '443) without them. A warning when the upstream is Kasm, in every preset. In a Kasm tree the locations that do not stream ' +
        '(internal auth_request sub-requests, login, health checks) carry none of the lines and are left alone.',
      whyItMatters:
        'Upgrade and Connection are hop-by-hop headers: nginx does not forward them unless told to. Kasm streams desktops over WebSockets; ' +
        'without these lines the upgrade never reaches Kasm and sessions never connect.',
      example: 'location / {\n    proxy_pass https://kasm_backend;\n    proxy_set_header Host $host;\n}',
      useInstead:
        'location / {\n    proxy_pass https://kasm_backend;\n    proxy_http_version 1.1;\n    proxy_set_header Host $host;\n    proxy_set_header Upgrade $http_upgrade;\n    proxy_set_header Connection "upgrade";\n}',
      fixSafety:
        "Adds the missing lines after the location's own proxy_set_header lines (re-declaring inherited ones first when it has none, as a " +
        'level with one inherits none), or corrects a wrong `proxy_http_version` or `Connection` value. The second fix uses ' +
        '`map $http_upgrade $connection_upgrade { default upgrade; \'\' close; }`, placed at http level above the server (for Kasm in ' +
        'orchestrator.conf). Both only let upgrades through: safe.',
      references: ['https://nginx.org/en/docs/http/websocket.html'],
    },
  },
  *check({ model, settings, report, locations: only }) {
    const version = settings.nginxVersion;
    const kasmTree = isKasmModel(model);
    const maps = upgradeMaps(model);
    yield* paced(locationsToCheck(locations(model), only), (l) => {
      if (!l.proxyPass) return;
      const missing = missingLines(l, version, maps);
      if (!missing) return;
      const target = proxyTarget(model, l.proxyPass);
      const kasmBound = kasmTree || (target !== undefined && looksLikeKasm(target));
      const intent = !missing.upgrade || missing.connection === undefined;
      if (!intent && (kasmTree || !kasmBound || !l.public)) return;

      const described = [
        missing.version ? `"proxy_http_version 1.1" (nginx ${version} speaks HTTP/1.0 to upstreams by default)` : '',
        missing.upgrade ? '"proxy_set_header Upgrade $http_upgrade"' : '',
        missing.connection ? 'a Connection header carrying "upgrade"' : '',
      ].filter(Boolean);
      // computed when asked for: a generated configuration may have this finding in thousands of locations
      const fixes = (): Array<FixSpec<'lines' | 'map'>> => {
        const list: Array<FixSpec<'lines' | 'map'>> = [];
        const plain = fixEdits(l, missing, '"upgrade"', version);
        if (plain) list.push({ fix: 'lines', data: { lines: plain.titles }, edits: plain.edits });
        if (missing.connection) {
          const existing = [...maps][0];
          const variable = existing ?? MAP_VARIABLE;
          const mapEdit = existing ? undefined : atHttpLevel(l.block, [`map $http_upgrade $${variable} {`, '    default upgrade;', "    ''      close;", '}']);
          const withMap = fixEdits(l, missing, `$${variable}`, version);
          if (withMap && (existing || mapEdit)) list.push({ fix: 'map', data: { lines: withMap.titles, variable }, edits: mergeInsertions([mapEdit, ...withMap.edits]) });
        }
        return list;
      };
      const span = l.proxyPass.node;
      report({
        message: kasmBound ? 'kasm' : 'partial',
        data: { missing: listWords(described) },
        file: l.proxyPass.file,
        start: span.start,
        end: span.end,
        fixes,
      });
    });
  },
});

function fixEdits(l: LocationInfo, missing: Missing, connectionValue: string, version: string): { edits: EditSpec[]; titles: string } | undefined {
  const edits: Array<EditSpec | undefined> = [];
  const titles: string[] = [];
  const also: string[] = [];
  if (missing.version === 'absent' || (missing.version && missing.version.parent !== l.block)) also.push('proxy_http_version 1.1;');
  else if (missing.version) edits.push(replaceArguments(missing.version.file, missing.version.node, '1.1'));
  if (missing.version) titles.push('proxy_http_version 1.1');

  const lines: string[] = [];
  if (missing.upgrade) {
    lines.push('proxy_set_header Upgrade $http_upgrade;');
    titles.push('Upgrade $http_upgrade');
  }
  if (missing.connection) titles.push(`Connection ${connectionValue}`);
  if (missing.connection && missing.connection !== 'absent') {
    const value = missing.connection.node.args[1];
    if (!value) return undefined;
    edits.push({ file: missing.connection.file, start: value.start, end: value.end, newText: connectionValue });
  } else if (missing.connection) {
    lines.push(`proxy_set_header Connection ${connectionValue};`);
  }
  if (lines.length > 0 || also.length > 0) {
    const replacing = new Set(missing.connection ? ['connection'] : []);
    const edit = lines.length > 0 ? addToLevel(l.block, 'proxy_set_header', lines, version, { also, replacing }) : undefined;
    if (lines.length > 0 && !edit) return undefined;
    edits.push(edit ?? addVersionLine(l, also));
  }
  return { edits: mergeInsertions(edits), titles: listWords(titles.map((t) => `"${t}"`)) };
}

/** proxy_http_version alone: after the location's proxy_set_header lines, or after its other settings. */
function addVersionLine(l: LocationInfo, lines: string[]): EditSpec | undefined {
  const anchor = [...l.block.items].reverse().find((d) => d.node.name === 'proxy_set_header' && d.file === l.block.file && d.parent === l.block);
  return anchor ? insertLinesAfter(anchor.file, anchor.node, lines) : addSettings(l.block, lines);
}
