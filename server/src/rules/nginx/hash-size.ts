// The hashes nginx builds from the configuration: server names, map keys and variable names once it
// has read a block (semantics/block-hashes.ts), header names when it merges each level
// (semantics/header-hashes.ts). A name too long for a bucket, a max_size of 0 or a bucket over 64k make
// nginx refuse the configuration with no file or line; more keys than max_size buckets can hold make
// nginx -t warn at every start and reload.

import type { ConfigBlock, ConfigModel } from '../../model/config';
import { addSettings, atHttpLevel } from '../../proxy/locations';
import { longestElement, mainBlocks, mapSites, outcomeOf, serverNameSites, typesSites, variableSite, type HashSite } from '../../semantics/block-hashes';
import { bucketSizeFor, elementSize } from '../../semantics/hashes';
import { HEADER_HASHES, headerHashRefusals } from '../../semantics/header-hashes';
import { VARIABLE_CREATORS } from '../../semantics/variable-uses';
import type { EditSpec, Report } from '../rule';
import { defineRule } from '../rule';
import { includeTrail, nameSpan, refused, shown } from '../support';

const DIRECTIVE: Record<HashSite['kind'], string> = { 'server names': 'server_names_hash', 'map keys': 'map_hash', 'variable names': 'variables_hash', types: 'types_hash' };

/** The smallest power-of-two bucket size, above the one in effect, with which the hash builds without a warning. */
function bucketWithoutWarning(site: HashSite): number | undefined {
  for (let size = site.settings.bucketSize * 2; size <= 4096; size *= 2) {
    if (outcomeOf({ ...site, settings: { ...site.settings, bucketSize: size } }).outcome.kind === 'ok') return size;
  }
  return undefined;
}

/** The edit that sets the bucket size to `size`: the value of the line in effect, or a new line above the first server or map. */
function setBucketSize(site: HashSite, size: number): EditSpec | undefined {
  if (site.fixed) return undefined;
  const line = site.bucketSize;
  if (line) {
    const arg = line.node.args[0]!;
    return { file: line.file, start: arg.start, end: arg.end, newText: String(size) };
  }
  return site.insertAbove ? atHttpLevel(site.insertAbove, [`${DIRECTIVE[site.kind]}_bucket_size ${size};`]) : undefined;
}

/** Contexts where the `*_headers_hash_*` sizes may be set. */
const SIZED_CONTEXTS = new Set(['http', 'http.server', 'http.location']);

/** The header hashes nginx builds when it merges the servers and locations of `http` (semantics/header-hashes.ts). */
function reportHeaderHashes(model: ConfigModel, http: ConfigBlock, version: string, report: (r: Report<'bucket' | 'setting', 'raise'>) => void): void {
  const servers = http.items.flatMap((d) => (d.node.name === 'server' && d.block ? [d.block] : []));
  if (servers.length === 0) return; // nothing is merged
  const reported = new Set<string>();
  for (const refusal of headerHashRefusals(http, servers, (name) => model.named(name), version)) {
    const { hash, key, level, settings } = refusal;
    const at = key?.directive ?? refusal.setting ?? level.owner!;
    const id = `${at.seq} ${refusal.message}`;
    if (reported.has(id)) continue;
    reported.add(id);
    // found as ngx_http_merge_servers merges the module's settings, level after level
    const nginx = { seq: level.owner!.seq + 0.5, line: 0, unlocated: true, foundAt: (http.endSeq ?? Number.MAX_SAFE_INTEGER) - 0.5 + hash.order / 10, message: refusal.message };
    const what = `the header names of ${hash.directives[0]}`;
    if (!key) {
      report({ message: 'setting', data: { nginx: refusal.message, what }, file: at.file, ...nameSpan(at), related: includeTrail(at), nginx });
      continue;
    }
    const size = bucketSizeFor(key.length);
    const name = `${hash.sizedBy}_bucket_size`;
    const line = refusal.setting;
    const edit = !hash.sizedBy ? undefined : line ? { file: line.file, start: line.node.args[0]!.start, end: line.node.args[0]!.end, newText: String(size) } : SIZED_CONTEXTS.has(level.context) ? addSettings(level, [`${name} ${size};`]) : undefined;
    const arg = key.directive.node.args[0]!;
    report({
      message: 'bucket',
      data: { nginx: refusal.message, what, usable: settings.bucketSize - 8, name: shown(arg.value), element: elementSize(key.length), bytes: key.length },
      file: key.directive.file,
      start: arg.start,
      end: arg.end,
      related: includeTrail(key.directive),
      nginx,
      fixes: edit ? [{ fix: 'raise', data: { directive: name, size }, edits: [edit] }] : [],
    });
  }
}

export default defineRule({
  meta: {
    id: 'nginx/hash-size',
    defaultSeverity: 'error',
    messages: {
      bucket: {
        text: '{nginx}.',
        ...refused(
          'nginx keeps {what} in a hash whose buckets hold {usable} bytes of entries; "{name}" ({bytes} bytes) makes an entry of {element} with its length and value pointer. ' +
            'It says so once it has read the block, with no file or line.',
        ),
      },
      setting: {
        text: '{nginx}.',
        ...refused('nginx checks the sizes of the hash of {what} when it builds it, once it has read the block, and names no file or line.'),
      },
      invalid: {
        text: '{nginx}.',
        ...refused('nginx files the names of the servers that share an address when the http block ends: a name may hold one "*", at its start ("*.example.com") or end ("www.example.*").'),
      },
      notOptimal: {
        text: 'nginx -t warns: {nginx}.',
        severity: 'warning',
        why:
          'nginx finds no table of at most {max} buckets of {bucketSize} bytes that holds the {count} {what}: it builds one of {max} buckets ' +
          'with longer buckets and prints this warning at every start, reload and nginx -t, where it hides the warnings that matter.',
      },
    },
    fixes: {
      raise: { title: 'Set {directive} to {size}', applicability: 'safe' },
    },
    reads: [
      ...['server_name', 'listen', 'server_names_hash_max_size', 'server_names_hash_bucket_size', 'map_hash_max_size', 'map_hash_bucket_size'],
      ...['variables_hash_max_size', 'variables_hash_bucket_size', ...VARIABLE_CREATORS, 'proxy_headers_hash_max_size', 'proxy_headers_hash_bucket_size'],
      ...HEADER_HASHES.flatMap((hash) => hash.directives),
      ...['types', 'types_hash_max_size', 'types_hash_bucket_size'],
    ],
    docs: {
      summary: 'A server name, map key, variable or header name too long for its hash bucket, hash sizes nginx refuses, and hashes nginx -t warns about.',
      whatItDoes:
        'Builds the hashes nginx builds from the configuration, as `ngx_hash_init` builds them on 64-bit Linux (cache line 64): the server ' +
        'names of every address and port that several servers share (or whose default server\'s name is a regex with captures), in http ' +
        'and, since 1.25.5, in stream; the keys of every `map`; and the variables of each http and stream block (those `set`, `map`, `geo` ' +
        'and the like add, beside nginx\'s own); the extensions of every `types` block (sized by the `types_hash_*` of its level); and, when ' +
        'it merges each server and location, the header names of `proxy_set_header` and ' +
        '`proxy_hide_header` (sized by `proxy_headers_hash_*`), of grpc\'s and of the `*_hide_header` and `HTTP_` params of fastcgi, uwsgi ' +
        'and scgi (512 buckets of 64 bytes, which no directive changes). A bucket holds a name of at most 46 bytes by default (a wildcard name ' +
        'is stored label by label), `*_hash_max_size` may not be 0 and `*_hash_bucket_size` not above 65472: nginx refuses the ' +
        'configuration otherwise. When no table of at most `*_hash_max_size` buckets holds every key, nginx -t warns "could not build ' +
        'optimal": reported as a warning (not for variables, whose hash also holds the variables of every module nginx was built with). `map_hash_*` counts as set only before the first `map`, which fixes it (after it, nginx says ' +
        '"is duplicate").',
      whyItMatters:
        'A second server with a long name (`server_name workspaces-gateway.eu-west-1.internal.example.com`) is enough: nginx refuses to ' +
        'start, naming neither the file nor the line. The fix sets the bucket size to the next power of two that holds it.',
      example: 'server {\n    listen 443 ssl;\n    server_name kasm-workspaces-streaming-gateway.eu-west.example.com;\n}\nserver {\n    listen 443 ssl;\n    server_name admin.example.com;\n}',
      useInstead:
        'server_names_hash_bucket_size 128;\n\nserver {\n    listen 443 ssl;\n    server_name kasm-workspaces-streaming-gateway.eu-west.example.com;\n}\n' +
        'server {\n    listen 443 ssl;\n    server_name admin.example.com;\n}',
      fixSafety: 'Raises the bucket size in the line that sets it, or adds the line at http level (above the first map for map_hash_bucket_size): only memory changes. Safe.',
      references: ['https://nginx.org/en/docs/hash.html', 'https://nginx.org/en/docs/http/server_names.html#optimization'],
    },
  },
  check({ model, catalog, report }) {
    for (const block of mainBlocks(model)) {
      if (block.context === 'http') reportHeaderHashes(model, block, catalog.version, report);
      const variables = variableSite(model, block);
      const types = block.context === 'http' ? typesSites(model, block, catalog.version) : [];
      for (const site of [...types, ...mapSites(block), ...(variables ? [variables] : []), ...serverNameSites(block, catalog.version)]) {
        const { outcome, invalid } = outcomeOf(site);
        const nginx = (message: string) => ({ seq: site.anchor.seq, line: 0, unlocated: true, foundAt: site.foundAt, message });
        const what =
          site.kind === 'server names' ? `the names of the servers on ${site.address}` : site.kind === 'map keys' ? 'the keys of this map' : site.kind === 'types' ? 'the extensions of this types block' : 'the names of its variables';
        if (invalid) {
          // a map's key is refused as its entry is read (ngx_http_map, nginx 1.22.1 ngx_http_map_module.c:579)
          const inMap = site.kind === 'map keys';
          const message = inMap ? `invalid hostname or wildcard "${invalid.text}"` : `invalid server name or wildcard "${invalid.text}" on ${site.address}`;
          const arg = inMap ? undefined : invalid.directive.node.args[invalid.arg ?? 0];
          report({
            message: 'invalid',
            data: { nginx: message },
            file: invalid.directive.file,
            ...(arg ? { start: arg.start, end: arg.end } : nameSpan(invalid.directive)),
            related: includeTrail(invalid.directive),
            nginx: inMap ? { seq: invalid.directive.seq, line: invalid.directive.node.nginxLine, message } : nginx(message),
          });
          continue;
        }
        if (outcome.kind === 'ok') continue;
        const warning = outcome.kind === 'warning' ? outcome.message : outcome.warning;
        if (warning) {
          const at = site.bucketSize ?? site.maxSize ?? site.anchor;
          report({
            message: 'notOptimal',
            data: { nginx: warning, max: site.settings.maxSize, bucketSize: site.settings.bucketSize, count: site.names.length, what },
            file: at.file,
            ...nameSpan(at),
            related: includeTrail(at),
            fixes: () => {
              const size = bucketWithoutWarning(site);
              const edit = size === undefined ? undefined : setBucketSize(site, size);
              return edit && size ? [{ fix: 'raise', data: { directive: `${DIRECTIVE[site.kind]}_bucket_size`, size }, edits: [edit] }] : [];
            },
          });
        }
        if (outcome.kind !== 'error') continue;
        const culprit = outcome.key ? site.names.find((n) => elementSize(longestElement(n)) + 8 > site.settings.bucketSize) : undefined;
        if (culprit) {
          const length = longestElement(culprit);
          const size = bucketSizeFor(length);
          const arg = culprit.directive.node.args[culprit.arg ?? -1];
          // a variable's line may sit in a location: the setting goes above the server holding it
          const edit = setBucketSize(site.kind === 'variable names' && !site.bucketSize && block.context === 'http' ? { ...site, insertAbove: culprit.directive.parent } : site, size);
          report({
            message: 'bucket',
            data: { nginx: outcome.message, what, usable: site.settings.bucketSize - 8, name: shown(culprit.text), element: elementSize(length), bytes: length },
            file: culprit.directive.file,
            ...(arg ? { start: arg.start, end: arg.end } : nameSpan(culprit.directive)),
            related: includeTrail(culprit.directive),
            nginx: nginx(outcome.message),
            fixes: edit ? [{ fix: 'raise', data: { directive: `${DIRECTIVE[site.kind]}_bucket_size`, size }, edits: [edit] }] : [],
          });
          continue;
        }
        const at = (outcome.setting === 'max_size' ? site.maxSize : site.bucketSize) ?? site.anchor;
        report({ message: 'setting', data: { nginx: outcome.message, what }, file: at.file, ...nameSpan(at), related: includeTrail(at), nginx: nginx(outcome.message) });
      }
    }
  },
});
