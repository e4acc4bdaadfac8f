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
      noResponder: {
        text: 'ssl_stapling has no effect: the certificate {path} names no OCSP responder.',
        why:
          'nginx asks the responder named in the certificate\'s Authority Information Access, and without one it skips stapling (nginx -t warns: "ssl_stapling" ignored, no OCSP responder URL in the certificate). ' +
          "Let's Encrypt stopped naming one in May 2025 and shut its responders down in August 2025; other CAs are following, as OCSP became optional for them. " +
          'The fix removes the inert lines (or set ssl_stapling_responder if the CA still runs a responder).',
      },
      letsEncrypt: {
        text: "ssl_stapling has no effect with the Let's Encrypt certificate {path}.",
        why:
          "Let's Encrypt certificates name no OCSP responder since May 2025, and its responders were shut down in August 2025: nginx skips stapling " +
          '(nginx -t warns: "ssl_stapling" ignored, no OCSP responder URL in the certificate). Revocation now goes through CRLs, which browsers fetch themselves. ' +
          "The certificate could not be read here, so this is judged from its path; the fix removes the stapling lines.",
      },
    },
    fixes: {
      addResolver: { title: 'Add "resolver {resolver};" to this server', applicability: 'unsafe', changes: 'nginx asks {resolver} for names' },
      removeInert: { title: 'Remove the inert ssl_stapling lines', applicability: 'safe' },
      removeLetsEncrypt: { title: 'Remove the ssl_stapling lines', applicability: 'unsafe', changes: 'no stapling, should this certificate come from a CA that still runs OCSP' },
    },
    docs: {
      summary: '`ssl_stapling on` without a `resolver`, or with a certificate for which it does nothing (self-signed, no OCSP responder, Let\'s Encrypt).',
      whatItDoes:
        'For TLS servers where `ssl_stapling on` applies: reports when no `resolver` applies (nginx then resolves the OCSP responder only at ' +
        'start-up), and when stapling is inert: a readable certificate that is self-signed or names no OCSP responder (unless `ssl_stapling_responder` ' +
        'or `ssl_stapling_file` supplies one), or an unreadable one under /etc/letsencrypt/ (Let\'s Encrypt ended OCSP in 2025). Kasm ships stapling ' +
        'on, no resolver and a self-signed certificate.',
      whyItMatters:
        'Stapling spares clients a lookup to the CA and keeps revocation working; configured like this it silently does nothing, and reviews ' +
        'assume it works.',
      example: 'ssl_stapling on;\nssl_stapling_verify on;\n# no resolver',
      useInstead: 'ssl_stapling on;\nssl_stapling_verify on;\nresolver 127.0.0.11 valid=300s;   # Docker\'s DNS inside Kasm\'s proxy container',
      references: [
        'https://nginx.org/en/docs/http/ngx_http_ssl_module.html#ssl_stapling',
        'https://letsencrypt.org/2024/12/05/ending-ocsp/',
        'https://letsencrypt.org/2025/08/06/ocsp-service-has-reached-end-of-life/',
      ],
      fixSafety:
        'Removing stapling lines that cannot work changes nothing: safe. Removing them for a certificate judged by its path is offered, not applied ' +
        'in bulk: certbot can also hold certificates of other ACME CAs. Adding a resolver is offered, not applied in bulk: it also changes how ' +
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
      const verify = () => effective(server.server, 'ssl_stapling_verify', settings.nginxVersion).directives.filter((d) => d.parent === stapling.parent);
      const inert = () => [stapling, ...verify()].map((d) => removeDirective(d.file, d.node));
      // a response from a file needs nothing from the certificate, nor a resolver (nginx reads it before it looks for the issuer)
      if (effective(server.server, 'ssl_stapling_file', settings.nginxVersion).directives.length > 0) continue;
      if (info && !('error' in info) && info.selfSigned) {
        report({ message: 'selfSigned', data: { path: certArg! }, ...at, fixes: [{ fix: 'removeInert', edits: inert() }] });
        continue;
      }
      // a responder named here overrides the certificate's
      const responder = effective(server.server, 'ssl_stapling_responder', settings.nginxVersion).directives.length > 0;
      if (!responder && info && !('error' in info) && !/^OCSP - URI:/m.test(info.certificate.infoAccess ?? '')) {
        report({ message: 'noResponder', data: { path: certArg! }, ...at, fixes: [{ fix: 'removeInert', edits: inert() }] });
        continue;
      }
      if (!responder && !info && certArg?.startsWith('/etc/letsencrypt/')) {
        report({ message: 'letsEncrypt', data: { path: certArg }, ...at, fixes: [{ fix: 'removeLetsEncrypt', edits: inert() }] });
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
