import { allMaps, entries, lineOf } from '../../cloudflared/document';
import { removeEntry } from '../../cloudflared/edits';
import { defineRule } from '../rule';

export default defineRule({
  meta: {
    id: 'cloudflared/duplicate-key',
    defaultSeverity: 'error',
    messages: {
      duplicate: 'mapping key "{key}" already defined at line {line}: cloudflared refuses to start on a duplicate key. Keep one of them.',
    },
    fixes: {
      removeFirst: { title: 'Remove the earlier "{key}" (line {line}), keeping this one', applicability: 'unsafe' },
    },
    docs: {
      summary: 'A key written twice in the same mapping.',
      whatItDoes: 'Reports the second (and later) occurrence of a key in one mapping, anywhere in the file, with the line of the first, as cloudflared\'s YAML library does.',
      whyItMatters:
        'Many YAML tools silently keep the last value; cloudflared (gopkg.in/yaml.v3) refuses the whole file. A second `noTLSVerify` or `service` added while editing keeps the tunnel from starting.',
      example: 'originRequest:\n  noTLSVerify: true\n  noTLSVerify: false',
      useInstead: 'originRequest:\n  noTLSVerify: false',
      fixSafety: 'Removes the earlier occurrence. Unsafe: which of the two you meant is your call.',
    },
  },
  checkTunnel({ tunnel, report }) {
    for (const map of allMaps(tunnel)) {
      const first = new Map<string, ReturnType<typeof entries>[number]>();
      for (const e of entries(map)) {
        const earlier = first.get(e.key);
        if (!earlier) {
          first.set(e.key, e);
          continue;
        }
        const line = lineOf(tunnel.file, earlier.keyNode.range![0]);
        report({
          message: 'duplicate',
          data: { key: e.key, line },
          file: tunnel.file,
          start: e.keyNode.range![0],
          end: e.keyNode.range![1],
          related: [{ file: tunnel.file, start: earlier.keyNode.range![0], end: earlier.keyNode.range![1], message: 'first defined here' }],
          fixes: [{ fix: 'removeFirst', data: { key: e.key, line }, edits: [removeEntry(tunnel.file, earlier)] }],
        });
      }
    }
  },
});
