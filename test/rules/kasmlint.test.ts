import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lintTree } from '../support/engine';
import { ruleTests } from '../support/rule-tester';

const typo = 'location / {\n    proxy_set_heder Host $host;\n}\n';

test('disable-next-line suppresses the named rule on the next line only, with a reason', () => {
  const { findings } = lintTree({
    'site/a.conf': `# kasmlint-disable-next-line nginx/unknown-directive -- module loaded in production\nproxy_set_heder Host $host;\nproxy_set_heder Host $host;\n`,
  });
  assert.deepEqual(findings.map((f) => `${f.rule}:${f.range.start.line + 1}`), ['nginx/unknown-directive:3']);
});

test('disable-line, several rules, and a whole-file disable', () => {
  const line = lintTree({ 'site/a.conf': 'proxy_set_heder Host $host; # kasmlint-disable-line nginx/invalid-context, nginx/unknown-directive\n' });
  assert.deepEqual(line.findings, []);
  const file = lintTree({ 'site/a.conf': `# kasmlint-disable nginx/unknown-directive\n${typo}${typo.replace('location /', 'location /b')}` });
  assert.deepEqual(file.findings.filter((f) => f.rule === 'nginx/unknown-directive' || f.rule === 'kasmlint/suppression'), []);
  assert.ok(file.findings.some((f) => f.rule === 'headers/x-frame-options'), 'the other rules still report');
  const all = lintTree({ 'site/a.conf': `# kasmlint-disable\n${typo}` });
  assert.deepEqual(all.findings, []);
});

test('a suppression does not hide another rule', () => {
  const { findings } = lintTree({ 'site/a.conf': `# kasmlint-disable-next-line nginx/syntax\nproxy_set_heder Host $host;\n` });
  assert.deepEqual(findings.map((f) => f.rule).sort(), ['kasmlint/suppression', 'nginx/unknown-directive']);
});

ruleTests('kasmlint/suppression', {
  valid: [
    { name: 'a suppression that suppresses something', files: { 'site/a.conf': `# kasmlint-disable-next-line nginx/unknown-directive -- reason\nproxy_set_heder Host $host;\n` } },
    { name: 'ordinary comments mentioning kasmlint', files: { 'site/a.conf': '# checked by kasmlint in CI\n# kasmlint: context=server\nlocation / { }\n' } },
  ],
  invalid: [
    {
      name: 'a rule id that does not exist, with the nearest one',
      files: { 'site/a.conf': `# kasmlint-disable-next-line nginx/unknown-directiv\nproxy_set_heder Host $host;\n` },
      findings: [{ path: 'site/a.conf', line: 1, message: /names "nginx\/unknown-directiv", which is not a rule id \(did you mean "nginx\/unknown-directive"\?\)/ }],
    },
    {
      name: 'a suppression with nothing left to suppress: removed by a safe fix',
      files: { 'site/a.conf': `location / {\n    # kasmlint-disable-next-line nginx/unknown-directive -- old typo\n    proxy_set_header Host $host;\n}\n` },
      findings: [{ path: 'site/a.conf', line: 2, severity: 'hint', message: /nothing is reported here any more/ }],
      output: { 'site/a.conf': 'location / {\n    proxy_set_header Host $host;\n}\n' },
    },
    {
      name: 'a kasmlint comment that is not a suppression',
      files: { 'site/a.conf': '# kasmlint-ignore nginx/unknown-directive\nlocation / { }\n' },
      findings: [{ path: 'site/a.conf', line: 1, message: /not understood/ }],
    },
  ],
});

test('kasmlint/finding-limit: a rule stops at maxFindingsPerRule and says where; nginx/* rules still find the first load error', () => {
  const locations = Array.from({ length: 4 }, (_, i) => `    location /p${i}/ {\n        proxy_pass http://127.0.0.1:8081;\n    }\n`).join('');
  const { findings, run } = lintTree({
    '.kasmlintrc.json': '{ "maxFindingsPerRule": 2, "preset": "kasm-default" }',
    'nginx.conf': `events {}\nhttp {\n    server {\n        listen 8080;\n        server_tokens off;\n        proxy_set_heder A b;\n        proxy_set_heder A b;\n        proxy_set_heder A b;\n${locations}    }\n}\n`,
  });
  const count = (rule: string) => findings.filter((f) => f.rule === rule).length;
  assert.equal(count('ratelimit/missing'), 2);
  assert.equal(count('nginx/unknown-directive'), 2);
  const notes = findings.filter((f) => f.rule === 'kasmlint/finding-limit');
  const note = notes.find((f) => f.message.startsWith('ratelimit/missing stopped here after 2 findings'))!;
  assert.ok(note, notes.map((f) => f.message).join('\n'));
  assert.equal(note.severity, 'information');
  assert.equal(note.range.start.line + 1, 15); // the third location, the first one not reported
  const verdict = run.analyses[0]!.nginx;
  assert.ok(!verdict.ok && verdict.line === 6 && /unknown directive "proxy_set_heder"/.test(verdict.message), JSON.stringify(verdict));
});

test('kasmlint/finding-limit: suppression comments past the limit stop as a rule of their own, counted from zero', () => {
  // (the comments suppress nothing: each is a kasmlint/suppression finding; they threw out of the lint)
  const unused = Array.from({ length: 6 }, (_, i) => `        location /p${i}/ { return 204; } # kasmlint-disable-line nginx/syntax\n`).join('');
  const { findings } = lintTree({
    '.kasmlintrc.json': '{ "maxFindingsPerRule": 2, "preset": "nginx-recommended" }',
    'nginx.conf': `events {}\nhttp {\n    server {\n        listen 8080;\n${unused}    }\n}\n`,
  });
  assert.equal(findings.filter((f) => f.rule === 'kasmlint/suppression').length, 2);
  assert.ok(findings.some((f) => f.rule === 'kasmlint/finding-limit' && f.message.startsWith('kasmlint/suppression stopped here after 2 findings')), findings.map((f) => `${f.rule}: ${f.message}`).join('\n'));
});
