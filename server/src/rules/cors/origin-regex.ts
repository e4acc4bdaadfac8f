import type { ConfigDirective } from '../../model/config';
import type { Token } from '../../nginx/ast';
import { originCopies } from '../../proxy/cors';
import { quoteArgument } from '../../proxy/locations';
import { analyzeOriginRegex, PROBLEM_TEXT } from '../../proxy/origin-regex';
import { mapsByVariable, variablesIn } from '../../proxy/variables';
import { listWords } from '../../core/strings';
import { defineRule } from '../rule';

interface Candidate {
  directive: ConfigDirective;
  token: Token;
  /** The regex as PCRE gets it, and what precedes it in the token (`~`, `~*`). */
  regex: string;
  prefix: string;
  /** Text after the regex in the token (an `if` condition's closing parenthesis). */
  suffix: string;
  caseless: boolean;
}

function candidates(directives: readonly ConfigDirective[], copies: ReadonlySet<string>, maps: ReturnType<typeof mapsByVariable>): Candidate[] {
  const found: Candidate[] = [];
  for (const definitions of maps.values()) {
    for (const map of definitions) {
      if (!variablesIn(map.source).some((v) => copies.has(v))) continue;
      for (const entry of map.entries) {
        const m = /^(~\*?)(.*)$/s.exec(entry.key);
        if (!m || entry.value === '') continue;
        found.push({ directive: entry.directive, token: entry.directive.node.nameToken, regex: m[2]!, prefix: m[1]!, suffix: '', caseless: m[1] === '~*' });
      }
    }
  }
  for (const d of directives) {
    if (d.node.name !== 'if' || d.node.terminator !== '{') continue;
    const [subject, operator, ...rest] = d.node.args;
    if (!subject || !operator || !/^~\*?$/.test(operator.value)) continue;
    if (!variablesIn(subject.value).some((v) => copies.has(v))) continue;
    const token = rest[0];
    if (!token) continue;
    const alone = rest.length === 2 && rest[1]!.value === ')';
    const suffix = !alone && token.value.endsWith(')') ? ')' : '';
    found.push({ directive: d, token, regex: suffix ? token.value.slice(0, -1) : token.value, prefix: '', suffix, caseless: operator.value === '~*' });
  }
  return found;
}

export default defineRule({
  meta: {
    id: 'cors/origin-regex',
    defaultSeverity: 'warning',
    messages: {
      weak: {
        text: 'This Origin allow-list regex accepts hosts an attacker can register{example}.',
        why: 'It {problems}: a site an attacker controls passes the check and gets the CORS access meant for your own hosts. The fix escapes the dots, anchors both ends and keeps wildcards to whole labels.',
        whyKasm:
          "It {problems}: a site an attacker controls passes the check and reads Kasm's answers with the user's cookies. Kasm's own guide gives such a regex; the fix escapes the dots, anchors both ends and keeps wildcards to whole labels.",
      },
    },
    fixes: {
      tighten: { title: 'Use {fixed}', applicability: 'unsafe', changes: 'fewer origins match' },
    },
    docs: {
      summary: 'An Origin allow-list regex that accepts hosts an attacker can register.',
      whatItDoes:
        'Checks the regexes a `map` on `$http_origin` (or a copy of it) lists with a non-empty value, and the regex of `if ($http_origin ~ ...)`. ' +
        'Reports a dot left unescaped between name characters, a missing `$` or `^`, and a wildcard glued to the name (`.*example\\.com`). ' +
        'The message shows an origin that gets through, verified by running the regex on it (only regexes that cannot backtrack ' +
        'catastrophically are run; the others are judged by their structure alone).',
      whyItMatters:
        "Kasm's own guide gives `~^https?://(.*\\.)?example.com(:\\d+)?$`: its unescaped dot also accepts `https://examplexcom`, and for a name " +
        'like kasm.example.com an attacker can register kasmxexample.com and read Kasm responses with the user\'s cookies.',
      example: 'map $http_origin $allow_origin {\n    ~^https?://(.*\\.)?example.com(:\\d+)?$ $http_origin;\n    default "";\n}',
      useInstead: 'map $http_origin $allow_origin {\n    "~^https?://(.*\\.)?example\\.com(:\\d+)?$" $http_origin;\n    default "";\n}',
      fixSafety: 'Escapes the literal dots, anchors both ends and keeps wildcards to whole labels. Unsafe: it narrows which origins match.',
      references: ['https://portswigger.net/web-security/cors#errors-parsing-origin-headers'],
    },
  },
  check({ model, report }) {
    const copies = originCopies(model);
    for (const c of candidates(model.directives(), copies, mapsByVariable(model))) {
      const analysis = analyzeOriginRegex(c.regex, c.caseless);
      if (analysis.problems.length === 0) continue;
      const newText = `${quoteArgument(`${c.prefix}${analysis.fixed}`, c.token.quote)}${c.suffix}`;
      report({
        message: 'weak',
        data: {
          problems: listWords(analysis.problems.map((p) => PROBLEM_TEXT[p])),
          example: analysis.example ? ` (it accepts ${analysis.example})` : '',
        },
        file: c.directive.file,
        start: c.token.start,
        end: c.token.end,
        fixes: [{ fix: 'tighten', data: { fixed: analysis.fixed }, edits: [{ file: c.directive.file, start: c.token.start, end: c.token.end, newText }] }],
      });
    }
  },
});
