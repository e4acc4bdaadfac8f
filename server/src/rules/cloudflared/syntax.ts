import { refusalsOf } from '../../cloudflared/load';
import { defineRule } from '../rule';

export default defineRule({
  meta: {
    id: 'cloudflared/syntax',
    defaultSeverity: 'error',
    messages: {
      syntax: {
        text: '{cloudflared}',
        why:
          'cloudflared reads its config with yaml.v3 when it starts and stops on this error ("error parsing YAML in config file at …"), so the tunnel ' +
          'does not start. Nothing else in the file is checked until it is fixed.',
      },
      empty: {
        text: 'Configuration file {path} was empty',
        why: 'cloudflared logs this error and runs without any setting from the file: no tunnel, no ingress rules.',
      },
      ignored: {
        text: 'cloudflared reads only the first YAML document of its config file: this one is never read',
        why: 'config.ReadConfigFile decodes the file once (yaml.v3 Decoder.Decode reads one document), so every key after the "---" has no effect.',
      },
    },
    docs: {
      summary: 'YAML that cloudflared cannot read, or parts of the file it never reads.',
      whatItDoes:
        "Reads the file with a port of cloudflared's YAML library (gopkg.in/yaml.v3 v3.0.1: its reader, scanner, parser and decoder) and " +
        'reports where it stops, with its own message (`yaml: line 2: did not find expected alphabetic or numeric character` for an unquoted ' +
        '`*.example.com`, `yaml: line 3: did not find expected key`, `yaml: unknown anchor ...`, ...). It also reports an empty file (cloudflared ' +
        'runs without settings) and a second YAML document (never read).',
      whyItMatters:
        'cloudflared reads its config once, at start-up: a file it cannot parse keeps the tunnel down. Other YAML tools accept things yaml.v3 ' +
        'refuses (a plain scalar starting with `*`, `%YAML 1.2`) and the reverse, so a file that "looks valid" is not enough.',
      example: 'ingress:\n  - hostname: *.example.com\n    service: https://localhost:443',
      useInstead: 'ingress:\n  - hostname: "*.example.com"\n    service: https://localhost:443',
      references: ['https://github.com/go-yaml/yaml/tree/v3.0.1'],
    },
  },
  checkTunnel({ tunnel, report }) {
    const { file, load } = tunnel;
    for (const refusal of refusalsOf(load, ['yaml'])) report({ message: 'syntax', data: { cloudflared: refusal.message }, file, start: refusal.start, end: refusal.end });
    const document = load.document;
    if (!document.error && !document.root && !load.decoded?.fatal) report({ message: 'empty', severity: 'warning', data: { path: file.path }, file, start: 0, end: 0 });
    if (document.rest !== undefined) report({ message: 'ignored', severity: 'warning', file, start: document.rest, end: Math.min(file.text.length, lineEndOf(file.text, document.rest)) });
  },
});

function lineEndOf(text: string, from: number): number {
  const match = /[\r\n]/.exec(text.slice(from));
  return match ? from + match.index : text.length;
}
