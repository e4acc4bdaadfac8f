// kasm/compose-volume: a Kasm install as the installer lays it out (/opt/kasm/<version>/conf/nginx,
// docker/docker-compose.yaml, certs/), written from the semantics of Kasm's proxy service: its volumes
// mount the nginx tree at /etc/nginx/conf.d and the certificate files at their container paths.

import { kasmCompose } from '../support/kasm';
import { everyMessageProduced, ruleTests } from '../support/rule-tester';

const ORCHESTRATOR = (extra = '') => `server {
    listen 443 ssl;
    server_name kasm.example.com;
    ssl_certificate /etc/ssl/certs/kasm_nginx.crt;
    ssl_certificate_key /etc/ssl/private/kasm_nginx.key;
${extra}
    include /etc/nginx/conf.d/services.d/*.conf;
}
`;

const SERVICES = { 'conf/nginx/services.d/website.conf': 'location / {\n    root /srv/www;\n}\n' };

const COMPOSE = (extra?: string) => kasmCompose(extra ? [extra] : []);

const CERTS = { 'certs/kasm_nginx.crt': 'certificate\n', 'certs/kasm_nginx.key': 'key\n' };
const DHPARAM = '    ssl_dhparam /etc/ssl/certs/dhparam.pem;';

ruleTests('kasm/compose-volume', {
  valid: [
    { name: 'the stock install: the certificate and key are mounted and present', files: { 'conf/nginx/orchestrator.conf': ORCHESTRATOR(), ...SERVICES, 'docker/docker-compose.yaml': COMPOSE(), ...CERTS } },
    {
      name: 'ssl_dhparam with the volume the guide shows, and the file created',
      files: {
        'conf/nginx/orchestrator.conf': ORCHESTRATOR(DHPARAM),
        ...SERVICES,
        'docker/docker-compose.yaml': COMPOSE('/opt/kasm/1.16.1/certs/dhparam.pem:/etc/ssl/certs/dhparam.pem'),
        ...CERTS,
        'certs/dhparam.pem': 'parameters\n',
      },
    },
    {
      name: 'a folder mounted over the certificates folder (long volume syntax)',
      files: {
        'conf/nginx/orchestrator.conf': ORCHESTRATOR(DHPARAM),
        ...SERVICES,
        'docker/docker-compose.yaml': COMPOSE('type: bind\n        source: /opt/kasm/1.16.1/certs\n        target: /etc/ssl/certs'),
        ...CERTS,
        'certs/dhparam.pem': 'parameters\n',
      },
    },
    { name: 'no docker-compose.yaml beside the tree (a copy of conf/nginx alone)', files: { 'conf/nginx/orchestrator.conf': ORCHESTRATOR(DHPARAM), ...SERVICES } },
    {
      name: 'a compose file without a proxy service',
      files: { 'conf/nginx/orchestrator.conf': ORCHESTRATOR(DHPARAM), ...SERVICES, 'docker/docker-compose.yaml': 'services:\n  db:\n    image: postgres\n' },
    },
    {
      name: 'not a Kasm tree: an nginx.conf tree is not read against a compose file',
      files: {
        'conf/nginx/nginx.conf': `events {}\nhttp {\n${ORCHESTRATOR(DHPARAM)}}\n`,
        'docker/docker-compose.yaml': COMPOSE(),
      },
    },
  ],
  invalid: [
    {
      name: "ssl_dhparam added without the guide's volume: the fix adds it under the compose file's own root",
      files: { 'conf/nginx/orchestrator.conf': ORCHESTRATOR(DHPARAM), ...SERVICES, 'docker/docker-compose.yaml': COMPOSE(), ...CERTS, 'certs/dhparam.pem': 'parameters\n' },
      findings: [{ path: 'conf/nginx/orchestrator.conf', line: 6, column: 17, message: /^\/etc\/ssl\/certs\/dhparam\.pem is not mounted into the proxy container/, severity: 'error' }],
      output: { 'docker/docker-compose.yaml': COMPOSE('/opt/kasm/1.16.1/certs/dhparam.pem:/etc/ssl/certs/dhparam.pem') },
    },
    {
      name: 'a custom certificate at a path the proxy service does not mount',
      files: {
        'conf/nginx/orchestrator.conf': ORCHESTRATOR().replace('/etc/ssl/certs/kasm_nginx.crt', '/etc/ssl/certs/kasm.example.com.pem'),
        ...SERVICES,
        'docker/docker-compose.yaml': COMPOSE(),
        ...CERTS,
        'certs/kasm.example.com.pem': 'certificate\n',
      },
      findings: [{ path: 'conf/nginx/orchestrator.conf', line: 4, message: /kasm\.example\.com\.pem is not mounted/ }],
      output: { 'docker/docker-compose.yaml': COMPOSE('/opt/kasm/1.16.1/certs/kasm.example.com.pem:/etc/ssl/certs/kasm.example.com.pem') },
    },
    {
      name: 'a proxy service without volumes gets the key at the indentation of its other keys',
      files: {
        'conf/nginx/orchestrator.conf': ORCHESTRATOR(DHPARAM),
        ...SERVICES,
        'docker/docker-compose.yaml': 'services:\n    proxy:\n        container_name: kasm_proxy\n        image: kasmweb/proxy:1.16.1\n',
        ...CERTS,
        'certs/dhparam.pem': 'parameters\n',
      },
      findings: [
        { path: 'conf/nginx/orchestrator.conf', line: 4 },
        { path: 'conf/nginx/orchestrator.conf', line: 5 },
        { path: 'conf/nginx/orchestrator.conf', line: 6 },
      ],
      output: {
        'docker/docker-compose.yaml':
          'services:\n    proxy:\n        container_name: kasm_proxy\n        image: kasmweb/proxy:1.16.1\n        volumes:\n          - /opt/kasm/current/certs/kasm_nginx.crt:/etc/ssl/certs/kasm_nginx.crt\n' +
          '          - /opt/kasm/current/certs/kasm_nginx.key:/etc/ssl/private/kasm_nginx.key\n          - /opt/kasm/current/certs/dhparam.pem:/etc/ssl/certs/dhparam.pem\n',
      },
    },
    {
      name: 'the volume is there but the file was never created: Docker would mount an empty folder',
      files: {
        'conf/nginx/orchestrator.conf': ORCHESTRATOR(DHPARAM),
        ...SERVICES,
        'docker/docker-compose.yaml': COMPOSE('/opt/kasm/1.16.1/certs/dhparam.pem:/etc/ssl/certs/dhparam.pem'),
        ...CERTS,
      },
      findings: [{ path: 'conf/nginx/orchestrator.conf', line: 6, message: /^\/opt\/kasm\/1\.16\.1\/certs\/dhparam\.pem, mounted at \/etc\/ssl\/certs\/dhparam\.pem, does not exist/ }],
    },
    {
      name: 'the composeFile setting points at a compose file kept elsewhere',
      files: {
        'conf/nginx/orchestrator.conf': ORCHESTRATOR(DHPARAM),
        ...SERVICES,
        'conf/nginx/.kasmlintrc.json': '{ "composeFile": "../../deploy/compose.yml" }\n',
        'deploy/compose.yml': COMPOSE(),
        ...CERTS,
        'certs/dhparam.pem': 'parameters\n',
      },
      findings: [{ path: 'conf/nginx/orchestrator.conf', line: 6 }],
      output: { 'deploy/compose.yml': COMPOSE('/opt/kasm/1.16.1/certs/dhparam.pem:/etc/ssl/certs/dhparam.pem') },
    },
  ],
});

everyMessageProduced(['kasm/compose-volume']);
