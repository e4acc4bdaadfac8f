import { allowOriginHeaders, allowsCredentials, serverHost } from '../../proxy/cors';
import { quoteArgument } from '../../proxy/locations';
import { removeDirective } from '../edits';
import { defineRule, type FixSpec } from '../rule';
import { VALUE_SOURCES } from '../../values/evaluate';

export default defineRule({
  meta: {
    id: 'cors/wildcard-with-credentials',
    defaultSeverity: 'warning',
    messages: {
      wildcard: {
        text: 'Access-Control-Allow-Origin is "*" while credentials are allowed.',
        why: 'Browsers refuse this combination, so every cross-origin request that sends cookies fails. Name the origin (the first fix), or drop the credentials header if callers need no cookies.',
      },
    },
    fixes: {
      fixed: { title: 'Allow only {origin}', applicability: 'unsafe', changes: 'narrows who may call this server', changesKasm: 'narrows who may call Kasm' },
      dropCredentials: { title: 'Remove Access-Control-Allow-Credentials', applicability: 'unsafe', changes: 'cross-origin requests no longer carry cookies' },
    },
    reads: ['add_header', 'add_header_inherit', 'server_name', ...VALUE_SOURCES],
    docs: {
      summary: '`Access-Control-Allow-Origin: *` together with `Access-Control-Allow-Credentials: true`.',
      whatItDoes: 'Reports an `add_header Access-Control-Allow-Origin *` where `Access-Control-Allow-Credentials true` is also in effect.',
      whyItMatters:
        'The CORS standard forbids the wildcard on credentialed requests: browsers reject the response. The usual "fix" people reach for is ' +
        'echoing `$http_origin`, which opens the API to every site (cors/reflected-origin); name the origin instead.',
      example: "add_header Access-Control-Allow-Origin * always;\nadd_header Access-Control-Allow-Credentials true always;",
      useInstead: "add_header Access-Control-Allow-Origin https://kasm.example.com always;\nadd_header Access-Control-Allow-Credentials true always;",
      fixSafety:
        'Either names the origin from the server\'s server_name, or drops the credentials header when the caller needs no cookies. Both change ' +
        'which requests succeed: unsafe.',
      references: ['https://developer.mozilla.org/docs/Web/HTTP/CORS/Errors/CORSNotSupportingCredentials'],
    },
  },
  check({ model, settings, report }) {
    for (const d of allowOriginHeaders(model)) {
      const value = d.node.args[1];
      if (value?.value.trim() !== '*') continue;
      const credentials = allowsCredentials(d.parent, settings.nginxVersion);
      if (!credentials) continue;
      const fixes: Array<FixSpec<'fixed' | 'dropCredentials'>> = [];
      const host = serverHost(d.parent);
      if (host) {
        const origin = `https://${host}`;
        fixes.push({ fix: 'fixed', data: { origin }, edits: [{ file: d.file, start: value.start, end: value.end, newText: quoteArgument(origin, value.quote) }] });
      }
      if (credentials.parent === d.parent) fixes.push({ fix: 'dropCredentials', edits: [removeDirective(credentials.file, credentials.node)] });
      report({
        message: 'wildcard',
        file: d.file,
        start: value.start,
        end: value.end,
        related: [{ file: credentials.file, start: credentials.node.start, end: credentials.node.end, message: 'credentials are allowed here' }],
        fixes,
      });
    }
  },
});
