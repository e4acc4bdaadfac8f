import { field, stringField } from '../../cloudflared/ingress';
import { isUuid } from '../../cloudflared/load';
import { defineRule } from '../rule';

/** config.DefaultConfigSearchDirectories on Linux and macOS (config/configuration.go). */
const SEARCHED = '~/.cloudflared, ~/.cloudflare-warp, ~/cloudflare-warp, /etc/cloudflared, /usr/local/etc/cloudflared';

export default defineRule({
  meta: {
    id: 'cloudflared/missing-tunnel',
    defaultSeverity: 'warning',
    messages: {
      noTunnel: {
        text: '{cloudflared}',
        why: 'This config has ingress rules but no `tunnel`: `cloudflared tunnel run` (and the service installed from this file) stops with this message unless the tunnel is named on its command line or given a token.',
      },
      noCredentials: {
        text: 'No credentials-file: cloudflared looks for {file} in the origin certificate\'s folder, then in {searched}',
        why: 'It stops with "tunnel credentials file not found" when none of them has it. Naming the file here makes the config work wherever it runs.',
      },
    },
    docs: {
      summary: 'No `tunnel`, or no `credentials-file`, in a config with ingress rules.',
      whatItDoes:
        'Reports a config with `ingress` but no `tunnel` (a warning, with the message `cloudflared tunnel run` stops with when the command line ' +
        'does not name the tunnel either), and, as information, one without `credentials-file` (or `credentials-contents`): cloudflared then ' +
        "searches `<tunnel id>.json` in the origin certificate's folder and its default folders. Nothing is reported when a `token` (or " +
        '`token-file`) gives both.',
      whyItMatters: 'Without them `cloudflared tunnel run` (and the service installed from this file) does not know which tunnel to run, or where its secret is.',
      example: 'ingress:\n  - hostname: kasm.example.com\n    service: https://localhost:443\n  - service: http_status:404',
      useInstead:
        'tunnel: 6ff42ae2-765d-4adf-8112-31c55c1551ef\ncredentials-file: /root/.cloudflared/6ff42ae2-765d-4adf-8112-31c55c1551ef.json\ningress:\n  - hostname: kasm.example.com\n    service: https://localhost:443\n  - service: http_status:404',
    },
  },
  checkTunnel({ tunnel, report }) {
    const { file, load } = tunnel;
    const ingress = field(load.top, 'ingress');
    if (!ingress || load.refusals.some((r) => ['yaml', 'type', 'duplicate', 'flag'].includes(r.kind))) return;
    if (['token', 'token-file'].some((flag) => load.applied.has(flag))) return;
    const id = stringField(load.top, 'tunnel');
    if (id === '') {
      // subcommands.go runCommand, when no tunnel is named on the command line either.
      const cloudflared = '"cloudflared tunnel run" requires the ID or name of the tunnel to run as the last command line argument or in the configuration file.';
      report({ message: 'noTunnel', data: { cloudflared }, file, start: ingress.key.start, end: ingress.key.end });
      return;
    }
    if (load.applied.has('credentials-file') || load.applied.has('credentials-contents')) return;
    const at = field(load.top, 'tunnel')!;
    report({
      message: 'noCredentials',
      severity: 'information',
      data: { file: isUuid(id) ? `${uuidString(id)}.json` : "the tunnel's <id>.json", searched: SEARCHED },
      file,
      start: at.key.start,
      end: at.node.end,
    });
  },
});

/** uuid.UUID.String(): lower-case, dashed, whatever form was parsed (subcommand_context.go tunnelFilePath). */
function uuidString(id: string): string {
  const hex = id.replace(/^urn:uuid:/i, '').replace(/[^0-9a-fA-F]/g, '').toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
