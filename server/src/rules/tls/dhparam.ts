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
    messages: {
      inert:
        'ssl_ciphers lists {suites}, but this server has no ssl_dhparam, and nginx (since 1.11.0) then uses no DH parameters: these suites are never negotiated. Remove them, or enable them with a 2048-bit ssl_dhparam file{kasm}.',
      small:
        "ssl_dhparam {path} holds {bits}-bit DH parameters: OpenSSL at security level 2 (the default of Debian and of Kasm's image) refuses DH parameters under 2048 bits, so nginx fails to start, and they are breakable (Logjam). Generate new ones: openssl dhparam -out dhparam.pem 2048.",
    },
    fixes: {
      removeDhe: { title: 'Remove the DHE suites from ssl_ciphers (they are unused)', applicability: 'safe' },
      addDhparam: { title: 'Add "ssl_dhparam {path};" (create the file first: {command})', applicability: 'unsafe' },
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
          data: {
            suites: listWords(dhe),
            kasm: kasm
              ? ` (for Kasm: ${command}, then add "- /opt/kasm/current/certs/dhparam.pem:/etc/ssl/certs/dhparam.pem" to the volumes of the proxy service in /opt/kasm/current/docker/docker-compose.yaml)`
              : '',
          },
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
        severity: 'error',
      });
    }
  },
});
