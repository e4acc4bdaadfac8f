// A mail server nginx cannot set up (src/mail/ngx_mail_core_module.c, ngx_mail_auth_http_module.c, read
// in nginx 1.22.1 and tried on its nginx -t): one without `listen` is refused when its block ends; once
// the mail block is read, the core module merges every server (a protocol neither set by `protocol`
// nor known from a listen port: 25, 465, 587 smtp, 110, 995 pop3, 143, 993 imap), then the auth_http
// module (no auth_http in effect). Each message names the server's line.

import type { ConfigBlock, ConfigDirective } from '../../model/config';
import { parseUrl } from '../../semantics/url';
import { defineRule } from '../rule';
import { refused } from '../support';

/** The ports that make a listen choose its protocol, when no `protocol` line came before it. */
const PROTOCOL_PORTS: Record<string, string> = { 25: 'smtp', 465: 'smtp', 587: 'smtp', 110: 'pop3', 995: 'pop3', 143: 'imap', 993: 'imap' };

/** The port a mail listen names (`25`, `*:25`, `127.0.0.1:25`, `[::1]:25`), if it names one. */
function listenPort(d: ConfigDirective): number | undefined {
  const url = parseUrl(d.node.args[0]?.value ?? '', { listen: true });
  return url.error || url.unix || url.noPort ? undefined : url.port;
}

/** Whether nginx knows the server's protocol: its `protocol` line, or the first listen on a port of one. */
function hasProtocol(server: ConfigBlock): boolean {
  for (const d of server.items) {
    if (d.node.name === 'protocol') return true;
    if (d.node.name === 'listen' && PROTOCOL_PORTS[listenPort(d) ?? -1] !== undefined) return true;
  }
  return false;
}

export default defineRule({
  meta: {
    id: 'nginx/incomplete-mail-server',
    defaultSeverity: 'error',
    messages: {
      noListen: {
        text: 'no "listen" is defined for this mail server.',
        ...refused('A mail server only takes connections on its listen lines; nginx refuses one without, when it reaches the end of its block.'),
      },
      noProtocol: {
        text: 'unknown mail protocol for this server: no "protocol" line, no listen on a known mail port.',
        ...refused('nginx takes the protocol from a "protocol" line, or from a listen on 25, 465 or 587 (smtp), 110 or 995 (pop3), 143 or 993 (imap); it refuses a server with neither once the mail block is read.'),
      },
      noAuthHttp: {
        text: 'no "auth_http" is defined for this mail server.',
        ...refused('nginx asks the auth_http service which backend each login goes to; it refuses a mail server with no auth_http of its own or of the mail block, once the mail block is read.'),
      },
    },
    reads: ['mail', 'server', 'listen', 'protocol', 'auth_http'],
    docs: {
      summary: 'A mail `server` without `listen`, without a protocol nginx can tell, or without `auth_http`.',
      whatItDoes:
        'Reports each `server` of a `mail` block that nginx cannot set up, with its message and at the line it names (the server\'s): ' +
        'no `listen` (found when the server block ends), no `protocol` line and no listen on a port nginx knows the protocol of (25, 465, ' +
        '587: smtp; 110, 995: pop3; 143, 993: imap), no `auth_http` in the server or the mail block (both found once the mail block is read, ' +
        'the protocol first for every server).',
      whyItMatters: 'nginx refuses the whole configuration, mail and web alike: a mail proxy added to the web server\'s nginx.conf without its auth_http stops the next reload.',
      example: 'mail {\n    server {\n        listen 2525;\n    }\n}',
      useInstead: 'mail {\n    auth_http 127.0.0.1:9000/auth;\n    server {\n        listen 2525;\n        protocol smtp;\n    }\n}',
      references: ['https://nginx.org/en/docs/mail/ngx_mail_core_module.html#protocol', 'https://nginx.org/en/docs/mail/ngx_mail_auth_http_module.html#auth_http'],
    },
  },
  check({ model, report }) {
    for (const mail of model.named('mail')) {
      const block = mail.block;
      if (!block || block.endSeq === undefined) continue;
      const servers = block.items.filter((d) => d.node.name === 'server' && d.block);
      const atMailLevel = block.items.some((d) => d.node.name === 'auth_http');
      for (const server of servers) {
        const own = server.block!;
        const at = { file: server.file, start: server.node.nameToken.start, end: server.node.nameToken.end };
        const nginx = (message: string, foundAt: number) => ({ seq: server.seq, foundAt, line: server.node.nginxLine, message });
        if (!own.items.some((d) => d.node.name === 'listen')) {
          report({ message: 'noListen', ...at, nginx: nginx('no "listen" is defined for server', (own.endSeq ?? block.endSeq) - 0.5) });
          continue; // nginx stops there
        }
        // merged once the mail block is read: the core module for every server, then auth_http's
        if (!hasProtocol(own)) report({ message: 'noProtocol', ...at, nginx: nginx('unknown mail protocol for server', block.endSeq - 0.5) });
        if (!atMailLevel && !own.items.some((d) => d.node.name === 'auth_http')) report({ message: 'noAuthHttp', ...at, nginx: nginx('no "auth_http" is defined for server', block.endSeq - 0.4) });
      }
    }
  },
});
