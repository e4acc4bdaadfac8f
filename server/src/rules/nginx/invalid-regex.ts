import { type ConfigDirective, specOf } from '../../model/config';
import type { Token } from '../../nginx/ast';
import { versionNumber } from '../../nginx/directives';
import { locationName } from '../../semantics/location';
import { pcreError, pcreMessage } from '../../semantics/pcre';
import { defineRule } from '../rule';
import { includeTrail } from '../support';

/** A regex nginx compiles, and where it is written: the token and the pattern's offset inside its value. */
interface Regex {
  token: Token;
  pattern: string;
  /** Characters of the token's value before the pattern (a `~` or `~*` glued to it). */
  skip: number;
}

function glued(token: Token): Regex | undefined {
  const m = /^~\*?/.exec(token.value);
  return m ? { token, pattern: token.value.slice(m[0].length), skip: m[0].length } : undefined;
}

/** A map's (geo's, types'...) entry: a map's key starting with `~` is a regex. */
function mapEntryRegexes(directive: ConfigDirective): Regex[] {
  const { node } = directive;
  if (directive.parent.owner?.node.name !== 'map' || !node.name.startsWith('~')) return [];
  const m = /^~\*?/.exec(node.name)!;
  return [{ token: node.nameToken, pattern: node.name.slice(m[0].length), skip: m[0].length }];
}

const firstArgument = (directive: ConfigDirective): Regex[] => directive.node.args.slice(0, 1).map((a) => ({ token: a, pattern: a.value, skip: 0 }));
const tildeArguments = (directive: ConfigDirective): Regex[] => directive.node.args.filter((a) => a.value.startsWith('~') && a.value.length > 1).map((a) => glued(a)!);
const tildeFirstOfTwo = (directive: ConfigDirective): Regex[] => {
  const args = directive.node.args;
  return args.length === 2 && args[0]!.value.startsWith('~') ? [glued(args[0]!)!] : [];
};

/**
 * The directives that hand regexes to PCRE (location, server_name, if, rewrite and the like), each with
 * where its regexes are; map keys are read by mapEntryRegexes. Looked up by name first: a configuration
 * of 100,000 directives has a few hundred of these.
 */
const REGEXES_BY_NAME = new Map<string, (directive: ConfigDirective) => Regex[]>([
  [
    'location',
    (directive) => {
      const args = directive.node.args;
      const location = locationName(directive);
      if (!location?.regex) return [];
      if (args.length === 2) return [{ token: args[1]!, pattern: args[1]!.value, skip: 0 }];
      return [glued(args[0]!)!];
    },
  ],
  ['server_name', tildeArguments],
  ['rewrite', firstArgument],
  ['fastcgi_split_path_info', firstArgument],
  [
    'if',
    (directive) => {
      const args = directive.node.args;
      const words = args.map((a) => a.value);
      const op = words.findIndex((w) => /^!?~\*?$/.test(w));
      if (op < 0 || op === words.length - 1) return [];
      const operand = args[op + 1]!;
      const closes = op + 1 === args.length - 1; // `~ regex)`: the ")" of the condition is glued to it
      return [{ token: operand, pattern: closes ? operand.value.replace(/\)$/, '') : operand.value, skip: 0 }];
    },
  ],
  ['gzip_disable', (directive) => directive.node.args.filter((a) => a.value !== 'msie6' && a.value !== 'degradation').map((a) => ({ token: a, pattern: a.value, skip: 0 }))],
  ['valid_referers', tildeArguments],
  ['proxy_redirect', tildeFirstOfTwo],
  ['proxy_cookie_domain', tildeFirstOfTwo],
  ['proxy_cookie_path', tildeFirstOfTwo],
]);

export default defineRule({
  meta: {
    id: 'nginx/invalid-regex',
    defaultSeverity: 'error',
    messages: {
      invalid: {
        text: '{nginx}.',
        why: '{explain}nginx compiles every regex when it reads the configuration, and refuses the configuration when PCRE cannot compile one.',
      },
    },
    reads: ['fastcgi_split_path_info', 'gzip_disable', 'if', 'include', 'load_module', 'location', 'map', 'proxy_cookie_domain', 'proxy_cookie_path', 'proxy_redirect', 'rewrite', 'server_name', 'valid_referers'],
    docs: {
      summary: 'A regex (location ~, server_name ~, if, rewrite, map) that PCRE refuses to compile.',
      whatItDoes:
        "Reads each regex nginx hands to PCRE2 (nginx 1.21.5 and later) the way PCRE2 reads it and reports the errors people make, with PCRE2's " +
        'own message and position, as nginx prints them: unbalanced parentheses, a quantifier with nothing to repeat (`location ~ *.php`), an ' +
        'unclosed or out-of-order character class, bad `{n,m}` counts, escapes PCRE2 does not know, bad group names. Each message and offset ' +
        'was measured on the real nginx. Constructs it does not model (extended mode, references, lookbehind lengths, Unicode properties) are ' +
        'left alone; no regex is ever run.',
      whyItMatters: 'One bad regex stops nginx from starting or reloading; `*.php` is a glob, not a regex.',
      example: 'location ~ *.php$ {\n    return 404;\n}',
      useInstead: 'location ~ \\.php$ {\n    return 404;\n}',
    },
  },
  check({ model, catalog, report, stopped }) {
    const pcre2 = versionNumber(catalog.version) >= versionNumber('1.21.5');
    const all = model.directives();
    for (let i = 0; i < all.length; i++) {
      const directive = all[i]!;
      if (stopped(directive.seq)) break; // in reading order: nothing later matters either
      const { node } = directive;
      const entry = directive.parent.context === 'opaque';
      const regexesOf = entry ? mapEntryRegexes : REGEXES_BY_NAME.get(node.name);
      if (!regexesOf || node.terminator === null) continue;
      const owner = entry ? directive.parent.owner : directive;
      if (!owner || !specOf(catalog, owner)) continue;
      for (const regex of regexesOf(directive)) {
        const error = pcreError(regex.pattern);
        if (!error) continue;
        const message = pcreMessage(regex.pattern, error);
        const quote = regex.token.quote ? 1 : 0;
        const at = regex.token.start + quote + regex.skip + Math.min(error.offset, regex.pattern.length);
        const explain = /quantifier does not follow/.test(error.message) && /^\*/.test(regex.pattern)
          ? 'A regex is not a glob: "*" repeats what comes before it, and here nothing does ("\\.php$" matches names ending in .php). '
          : '';
        report({
          message: 'invalid',
          data: { nginx: message, explain },
          file: directive.file,
          start: Math.min(at, regex.token.end),
          end: Math.min(at + 1, regex.token.end),
          related: includeTrail(directive),
          ...(pcre2 ? { nginx: { seq: directive.seq, line: node.nginxLine, message } } : {}),
        });
        break;
      }
    }
  },
});
