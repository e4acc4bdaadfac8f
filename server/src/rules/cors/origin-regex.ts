import type { ConfigBlock, ConfigDirective, ConfigModel } from '../../model/config';
import type { Token } from '../../nginx/ast';
import { originCopies } from '../../proxy/cors';
import { quoteArgument, serverOf } from '../../proxy/locations';
import { analyzeOriginRegex, PROBLEM_TEXT, type HeaderKind } from '../../proxy/origin-regex';
import { copiesOf, mapsByVariable, variablesIn } from '../../proxy/variables';
import { keptIn } from '../../core/maps';
import { listWords } from '../../core/strings';
import { directivesNamed } from '../support';
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
  kind: HeaderKind;
  /** The servers whose requests the check applies to. */
  servers: ConfigBlock[];
}

/** Every server that serves TLS only (each of its listen sockets has `ssl` or `quic`). */
function tlsOnly(server: ConfigBlock): boolean {
  const listens = server.items.filter((d) => d.node.name === 'listen');
  return listens.length > 0 && listens.every((d) => d.node.args.slice(1).some((a) => a.value === 'ssl' || a.value === 'quic'));
}

/** An `if` whose body only refuses (`return 403;`): the regex lists what is refused, not what is allowed. */
function refusesOnly(d: ConfigDirective): boolean {
  const items = d.block?.items ?? [];
  return items.length > 0 && items.every((i) => i.node.name === 'return' && Number(i.node.args[0]?.value) >= 400);
}

/** The servers that use a variable (in any directive): where a map's allow-list applies. */
function serversUsing(model: ConfigModel, variables: ReadonlySet<string>): ConfigBlock[] {
  const servers = new Set<ConfigBlock>();
  for (const d of model.directives()) {
    if (!d.node.args.some((a) => a.value.includes('$') && variablesIn(a.value).some((v) => variables.has(v)))) continue;
    const server = serverOf(d.parent);
    if (server) servers.add(server);
  }
  return [...servers];
}

function candidates(model: ConfigModel): Candidate[] {
  const origins = originCopies(model);
  const referers = copiesOf(model, 'http_referer');
  const found: Candidate[] = [];
  for (const definitions of mapsByVariable(model).values()) {
    for (const map of definitions) {
      if (!variablesIn(map.source).some((v) => origins.has(v))) continue;
      const servers = serversUsing(model, copiesOf(model, map.target));
      for (const entry of map.entries) {
        const m = /^(~\*?)(.*)$/s.exec(entry.key);
        if (!m || entry.value === '') continue;
        found.push({ directive: entry.directive, token: entry.directive.node.nameToken, regex: m[2]!, prefix: m[1]!, suffix: '', caseless: m[1] === '~*', kind: 'origin', servers });
      }
    }
  }
  for (const d of directivesNamed(model, 'if')) {
    if (d.node.terminator !== '{') continue;
    const [subject, operator, ...rest] = d.node.args;
    if (!subject || !operator || !/^!?~\*?$/.test(operator.value)) continue;
    const names = variablesIn(subject.value);
    const kind: HeaderKind | undefined = names.some((v) => origins.has(v)) ? 'origin' : names.some((v) => referers.has(v)) ? 'referer' : undefined;
    if (!kind) continue;
    if (!operator.value.startsWith('!') && refusesOnly(d)) continue;
    const token = rest[0];
    if (!token) continue;
    const alone = rest.length === 2 && rest[1]!.value === ')';
    const suffix = !alone && token.value.endsWith(')') ? ')' : '';
    const server = serverOf(d.parent);
    found.push({ directive: d, token, regex: suffix ? token.value.slice(0, -1) : token.value, prefix: '', suffix, caseless: operator.value.endsWith('*'), kind, servers: server ? [server] : [] });
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
      weakReferer: {
        text: 'This Referer check also accepts {example}, a page an attacker can host.',
        why:
          'The regex {problems}. A Referer check is meant to admit only requests made from your own pages (hotlinking, CSRF-style ' +
          'protection): an attacker who hosts the page the example names passes it with any browser.',
      },
    },
    fixes: {
      tighten: { title: 'Use {fixed}', applicability: 'unsafe', changes: 'fewer origins match' },
    },
    docs: {
      summary: 'An Origin or Referer allow-list regex that accepts hosts an attacker can register.',
      whatItDoes:
        'Checks the regexes a `map` on `$http_origin` (or a copy of it) lists with a non-empty value, and the regexes of `if ($http_origin ~ ...)`, ' +
        '`if ($http_origin !~ ...)` (a negated check is an allow-list too) and `if ($http_referer ~ ...)` / `!~`. ' +
        'It starts from the origins the regex was written for and tries what an attacker can send: a letter for an unescaped dot ' +
        '(`kasmxexample.com`), their own domain after the name (`kasm.example.com.evil.example`: no `$`), their name glued before it ' +
        '(`evilexample.com`: no `^`, a wildcard or an optional part without a dot), any origin at all, and `http://` where the servers ' +
        'using the check listen with TLS only. Every problem reported comes with an origin the regex accepts, decided by kasmlint\'s own ' +
        'linear-time regex automaton: no configuration regex is run, so a regex that would backtrack for ever is analysed like any other.',
      whyItMatters:
        "Kasm's own guide gives `~^https?://(.*\\.)?example.com(:\\d+)?$`: its unescaped dot also accepts `https://examplexcom`, and for a name " +
        'like kasm.example.com an attacker can register kasmxexample.com and read Kasm responses with the user\'s cookies. A Referer check with ' +
        'the same mistakes admits pages on the attacker\'s own site.',
      example: 'map $http_origin $allow_origin {\n    ~^https?://(.*\\.)?example.com(:\\d+)?$ $http_origin;\n    default "";\n}',
      useInstead: 'map $http_origin $allow_origin {\n    "~^https?://(.*\\.)?example\\.com(:\\d+)?$" $http_origin;\n    default "";\n}',
      fixSafety:
        'Escapes the literal dots, anchors both ends, keeps wildcards and optional parts to whole labels, and drops `http` from `https?` when ' +
        'the servers are TLS-only. The fix is offered only when the fixed regex turns the example away, still accepts the origin the regex ' +
        'was written for, and has nothing left to report. Unsafe: it narrows which origins match.',
      references: ['https://portswigger.net/web-security/cors#errors-parsing-origin-headers'],
    },
  },
  check({ model, report }) {
    // once per server: a server of 8,000 locations each with its Origin check read its items 8,000 times
    const tlsOnlyServers = new Map<ConfigBlock, boolean>();
    for (const c of candidates(model)) {
      const httpsOnly = c.servers.length > 0 && c.servers.every((server) => keptIn(tlsOnlyServers, server, tlsOnly));
      const analysis = analyzeOriginRegex(c.regex, c.caseless, { kind: c.kind, httpsOnly });
      if (analysis.problems.length === 0) continue;
      const fixes = analysis.fixed
        ? [{ fix: 'tighten' as const, data: { fixed: analysis.fixed }, edits: [{ file: c.directive.file, start: c.token.start, end: c.token.end, newText: `${quoteArgument(`${c.prefix}${analysis.fixed}`, c.token.quote)}${c.suffix}` }] }]
        : [];
      report({
        message: c.kind === 'referer' ? 'weakReferer' : 'weak',
        data: {
          problems: listWords(analysis.problems.map((p) => PROBLEM_TEXT[p])),
          example: c.kind === 'referer' ? (analysis.example ?? '') : analysis.example ? ` (it accepts ${analysis.example})` : '',
        },
        file: c.directive.file,
        start: c.token.start,
        end: c.token.end,
        fixes,
      });
    }
  },
});
