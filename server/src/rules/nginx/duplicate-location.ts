import { basename } from 'node:path';
import type { ConfigDirective } from '../../model/config';
import { CONTEXT_LABELS } from '../../nginx/directives';
import { defineRule } from '../rule';
import { checkedNamed, describeBlock, httpBlockEnd, includeTrail, locationName, refused } from '../support';

/**
 * nginx sorts a block's prefix and exact locations by name and refuses two equal names that are both
 * exact (`=`) or both prefix (none or `^~`). Regex and named locations may repeat.
 */
function locationKey(directive: ConfigDirective): { key: string; name: string } | undefined {
  const location = locationName(directive);
  if (!location || location.regex || location.named) return undefined;
  return { key: `${location.exact ? 'exact' : 'prefix'} ${location.name}`, name: location.name };
}

export default defineRule({
  meta: {
    id: 'nginx/duplicate-location',
    defaultSeverity: 'error',
    messages: {
      duplicate: {
        text: 'duplicate location "{uri}": {first} defines it too, in the same {context} block.',
        why: refused().why,
        whyKasm: refused().whyKasm + '{hint}',
      },
    },
    reads: ['location'],
    docs: {
      summary: 'Two prefix (or two exact) locations with the same path in one block, includes counted.',
      whatItDoes:
        'Compares the locations of each server and location block the way nginx does after reading the configuration: ' +
        '`location /p` and `location ^~ /p` are the same location, `location = /p` is a different one, regex and named locations ' +
        'may repeat. Locations that included files add to a block count, so two services.d files defining the same path are found.',
      whyItMatters:
        'nginx refuses the whole configuration. Kasm 1.16.1 ships two such files: rdp_https_gateway_guac.conf and ' +
        'rdp_https_gateway_webapp.conf both define `location /rpc`; a server has one or the other, and copying both into ' +
        'services.d stops kasm_proxy from starting.',
      example: '# services.d/a.conf\nlocation /rpc { proxy_pass https://gateway_a; }\n# services.d/b.conf\nlocation /rpc { proxy_pass https://gateway_b; }',
      useInstead: '# services.d/a.conf\nlocation /rpc { proxy_pass https://gateway_a; }\n# services.d/b.conf.disabled: renamed, so that services.d/*.conf no longer reads it',
    },
  },
  check({ model, report }) {
    const seen = new Map<object, Map<string, ConfigDirective>>();
    for (const directive of checkedNamed(model, 'location')) {
      if (directive.node.terminator !== '{') continue;
      const context = directive.parent.context;
      if (context !== 'http.server' && context !== 'http.location') continue;
      const location = locationKey(directive);
      if (!location) continue;
      const { key, name: uri } = location;
      const inBlock = seen.get(directive.parent) ?? new Map<string, ConfigDirective>();
      seen.set(directive.parent, inBlock);
      const first = inBlock.get(key);
      if (!first) {
        inBlock.set(key, directive);
        continue;
      }
      const firstLine = first.file.lines.positionAt(first.node.start).line + 1;
      const sameFolder = first.file.path !== directive.file.path && /services\.d\//.test(directive.file.path);
      const hint = sameFolder
        ? ` kasm_proxy reads every *.conf of services.d: keep only one of ${basename(first.file.path)} and ${basename(directive.file.path)}.`
        : '';
      report({
        message: 'duplicate',
        data: { uri, context: CONTEXT_LABELS[directive.parent.context], first: `${basename(first.file.path)}:${firstLine}`, hint },
        file: directive.file,
        start: directive.node.start,
        end: directive.node.args[directive.node.args.length - 1]?.end ?? directive.node.nameToken.end,
        related: [
          { file: first.file, start: first.node.start, end: first.node.nameToken.end, message: `location "${uri}" is first defined here, in ${describeBlock(first.parent)}` },
          ...includeTrail(directive),
        ],
        nginx: { seq: directive.seq, line: directive.node.nginxLine, message: `duplicate location "${uri}"`, foundAt: httpBlockEnd(directive) },
      });
    }
  },
});
