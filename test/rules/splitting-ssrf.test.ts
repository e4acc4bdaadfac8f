// Rules on where values come from: header splitting, SSRF, the Host sent upstream, regexes that
// backtrack. Each case is written from the rule's semantics; the facts behind them are measured on
// the real nginx in test/values/real-nginx.test.ts.

import { location, site } from '../support/configs';
import { everyMessageProduced, ruleTests } from '../support/rule-tester';

ruleTests('headers/crlf-injection', {
  valid: [
    {
      name: 'values the client cannot fill with line breaks: $request_uri, arguments, headers, $host',
      files: {
        'nginx.conf': site([
          ...location('/', [
            'proxy_set_header X-Original-URI $request_uri;',
            'add_header X-Arg $arg_q;',
            'add_header X-Agent $http_user_agent;',
            'return 302 https://$host$request_uri;',
          ]),
        ]),
      },
    },
    {
      name: 'captures whose class excludes line breaks; (.*) sent upstream (a lone CR does not split a request)',
      files: {
        'nginx.conf': site([
          ...location('~ ^/img/([a-z0-9]+)\\.png$', ['return 302 https://cdn.example.com/$1.png;']),
          ...location('~ ^/api/(.*)$', ['proxy_pass http://kasm_api/v2/$1;']),
        ]),
      },
    },
    {
      name: 'rewrite ... redirect escapes its captures; a return with a body is not a header',
      files: {
        'nginx.conf': site([...location('/old/', ['rewrite ^/old/([^/]+)$ https://new.example.com/$1 permanent;']), ...location('/echo', ['return 200 "$uri";'])]),
      },
    },
    {
      name: 'a variable set to fixed text, and a map of fixed values',
      files: {
        'nginx.conf': site([...location('/', ['set $target /home;', 'add_header X-Target $target;', 'add_header X-Mode $mode;', 'return 204;'])], ['map $http_x_mode $mode {', '    default off;', '    debug on;', '}']),
      },
    },
  ],
  invalid: [
    {
      name: '$uri in a response header: %0D%0A becomes CR LF',
      files: { 'nginx.conf': site(location('/files/', ['add_header X-Path $uri;', 'return 204;'])) },
      findings: [{ path: 'nginx.conf', line: 13, severity: 'error', message: /^\$uri can put CR LF into the "X-Path" response header\.$/ }],
    },
    {
      name: 'a capture of [^/]+ in a redirect, through set',
      files: { 'nginx.conf': site(location('~ ^/go/([^/]+)$', ['set $dest $1;', 'return 302 https://kasm.example.com/$dest;'])) },
      findings: [{ path: 'nginx.conf', line: 14, message: /^\$dest can put CR LF into the Location header of the redirect\.$/ }],
    },
    {
      name: '(.*) carries a carriage return only: reported for a response header, as a warning',
      files: { 'nginx.conf': site(location('~ ^/dl/(.*)$', ['add_header Content-Disposition "attachment; filename=$1";', 'return 204;'])) },
      findings: [{ path: 'nginx.conf', line: 13, severity: 'warning', message: /can put a carriage return into the "Content-Disposition" response header/ }],
    },
    {
      name: 'a decoded value sent upstream, as a header and in the request line',
      files: {
        'nginx.conf': site(location('~ ^/p/([^/]+)$', ['proxy_set_header X-Name $1;', 'proxy_pass http://kasm_api/items/$1;'])),
      },
      findings: [
        { path: 'nginx.conf', line: 13, message: /the "X-Name" header sent upstream/ },
        { path: 'nginx.conf', line: 14, message: /into the request line sent upstream/ },
      ],
    },
    {
      name: 'a named capture in rewrite ... redirect is a variable: copied as it is',
      files: { 'nginx.conf': site(location('/r/', ['rewrite "^/r/(?<rest>[^/]+)$" https://kasm.example.com/$rest redirect;'])) },
      findings: [{ path: 'nginx.conf', line: 13, message: /^\$rest can put CR LF into the Location header/ }],
    },
    {
      name: 'through a map whose default is the decoded path',
      files: { 'nginx.conf': site(location('/', ['add_header X-Canonical $canonical;', 'return 204;']), ['map $http_x_legacy $canonical {', '    default $uri;', '    "" "/";', '}']) },
      findings: [{ path: 'nginx.conf', line: 17, message: /^\$canonical can put CR LF/ }],
    },
  ],
});

ruleTests('proxy/ssrf', {
  valid: [
    {
      name: 'a path built from the client, a host chosen by a map of fixed upstreams',
      files: {
        'nginx.conf': site([...location('/a/', ['proxy_pass http://kasm_api$request_uri;']), ...location('/b/', ['proxy_pass http://$backend;'])], ['map $arg_site $backend {', '    default kasm_api;', '    reports app;', '}']),
      },
    },
    {
      name: "Kasm's shape: the address comes from auth_request_set, filled by the API's response headers",
      files: {
        'nginx.conf': site([
          ...location('/connect', ['internal;', 'proxy_pass http://kasm_api/api/connect/;']),
          ...location('/desktop/', [
            'auth_request /connect;',
            'auth_request_set $connect_hostname $upstream_http_connect_hostname;',
            'auth_request_set $connect_port $upstream_http_connect_port;',
            'auth_request_set $connect_schema $upstream_http_connect_schema;',
            'proxy_pass $connect_schema://$connect_hostname:$connect_port;',
          ]),
        ]),
      },
    },
    {
      name: 'an internal location, and $host (checked by nginx)',
      files: { 'nginx.conf': site([...location('/x/', ['internal;', 'proxy_pass http://$arg_host;']), ...location('/y/', ['proxy_pass http://$host:8081;'])]) },
    },
    {
      name: 'a capture restricted to one label in front of a fixed domain',
      files: { 'nginx.conf': site(location('~ ^/t/([a-z]+)/', ['resolver 127.0.0.1;', 'proxy_pass http://$1.svc.example.internal;'])) },
    },
  ],
  invalid: [
    {
      name: 'a query parameter as the host',
      files: { 'nginx.conf': site(location('/fetch', ['resolver 127.0.0.1;', 'proxy_pass http://$arg_host$request_uri;'])) },
      findings: [{ path: 'nginx.conf', line: 14, severity: 'error', message: /^proxy_pass connects to a host the client chooses, through \$arg_host\.$/ }],
    },
    {
      name: 'captures of the path as scheme and host, through set',
      files: { 'nginx.conf': site(location('~ ^/proxy/(.+)/(.+)/(.*)$', ['resolver 127.0.0.1;', 'set $s $1;', 'set $h $2;', 'proxy_pass $s://$h/$3;'])) },
      findings: [{ path: 'nginx.conf', line: 16, message: /^proxy_pass connects to a scheme and address the client chooses, through \$s\.$/ }],
    },
    {
      name: 'the whole address from a header',
      files: { 'nginx.conf': site(location('/', ['resolver 127.0.0.1;', 'proxy_pass $http_x_target;'])) },
      findings: [{ path: 'nginx.conf', line: 14, message: /^proxy_pass connects to an address the client chooses, through \$http_x_target\.$/ }],
    },
    {
      name: 'fastcgi_pass with the client\'s Host header',
      files: { 'nginx.conf': site(location('/php/', ['resolver 127.0.0.1;', 'fastcgi_pass $http_host:9000;'])) },
      findings: [{ path: 'nginx.conf', line: 14, message: /^fastcgi_pass connects to a host the client chooses, through \$http_host\.$/ }],
    },
  ],
});

ruleTests('proxy/host-spoofing', {
  valid: [
    { name: '$host', files: { 'nginx.conf': site(location('/', ['proxy_set_header Host $host;', 'proxy_pass http://app;'])) } },
    { name: 'a fixed name and $proxy_host', files: { 'nginx.conf': site([...location('/a/', ['proxy_set_header Host app.internal;', 'proxy_pass http://app;']), ...location('/b/', ['proxy_set_header Host $proxy_host;', 'proxy_pass http://app;'])]) } },
    { name: 'another header from $http_host is not the Host', files: { 'nginx.conf': site(location('/', ['proxy_set_header X-Forwarded-Host $host;', 'proxy_pass http://app;'])) } },
  ],
  invalid: [
    {
      name: '$http_host, as Kasm\'s RD Gateway route sends it: fixed to $host',
      files: { 'nginx.conf': site(location('/rpc', ['proxy_pass http://app;', 'proxy_set_header Host $http_host;'])) },
      findings: [{ path: 'nginx.conf', line: 14, column: 35, severity: 'warning', message: /^The Host sent upstream is \$http_host, which the client sets as it likes\.$/ }],
      output: { 'nginx.conf': site(location('/rpc', ['proxy_pass http://app;', 'proxy_set_header Host $host;'])) },
      nginxAcceptsOutput: true,
    },
    {
      name: 'X-Forwarded-Host and a query parameter, mixed case, no fix',
      files: { 'nginx.conf': site([...location('/a/', ['proxy_set_header HOST $http_x_forwarded_host;', 'proxy_pass http://app;']), ...location('/b/', ['proxy_set_header Host "$arg_tenant.example.com";', 'proxy_pass http://app;'])]) },
      findings: [
        { path: 'nginx.conf', line: 13, message: /\$http_x_forwarded_host/ },
        { path: 'nginx.conf', line: 17, message: /\$arg_tenant/ },
      ],
    },
  ],
});

ruleTests('regex/redos', {
  valid: [
    {
      name: 'classes that cannot trade bytes, a single wildcard, two wildcards (degree 2, below the default minimum)',
      files: {
        'nginx.conf': site([
          ...location('~ ^/workspace/([^/]+)/([^/]+)/([^/]+)$', ['return 204;']),
          ...location('~* \\.(css|js|png)$', ['return 204;']),
          ...location('~ ^/(.*)/(.*)$', ['return 204;']),
          'fastcgi_split_path_info ^(.+\\.php)(/.+)$;',
        ]),
      },
    },
    {
      name: 'a header regex whose blow-up needs a line feed (headers never hold one)',
      files: { 'nginx.conf': site(location('/', ['if ($http_x_list ~ "^(.*),(.*),(.*)$") {', '    return 403;', '}', 'return 204;'])) },
    },
    {
      name: 'a value the client does not set',
      files: { 'nginx.conf': site(location('/', ['if ($upstream_http_x ~ "^(a+)+$") {', '    return 403;', '}', 'return 204;'])) },
    },
  ],
  invalid: [
    {
      name: "Kasm's website.conf rewrites: degree 6, 4 and 3",
      files: {
        'nginx.conf': site(
          location('/', [
            'rewrite ^/workspace/(.+)/(.+)/(.+)/(.+)/(.+)/(.+)$ /$2/$3/$4/$5/$6 last;',
            'rewrite ^/workspace/(.+)/(.+)/(.+)/(.+)$ /$2/$3/$4 last;',
            'rewrite ^/workspace/(.+)/(.+)/(.+)$ /$2/$3 last;',
            'rewrite ^/workspace/(.+)/(.*)$ /$2 break;',
            'root /srv/www;',
          ]),
        ),
      },
      findings: [
        { path: 'nginx.conf', line: 13, severity: 'warning', message: /^This regex makes PCRE try about n\^6 splits of an n-byte subject that does not match\.$/ },
        { path: 'nginx.conf', line: 14, message: /n\^4/ },
        { path: 'nginx.conf', line: 15, message: /n\^3/ },
      ],
    },
    {
      name: 'exponential: a repeated group that matches the same text two ways, on a header',
      files: { 'nginx.conf': site(location('/', ['if ($http_user_agent ~* "^(\\w+\\s?)+$") {', '    return 403;', '}', 'return 204;'])) },
      findings: [{ path: 'nginx.conf', line: 13, message: /^This regex makes PCRE try exponentially many paths/ }],
    },
    {
      name: 'a map regex on the Referer, and a regex server name',
      files: {
        'nginx.conf': site(['server_name ~^(.+)-(.+)-(.+)\\.example\\.com$;', ...location('/', ['return 204;'])], ['map $http_referer $ref {', '    "~^https://(.*)/(.*)/(.*)/x$" 1;', '}']),
      },
      findings: [
        { path: 'nginx.conf', line: 4, message: /n\^3/ },
        { path: 'nginx.conf', line: 15, message: /n\^3/ },
      ],
    },
  ],
});

everyMessageProduced(['headers/crlf-injection', 'proxy/ssrf', 'proxy/host-spoofing', 'regex/redos']);
