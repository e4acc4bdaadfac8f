import { effective } from '../../model/effective';
import { PROFILES } from '../../tls/profiles';
import { tlsServers } from '../../tls/servers';
import { insertIntoBlock, replaceArguments } from '../edits';
import { defineRule } from '../rule';

/** nginx's time syntax: "1h30m", "10m", "300" (seconds). */
export function parseNginxTime(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  const units: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, M: 2592000, y: 31536000 };
  let total = 0;
  const re = /(\d+)(ms|[smhdwMy])/gy;
  let consumed = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * units[m[2]!]!;
    consumed = re.lastIndex;
  }
  return consumed === text.length && consumed > 0 ? total : undefined;
}

export default defineRule({
  meta: {
    id: 'tls/session',
    defaultSeverity: 'information',
    messages: {
      tickets: {
        text: 'TLS session tickets are on{how}, and no ssl_session_ticket_key is set.',
        why: 'nginx encrypts every ticket with keys it makes at start-up and keeps until the next reload: one leaked key decrypts all the sessions it saw (no forward secrecy for resumed sessions). The fix turns tickets off.',
      },
      timeout: {
        text: 'ssl_session_timeout is {value}, longer than the 15 minutes the {profileName} profile allows.',
        why: 'The {profile} follows DISA STIG V-278399, which limits the reuse of a TLS session to 15 minutes; the fix sets it.',
        severity: 'warning',
      },
    },
    fixes: {
      ticketsOff: { title: 'Turn session tickets off ("ssl_session_tickets off;")', applicability: 'safe' },
      timeout: { title: 'Use "ssl_session_timeout {value}"', applicability: 'safe' },
    },
    reads: ['listen', 'ssl', 'ssl_session_ticket_key', 'ssl_session_tickets', 'ssl_session_timeout'],
    docs: {
      summary: 'Session tickets on without key rotation; a session timeout over the STIG limit (with the `stig` profile).',
      whatItDoes:
        'For TLS servers: reports `ssl_session_tickets` on (the default) without `ssl_session_ticket_key` files to rotate, as Mozilla\'s profiles ' +
        'recommend turning tickets off. With the `stig` profile, reports an `ssl_session_timeout` over 15 minutes.',
      whyItMatters:
        'Ticket keys that live as long as the nginx process undo forward secrecy for every resumed session. Session lifetimes are a STIG item.',
      example: 'server {\n    listen 443 ssl;\n    # tickets on by default\n}',
      useInstead: 'server {\n    listen 443 ssl;\n    ssl_session_tickets off;\n}',
      fixSafety: 'Turning tickets off keeps sessions resumable through the session cache: safe.',
    },
  },
  check({ model, settings, report }) {
    const profile = PROFILES[settings.tlsProfile];
    const version = settings.nginxVersion;
    const seen = new Set<object>();
    for (const server of tlsServers(model, version)) {
      const tickets = effective(server.server, 'ssl_session_tickets', version).directives[0];
      const keys = effective(server.server, 'ssl_session_ticket_key', version).directives;
      const ticketsOn = !tickets || tickets.node.args[0]?.value.toLowerCase() === 'on';
      if (ticketsOn && keys.length === 0 && !(tickets && seen.has(tickets))) {
        if (tickets) seen.add(tickets);
        const anchor = tickets ?? server.listens[0] ?? server.server.owner!;
        report({
          message: 'tickets',
          data: { how: tickets ? '' : ' (nginx\'s default)' },
          file: anchor.file,
          start: anchor.node.start,
          end: anchor.node.end,
          fixes: [
            {
              fix: 'ticketsOff',
              edits: [
                tickets
                  ? replaceArguments(tickets.file, tickets.node, 'off')
                  : insertIntoBlock(server.server.file!, server.server.syntax!, ['ssl_session_tickets off;'], (d) => d.name.startsWith('ssl_') || d.name === 'listen' || d.name === 'server_name'),
              ],
            },
          ],
        });
      }
      if (profile.maxSessionTimeout === undefined) continue;
      const timeout = effective(server.server, 'ssl_session_timeout', version).directives[0];
      const seconds = timeout ? parseNginxTime(timeout.node.args[0]?.value ?? '') : 300;
      if (!timeout || seconds === undefined || seconds <= profile.maxSessionTimeout || seen.has(timeout)) continue;
      seen.add(timeout);
      report({
        message: 'timeout',
        data: { value: timeout.node.args[0]!.value, profile: profile.title, profileName: settings.tlsProfile },
        file: timeout.file,
        start: timeout.node.args[0]!.start,
        end: timeout.node.args[0]!.end,
        fixes: [{ fix: 'timeout', data: { value: profile.sessionTimeout }, edits: [replaceArguments(timeout.file, timeout.node, profile.sessionTimeout)] }],
      });
    }
  },
});
