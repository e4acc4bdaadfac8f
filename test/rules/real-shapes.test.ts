// No new noise on real configurations: configs written for these tests in the shapes of widely used
// ones (a reverse-proxy container with an SSO portal and per-app files, a web-server boilerplate built on
// maps of the response type, a PHP application's documented server block, nginx's own examples).
// Each must give exactly the findings listed from the rules the value analysis added.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lintTree } from '../support/engine';
import { VALUE_RULES } from '../support/value-rules';

const NEW_RULES = new Set(VALUE_RULES);

function newFindings(files: Record<string, string>): string[] {
  return lintTree(files)
    .findings.filter((f) => NEW_RULES.has(f.rule))
    .map((f) => `${f.rule} ${f.path}:${f.range.start.line + 1}`)
    .sort();
}

const portal = (app: string, port: number, proto: string) => `server {
    listen 443 ssl;
    server_name ${app}.*;
    include ssl.conf;
    include sso-server.conf;
    location / {
        include sso-location.conf;
        include proxy.conf;
        resolver 127.0.0.11 valid=30s;
        set $upstream_app ${app};
        set $upstream_port ${port};
        set $upstream_proto ${proto};
        proxy_pass $upstream_proto://$upstream_app:$upstream_port;
    }
    location ~ (/${app})?/api {
        include proxy.conf;
        resolver 127.0.0.11 valid=30s;
        set $upstream_app ${app};
        set $upstream_port ${port};
        set $upstream_proto ${proto};
        proxy_pass $upstream_proto://$upstream_app:$upstream_port;
    }
}
`;

test('a reverse-proxy container: apps proxied through set variables behind an SSO portal', () => {
  const files = {
    'nginx.conf': 'events {}\nhttp {\n    map $http_upgrade $connection_upgrade {\n        default upgrade;\n        "" close;\n    }\n    include site-confs/*.conf;\n    include apps/*.conf;\n}\n',
    'site-confs/default.conf':
      'server {\n    listen 80 default_server;\n    location / {\n        return 301 https://$host$request_uri;\n    }\n}\nserver {\n    listen 443 ssl default_server;\n    server_name _;\n    include ssl.conf;\n    root /srv/www;\n    location ~ ^(.+\\.php)(.*)$ {\n        fastcgi_split_path_info ^(.+\\.php)(.*)$;\n        fastcgi_pass 127.0.0.1:9000;\n    }\n    location ~ /\\.ht {\n        deny all;\n    }\n}\n',
    'ssl.conf': 'ssl_certificate /srv/keys/cert.crt;\nssl_certificate_key /srv/keys/cert.key;\nadd_header Strict-Transport-Security "max-age=63072000" always;\nadd_header X-Frame-Options SAMEORIGIN always;\n',
    'proxy.conf':
      'proxy_http_version 1.1;\nproxy_set_header Connection $connection_upgrade;\nproxy_set_header Upgrade $http_upgrade;\nproxy_set_header Host $host;\nproxy_set_header X-Forwarded-Host $host:$server_port;\nproxy_set_header X-Forwarded-Uri $request_uri;\nproxy_set_header X-Original-URL $scheme://$http_host$request_uri;\nproxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\nproxy_cache_bypass $cookie_session;\n',
    'sso-server.conf':
      'location ^~ /sso {\n    include proxy.conf;\n    resolver 127.0.0.11 valid=30s;\n    set $upstream_sso sso;\n    proxy_pass http://$upstream_sso:9091;\n}\nlocation = /sso/api/verify {\n    internal;\n    resolver 127.0.0.11 valid=30s;\n    set $upstream_sso sso;\n    proxy_pass http://$upstream_sso:9091/sso/api/verify;\n    proxy_pass_request_body off;\n    proxy_set_header Content-Length "";\n}\nlocation @sso_signin {\n    internal;\n    set $sso_backend $http_host;\n    return 302 https://$sso_backend/sso/?rd=$scheme://$http_host$request_uri;\n}\n',
    'sso-location.conf':
      'auth_request /sso/api/verify;\nerror_page 401 = @sso_signin;\nauth_request_set $user $upstream_http_remote_user;\nauth_request_set $groups $upstream_http_remote_groups;\nproxy_set_header Remote-User $user;\nproxy_set_header Remote-Groups $groups;\n',
    'apps/kasm.conf': portal('kasm', 8443, 'https'),
    'apps/media.conf': portal('media', 8096, 'http'),
  };
  assert.deepEqual(newFindings(files), ['proxy/upstream-tls-unverified apps/kasm.conf:13', 'proxy/upstream-tls-unverified apps/kasm.conf:21']);
});

test('a web-server boilerplate: security headers from maps of the response type, a redirecting www server', () => {
  const files = {
    'nginx.conf':
      'events {}\nhttp {\n    map $sent_http_content_type $frame_options {\n        ~*text/html DENY;\n    }\n    map $sent_http_content_type $cors_origin {\n        ~*image/ "*";\n        ~*font/ "*";\n        ~*application/font-woff2 "*";\n    }\n    map $sent_http_content_type $expires_for {\n        default off;\n        ~*text/html epoch;\n        ~*image/ 1M;\n    }\n    expires $expires_for;\n    include sites/*.conf;\n}\n',
    'sites/site.conf':
      'server {\n    listen 443 ssl default_server;\n    server_name _;\n    ssl_reject_handshake on;\n}\nserver {\n    listen 443 ssl;\n    server_name www.site.example;\n    ssl_certificate /srv/c.crt;\n    ssl_certificate_key /srv/c.key;\n    return 301 $scheme://site.example$request_uri;\n}\nserver {\n    listen 443 ssl;\n    server_name site.example;\n    ssl_certificate /srv/c.crt;\n    ssl_certificate_key /srv/c.key;\n    root /srv/site/public;\n    add_header X-Frame-Options $frame_options always;\n    add_header Access-Control-Allow-Origin $cors_origin;\n    location ~* /\\.(?!well-known\\/) {\n        deny all;\n    }\n    location ~* (?:\\.(?:bak|conf|dist|log|orig|sql|sw[op])|~)$ {\n        deny all;\n    }\n}\n',
  };
  assert.deepEqual(newFindings(files), []);
});

test("a PHP application's documented server block: lookahead rewrites, path-info split, static files", () => {
  const files = {
    'nginx.conf': [
      'events {}',
      'http {',
      '    upstream php-fpm { server 127.0.0.1:9000; }',
      '    map $arg_v $immutable { "" ""; default ", immutable"; }',
      '    server {',
      '        listen 443 ssl;',
      '        server_name files.example.org;',
      '        root /srv/app;',
      '        add_header X-Content-Type-Options nosniff always;',
      '        location = / { if ($http_user_agent ~ ^DavClnt) { return 302 /remote.php/webdav/$is_args$args; } }',
      '        location = /robots.txt { allow all; access_log off; }',
      '        location ^~ /.well-known { location = /.well-known/carddav { return 301 /remote.php/dav/; } return 301 /index.php$request_uri; }',
      '        location ~ ^/(?:build|tests|config|lib|data)(?:$|/) { return 404; }',
      '        location ~ \\.php(?:$|/) {',
      '            rewrite ^/(?!index|remote|public|status|ocs\\/v[12]|updater\\/.+) /index.php$request_uri;',
      '            fastcgi_split_path_info ^(.+?\\.php)(/.*)$;',
      '            set $path_info $fastcgi_path_info;',
      '            try_files $fastcgi_script_name =404;',
      '            fastcgi_param PATH_INFO $path_info;',
      '            fastcgi_pass php-fpm;',
      '        }',
      '        location ~ \\.(?:css|js|svg|png|webp)$ {',
      '            try_files $uri /index.php$request_uri;',
      '            add_header Cache-Control "public, max-age=15778463$immutable";',
      '            add_header X-Content-Type-Options nosniff always;',
      '        }',
      '        location / { try_files $uri $uri/ /index.php$request_uri; }',
      '    }',
      '}',
      '',
    ].join('\n'),
  };
  assert.deepEqual(newFindings(files), []);
});

test("nginx's documentation examples: what they leave to the reader is reported, nothing else", () => {
  const files = {
    'nginx.conf': [
      'events {}',
      'http {',
      '    upstream pool {',
      '        server app1.example.com weight=5;',
      '        server 127.0.0.1:8080;',
      '    }',
      '    server {',
      '        listen 80;',
      '        server_name one.example.com;',
      '        location ~ \\.php$ { fastcgi_pass 127.0.0.1:9000; fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name; }',
      '        location ~ ^/(images|javascript|css|media|static)/ { root /var/www/static; expires 30d; }',
      '        location / { proxy_pass http://pool; proxy_set_header Host $host; }',
      '        location = /basic_status { stub_status; }',
      '        location /i/ { alias /data/w3/images/; }',
      '        location ~ ^/users/(.+\\.(?:gif|jpe?g|png))$ { alias /data/w3/images/$1; }',
      '    }',
      '    server {',
      '        listen 80;',
      '        server_name ~^(www\\.)?(?<domain>.+)$;',
      '        root /sites/$domain;',
      '        location /download/ {',
      '            rewrite ^(/download/.*)/media/(\\w+)\\.?.*$ $1/mp3/$2.mp3 last;',
      '            return 403;',
      '        }',
      '        location / {',
      '            if ($http_cookie ~* "id=([^;]+)(?:;|$)") { set $id $1; }',
      '            if ($request_method = POST) { return 405; }',
      '        }',
      '    }',
      '}',
      '',
    ].join('\n'),
  };
  assert.deepEqual(newFindings(files), ['access/status-page-exposed nginx.conf:13', 'proxy/stale-dns nginx.conf:4', 'server/no-default nginx.conf:8']);
});
