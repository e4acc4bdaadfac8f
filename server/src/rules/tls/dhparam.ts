import { listWords } from '../../core/strings';
import { CIPHERS } from '../../tls/openssl';
import { dhPrimeBits } from '../../tls/pem';
import { tlsServers } from '../../tls/servers';
import { insertIntoBlock, replaceArguments } from '../edits';
import { defineRule } from '../rule';

const CIPHER_NAMES = new Set(CIPHERS.map((c) => c.name));

export default defineRule({
  meta: {
    id: 'tls/dhparam',
    defaultSeverity: 'information',
    // Kasm's hardening guide sets ssl_dhparam: under its preset the unused DHE suites are a step not done.
    presets: { 'kasm-hardened': 'warning' },
    messages: {
      inert: {
        text: 'ssl_ciphers lists DHE suites, but without ssl_dhparam this server never negotiates them.',
        why: 'nginx (since 1.11.0) uses no DH parameters unless ssl_dhparam names a file, so {suites} are dead weight. Remove them (the safe fix), or enable them with a 2048-bit ssl_dhparam file ({command}).',
        whyKasm:
          'nginx (since 1.11.0) uses no DH parameters unless ssl_dhparam names a file, so {suites} are dead weight. Remove them (the safe fix), or follow the TLS step of Kasm\'s hardening guide: ' +
          '{command}, add "- /opt/kasm/current/certs/dhparam.pem:/etc/ssl/certs/dhparam.pem" to the volumes of the proxy service in /opt/kasm/current/docker/docker-compose.yaml, and set ssl_dhparam.',
      },
      small: {
        text: 'ssl_dhparam {path} holds {bits}-bit DH parameters, under 2048 bits.',
        why: 'OpenSSL at security level 2 (Debian\'s default) refuses them, so nginx fails to start, and they are breakable (Logjam). Generate new ones: openssl dhparam -out dhparam.pem 2048.',
        whyKasm:
          "OpenSSL at security level 2 (the default of Kasm's proxy image) refuses them, so kasm_proxy fails to start, and they are breakable (Logjam). Generate new ones: sudo openssl dhparam -out /opt/kasm/current/certs/dhparam.pem 2048.",
        severity: 'error',
      },
    },
    fixes: {
      removeDhe: { title: 'Remove the DHE suites from ssl_ciphers (they are unused)', applicability: 'safe' },
      addDhparam: { title: 'Add "ssl_dhparam {path};" (create the file first: {command})', applicability: 'unsafe', changes: 'nginx does not start until the file exists' },
    },
    docs: {
      summary: 'DHE suites listed without `ssl_dhparam` (inert), or DH parameters under 2048 bits.',
      whatItDoes:
        'When the suites a server negotiates include DHE ones but no `ssl_dhparam` applies, says that they are inert: since nginx 1.11.0, ' +
        'without DH parameters the server never picks them. This is the case of Kasm\'s shipped cipher list (its two DHE-RSA suites). When ' +
        '`ssl_dhparam` names a file kasmlint can read (for a Kasm tree, `/etc/ssl/certs/dhparam.pem` is `../../certs/dhparam.pem` beside it, ' +
        'where Kasm\'s guide creates it), reads the size of its prime.',
      whyItMatters:
        'Inert suites are harmless but mislead reviews and scanners. DH parameters under 2048 bits are breakable (Logjam), and OpenSSL at ' +
        'security level 2 (Debian\'s, and Kasm\'s image) refuses them outright, so nginx does not start.',
      example: 'ssl_ciphers ECDHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES128-GCM-SHA256;\n# no ssl_dhparam',
      useInstead: 'ssl_ciphers ECDHE-RSA-AES128-GCM-SHA256;',
      fixSafety:
        'Removing the inert suites changes nothing nginx negotiates: safe. Adding `ssl_dhparam` is offered, not applied in bulk: nginx fails to start ' +
        'until the file exists (`openssl dhparam -out dhparam.pem 2048`; for Kasm also the docker-compose volume that mounts it).',
    },
  },
  check({ model, settings, report }) {
    for (const server of tlsServers(model, settings.nginxVersion)) {
      const dhe = server.inert.filter((x) => x.why.startsWith('DHE without')).map((x) => x.cipher.name);
      const directive = server.ciphers.from;
      if (dhe.length > 0 && directive) {
        const arg = directive.node.args[0]!;
        const items = arg.value.split(/[:, ;]+/).filter((i) => i !== '');
        const explicit = items.every((i) => CIPHER_NAMES.has(i));
        const kept = explicit ? items.filter((i) => !dhe.includes(i)).join(':') : `${arg.value}:!kDHE`;
        const kasm = model.roots[0]?.file === undefined;
        const path = '/etc/ssl/certs/dhparam.pem';
        const command = kasm ? 'sudo openssl dhparam -out /opt/kasm/current/certs/dhparam.pem 2048' : `openssl dhparam -out ${path} 2048`;
        report({
          message: 'inert',
          data: { suites: listWords(dhe), command },
          file: directive.file,
          start: arg.start,
          end: arg.end,
          fixes: [
            { fix: 'removeDhe', edits: [replaceArguments(directive.file, directive.node, /[\s;{}"']/.test(kept) ? `"${kept}"` : kept)] },
            {
              fix: 'addDhparam',
              data: { path, command },
              edits: [insertIntoBlock(directive.file, directive.node.parent, [`ssl_dhparam ${path};`], (d) => d === directive.node)],
            },
          ],
        });
      }

      const dhparam = server.dhparam;
      const value = dhparam?.node.args[0]?.value;
      if (!dhparam || !value || value.includes('$')) continue;
      const { read } = model.readReferenced(value);
      if (!read.ok) continue;
      const bits = dhPrimeBits(read.text);
      if (bits === undefined || bits >= 2048) continue;
      report({
        message: 'small',
        data: { path: value, bits },
        file: dhparam.file,
        start: dhparam.node.args[0]!.start,
        end: dhparam.node.args[0]!.end,
      });
    }
  },
});
