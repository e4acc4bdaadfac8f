import { defineRule } from '../rule';

export default defineRule({
  meta: {
    id: 'cloudflared/syntax',
    defaultSeverity: 'error',
    messages: {
      syntax: 'cloudflared cannot read this YAML: {detail}. It refuses to start until it is fixed; the rest of the file is still checked.',
    },
    docs: {
      summary: 'YAML that cloudflared cannot parse.',
      whatItDoes: 'Reports the YAML syntax errors of a cloudflared config (bad indentation, unclosed brackets or quotes, a tab used for indentation), at the place the parser stops.',
      whyItMatters: 'cloudflared reads its config once, at start-up: a file it cannot parse keeps the tunnel down.',
      example: 'ingress:\n  - hostname: kasm.example.com\n    service: [https://localhost:443',
      useInstead: 'ingress:\n  - hostname: kasm.example.com\n    service: https://localhost:443',
    },
  },
  checkTunnel({ tunnel, report }) {
    for (const problem of tunnel.syntax) {
      report({ message: 'syntax', data: { detail: problem.message.replace(/\.$/, '') }, file: tunnel.file, start: problem.start, end: problem.end });
    }
  },
});
