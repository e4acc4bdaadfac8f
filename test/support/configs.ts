// Whole nginx configurations for rule tests, small enough to read in a test and complete enough for
// the real `nginx -t`: upstreams resolve to 127.0.0.1, one server listens on a high port.

/** nginx.conf with `http` lines at http level, and a server (kasm.example.com, port 8080) holding `server` lines. */
export function site(server: readonly string[], http: readonly string[] = []): string {
  return [
    'events {}',
    'http {',
    ...http.map((l) => (l ? `    ${l}` : '')),
    '    upstream kasm_api {',
    '        server 127.0.0.1:8081;',
    '    }',
    '    upstream app {',
    '        server 127.0.0.1:8082;',
    '    }',
    '    server {',
    '        listen 8080;',
    '        server_name kasm.example.com;',
    ...server.map((l) => (l ? `        ${l}` : '')),
    '    }',
    '}',
    '',
  ].join('\n');
}

/** Lines of a location block, indented for `site`. */
export function location(path: string, lines: readonly string[]): string[] {
  return [`location ${path} {`, ...lines.map((l) => `    ${l}`), '}'];
}
