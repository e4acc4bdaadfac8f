import { allowListEdits, allowOriginHeaders, allowsCredentials, originCopies, reflectsOrigin, serverHost } from '../../proxy/cors';
import { quoteArgument } from '../../proxy/locations';
import { guardedByOriginCheck } from '../../proxy/variables';
import { defineRule, type FixSpec } from '../rule';
import { VALUE_SOURCES } from '../../values/evaluate';

export default defineRule({
  meta: {
    id: 'cors/reflected-origin',
    defaultSeverity: 'warning',
    messages: {
      reflected: {
        text: "Access-Control-Allow-Origin echoes the request's Origin ({value}).",
        why: "Every website may then read these responses from a visitor's browser. The fixes allow only this server's origin, or the origins of an allow-list.",
      },
      withCredentials: {
        text: "Access-Control-Allow-Origin echoes the request's Origin ({value}), with credentials allowed.",
        why: "Any website a signed-in user visits can call this server with the user's cookies and read the answers. The fixes allow only this server's origin, or the origins of an allow-list map (add your other hosts to it).",
        whyKasm:
          "Any website a signed-in Kasm user visits can call Kasm with the user's cookies and read the answers: sessions, tokens, user data. Kasm's hardening guide lists it and gives the two fixes offered here: a fixed origin, or an allow-list map (add the hosts of your other zones to it).",
        severity: 'error',
      },
    },
    fixes: {
      fixed: { title: 'Allow only {origin}', applicability: 'unsafe', changes: 'narrows who may call this server', changesKasm: 'narrows who may call Kasm' },
      allowList: {
        title: 'Allow only the origins of an allow-list ({listed}; map $http_origin ${variable}, {count} header{s} switched)',
        applicability: 'unsafe',
        changes: 'narrows who may call this server',
        changesKasm: 'narrows who may call Kasm',
      },
    },
    reads: ['add_header', 'add_header_inherit', 'server_name', ...VALUE_SOURCES],
    docs: {
      summary: 'An Access-Control-Allow-Origin that echoes the request Origin (`$http_origin` or a copy of it).',
      whatItDoes:
        'Reports `add_header Access-Control-Allow-Origin` whose value uses `$http_origin`, or a variable that copies it (`set`, or a `map` ' +
        'whose default is the origin). An error when `Access-Control-Allow-Credentials: true` is in effect at the same place, as Kasm ships in ' +
        'website.conf and upstream_proxy.conf, in every preset; a warning otherwise. A header inside `if ($http_origin ~ regex)` echoes only the origins the ' +
        'regex accepts: that is an allow-list, left to cors/origin-regex, like a `map` that defaults to "", and so is a variable `set` from the ' +
        'Origin inside such an `if` (empty, so no header, for the origins it refuses).',
      whyItMatters:
        'Echoing the Origin allows every site. With credentials allowed too, a page on any site a signed-in user visits can make requests to ' +
        "Kasm carrying the user's cookies and read the responses. Kasm's guide lists it and gives two fixes, both " +
        'offered here.',
      example: "location / {\n    add_header 'Access-Control-Allow-Origin' $http_origin always;\n    add_header 'Access-Control-Allow-Credentials' 'true';\n}",
      useInstead:
        'map $http_origin $cors_allowed_origin {\n    default "";\n    "~^https://kasm\\.example\\.com(:[0-9]+)?$" $http_origin;\n}\n\nserver {\n    server_name kasm.example.com;\n' +
        "    location / {\n        add_header 'Access-Control-Allow-Origin' $cors_allowed_origin always;\n        add_header 'Access-Control-Allow-Credentials' 'true';\n    }\n}",
      fixSafety:
        'Two fixes, both unsafe because they narrow who may call Kasm: a fixed origin `https://<server_name>` (the guide\'s first fix, offered ' +
        'when server_name holds a real host name, not `_`, a wildcard, a regex, an address or a bare machine name such as `ubuntu-base`), or an ' +
        'allow-list `map $http_origin` placed at http level above the server (for Kasm: in orchestrator.conf, never in services.d, which is ' +
        'read inside the server), with every echoing header in the configuration switched to its variable, in one edit. The map sends no ' +
        'header for other origins (nginx omits a header whose value is empty). Add the hosts of your other zones to the map; without a real ' +
        'server_name the map starts empty (same-origin requests need no CORS header), with an example line commented out.',
      references: ['https://developer.mozilla.org/docs/Web/HTTP/CORS', 'https://portswigger.net/web-security/cors'],
    },
  },
  check({ model, settings, report }) {
    const copies = originCopies(model);
    const echoing = allowOriginHeaders(model).filter((d) => reflectsOrigin(d, copies) && !guardedByOriginCheck(d, copies));
    for (const d of echoing) {
      const value = d.node.args[1]!;
      const host = serverHost(d.parent);
      // made when asked for: the allow-list fix of each of thousands of echoing headers switches all of them
      const fixes = () => {
        const specs: Array<FixSpec<'fixed' | 'allowList'>> = [];
        if (host) {
          const origin = `https://${host}`;
          specs.push({ fix: 'fixed', data: { origin }, edits: [{ file: d.file, start: value.start, end: value.end, newText: quoteArgument(origin, d.node.args[0]!.quote) }] });
        }
        const allowList = allowListEdits(model, d.parent, host, echoing);
        if (allowList) {
          const count = allowList.switched;
          const listed = host ? `https://${host}` : 'none yet: add your hosts';
          specs.push({ fix: 'allowList', data: { listed, variable: allowList.variable, count, s: count === 1 ? '' : 's' }, edits: allowList.edits });
        }
        return specs;
      };
      const credentials = allowsCredentials(d.parent, settings.nginxVersion);
      report({
        message: credentials ? 'withCredentials' : 'reflected',
        data: { value: value.value },
        file: d.file,
        start: value.start,
        end: value.end,
        related: credentials ? [{ file: credentials.file, start: credentials.node.start, end: credentials.node.end, message: 'credentials are allowed here' }] : [],
        fixes,
      });
    }
  },
});
