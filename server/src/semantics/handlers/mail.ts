// The mail module's TLS switches read at one level: `ssl on` (before 1.25.1) and `starttls on|only`
// refuse each other, the second read naming the first (ngx_mail_ssl_enable and ngx_mail_ssl_starttls,
// nginx 1.22.1 src/mail/ngx_mail_ssl_module.c:560 and :588). Levels do not conflict: a server may
// turn on what the mail level does not.

import type { ConfigDirective } from '../../model/config';
import type { HandlerError } from '../handler';

const STARTTLS_ON = new Set(['on', 'only']);

export function mailTlsConflict(directive: ConfigDirective): HandlerError | undefined {
  const { node } = directive;
  if (!inMail(directive)) return undefined;
  const value = node.args[0]?.value.toLowerCase();
  const before = directive.parent.items.slice(0, directive.parent.items.indexOf(directive)).filter((d) => d.node.terminator === ';');
  const valueOf = (name: string) => before.find((d) => d.node.name === name)?.node.args[0]?.value.toLowerCase();
  if (node.name === 'ssl' && value === 'on' && STARTTLS_ON.has(valueOf('starttls') ?? '')) {
    return { message: '"starttls" directive conflicts with "ssl on"', explain: '"ssl on" (TLS from the first byte) and starttls (TLS after the STARTTLS command) cannot both be on at one level: keep one.' };
  }
  if (node.name === 'starttls' && STARTTLS_ON.has(value ?? '') && valueOf('ssl') === 'on') {
    return { message: '"ssl" directive conflicts with "starttls"', explain: '"ssl on" (TLS from the first byte) and starttls (TLS after the STARTTLS command) cannot both be on at one level: keep one.' };
  }
  return undefined;
}

/** Whether the directive stands in a mail block or one of its servers (their contexts are named mail...). */
function inMail(directive: ConfigDirective): boolean {
  return directive.parent.context.startsWith('mail');
}

/** The mail protocols of nginx's own mail modules (Debian builds all three). */
const MAIL_PROTOCOLS = ['imap', 'pop3', 'smtp'];

/** protocol of a mail server: one of the mail modules' protocols (ngx_mail_core_protocol, nginx 1.22.1 ngx_mail_core_module.c). */
export function mailProtocolHandler(directive: ConfigDirective): HandlerError | undefined {
  const value = directive.node.args[0];
  if (!value || MAIL_PROTOCOLS.includes(value.value)) return undefined;
  return { message: `unknown protocol "${value.value}"`, at: value, explain: `A mail server speaks ${MAIL_PROTOCOLS.join(', ')}: the protocol names one of them, in lower case.` };
}
