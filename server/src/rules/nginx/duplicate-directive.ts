import { basename } from 'node:path';
import { addTo } from '../../core/maps';
import duplicates from '../../nginx/data/duplicates.json';
import type { ConfigBlock, ConfigDirective, ConfigModel } from '../../model/config';
import { CONTEXT_LABELS } from '../../nginx/directives';
import { atHttpLevel, rawText } from '../../proxy/locations';
import { removeDirective } from '../edits';
import { defineRule } from '../rule';
import { describeBlock, includeTrail, isChecked, nameSpan, refused } from '../support';

/**
 * Directives nginx refuses twice at one level, measured on the real nginx (see test/tools/probe-duplicates.ts),
 * and memcached_pass, which the probe could not measure (nginx 1.22.1 ngx_http_memcached_module.c:705).
 */
const SINGLE = new Set([...Object.keys(duplicates.single), 'memcached_pass']);

/**
 * Directives nginx takes several times at one level, but refuses as "is duplicate" for a second one alike:
 * limit_req and limit_conn of a zone already limited there (nginx 1.22.1 ngx_http_limit_req_module.c:1050,
 * ngx_http_limit_conn_module.c:694, ngx_stream_limit_conn_module.c:673), and mirror, whose "off" takes no
 * other mirror line beside it (ngx_http_mirror_module.c:219 and :227).
 */
const ALIKE: Record<string, (first: ConfigDirective, later: ConfigDirective) => boolean> = {
  limit_req: (a, b) => zoneOf(a) !== undefined && zoneOf(a) === zoneOf(b),
  limit_conn: (a, b) => a.node.args[0]?.value === b.node.args[0]?.value,
  mirror: (a, b) => a.node.args[0]?.value === 'off' || b.node.args[0]?.value === 'off',
};

function zoneOf(d: ConfigDirective): string | undefined {
  return d.node.args.find((a) => a.value.startsWith('zone='))?.value.slice('zone='.length);
}
/**
 * Blocks of the main context whose handler (ngx_events_block, ngx_http_block, ngx_stream_block,
 * ngx_mail_block) refuses a second one when it meets its "{", before reading what is inside.
 */
const SINGLE_BLOCKS = new Set(['events', 'http', 'stream', 'mail']);
const NAMES = [...new Set([...SINGLE, ...SINGLE_BLOCKS, ...Object.keys(ALIKE)])];

/**
 * Each directive that repeats one set before it in the same block, with that first one, in reading
 * order. Looked up by name (the model indexes directives by name): only the names nginx takes once are
 * read, not every directive of the configuration at every edit. A name's directives from the first one
 * `stopped` (reports there would be thrown away, and only more of them as reports come) are left out.
 */
function repeats(model: ConfigModel, stopped: (seq: number) => boolean): Array<{ directive: ConfigDirective; first: ConfigDirective; block: boolean }> {
  const found: Array<{ directive: ConfigDirective; first: ConfigDirective; block: boolean }> = [];
  for (const name of NAMES) {
    const named = model.named(name);
    if (named.length < 2) continue;
    const firstIn = new Map<ConfigBlock, ConfigDirective>();
    const earlierIn = new Map<ConfigBlock, ConfigDirective[]>();
    for (const directive of named) {
      if (stopped(directive.seq)) break; // in reading order: nothing later matters either
      if (!isChecked(directive)) continue;
      const block = SINGLE_BLOCKS.has(name) && directive.node.terminator === '{' && directive.parent.context === 'main';
      const alike = ALIKE[name];
      if (alike) {
        if (directive.node.terminator !== ';') continue;
        const earlier = (earlierIn.get(directive.parent) ?? []).find((e) => alike(e, directive));
        if (earlier) found.push({ directive, first: earlier, block: false });
        else addTo(earlierIn, directive.parent, directive);
        continue;
      }
      if (!block && (!SINGLE.has(name) || directive.node.terminator !== ';')) continue;
      const first = firstIn.get(directive.parent);
      if (first) found.push({ directive, first, block });
      else firstIn.set(directive.parent, directive);
    }
  }
  return found.sort((a, b) => a.directive.seq - b.directive.seq);
}

const MAP_HASH_SIZES = ['map_hash_max_size', 'map_hash_bucket_size'];

/**
 * map_hash_max_size and map_hash_bucket_size written after a map of their block, with none before:
 * ngx_http_map_block (and the stream map's) fixes both sizes at the first map, so nginx then finds them
 * set already.
 */
function setAfterFirstMap(model: ConfigModel, stopped: (seq: number) => boolean): Array<{ directive: ConfigDirective; map: ConfigDirective }> {
  const found: Array<{ directive: ConfigDirective; map: ConfigDirective }> = [];
  for (const name of MAP_HASH_SIZES) {
    const seen = new Set<ConfigBlock>();
    for (const directive of model.named(name)) {
      if (stopped(directive.seq)) break;
      const block = directive.parent;
      if (!isChecked(directive) || directive.node.terminator !== ';' || seen.has(block)) continue;
      seen.add(block); // a second one in the block is the plain duplicate
      const map = block.items.find((d) => d.node.name === 'map' && d.block);
      if (map && map.seq < directive.seq) found.push({ directive, map });
    }
  }
  return found;
}

export default defineRule({
  meta: {
    id: 'nginx/duplicate-directive',
    defaultSeverity: 'error',
    messages: {
      duplicate: { text: '"{name}" directive is duplicate: {first} already sets it in this {context} block.', ...refused('nginx takes "{name}" once per block.') },
      duplicateBlock: {
        text: '"{name}" directive is duplicate: {first} already opens the {name} block.',
        ...refused('nginx takes one {name} block and stops as soon as it meets this one: move what it holds into the first.'),
      },
      afterMap: {
        text: '"{name}" directive is duplicate: the map at {map} already fixed the map hash sizes.',
        ...refused('nginx settles map_hash_max_size and map_hash_bucket_size when it reads the first map of the block, so it finds them already set here: they belong above that map.'),
      },
    },
    fixes: {
      removeSame: { title: 'Remove this repeated "{name}" (same value)', applicability: 'safe' },
      removeThis: { title: 'Remove this "{name}" (keep {kept})', applicability: 'unsafe', changes: 'this value no longer applies' },
      moveAboveMap: { title: 'Move "{name}" above the first map', applicability: 'safe' },
    },
    reads: [...SINGLE, ...Object.keys(ALIKE), 'include', 'map'],
    docs: {
      summary: 'A directive nginx accepts only once per block, set twice in the same block (includes counted).',
      whatItDoes:
        'Finds directives that nginx refuses to see twice at one level (`"x" directive is duplicate`), counting the directives that ' +
        'included files add to a block: a services.d file that sets `client_max_body_size` again inside the server of orchestrator.conf ' +
        'is a duplicate even though each file looks fine alone. Which directives are single-valued was measured on the real nginx. ' +
        'A second `events`, `http`, `stream` or `mail` block is reported too: nginx refuses it as soon as it meets its `{` (no fix is ' +
        'offered: only you know how the two blocks merge). So is `map_hash_max_size` or `map_hash_bucket_size` written after a `map` of ' +
        'its block: the first map settles both sizes, and nginx then finds them set (the fix moves the line above that map).',
      whyItMatters: 'nginx refuses to start, and Kasm with it. Directives that may repeat (add_header, proxy_set_header, ...) are not reported.',
      example: 'server {\n    server_tokens off;\n    include services.d/*.conf;   # one of them sets server_tokens too\n}',
      useInstead: 'server {\n    server_tokens off;\n    include services.d/*.conf;   # none of them sets it at this level\n}\n# to change it for one location, set it inside that location',
      fixSafety:
        'When both have the same value and the file is included once, removing the repeat changes nothing and is safe. With different ' +
        'values (or a file included in several blocks), removing one is offered but never applied in bulk: only you know which is meant.',
    },
  },
  check({ model, report, stopped }) {
    for (const { directive, map } of setAfterFirstMap(model, stopped)) {
      const name = directive.node.name;
      const above = atHttpLevel(map.block!, [rawText(directive)]);
      report({
        message: 'afterMap',
        data: { name, map: `${basename(map.file.path)}:${map.file.lines.positionAt(map.node.start).line + 1}` },
        file: directive.file,
        ...nameSpan(directive),
        related: [{ file: map.file, start: map.node.start, end: map.node.nameToken.end, message: 'the first map, which fixes the map hash sizes' }, ...includeTrail(directive)],
        nginx: { seq: directive.seq, line: directive.node.nginxLine, message: `"${name}" directive is duplicate` },
        fixes: above && model.instances(directive.file.path).length <= 1 ? [{ fix: 'moveAboveMap', data: { name }, edits: [removeDirective(directive.file, directive.node), above] }] : [],
      });
    }
    for (const { directive, first, block } of repeats(model, stopped)) {
      if (stopped(directive.seq)) break; // in reading order: nothing later matters either
      const name = directive.node.name;
      const firstLine = first.file.lines.positionAt(first.node.start).line + 1;
      const nginx = { seq: directive.seq, line: directive.node.nginxLine, message: `"${name}" directive is duplicate` };
      if (block) {
        report({
          message: 'duplicateBlock',
          data: { name, first: `${basename(first.file.path)}:${firstLine}` },
          file: directive.file,
          ...nameSpan(directive),
          related: [{ file: first.file, start: first.node.start, end: first.node.end, message: `the first ${name} block` }, ...includeTrail(directive)],
          nginx,
        });
        continue;
      }
      // Removing a line from a file included in several blocks changes the others too: then never "safe".
      const includedOnce = model.instances(directive.file.path).length <= 1;
      const sameValue = includedOnce && first.node.args.map((a) => a.value).join('\0') === directive.node.args.map((a) => a.value).join('\0');
      const kept = first.node.args.map((a) => a.value).join(' ') || name;
      report({
        message: 'duplicate',
        data: { name, context: CONTEXT_LABELS[directive.parent.context], first: `${basename(first.file.path)}:${firstLine}` },
        file: directive.file,
        ...nameSpan(directive),
        related: [
          { file: first.file, start: first.node.start, end: first.node.end, message: `"${name}" is first set here, in ${describeBlock(first.parent)}` },
          ...includeTrail(directive),
        ],
        nginx,
        fixes: [
          sameValue
            ? { fix: 'removeSame', data: { name }, edits: [removeDirective(directive.file, directive.node)] }
            : { fix: 'removeThis', data: { name, kept: `"${kept}"` }, edits: [removeDirective(directive.file, directive.node)] },
        ],
      });
    }
  },
});
