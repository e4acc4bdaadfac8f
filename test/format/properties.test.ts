// Property tests of the formatter (fast-check, each in a worker watched for hangs: ../support/properties.ts)
// on the inputs the engine's properties use (../support/generators.ts): whatever the text, it returns;
// a text that parses is formatted (never refused for a result that would read differently), read
// alike, and formatting is idempotent; a generated configuration the real nginx -t accepts is still
// accepted once formatted.

import assert from 'node:assert/strict';
import { formatNginx, type FormatOptions } from '../../server/src/format/format';
import { generatedConfig, kasmTree, mutate, mutation, nginxText, realNginx } from '../support/generators';
import { messUp, readAs } from '../support/format';
import { fc, property, propertyTests } from '../support/properties';
import { seededRandom } from '../support/random';

const OPTIONS: FormatOptions[] = [{ indent: '    ' }, { indent: '\t', eol: '\r\n' }, { indent: '  ', insertFinalNewline: false, trimTrailingWhitespace: false }];

/** Formats `text` with each set of options: refused only for a syntax error; otherwise read alike and idempotent. */
function checkFormat(text: string): boolean {
  const parses = readAs(text) !== undefined;
  for (const options of OPTIONS) {
    const result = formatNginx('/p.conf', text, options);
    if (!result.ok) {
      assert.ok(!parses, `a file that parses was refused: ${result.reason}`);
      assert.match(result.reason, /^not formatted: line \d+: /);
      continue;
    }
    assert.deepEqual(readAs(result.text), readAs(text), 'read alike');
    const again = formatNginx('/p.conf', result.text, options);
    assert.ok(again.ok && again.text === result.text, 'idempotent');
  }
  return parses;
}

let parsed = 0;
let realChecks = 0;
const atLeast = (what: string, n: number, min: number) => {
  assert.ok(n >= min, `only ${n} ${what}`);
  return `${n} ${what}`;
};

propertyTests({
  'the formatter on any text: refused only for a syntax error, otherwise read alike and idempotent': property({
    arbitrary: nginxText,
    numRuns: 2000,
    perInputMs: 5_000,
    summary: () => atLeast('inputs parsed and formatted', parsed, 50),
    check: (text) => {
      if (checkFormat(text)) parsed++;
    },
  }),

  'the formatter on mutations of the Kasm tree': property({
    arbitrary: fc.tuple(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 5 })),
    numRuns: 500,
    perInputMs: 5_000,
    summary: () => atLeast('mutated files parsed and formatted', parsed, 50),
    check: ([which, mutations]) => {
      const tree = kasmTree();
      if (checkFormat(mutate(tree[which % tree.length]![1], mutations))) parsed++;
    },
  }),

  'generated configurations: formatted, messy copies formatted alike, and still accepted by the real nginx -t': property({
    arbitrary: fc.tuple(generatedConfig, fc.nat()),
    numRuns: 200,
    perInputMs: 10_000,
    summary: () => atLeast('formatted configurations accepted by the real nginx -t before and after', realChecks, 50),
    check: ([config, seed]) => {
      assert.ok(checkFormat(config));
      const formatted = formatNginx('/p.conf', config, { indent: '    ', eol: '\n' });
      assert.ok(formatted.ok);
      const messy = messUp(config, seededRandom(seed));
      const again = formatNginx('/p.conf', messy, { indent: '    ', eol: '\n' });
      assert.ok(again.ok && again.text === formatted.text, `a messy copy formats differently:\n${messy}`);
      if (seed % 2 === 0 && realNginx(config).ok) {
        const verdict = realNginx(formatted.text);
        assert.ok(verdict.ok, `the formatted configuration is refused: ${verdict.message}\n${formatted.text}`);
        realChecks++;
      }
    },
  }),
});
