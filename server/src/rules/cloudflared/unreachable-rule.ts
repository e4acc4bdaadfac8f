import { refusalsOf } from '../../cloudflared/load';
import { defineRule } from '../rule';

export default defineRule({
  meta: {
    id: 'cloudflared/unreachable-rule',
    defaultSeverity: 'error',
    messages: {
      early: {
        text: '{cloudflared}',
        why: 'Rules are matched in order, so the {count} rule{s} after this one could never match; cloudflared takes it for a mistake and refuses to start.',
      },
    },
    docs: {
      summary: 'A catch-all rule before the end of the ingress list.',
      whatItDoes:
        'Reports an ingress rule that matches every request (no hostname, or `*`, and no path) when other rules follow it, with cloudflared\'s ' +
        'message and its rule number (null items of the list, which yaml.v3 drops, are not counted).',
      whyItMatters:
        'Rules are matched in order, so the ones after a catch-all could never match; cloudflared treats this as a mistake and refuses to start.',
      example: 'ingress:\n  - service: http_status:404\n  - hostname: kasm.example.com\n    service: https://localhost:443',
      useInstead: 'ingress:\n  - hostname: kasm.example.com\n    service: https://localhost:443\n  - service: http_status:404',
    },
  },
  checkTunnel({ tunnel, report }) {
    const { load } = tunnel;
    for (const refusal of refusalsOf(load, ['early-catch-all'])) {
      const after = load.rules.length - 1 - refusal.rule!.index;
      report({ message: 'early', data: { cloudflared: refusal.message, count: after, s: after === 1 ? '' : 's' }, file: tunnel.file, start: refusal.start, end: refusal.end });
    }
  },
});
