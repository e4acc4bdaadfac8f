// Generic reverse-proxy configurations of the shapes people share for home-lab and small-office proxies
// (one server per application with shared ssl.conf/proxy.conf includes, applications under a sub-folder,
// API and WebSocket locations, `deny all` for dot files, a CORS preflight answered with 204, a metrics
// location for the local network): the configurations the nginx-recommended preset is measured on.
// Written for this project from those shapes, not copied; no Kasm names anywhere.

const PROXY_CONF = [
  'proxy_http_version 1.1;',
  'proxy_set_header Host $host;',
  'proxy_set_header X-Real-IP $remote_addr;',
  'proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
  'proxy_set_header X-Forwarded-Proto $scheme;',
  'proxy_set_header Upgrade $http_upgrade;',
  'proxy_set_header Connection $connection_upgrade;',
  'proxy_buffering off;',
  'proxy_read_timeout 240s;',
  '',
].join('\n');

const SSL_CONF = [
  'ssl_certificate keys/cert.crt;',
  'ssl_certificate_key keys/cert.key;',
  'ssl_protocols TLSv1.2 TLSv1.3;',
  'ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305;',
  'ssl_prefer_server_ciphers off;',
  'ssl_session_timeout 1d;',
  'ssl_session_cache shared:SSL:10m;',
  'ssl_session_tickets off;',
  'add_header Strict-Transport-Security "max-age=63072000" always;',
  '',
].join('\n');

/** A server for one application at its own host name, proxied through variables as such samples do. */
function app(name: string, port: number, extra: string[] = []): string {
  const proxied = (path: string) => [
    `    location ${path} {`,
    '        include proxy.conf;',
    `        set $upstream_app ${name};`,
    `        set $upstream_port ${port};`,
    '        set $upstream_proto http;',
    '        proxy_pass $upstream_proto://$upstream_app:$upstream_port;',
    '    }',
  ];
  return [
    'server {',
    '    listen 443 ssl;',
    `    server_name ${name}.*;`,
    '    include ssl.conf;',
    '    client_max_body_size 0;',
    ...proxied('/'),
    ...proxied(`~ (/${name})?/api`),
    ...extra,
    '}',
    '',
  ].join('\n');
}

/** Files of a generic proxy rooted at nginx.conf (certificates not included: `keys/cert.crt|key`). */
export function genericProxyTree(): Record<string, string> {
  return {
    'nginx.conf': [
      'events {}',
      'http {',
      '    resolver 127.0.0.11 valid=30s;',
      '    server_tokens off;',
      '    map $http_upgrade $connection_upgrade {',
      '        default upgrade;',
      "        ''      close;",
      '    }',
      '    include sites/*.conf;',
      '}',
      '',
    ].join('\n'),
    'proxy.conf': PROXY_CONF,
    'ssl.conf': SSL_CONF,
    'sites/default.conf': [
      'server {',
      '    listen 80 default_server;',
      '    server_name _;',
      '    location / {',
      '        return 301 https://$host$request_uri;',
      '    }',
      '}',
      'server {',
      '    listen 443 ssl default_server;',
      '    server_name _;',
      '    include ssl.conf;',
      '    root /srv/www;',
      '    location / {',
      '        try_files $uri $uri/ /index.html;',
      '    }',
      '    location ~ /\\. {',
      '        deny all;',
      '    }',
      '    location /books {',
      '        return 301 $scheme://$host/books/;',
      '    }',
      '    location ^~ /books/ {',
      '        include proxy.conf;',
      '        proxy_pass http://127.0.0.1:8083;',
      '    }',
      '    location /metrics {',
      '        allow 10.0.0.0/8;',
      '        deny all;',
      '        proxy_pass http://127.0.0.1:9100;',
      '    }',
      '}',
      '',
    ].join('\n'),
    'sites/photos.conf': app('photos', 2342),
    'sites/vault.conf': app('vault', 80, [
      '    location ~ (/vault)?/notifications/hub {',
      '        include proxy.conf;',
      '        proxy_pass http://127.0.0.1:3012;',
      '    }',
      '    location ~ /\\.ht {',
      '        deny all;',
      '    }',
    ]),
    'sites/dashboard.conf': app('dashboard', 3000),
    'sites/api.conf': [
      'server {',
      '    listen 443 ssl;',
      '    server_name api.example.org;',
      '    include ssl.conf;',
      '    location / {',
      "        add_header Access-Control-Allow-Origin https://app.example.org always;",
      "        add_header Access-Control-Allow-Methods 'GET, POST, OPTIONS' always;",
      '        if ($request_method = OPTIONS) {',
      "            add_header Access-Control-Allow-Origin https://app.example.org;",
      "            add_header Access-Control-Max-Age 86400;",
      "            add_header X-Content-Type-Options nosniff;",
      '            return 204;',
      '        }',
      '        default_type application/json;',
      '        proxy_pass http://127.0.0.1:8000;',
      '    }',
      '}',
      '',
    ].join('\n'),
  };
}
