// With proxy_buffering off, ngx_http_upstream_send_response relays the upstream's response to the client
// through one proxy_buffer_size buffer and reads from the upstream only as fast as the client takes it:
// a slow client holds the upstream connection (and the application's worker behind it) for as long as
// it likes. A WebSocket is not affected (once upgraded, ngx_http_upstream_upgrade relays both ways
// whatever proxy_buffering says), and streams (server-sent events, long polls) need it off, or an
// `X-Accel-Buffering: no` from the upstream on the responses that stream.

import type { ConfigBlock, ConfigDirective } from '../../model/config';
import { effective } from '../../model/effective';
import { removeDirective } from '../edits';
import { directivesNamed, isChecked } from '../support';
import { defineRule } from '../rule';

/** The level a proxy_buffering applies to: an `if` in a location counts as the location. */
function levelOf(d: ConfigDirective): ConfigBlock {
  return d.parent.context === 'http.if.location' && d.parent.parent ? d.parent.parent : d.parent;
}

/**
 * The level is a stream on purpose: it forwards Upgrade (a WebSocket), or clears Connection for a
 * kept-alive stream (the server-sent events recipe), or turns proxy_cache off beside it.
 */
function streams(level: ConfigBlock, version: string): boolean {
  const headers = effective(level, 'proxy_set_header', version).directives;
  if (headers.some((h) => h.node.args[0]?.value.toLowerCase() === 'upgrade')) return true;
  if (headers.some((h) => h.node.args[0]?.value.toLowerCase() === 'connection' && h.node.args[1]?.value === '')) return true;
  return effective(level, 'proxy_cache', version).directives.some((c) => c.node.args[0]?.value.toLowerCase() === 'off');
}

export default defineRule({
  meta: {
    id: 'proxy/buffering-off',
    defaultSeverity: 'hint',
    presets: { 'kasm-hardened': 'information', 'nginx-recommended': 'information' },
    messages: {
      location: {
        text: 'proxy_buffering off lets a slow client hold the upstream connection.',
        why:
          'Without buffering, nginx passes the response on only as fast as the client reads it, so the upstream connection and ' +
          'the application worker behind it stay busy until the slowest client is done: a few slow readers can exhaust the ' +
          'application. Buffering is right for ordinary responses; for a response that must stream, let the upstream send ' +
          '`X-Accel-Buffering: no` on it, or keep buffering off only in the location that streams. The fix removes the line.',
      },
      everywhere: {
        text: 'proxy_buffering off at {level} level turns buffering off for every location below it.',
        why:
          'Without buffering, nginx passes each response on only as fast as the client reads it, so upstream connections and ' +
          'application workers stay busy until the slowest client is done. Turned off at {level} level, this applies to ' +
          'ordinary pages and API calls as well as to the streams that may need it: turn it off only in the locations that ' +
          'stream, or let the upstream send `X-Accel-Buffering: no` on those responses.',
      },
    },
    fixes: {
      remove: {
        title: 'Remove "proxy_buffering off;"',
        applicability: 'unsafe',
        changes: 'responses are buffered again; one that streams reaches the client in pieces, late',
      },
    },
    reads: ['proxy_buffering', 'proxy_cache', 'proxy_set_header'],
    docs: {
      summary: '`proxy_buffering off` outside a location that streams (slow clients tie up the upstream).',
      whatItDoes:
        'Reports `proxy_buffering off`: at server or http level always (it applies to every location below), and in a location ' +
        'unless the location streams on purpose: it forwards the Upgrade header (a WebSocket, which nginx relays unbuffered ' +
        'anyway once upgraded), clears Connection (`proxy_set_header Connection \'\';`, the server-sent events recipe), or sets ' +
        '`proxy_cache off` beside it. A hint under kasm-default, information under the other presets: it is a matter of ' +
        'capacity, not a hole.',
      whyItMatters:
        'With buffering on, nginx reads the whole response from the upstream into memory (or a temporary file) and frees the ' +
        'upstream at once, then feeds slow clients itself. Off, each slow client holds an upstream connection and an application ' +
        'worker, which turns slow reads into a cheap denial of service.',
      example: 'location /api/ {\n    proxy_buffering off;\n    proxy_pass http://app;\n}',
      useInstead: 'location /api/ {\n    proxy_pass http://app;\n}\n\nlocation /api/events {\n    proxy_buffering off;\n    proxy_cache off;\n    proxy_pass http://app;\n}',
      fixSafety:
        'Removes the line, which turns buffering back on (its default). Unsafe: a response that streams (progress, events, a ' +
        'long download meant to start at once) then reaches the client in pieces or at the end.',
      references: [
        'https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_buffering',
        'https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_ignore_headers',
      ],
    },
  },
  check({ model, settings, report }) {
    for (const d of directivesNamed(model, 'proxy_buffering')) {
      if (!isChecked(d) || d.node.args[0]?.value.toLowerCase() !== 'off') continue;
      const level = levelOf(d);
      const fixes = [{ fix: 'remove' as const, edits: [removeDirective(d.file, d.node)] }];
      if (level.context === 'http.location') {
        if (streams(level, settings.nginxVersion)) continue;
        report({ message: 'location', file: d.file, start: d.node.start, end: d.node.end, fixes });
      } else if (level.context === 'http' || level.context === 'http.server') {
        report({
          message: 'everywhere',
          data: { level: level.context === 'http' ? 'http' : 'server' },
          file: d.file,
          start: d.node.start,
          end: d.node.end,
          fixes,
        });
      }
    }
  },
});
