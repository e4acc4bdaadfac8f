import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { lineOf, span } from '../../cloudflared/document';
import { decodeBool, decodeDuration, decodeFlagBool, decodeInt, decodeString, type Decoded } from '../../cloudflared/values';
import { walkKeys } from '../../cloudflared/walk';
import type { KeyInfo } from '../../cloudflared/keys';
import { replaceScalar } from '../../cloudflared/edits';
import { defineRule, type FixSpec } from '../rule';

function decode(info: KeyInfo, node: Node | null, flag: boolean, key: string): Decoded<unknown> {
  switch (info.type) {
    case 'bool':
      return flag ? decodeFlagBool(node, key) : decodeBool(node);
    case 'duration':
      return decodeDuration(node);
    case 'int':
    case 'uint':
      return decodeInt(node, info.type === 'uint');
    case 'string':
      return decodeString(node);
    case 'strings':
      if (!node || isSeq(node) || isScalar(node)) return { ok: true, value: undefined };
      return { ok: false, message: 'cannot unmarshal !!map into []string' };
    case 'map':
    case 'access':
      if (!node || isMap(node) || (isScalar(node) && (node.value === null || node.value === ''))) return { ok: true, value: undefined };
      return { ok: false, message: `cannot unmarshal ${isSeq(node) ? '!!seq' : '!!str'} into a mapping` };
    case 'rules':
    case 'ipRules':
      if (!node || isSeq(node) || (isScalar(node) && (node.value === null || node.value === ''))) return { ok: true, value: undefined };
      return { ok: false, message: `cannot unmarshal ${isMap(node) ? '!!map' : '!!str'} into a list` };
  }
}

export default defineRule({
  meta: {
    id: 'cloudflared/invalid-value',
    defaultSeverity: 'error',
    messages: {
      nested: 'line {line}: {cloudflared}. cloudflared cannot decode the file and refuses to start{hint}.',
      flag: '{cloudflared}: cloudflared refuses to start{hint}.',
    },
    fixes: {
      seconds: { title: 'Write {value}', applicability: 'safe' },
      unquote: { title: 'Write {value} (unquoted)', applicability: 'safe' },
    },
    docs: {
      summary: 'A value of the wrong type for its key, as cloudflared decodes it.',
      whatItDoes:
        "Decodes each known key's value as cloudflared's YAML library does: durations are Go duration strings (`30s`, `1m30s`: a bare `30` is " +
        'an error), booleans under originRequest accept `true`/`false` and the YAML 1.1 words (`yes`, `on`, `y`, ...) but not a quoted ' +
        '`"true"`, integers must be integers, and top-level flags accept only a real boolean (`no-autoupdate: yes` is fatal).',
      whyItMatters: 'A value cloudflared cannot decode stops it from starting; these are easy to write and the YAML looks fine.',
      example: 'originRequest:\n  connectTimeout: 30\n  noTLSVerify: "true"',
      useInstead: 'originRequest:\n  connectTimeout: 30s\n  noTLSVerify: true',
      fixSafety: 'A bare number of seconds gets its unit (`30` → `30s`), a quoted `"true"`/`"false"` loses its quotes: what the author meant. Safe.',
    },
  },
  checkTunnel({ tunnel, report }) {
    walkKeys(tunnel, ({ entry, info, flag }) => {
      if (!info) return;
      const decoded = decode(info, entry.value, flag, entry.key);
      if (decoded.ok) return;
      const node = entry.value ?? entry.keyNode;
      const fixes: Array<FixSpec<'seconds' | 'unquote'>> = [];
      const source = isScalar(node) ? String(node.source ?? '') : '';
      if (info.type === 'duration' && isScalar(node) && node.type === 'PLAIN' && /^\d+$/.test(source)) {
        fixes.push({ fix: 'seconds', data: { value: `${source}s` }, edits: [replaceScalar(tunnel.file, node, `${source}s`)] });
      }
      if (info.type === 'bool' && isScalar(node) && node.type !== 'PLAIN' && /^(true|false)$/i.test(source)) {
        fixes.push({ fix: 'unquote', data: { value: source.toLowerCase() }, edits: [replaceScalar(tunnel.file, node, source.toLowerCase())] });
      }
      const hint = info.type === 'duration' ? ' (durations are written like 30s, 1m30s or 2h)' : '';
      report({
        message: flag ? 'flag' : 'nested',
        data: { cloudflared: decoded.message, line: lineOf(tunnel.file, node.range![0]), hint },
        file: tunnel.file,
        ...span(node, entry.keyNode),
        fixes,
      });
    });
  },
});
