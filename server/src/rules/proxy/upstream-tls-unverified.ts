import { effective } from '../../model/effective';
import { LOCATION_READS, locations } from '../../proxy/locations';
import { proxyTarget } from '../../proxy/upstreams';
import { evaluate } from '../../values/evaluate';
import { literalValues, urlSections } from '../../values/urls';
import { insertLinesAfter, replaceArguments } from '../edits';
import { defineRule } from '../rule';
import { VALUE_SOURCES } from '../../values/evaluate';

const DEFAULT_TRUSTED = '/etc/ssl/certs/ca-certificates.crt';

export default defineRule({
  meta: {
    id: 'proxy/upstream-tls-unverified',
    defaultSeverity: 'information',
    messages: {
      unverified: {
        text: "proxy_pass {url} speaks TLS without verifying the upstream's certificate.",
        why:
          "proxy_ssl_verify is off (nginx's default): anyone who can intercept the traffic between nginx and {host} can pose as it. " +
          'The fix verifies the certificate and its name against a CA bundle (the trustedCertificate option).',
        whyKasm:
          "proxy_ssl_verify is off (nginx's default): anyone who can intercept the traffic between nginx and {host} can pose as it, as with cloudflared's noTLSVerify. " +
          "Inside Kasm this hop runs between Kasm's own containers: pin the service's certificate (the trustedCertificate option) rather than trusting public CAs.",
      },
    },
    fixes: {
      verify: { title: 'Verify the upstream certificate against {trusted}', applicability: 'unsafe', changes: 'requests fail until the certificate verifies' },
    },
    options: {
      trustedCertificate: {
        description: 'The CA bundle (or the upstream\'s own certificate, to pin it) the fix names in proxy_ssl_trusted_certificate.',
        default: DEFAULT_TRUSTED,
      },
    },
    reads: [...LOCATION_READS, 'proxy_pass', 'proxy_ssl_verify', 'upstream', ...VALUE_SOURCES],
    docs: {
      summary: '`proxy_pass https://` without `proxy_ssl_verify on`.',
      whatItDoes:
        'Reports each location whose `proxy_pass` uses `https://`, written out or through variables set to it (`set $upstream_proto https;` ' +
        'then `proxy_pass $upstream_proto://...`; a scheme that comes from elsewhere, such as Kasm\'s `$connect_schema` filled from its ' +
        'API, is decided per request and not reported) while the ' +
        '`proxy_ssl_verify` in effect is off, which is nginx\'s default. Information: inside a Kasm host the hop often stays on a Docker ' +
        'network, but in front of Kasm it crosses a real one.',
      whyItMatters:
        'Encryption without verification stops passive listeners only: whoever can redirect the traffic (ARP or DNS spoofing on the path) ' +
        'can present any certificate. Kasm\'s self-signed origin certificate is why guides turn verification off; pinning that certificate ' +
        'keeps the encryption and restores the check.',
      example: 'location / {\n    proxy_pass https://kasm_backend;\n}',
      useInstead:
        'location / {\n    proxy_pass https://kasm_backend;\n    proxy_ssl_verify on;\n    proxy_ssl_trusted_certificate /etc/nginx/kasm_nginx.crt;\n    proxy_ssl_name kasm.example.com;\n}',
      fixSafety:
        "Adds `proxy_ssl_verify on`, `proxy_ssl_verify_depth 2`, `proxy_ssl_trusted_certificate` (the rule's `trustedCertificate` option: " +
        "Debian's CA bundle by default; point it at the upstream's own certificate to pin a self-signed one) and `proxy_ssl_name` set to the " +
        'host the certificate must name. Unsafe: requests fail until the certificate verifies.',
      references: ['https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_ssl_verify'],
    },
  },
  check({ model, settings, options, report }) {
    const trusted = typeof options.trustedCertificate === 'string' && options.trustedCertificate ? options.trustedCertificate : DEFAULT_TRUSTED;
    for (const l of locations(model)) {
      if (!l.proxyPass) continue;
      const target = proxyTarget(model, l.proxyPass);
      if (!target) continue;
      if (target.scheme === undefined) {
        // `set $upstream_proto https; proxy_pass $upstream_proto://...`: the scheme the variables are set to
        const sections = urlSections(evaluate(model, l.proxyPass, l.proxyPass.node.args[0]!.value), true);
        if (!literalValues(sections.scheme)?.includes('https')) continue;
        const hosts = literalValues(sections.host);
        if (hosts?.length === 1) Object.assign(target, { host: hosts[0]!.replace(/:\d+$/, ''), variableHost: false });
      } else if (target.scheme !== 'https') continue;
      const verify = effective(l.block, 'proxy_ssl_verify', settings.nginxVersion).directives.at(-1);
      if (verify?.node.args[0]?.value.toLowerCase() === 'on') continue;
      const lines = [
        'proxy_ssl_verify on;',
        'proxy_ssl_verify_depth 2;',
        `proxy_ssl_trusted_certificate ${trusted};`,
        ...(target.variableHost ? [] : [`proxy_ssl_name ${target.host};`]),
      ].filter((line, i) => i === 0 || !l.block.items.some((d) => d.node.name === line.split(' ')[0]));
      const own = verify && verify.parent === l.block ? verify : undefined;
      const edits = own
        ? [replaceArguments(own.file, own.node, 'on'), insertLinesAfter(own.file, own.node, lines.slice(1))]
        : [insertLinesAfter(l.proxyPass.file, l.proxyPass.node, lines)];
      const url = l.proxyPass.node.args[0]!.value;
      report({
        message: 'unverified',
        data: { url, host: target.host },
        file: l.proxyPass.file,
        start: l.proxyPass.node.start,
        end: l.proxyPass.node.end,
        fixes: [{ fix: 'verify', data: { trusted }, edits }],
      });
    }
  },
});
