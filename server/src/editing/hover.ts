// Hover text (Markdown): a directive's reference documentation, a variable's meaning, a rule's reason.

import type { ProjectAnalysis } from '../engine/analyze';
import { CONTEXT_LABELS, type ContextKind, type DirectiveCatalog, type DirectiveSpec, syntaxLines, variableSpecs, type VariableSpec } from '../nginx/directives';
import type { Directive, ParsedFile } from '../nginx/ast';
import { describeCertificate, readCertificate } from '../tls/certificates';
import { columns, expandCipherString, VERSION } from '../tls/openssl';
import { PROFILES } from '../tls/profiles';
import { tlsServers, WEAKNESS_TEXT, weaknesses } from '../tls/servers';
import type { Finding } from '../engine/findings';
import type { Preset } from '../engine/presets';
import type { Settings } from '../engine/settings';
import { analysedDirective, contextAt, locate } from './locate';
import { variableDefinitions } from './symbols';

export function nginxDocsUrl(spec: Pick<DirectiveSpec, 'module' | 'name'>): string {
  const m = spec.module;
  const folder = m.startsWith('ngx_http_') ? 'http/' : m.startsWith('ngx_stream_') ? 'stream/' : m.startsWith('ngx_mail_') ? 'mail/' : '';
  const page = m === 'Core functionality' ? 'ngx_core_module' : m;
  return `https://nginx.org/en/docs/${folder}${page}.html#${spec.name}`;
}

/** A directive's reference as nginx.org lays it out (Syntax, Default, Context), for the configured version. */
export function directiveDoc(spec: DirectiveSpec, version?: string): string {
  const contexts = [...new Set([...spec.contexts].map((c) => CONTEXT_LABELS[c]))].join(', ');
  const value = spec.default.trim().replace(/\n\s*/g, ' ');
  const notes = [
    spec.since ? `This directive appeared in version ${spec.since}.` : '',
    spec.plusOnly ? 'Available in NGINX Plus only.' : '',
  ].filter(Boolean);
  const lines = [
    `**${spec.name}** · ${spec.module === 'Core functionality' ? 'core' : spec.module}${version ? ` · nginx ${version}` : ''}`,
    '```nginx',
    ...syntaxLines(spec, version),
    '```',
    `Default: ${value ? `\`${spec.name} ${value};\`` : '—'}  `,
    `Context: ${contexts}`,
    ...(notes.length ? ['', notes.join(' ')] : []),
    '',
    spec.docs.description,
    '',
    `[nginx.org documentation](${nginxDocsUrl(spec)})`,
  ];
  return lines.join('\n');
}

/** The reference entry of a variable; `$http_upgrade` matches `$http_NAME`. */
export function variableSpec(name: string): VariableSpec | undefined {
  const specs = variableSpecs();
  const exact = specs.get(name);
  if (exact) return exact;
  for (const spec of specs.values()) {
    if (spec.name.endsWith('_NAME') && name.startsWith(spec.name.slice(0, -4)) && name.length > spec.name.length - 4) return spec;
  }
  return undefined;
}

/**
 * A finding as the hover over its range shows it: rule, severity and where that comes from, the
 * message, why it matters here, and a link to the rule's page. Kept short: a line may carry several.
 */
export function findingDoc(finding: Finding, severitySource: string, docsUrl: string | undefined): string {
  const lines = [`**${finding.rule}** · ${finding.severity} (${severitySource})`, '', finding.message];
  if (finding.detail) lines.push('', finding.detail);
  if (docsUrl) lines.push('', `[Documentation of ${finding.rule}](${docsUrl})`);
  return lines.join('\n');
}

/** Where a finding's severity comes from, for the hover: the settings, or the preset. */
export function severitySource(settings: Settings, preset: Preset, rule: string): string {
  return settings.rules[rule]?.severity ? 'set in the settings' : `preset ${preset}`;
}

/** The variable name under `offset` inside a word (`$name` or `${name}`), if any. */
export function variableAt(text: string, start: number, end: number, offset: number): string | undefined {
  const word = text.slice(start, end);
  const re = /\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g;
  for (let m = re.exec(word); m; m = re.exec(word)) {
    if (start + m.index <= offset && offset <= start + m.index + m[0].length) return m[1];
  }
  return undefined;
}

/** The expansion of an ssl_ciphers value as a Markdown table, with what is weak about each suite. */
export function cipherTable(value: string, analysis: ProjectAnalysis | undefined, directive: Directive | undefined): string {
  const expansion = expandCipherString(value);
  if (!expansion.ok) return `OpenSSL: **${expansion.error}**: nginx refuses to start with this string.`;
  const server = analysis && directive ? tlsServers(analysis.model, analysis.settings.nginxVersion).find((s) => s.ciphers.from?.node === directive) : undefined;
  const fips = analysis ? PROFILES[analysis.settings.tlsProfile].fipsOnly : false;
  const inert = new Map(server?.inert.map((x) => [x.cipher, x.why]) ?? []);
  const rows = expansion.ciphers.map((c) => {
    const col = columns(c);
    const weak = weaknesses(c, fips).map((w) => WEAKNESS_TEXT[w].replace(/ \(.*\)$/, ''));
    const note = inert.get(c) ?? (weak.length ? `⚠ ${weak.join('; ')}` : c.minTls === VERSION.TLS1_3_VERSION ? 'TLS 1.3 (not set by ssl_ciphers)' : '');
    return `| ${col.name} | ${col.protocol} | ${col.kx} | ${col.au} | ${col.enc} | ${col.mac} | ${note} |`;
  });
  return [
    `**${expansion.tls12.length} suites** as OpenSSL 3.0 expands the string (plus the TLS 1.3 suites, which \`ssl_ciphers\` does not set):`,
    '',
    '| suite | protocol | Kx | Au | Enc | Mac | |',
    '|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

/**
 * Markdown for the word under `offset`, or undefined. `context`, when given, is the context the whole
 * file is read in (a statement read on its own, editing/analysed-view.ts).
 */
export function hoverAt(analysis: ProjectAnalysis | undefined, catalog: DirectiveCatalog, file: ParsedFile, offset: number, context?: ContextKind): { markdown: string; start: number; end: number } | undefined {
  const at = locate(file, offset);
  if (!at.directive || !at.token) return undefined;
  const { token, index } = at.token;

  if (index === -1) {
    const spec = catalog.specIn(at.directive.name, context ?? contextAt(analysis, file, at.directive.start)) ?? catalog.specs(at.directive.name)[0];
    if (!spec) return undefined;
    return { markdown: directiveDoc(spec, catalog.version), start: token.start, end: token.end };
  }
  if (at.directive.name === 'ssl_ciphers' && index === 0) {
    return { markdown: cipherTable(token.value, analysis, analysis && analysedDirective(analysis, file, at.directive)), start: token.start, end: token.end };
  }
  if ((at.directive.name === 'ssl_certificate' || at.directive.name === 'proxy_ssl_trusted_certificate') && index === 0 && analysis && !token.value.includes('$')) {
    const { localPath, read } = analysis.model.readReferenced(token.value);
    if (!read.ok) return { markdown: `${localPath}: ${read.message} (kasmlint cannot read the certificate here)`, start: token.start, end: token.end };
    const info = readCertificate(read.text);
    return { markdown: 'error' in info ? `${localPath}: ${info.error}` : describeCertificate(info), start: token.start, end: token.end };
  }

  const variable = variableAt(file.text, token.start, token.end, offset);
  if (!variable) return undefined;
  const defined = analysis ? variableDefinitions(analysis).get(variable) : undefined;
  if (defined?.length) {
    const d = defined[0]!;
    const where = `${d.file.path.split('/').pop()}:${d.file.lines.positionAt(d.node.start).line + 1}`;
    return { markdown: `**$${variable}** · set by \`${d.node.name}\` at ${where}`, start: token.start, end: token.end };
  }
  const spec = variableSpec(variable);
  if (!spec) return undefined;
  return { markdown: `**$${variable}** · ${spec.module}\n\n${spec.docs.description}`, start: token.start, end: token.end };
}
