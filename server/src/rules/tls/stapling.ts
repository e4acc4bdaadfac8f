import { effective } from '../../model/effective';
import { readCertificate } from '../../tls/certificates';
import { tlsServers } from '../../tls/servers';
import { insertIntoBlock, removeDirective } from '../edits';
import { defineRule } from '../rule';

export default defineRule({
  meta: {
    id: 'tls/stapling',
    defaultSeverity: 'information',
    messages: {
      noResolver: {
        text: 'ssl_stapling is on, but no resolver applies here.',
        why: 'nginx then looks up the OCSP responder once, at start-up, with the system resolver, and keeps that address until the next restart. Add a resolver you trust.',
        whyKasm:
          "nginx then looks up the OCSP responder once, at start-up, with the system resolver, and keeps that address until the next restart. Inside Kasm's proxy container, Docker's DNS is 127.0.0.11.",
      },
      selfSigned: {
        text: 'ssl_stapling has no effect with the self-signed certificate {path}.',
        why: 'There is no issuer to ask for an OCSP response (nginx -t warns: "ssl_stapling" ignored, issuer certificate not found). It works once a CA-signed certificate is installed; the fix removes the inert lines.',
      },
    },
    fixes: {
      addResolver: { title: 'Add "resolver {resolver};" to this server', applicability: 'unsafe', changes: 'nginx asks {resolver} for names' },
      removeInert: { title: 'Remove the inert ssl_stapling lines', applicability: 'safe' },
    },
    docs: {
      summary: '`ssl_stapling on` without a `resolver`, or with a self-signed certificate (where it does nothing).',
      whatItDoes:
        'For TLS servers where `ssl_stapling on` applies: reports when no `resolver` applies (nginx then resolves the OCSP responder only at ' +
        'start-up), and, when the certificate can be read, when it is self-signed, which makes stapling inert. Kasm ships both: stapling on, no ' +
        'resolver, a self-signed certificate.',
      whyItMatters:
        'Stapling spares clients a lookup to the CA and keeps revocation working; configured like this it silently does nothing, and reviews ' +
        'assume it works.',
      example: 'ssl_stapling on;\nssl_stapling_verify on;\n# no resolver',
      useInstead: 'ssl_stapling on;\nssl_stapling_verify on;\nresolver 127.0.0.11 valid=300s;   # Docker\'s DNS inside Kasm\'s proxy container',
      fixSafety:
        'Removing stapling lines that cannot work changes nothing: safe. Adding a resolver is offered, not applied in bulk: it also changes how ' +
        'nginx resolves host names held in variables (Kasm\'s `proxy_pass $connect_hostname...`).',
    },
  },
  check({ model, settings, report }) {
    const kasm = model.roots[0]?.file === undefined;
    const resolver = kasm ? '127.0.0.11 valid=300s' : '1.1.1.1 8.8.8.8 valid=300s';
    const seen = new Set<object>();
    for (const server of tlsServers(model, settings.nginxVersion)) {
      const stapling = effective(server.server, 'ssl_stapling', settings.nginxVersion).directives[0];
      if (!stapling || stapling.node.args[0]?.value.toLowerCase() !== 'on' || seen.has(stapling)) continue;
      seen.add(stapling);
      const at = { file: stapling.file, start: stapling.node.start, end: stapling.node.end };

      const certificate = effective(server.server, 'ssl_certificate', settings.nginxVersion).directives[0];
      const certArg = certificate?.node.args[0]?.value;
      const read = certArg && !certArg.includes('$') ? model.readReferenced(certArg).read : undefined;
      const info = read?.ok ? readCertificate(read.text) : undefined;
      if (info && !('error' in info) && info.selfSigned) {
        const verify = effective(server.server, 'ssl_stapling_verify', settings.nginxVersion).directives.filter((d) => d.parent === stapling.parent);
        report({
          message: 'selfSigned',
          data: { path: certArg! },
          ...at,
          fixes: [{ fix: 'removeInert', edits: [stapling, ...verify].map((d) => removeDirective(d.file, d.node)) }],
        });
        continue;
      }
      if (effective(server.server, 'resolver', settings.nginxVersion).directives.length > 0) continue;
      report({
        message: 'noResolver',
        ...at,
        fixes: [{ fix: 'addResolver', data: { resolver }, edits: [insertIntoBlock(stapling.file, stapling.node.parent, [`resolver ${resolver};`], (d) => d.name.startsWith('ssl_stapling'))] }],
      });
    }
  },
});
