import { basename } from 'node:path';
import duplicates from '../../nginx/data/duplicates.json';
import type { ConfigBlock, ConfigDirective, ConfigModel } from '../../model/config';
import { CONTEXT_LABELS } from '../../nginx/directives';
import { removeDirective } from '../edits';
import { defineRule } from '../rule';
import { describeBlock, includeTrail, isChecked, nameSpan, refused } from '../support';

/** Directives nginx refuses twice at one level, measured on the real nginx (see test/tools/probe-duplicates.ts). */
const SINGLE = new Set(Object.keys(duplicates.single));
/**
 * Blocks of the main context whose handler (ngx_events_block, ngx_http_block, ngx_stream_block,
 * ngx_mail_block) refuses a second one when it meets its "{", before reading what is inside.
 */
const SINGLE_BLOCKS = new Set(['events', 'http', 'stream', 'mail']);
const NAMES = [...new Set([...SINGLE, ...SINGLE_BLOCKS])];

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
    for (const directive of named) {
      if (stopped(directive.seq)) break; // in reading order: nothing later matters either
      if (!isChecked(directive)) continue;
      const block = SINGLE_BLOCKS.has(name) && directive.node.terminator === '{' && directive.parent.context === 'main';
      if (!block && (!SINGLE.has(name) || directive.node.terminator !== ';')) continue;
      const first = firstIn.get(directive.parent);
      if (first) found.push({ directive, first, block });
      else firstIn.set(directive.parent, directive);
    }
  }
  return found.sort((a, b) => a.directive.seq - b.directive.seq);
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
    },
    fixes: {
      removeSame: { title: 'Remove this repeated "{name}" (same value)', applicability: 'safe' },
      removeThis: { title: 'Remove this "{name}" (keep {kept})', applicability: 'unsafe', changes: 'this value no longer applies' },
    },
    reads: [...SINGLE, 'include'],
    docs: {
      summary: 'A directive nginx accepts only once per block, set twice in the same block (includes counted).',
      whatItDoes:
        'Finds directives that nginx refuses to see twice at one level (`"x" directive is duplicate`), counting the directives that ' +
        'included files add to a block: a services.d file that sets `client_max_body_size` again inside the server of orchestrator.conf ' +
        'is a duplicate even though each file looks fine alone. Which directives are single-valued was measured on the real nginx. ' +
        'A second `events`, `http`, `stream` or `mail` block is reported too: nginx refuses it as soon as it meets its `{` (no fix is ' +
        'offered: only you know how the two blocks merge).',
      whyItMatters: 'nginx refuses to start, and Kasm with it. Directives that may repeat (add_header, proxy_set_header, ...) are not reported.',
      example: 'server {\n    server_tokens off;\n    include services.d/*.conf;   # one of them sets server_tokens too\n}',
      useInstead: 'server {\n    server_tokens off;\n    include services.d/*.conf;   # none of them sets it at this level\n}\n# to change it for one location, set it inside that location',
      fixSafety:
        'When both have the same value and the file is included once, removing the repeat changes nothing and is safe. With different ' +
        'values (or a file included in several blocks), removing one is offered but never applied in bulk: only you know which is meant.',
    },
  },
  check({ model, report, stopped }) {
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
