import { allowListEdits, allowOriginHeaders, allowsCredentials, guardedByOriginCheck, originCopies, reflectsOrigin, serverHost } from '../../proxy/cors';
import { quoteArgument } from '../../proxy/locations';
import { defineRule, type FixSpec } from '../rule';

export default defineRule({
  meta: {
    id: 'cors/reflected-origin',
    defaultSeverity: 'warning',
    messages: {
      reflected:
        'Access-Control-Allow-Origin echoes the request\'s Origin ({value}): every website is allowed to read these responses from a visitor\'s browser.',
      withCredentials:
        "Access-Control-Allow-Origin echoes the request's Origin ({value}) while Access-Control-Allow-Credentials is true: any website a signed-in Kasm user visits can call Kasm with the user's cookies and read the answers (sessions, tokens, user data).",
    },
    fixes: {
      fixed: { title: 'Allow only {origin}', applicability: 'unsafe' },
      allowList: { title: 'Allow only origins on an allow-list (map $http_origin ${variable}, {count} header{s} switched)', applicability: 'unsafe' },
    },
    docs: {
      summary: 'An Access-Control-Allow-Origin that echoes the request Origin (`$http_origin` or a copy of it).',
      whatItDoes:
        'Reports `add_header Access-Control-Allow-Origin` whose value uses `$http_origin`, or a variable that copies it (`set`, or a `map` ' +
        'whose default is the origin). Error when `Access-Control-Allow-Credentials: true` is in effect at the same place, as Kasm ships in ' +
        'website.conf and upstream_proxy.conf; warning otherwise. A header inside `if ($http_origin ~ regex)` echoes only the origins the ' +
        'regex accepts: that is an allow-list, left to cors/origin-regex, like a `map` that defaults to "".',
      whyItMatters:
        'Echoing the Origin allows every site. With credentials allowed too, a page on any site a signed-in user visits can make requests to ' +
        "Kasm carrying the user's cookies and read the responses. Kasm's guide calls it a low-severity finding and gives two fixes, both " +
        'offered here.',
      example: "location / {\n    add_header 'Access-Control-Allow-Origin' $http_origin always;\n    add_header 'Access-Control-Allow-Credentials' 'true';\n}",
      useInstead:
        'map $http_origin $cors_allowed_origin {\n    default "";\n    "~^https://kasm\\.example\\.com(:[0-9]+)?$" $http_origin;\n}\n\nserver {\n    server_name kasm.example.com;\n' +
        "    location / {\n        add_header 'Access-Control-Allow-Origin' $cors_allowed_origin always;\n        add_header 'Access-Control-Allow-Credentials' 'true';\n    }\n}",
      fixSafety:
        'Two fixes, both unsafe because they narrow who may call Kasm: a fixed origin `https://<server_name>` (the guide\'s first fix), or an ' +
        'allow-list `map $http_origin` placed at http level above the server (for Kasm: in orchestrator.conf, never in services.d, which is ' +
        'read inside the server), with every echoing header in the configuration switched to its variable, in one edit. The map sends no ' +
        'header for other origins (nginx omits a header whose value is empty). Add the hosts of your other zones to the map.',
      references: ['https://developer.mozilla.org/docs/Web/HTTP/CORS', 'https://portswigger.net/web-security/cors'],
    },
  },
  check({ model, settings, report }) {
    const copies = originCopies(model);
    const echoing = allowOriginHeaders(model).filter((d) => reflectsOrigin(d, copies) && !guardedByOriginCheck(d, copies));
    for (const d of echoing) {
      const value = d.node.args[1]!;
      const host = serverHost(d.parent);
      const fixes: Array<FixSpec<'fixed' | 'allowList'>> = [];
      if (host) {
        const origin = `https://${host}`;
        fixes.push({ fix: 'fixed', data: { origin }, edits: [{ file: d.file, start: value.start, end: value.end, newText: quoteArgument(origin, d.node.args[0]!.quote) }] });
        const allowList = allowListEdits(model, d.parent, host, echoing);
        if (allowList) {
          const count = allowList.switched;
          fixes.push({ fix: 'allowList', data: { variable: allowList.variable, count, s: count === 1 ? '' : 's' }, edits: allowList.edits });
        }
      }
      const credentials = allowsCredentials(d.parent, settings.nginxVersion);
      report({
        message: credentials ? 'withCredentials' : 'reflected',
        data: { value: value.value },
        file: d.file,
        start: value.start,
        end: value.end,
        severity: credentials ? 'error' : undefined,
        related: credentials ? [{ file: credentials.file, start: credentials.node.start, end: credentials.node.end, message: 'credentials are allowed here' }] : [],
        fixes,
      });
    }
  },
});
