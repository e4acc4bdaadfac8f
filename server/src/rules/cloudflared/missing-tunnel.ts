import { entry, text } from '../../cloudflared/document';
import { defineRule } from '../rule';

export default defineRule({
  meta: {
    id: 'cloudflared/missing-tunnel',
    defaultSeverity: 'warning',
    messages: {
      missing: 'This config has ingress rules but no {what}: "cloudflared tunnel run" needs the tunnel UUID and its credentials file, unless you start it with --token.',
      withToken: 'No {what}: fine when the tunnel runs with the token given here, which carries both.',
    },
    docs: {
      summary: 'No `tunnel` or no `credentials-file` in a config with ingress rules.',
      whatItDoes:
        'Reports a config with `ingress` that lacks `tunnel` or `credentials-file`. Information only when a `token` or `token-file` key ' +
        'supplies them; a warning otherwise, since the tunnel then starts only with `--token` on the command line.',
      whyItMatters: 'Without them `cloudflared tunnel run` (and the service installed from this file) does not know which tunnel to run.',
      example: 'ingress:\n  - hostname: kasm.example.com\n    service: https://localhost:443\n  - service: http_status:404',
      useInstead:
        'tunnel: 6ff42ae2-765d-4adf-8112-31c55c1551ef\ncredentials-file: /root/.cloudflared/6ff42ae2-765d-4adf-8112-31c55c1551ef.json\ningress:\n  - hostname: kasm.example.com\n    service: https://localhost:443\n  - service: http_status:404',
    },
  },
  checkTunnel({ tunnel, report }) {
    const ingress = entry(tunnel.top, 'ingress');
    if (!ingress) return;
    const missing = ['tunnel', 'credentials-file'].filter((k) => text(entry(tunnel.top, k)?.value) === '');
    const hasCredentials = ['credentials-contents'].some((k) => text(entry(tunnel.top, k)?.value) !== '');
    const shown = missing.filter((k) => !(k === 'credentials-file' && hasCredentials));
    if (shown.length === 0) return;
    const token = ['token', 'token-file'].some((k) => text(entry(tunnel.top, k)?.value) !== '');
    report({
      message: token ? 'withToken' : 'missing',
      severity: token ? 'information' : undefined,
      data: { what: shown.map((k) => `"${k}"`).join(' and ') },
      file: tunnel.file,
      start: ingress.keyNode.range![0],
      end: ingress.keyNode.range![1],
    });
  },
});
