// alias replaces the part of the path the location matched (ngx_http_map_uri_to_path: the alias,
// then the URI after the location's prefix). nginx resolves "/../" segments in the request path
// (ngx_http_parse_complex_uri) but "files.." is an ordinary segment name, so for `location /files`
// a request for /files../secret keeps "../secret" after the prefix. Measured on nginx 1.22:
// `location /files { alias /data/sub/; }` serves /data/sub/../sub/a.txt for /files../sub/a.txt.

import { keptIn } from '../../core/maps';
import type { ConfigBlock, ConfigDirective } from '../../model/config';
import { automatonOf, captureCanContain, captureShape } from '../../values/automaton';
import { ByteSet } from '../../values/charset';
import { references } from '../../values/evaluate';
import { attackerInput } from '../../values/examples';
import { parseRegex } from '../../values/regex';
import { directivesNamed, isChecked, locationName } from '../support';
import { defineRule } from '../rule';

/** The location token's edit that appends "/" to its path (before a closing quote). */
function appendSlash(d: ConfigDirective, tokenIndex: number): { start: number; end: number; newText: string } {
  const token = d.node.args[tokenIndex]!;
  const at = token.quote ? token.end - 1 : token.end;
  return { start: at, end: at, newText: '/' };
}

/** The names of the locations of `block` that are not regexes (prefix and exact). */
function prefixLocationNames(block: ConfigBlock): Set<string> {
  const names = new Set<string>();
  for (const s of block.items) {
    const sibling = s.node.name === 'location' ? locationName(s) : undefined;
    if (sibling && !sibling.regex) names.add(sibling.name);
  }
  return names;
}

export default defineRule({
  meta: {
    id: 'location/alias-traversal',
    defaultSeverity: 'error',
    messages: {
      traversal: {
        text: 'location {location} has no trailing "/": {example} climbs out of its alias.',
        why:
          'nginx replaces the matched prefix with the alias and appends the rest of the path: a request for {example} reads {target}, one directory ' +
          'above {alias}, and the parent directory is open to the client (configuration, keys, other sites\' files). nginx removes ' +
          '"/../" from request paths but not ".." glued to a name. End the location with "/" like the alias: location {location}/.',
      },
      sibling: {
        text: 'location {location} and its alias lack a trailing "/": {example} reads {target}.',
        why:
          'nginx replaces the matched prefix with the alias and appends the rest of the path, so names that merely start with the ' +
          'location map to directories beside {alias} ({target}). End both with "/".',
      },
      regexTraversal: {
        text: 'In alias {alias}, {capture} can start with "..": {example} climbs out of it.',
        why:
          '{capture} is a capture of the location regex, which nginx matches against the decoded path. A capture that does not start ' +
          'right after a "/" in the path can start with "..", which nginx leaves in the path: {example} reads {target}. Make the capture ' +
          'start after a "/" in the regex (~ ^/site/(.*)$) or exclude dots from its start.',
      },
      regexSibling: {
        text: 'alias {alias} glues {capture} to a name: {example} reads {target}.',
        why:
          '{capture} can start with something other than "/", so paths that merely start with the location name map to files beside ' +
          'the directory the alias names. Put a "/" before the capture in both the regex and the alias.',
      },
    },
    fixes: {
      slash: { title: 'End the location with "/"', applicability: 'unsafe', changes: 'the bare location name no longer matches it' },
      slashes: { title: 'End the location and the alias with "/"', applicability: 'unsafe', changes: 'the bare location name no longer matches it' },
    },
    reads: ['alias', 'location'],
    docs: {
      summary: '`alias` under a location without a trailing "/" (`/files../etc/passwd`).',
      whatItDoes:
        'For each `alias` in a prefix location whose path does not end with "/", reports the traversal when the alias ends with "/" ' +
        '(`location /files { alias /data/; }`: /files../x reads /data/../x) and the access to sibling directories when neither ends ' +
        'with "/" (/files_old/x reads /data_old/x). For a regex location, follows each capture used in the alias: it is reported when it ' +
        'can start with ".." after a "/" of the alias, or when it is glued to a name and can start with something other than "/".',
      whyItMatters:
        'A directory one level above what you meant to publish usually holds what must never be published: configuration with ' +
        'passwords, private keys, the application\'s source.',
      example: 'location /static {\n    alias /srv/app/static/;\n}',
      useInstead: 'location /static/ {\n    alias /srv/app/static/;\n}',
      fixSafety:
        'Appends "/" to the location (and to the alias when it lacks one). Unsafe: a request for the path without the slash no longer ' +
        'matches this location.',
      references: ['https://nginx.org/en/docs/http/ngx_http_core_module.html#alias', 'https://www.acunetix.com/vulnerabilities/web/path-traversal-via-misconfigured-nginx-alias/'],
    },
  },
  check({ model, report }) {
    // read once per block, not once per alias in it
    const prefixesIn = new Map<ConfigBlock, Set<string>>();
    for (const d of directivesNamed(model, 'alias')) {
      if (!isChecked(d) || d.parent.context !== 'http.location' || !d.parent.owner) continue;
      const location = d.parent.owner;
      const name = locationName(location);
      const aliasToken = d.node.args[0];
      if (!name || name.exact || name.named || !aliasToken) continue;
      const alias = aliasToken.value;
      const shownLocation = name.name;
      if (!name.regex) {
        if (name.name.endsWith('/')) continue;
        const tokenIndex = location.node.args.length - 1;
        // (the location itself does not end with "/": it is not the one found)
        const duplicate = keptIn(prefixesIn, location.parent, prefixLocationNames).has(`${name.name}/`);
        if (alias.endsWith('/')) {
          report({
            message: 'traversal',
            severity: 'error',
            data: { location: shownLocation, alias, example: `${name.name}../secret`, target: `${alias}../secret` },
            file: d.file,
            start: aliasToken.start,
            end: aliasToken.end,
            related: [{ file: location.file, start: location.node.start, end: location.node.args[tokenIndex]!.end, message: 'the location without a trailing "/"' }],
            fixes: duplicate ? [] : [{ fix: 'slash', edits: [{ file: location.file, ...appendSlash(location, tokenIndex) }] }],
          });
        } else if (!alias.includes('$')) {
          report({
            message: 'sibling',
            severity: 'warning',
            data: { location: shownLocation, alias, example: `${name.name}_old/secret`, target: `${alias}_old/secret` },
            file: d.file,
            start: aliasToken.start,
            end: aliasToken.end,
            fixes: duplicate ? [] : [{ fix: 'slashes', edits: [{ file: location.file, ...appendSlash(location, tokenIndex) }, { file: d.file, ...appendSlash(d, 0) }] }],
          });
        }
        continue;
      }
      const parsed = parseRegex(name.name, location.node.args.some((a) => a.value.startsWith('~*')));
      const automaton = parsed.ok ? automatonOf(parsed.regex) : undefined;
      if (!parsed.ok || !automaton) continue;
      for (const ref of references(alias)) {
        const group = ref.capture ?? parsed.regex.names.get(ref.name)?.[0];
        if (group === undefined || group === 0 || group > parsed.regex.groups) continue;
        const shape = captureShape(automaton, group);
        if (!shape) continue;
        const capture = alias.slice(ref.start, ref.end);
        const slashBefore = ref.start === 0 || alias[ref.start - 1] === '/';
        const notAfterSlash = !shape.before.minus(ByteSet.chars('/')).isEmpty() && !shape.atStart;
        const uri = { kind: 'decoded' as const, bytes: ByteSet.ALL, slash: true, trail: () => [], via: [], source: { builtin: 'uri' } };
        const alternative = { ...uri, source: { capture: { directive: location, regex: parsed.regex, group, subject: uri } } };
        if (slashBefore && notAfterSlash && shape.first.hasChar('.') && captureCanContain(automaton, group, '..')) {
          const example = attackerInput(alternative, '../secret', d) ?? 'a path with ".." right after the location name';
          report({
            message: 'regexTraversal',
            severity: 'error',
            data: { alias, capture, example, target: `${alias.slice(0, ref.start)}../secret` },
            file: d.file,
            start: aliasToken.start,
            end: aliasToken.end,
          });
          break;
        }
        if (!slashBefore && !shape.first.minus(ByteSet.chars('/')).isEmpty()) {
          const example = attackerInput(alternative, '_old/secret', d) ?? 'a path that continues the location name';
          report({
            message: 'regexSibling',
            severity: 'warning',
            data: { alias, capture, example, target: `${alias.slice(0, ref.start)}_old/secret` },
            file: d.file,
            start: aliasToken.start,
            end: aliasToken.end,
          });
          break;
        }
      }
    }
  },
});
