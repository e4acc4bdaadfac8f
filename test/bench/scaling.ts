// The shapes `npm run bench` grows to look for cliffs (BENCH_SECTIONS=scaling): each is a thing real
// configurations do thousands of times (regex locations, map entries, rewrites, log formats, variables
// set in one place and used in another...), written at a size n. The bench lints each at n and 4n next
// to `nginx -t`: a lint whose time grows much more than four times has a cliff (work for each pair of
// directives), as the named captures of map entries had (a map of 8,000 ran out of memory).

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface ScalingShape {
  label: string;
  /** The files of the configuration of size n (paths relative to its folder; nginx.conf is the main one). */
  files(n: number): Record<string, string>;
}

const HEAD = [
  'worker_processes 1;',
  'events {}',
  'http {',
  '    server_names_hash_bucket_size 128;',
  '    server_names_hash_max_size 65536;',
  '    map_hash_bucket_size 128;',
  '    map_hash_max_size 65536;',
  '    variables_hash_max_size 65536;',
  '    types_hash_max_size 65536;',
  '    proxy_headers_hash_max_size 65536;',
];

const main = (lines: string[]) => ({ 'nginx.conf': [...lines, ''].join('\n') });
const times = <T>(n: number, make: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => make(i));
/** One server on port 8080 holding `inner`, in the http block. */
const inServer = (inner: string[]) => main([...HEAD, '    server {', '        listen 8080;', '        server_name example.test;', ...inner.map((l) => `        ${l}`), '    }', '}']);
const ip = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

export const SCALING_SHAPES: Record<string, ScalingShape> = {
  'geo-entries': {
    label: 'geo block entries',
    files: (n) => main([...HEAD, '    geo $blocked {', '        default 0;', ...times(n, (i) => `        ${ip(i)}/32 1;`), '    }', '    server { listen 8080; location / { if ($blocked) { return 403; } return 200; } }', '}']),
  },
  'map-regex-captures': {
    label: 'map regex entries using their named capture',
    files: (n) => main([...HEAD, '    map $uri $target {', '        default "";', ...times(n, (i) => `        ~^/old/page${i}/(?<rest>.*)$ /new/${i}/$rest;`), '    }', '    server { listen 8080; location / { if ($target) { return 301 $target; } return 200; } }', '}']),
  },
  'map-exact': {
    label: 'map exact entries',
    files: (n) => main([...HEAD, '    map $uri $target {', '        default "";', ...times(n, (i) => `        /old/page${i} /new/${i};`), '    }', '    server { listen 8080; location / { if ($target) { return 301 $target; } return 200; } }', '}']),
  },
  'chained-maps': {
    label: 'a map whose entries read another map',
    files: (n) => main([...HEAD, '    map $http_x_a $inner {', '        default "";', ...times(n / 2, (i) => `        ~^a${i}-(?<p>.*)$ /in/${i}/$p$arg_x;`), '    }', '    map $uri $outer {', '        default "";', ...times(n / 2, (i) => `        ~^/o${i}/ $inner$http_x_b;`), '    }', '    server { listen 8080; location / { add_header X-O $outer; return 301 $outer; } }', '}']),
  },
  'many-maps': {
    label: 'maps, each used in a location',
    files: (n) => main([...HEAD, ...times(n / 5, (i) => [`    map $http_x_h${i} $m${i} {`, '        default 0;', '        ~^yes 1;', '    }']).flat(), '    server {', '        listen 8080;', ...times(n / 5, (i) => `        location /m${i}/ { add_header X-M "$m${i}"; return 200; }`), '    }', '}']),
  },
  'server-names': {
    label: 'server_name lines in one server',
    files: (n) => inServer(times(n, (i) => `server_name host${i}.example.test *.w${i}.example.test;`)),
  },
  'server-name-regexes': {
    label: 'servers named by a regex with a capture',
    files: (n) => main([...HEAD, ...times(n / 5, (i) => ['    server {', '        listen 8080;', `        server_name ~^(?<sub>[a-z]+)\\.d${i}\\.example\\.test$;`, '        location / { root /srv/$sub; }', '    }']).flat(), '}']),
  },
  'servers-one-port': {
    label: 'servers on one port',
    files: (n) => main([...HEAD, ...times(n / 5, (i) => ['    server {', '        listen 8080;', `        server_name s${i % 3 === 0 ? 'same' : i}.example.test;`, '        location / { return 200; }', '    }']).flat(), '}']),
  },
  'listens-one-server': {
    label: 'addresses one server listens on',
    // (nginx wants a connection of each worker for every listening socket: see nginx/too-few-worker-connections)
    files: (n) => main([...HEAD.map((l) => (l === 'events {}' ? `events { worker_connections ${n + 512}; }` : l)), '    server {', ...times(n, (i) => `        listen 127.${((i + 1) >> 16) & 255}.${((i + 1) >> 8) & 255}.${(i + 1) & 255}:8080;`), '        location / { return 200; }', '    }', '}']),
  },
  'upstream-servers': {
    label: 'servers of one upstream',
    files: (n) => main([...HEAD, '    upstream pool {', ...times(n, (i) => `        server ${ip(i)}:8080 max_fails=3;`), '    }', '    server { listen 8080; location / { proxy_pass http://pool; } }', '}']),
  },
  'upstream-blocks': {
    label: 'upstream blocks, each proxied to',
    files: (n) => main([...HEAD, ...times(n / 5, (i) => [`    upstream u${i} {`, `        server 10.0.${(i >> 8) & 255}.${i & 255}:8080;`, '        keepalive 8;', '    }']).flat(), '    server {', '        listen 8080;', ...times(n / 5, (i) => `        location /u${i}/ { proxy_pass http://u${i}; }`), '    }', '}']),
  },
  'regex-locations': {
    label: 'regex locations',
    files: (n) => inServer(times(n, (i) => `location ~ ^/api/v${i}/(users|items)/(\\d+)$ { return 200; }`)),
  },
  'regex-locations-captures': {
    label: 'regex locations using their named capture',
    files: (n) => inServer(times(n, (i) => `location ~ ^/p${i}/(?<id>\\d+)$ { return 301 /q${i}/$id; }`)),
  },
  'exact-locations': {
    label: 'exact locations',
    files: (n) => inServer(times(n, (i) => `location = /old/${i}.html { return 301 /new/${i}.html; }`)),
  },
  'nested-locations': {
    label: 'locations nested three deep',
    files: (n) => inServer(times(n / 4, (i) => [`location /a${i}/ {`, `    location /a${i}/b/ {`, `        location /a${i}/b/c/ { return 200; }`, '    }', '}']).flat()),
  },
  'named-locations': {
    label: 'try_files falling back to named locations',
    files: (n) => inServer(times(n / 2, (i) => [`location /n${i}/ { try_files $uri $uri/ @n${i}; }`, `location @n${i} { proxy_pass http://127.0.0.1:${9000 + (i % 100)}; }`]).flat()),
  },
  rewrites: {
    label: 'rewrites in one server',
    files: (n) => inServer([...times(n, (i) => `rewrite ^/old/${i}/(.*)$ /new/${i}/$1 permanent;`), 'location / { return 200; }']),
  },
  'if-blocks': {
    label: 'if blocks with a regex in one location',
    files: (n) => inServer(['location / {', ...times(n, (i) => `    if ($http_user_agent ~* "bot${i}") { return 403; }`), '    return 200;', '}']),
  },
  'host-ifs': {
    label: 'server-level if blocks on $host',
    files: (n) => inServer([...times(n, (i) => `if ($host = h${i}.example.test) { return 301 https://$host$request_uri; }`), 'location / { return 200; }']),
  },
  'server-ifs-captures': {
    label: 'servers whose if sets a named capture used in their location',
    files: (n) => main([...HEAD, ...times(n / 5, (i) => ['    server {', '        listen 8080;', `        server_name x${i}.example.test;`, `        if ($http_host ~ ^(?<sub${i % 10}>[^.]+)\\.x${i}) { set $s $sub${i % 10}; }`, `        location / { add_header X-S $sub${i % 10}; proxy_pass http://127.0.0.1:9000/$s; }`, '    }']).flat(), '}']),
  },
  'add-headers': {
    label: 'add_header lines in one location',
    files: (n) => inServer(['location / {', ...times(n, (i) => `    add_header X-H${i} "v${i}" always;`), '    return 200;', '}']),
  },
  'header-inheritance': {
    label: 'locations with headers of their own under server headers',
    files: (n) => inServer(['add_header X-Frame-Options DENY;', 'add_header X-Content-Type-Options nosniff;', 'proxy_set_header Host $host;', ...times(n / 4, (i) => [`location /h${i}/ {`, `    add_header X-L${i} v;`, `    proxy_set_header X-P${i} v;`, '    proxy_pass http://127.0.0.1:9000;', '}']).flat()]),
  },
  'header-variables': {
    label: 'locations with headers built of variables',
    files: (n) => inServer(times(n, (i) => `location /hv${i}/ { add_header X-V "$host $request_uri $http_x_${i % 50} $arg_q${i % 20}"; proxy_set_header X-F "$http_x_forwarded_for $remote_addr"; proxy_pass http://127.0.0.1:9000; }`)),
  },
  'cors-ifs': {
    label: 'locations echoing an Origin checked by a regex',
    files: (n) => inServer(times(n, (i) => `location /c${i}/ { if ($http_origin ~* "^https://(a|b)${i}\\.example\\.com$") { add_header Access-Control-Allow-Origin $http_origin; } return 200; }`)),
  },
  'inherited-access': {
    label: "locations under their server's allow and deny lines",
    files: (n) => inServer(['allow 10.0.0.0/8;', 'deny all;', ...times(n / 2, (i) => [`location /a${i}/ { proxy_pass http://127.0.0.1:9000; }`, `location = /a${i}/health { return 200; }`]).flat()]),
  },
  'alias-locations': {
    label: 'locations served by alias',
    files: (n) => inServer(times(n / 3, (i) => [`location /s${i} {`, `    alias /srv/s${i}/;`, '}']).flat()),
  },
  'allow-lists': {
    label: 'allow lines in one location',
    files: (n) => inServer(['location / {', ...times(n, (i) => `    allow ${ip(i)};`), '    deny all;', '    return 200;', '}']),
  },
  'mime-types': {
    label: 'types entries',
    files: (n) => main([...HEAD, '    types {', ...times(n, (i) => `        application/x-t${i} ext${i} e${i}x;`), '    }', '    server { listen 8080; location / { return 200; } }', '}']),
  },
  'set-chains': {
    label: 'set lines each reading the one before',
    files: (n) => inServer(['location / {', ...times(n, (i) => `    set $v${i} "$uri$v${Math.max(0, i - 1)}";`), '    return 200 $v0;', '}']),
  },
  'set-elsewhere': {
    label: 'locations using a variable other locations set',
    files: (n) => inServer([...times(n / 2, (i) => `location /gs${i}/ { set $b http://127.0.0.1:${9000 + (i % 100)}; return 200; }`), ...times(n / 2, (i) => `location /gu${i}/ { proxy_pass $b; }`)]),
  },
  'set-and-use': {
    label: 'locations setting the path they proxy to',
    files: (n) => inServer(['set $backend http://127.0.0.1:9000;', ...times(n / 2, (i) => `location /v${i}/ { set $p${i} "/x$uri"; proxy_pass $backend$p${i}; }`)]),
  },
  'rate-limit-zones': {
    label: 'limit_req zones, each used in a location',
    files: (n) => main([...HEAD, ...times(n / 2, (i) => `    limit_req_zone $binary_remote_addr zone=z${i}:1m rate=10r/s;`), '    server {', '        listen 8080;', ...times(n / 2, (i) => `        location /z${i}/ { limit_req zone=z${i} burst=5; return 200; }`), '    }', '}']),
  },
  'rate-limit-one-zone': {
    label: 'locations limited by one zone',
    files: (n) => main([...HEAD, '    limit_req_zone $binary_remote_addr zone=one:10m rate=10r/s;', '    server {', '        listen 8080;', ...times(n, (i) => `        location /l${i}/ { limit_req zone=one burst=20 nodelay; proxy_pass http://127.0.0.1:9000; }`), '    }', '}']),
  },
  'log-formats': {
    label: 'log formats, each used by an access_log',
    files: (n) => main([...HEAD, ...times(n / 2, (i) => `    log_format f${i} '$remote_addr - $remote_user [$time_local] "$request" $status ${i}';`), '    server {', '        listen 8080;', ...times(n / 2, (i) => `        location /lf${i}/ { access_log /dev/null f${i}; return 200; }`), '    }', '}']),
  },
  'snippet-includes': {
    label: 'locations including one proxy snippet',
    files: (n) => ({
      ...inServer(times(n / 3, (i) => [`location /s${i}/ {`, '    include snippets/proxy.conf;', '}']).flat()),
      'snippets/proxy.conf': ['proxy_http_version 1.1;', 'proxy_set_header Host $host;', 'proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;', 'proxy_set_header Upgrade $http_upgrade;', 'proxy_set_header Connection "upgrade";', 'proxy_pass http://127.0.0.1:9000;', ''].join('\n'),
    }),
  },
  'conf-d-files': {
    label: 'files of conf.d, one server each, read by a glob',
    files: (n) => {
      const files: Record<string, string> = main([...HEAD, '    include conf.d/*.conf;', '}']);
      for (let i = 0; i < n / 8; i++) {
        files[`conf.d/site${i}.conf`] = ['server {', '    listen 8080;', `    server_name site${i}.example.test;`, '    location / {', '        include snippets/proxy.conf;', '    }', '}', ''].join('\n');
      }
      files['snippets/proxy.conf'] = ['proxy_set_header Host $host;', 'proxy_pass http://127.0.0.1:9000;', ''].join('\n');
      return files;
    },
  },
  'comment-lines': {
    label: 'comment lines',
    files: (n) => inServer(['location / {', ...times(n, (i) => `    # line ${i} of a long comment about the configuration`), '    return 200;', '}']),
  },
};

/** Writes a shape's files of size n into `dir`. */
export function writeScalingShape(shape: ScalingShape, n: number, dir: string): void {
  for (const [path, text] of Object.entries(shape.files(n))) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}
