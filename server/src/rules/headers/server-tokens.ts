import { effective } from '../../model/effective';
import { addSettings } from '../../proxy/locations';
import { replaceArguments } from '../edits';
import { defineRule } from '../rule';

export default defineRule({
  meta: {
    id: 'headers/server-tokens',
    defaultSeverity: 'information',
    presets: { 'kasm-hardened': 'warning' },
    messages: {
      default: {
        text: "This server sends nginx's version (server_tokens is on by default).",
        why: 'The version in the Server header and on error pages tells attackers which known vulnerabilities to try. DISA STIG and CIS NGINX 2.5.1 require it off; the fix sets server_tokens off.',
      },
      explicit: {
        text: "server_tokens {value} sends nginx's version.",
        why: 'The version in the Server header and on error pages tells attackers which known vulnerabilities to try. DISA STIG and CIS NGINX 2.5.1 require it off; the fix sets server_tokens off.',
      },
    },
    fixes: {
      add: { title: 'Add "server_tokens off;"{where}', applicability: 'safe' },
      off: { title: 'Set server_tokens off', applicability: 'safe' },
    },
    reads: ['server_tokens'],
    docs: {
      summary: 'nginx version disclosure (`server_tokens` on, its default).',
      whatItDoes:
        'For each http server, looks at the `server_tokens` in effect. Reports `on` or `build`, and the default (on) when none is set. ' +
        'Kasm sets `server_tokens off` in both its servers; a warning under kasm-hardened, as DISA STIG asks.',
      whyItMatters: 'The version in `Server: nginx/1.25.1` and in error pages tells an attacker which CVEs apply. DISA STIG and CIS NGINX 2.5.1 require it off.',
      example: 'server {\n    listen 443 ssl;\n}',
      useInstead: 'server {\n    listen 443 ssl;\n    server_tokens off;\n}',
      fixSafety: 'Sets or adds `server_tokens off` (at http level when the server sits in an http block of its file, which covers every server there). Safe: only the version string goes.',
      references: ['https://nginx.org/en/docs/http/ngx_http_core_module.html#server_tokens'],
    },
  },
  check({ model, settings, report }) {
    const httpEdits = new Map<object, ReturnType<typeof addSettings>>(); // one edit per http block, however many servers
    for (const d of model.named('server')) {
      if (d.block?.context !== 'http.server') continue;
      const server = d.block;
      const setting = effective(server, 'server_tokens', settings.nginxVersion).directives.at(-1);
      const value = setting?.node.args[0]?.value.toLowerCase();
      if (value === 'off' || (setting && value !== 'on' && value !== 'build')) continue;
      if (setting) {
        report({
          message: 'explicit',
          data: { value: setting.node.args[0]!.value },
          file: setting.file,
          start: setting.node.start,
          end: setting.node.end,
          fixes: [{ fix: 'off', edits: [replaceArguments(setting.file, setting.node, 'off')] }],
        });
        continue;
      }
      const http = server.parent;
      const target = http?.syntax && http.file && http.context === 'http' ? http : server;
      if (!httpEdits.has(target)) httpEdits.set(target, addSettings(target, ['server_tokens off;'], (name) => name !== 'server' && name !== 'include'));
      const edit = httpEdits.get(target);
      report({
        message: 'default',
        file: d.file,
        start: d.node.start,
        end: d.node.nameToken.end,
        fixes: edit ? [{ fix: 'add', data: { where: target === server ? ' to this server' : ' to the http block' }, edits: [edit] }] : [],
      });
    }
  },
});
