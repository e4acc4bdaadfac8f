import { lineOf } from '../../cloudflared/document';
import { removeEntry, startsLine } from '../../cloudflared/edits';
import { entryOfKey, refusalsOf } from '../../cloudflared/load';
import { defineRule, type FixSpec } from '../rule';

export default defineRule({
  meta: {
    id: 'cloudflared/duplicate-key',
    defaultSeverity: 'error',
    messages: {
      duplicate: {
        text: '{cloudflared}',
        why: 'yaml.v3 refuses a key written twice in one mapping, and cloudflared with it: the tunnel does not start. Keep one of them.',
      },
    },
    fixes: {
      removeFirst: { title: 'Remove the earlier "{key}" (line {line}), keeping this one', applicability: 'unsafe' },
    },
    docs: {
      summary: 'A key written twice in the same mapping.',
      whatItDoes:
        "Reports each key that repeats one before it in the same mapping, with yaml.v3's message (`mapping key \"service\" already defined at line 4`). " +
        'Keys are compared as yaml.v3 compares them (their text, so `service` and `"service"` are the same key), in every mapping cloudflared decodes, ' +
        "including the values of keys it does not know at the top level; never inside an unknown key's value in a nested mapping, which it skips.",
      whyItMatters:
        'Many YAML tools silently keep the last value; cloudflared (gopkg.in/yaml.v3) refuses the whole file. A second `noTLSVerify` or `service` added while editing keeps the tunnel from starting.',
      example: 'originRequest:\n  noTLSVerify: true\n  noTLSVerify: false',
      useInstead: 'originRequest:\n  noTLSVerify: false',
      fixSafety: 'Removes the earlier occurrence. Unsafe: which of the two you meant is your call.',
      references: ['https://github.com/go-yaml/yaml/blob/v3.0.1/decode.go'],
    },
  },
  checkTunnel({ tunnel, report }) {
    const { file, load } = tunnel;
    for (const refusal of refusalsOf(load, ['duplicate'])) {
      const first = refusal.first;
      const entry = first && entryOfKey(load.document.root, first);
      const fixes: Array<FixSpec<'removeFirst'>> = [];
      const data = { key: refusal.node?.value ?? '', line: first ? lineOf(file, first.start) : 0 };
      // Whole lines go: not in a flow mapping ({a: 1, a: 2}), nor after a list dash.
      if (first && entry && entry.mapping.style === 'block' && startsLine(file, first)) {
        fixes.push({ fix: 'removeFirst', data, edits: [removeEntry(file, first, entry.value)] });
      }
      report({
        message: 'duplicate',
        data: { cloudflared: refusal.message, ...data },
        file,
        start: refusal.start,
        end: refusal.end,
        related: first ? [{ file, start: first.start, end: first.end, message: 'first defined here' }] : [],
        fixes,
      });
    }
  },
});
