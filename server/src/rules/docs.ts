// A rule's documentation page, generated from its declaration: docs/rules/<family>/<name>.md, the
// `kasmlint explain` output and the editor's hover all come from here, so they cannot drift apart.

import { findingSeverity, PRESET_DESCRIPTIONS, PRESETS, presetSeverity, type Preset } from '../engine/presets';
import { messageParts, type FixDeclaration, type MessageDeclaration, type Rule } from './rule';

export function ruleDocPath(id: string): string {
  return `${id}.md`;
}

function code(text: string, lang = 'nginx'): string {
  return `\`\`\`${lang}\n${text}\n\`\`\``;
}

export function renderRuleDoc(rule: Rule): string {
  const { meta } = rule;
  const d = meta.docs;
  const parts: string[] = [
    `# ${meta.id}`,
    d.summary,
    '## Severity',
    severityTable(rule),
    d.severityNote ?? '',
    '## What it does',
    d.whatItDoes,
    '## Why it matters',
    d.whyItMatters,
    '## Example',
    code(d.example),
  ];
  if (d.useInstead) parts.push('## Use instead', code(d.useInstead));
  parts.push('## Messages', 'The line the Problems panel shows, then why it matters (words in braces come from the configuration):', messageList(rule));

  const fixes = Object.values(meta.fixes ?? {}) as FixDeclaration[];
  parts.push('## Fixes');
  if (fixes.length === 0) parts.push('None: the right change depends on what you meant.');
  else {
    const rows = fixes.map((fix) => {
      const title = (fix.changes ? `${fix.title} — ${fix.changes}` : fix.title).replace(/\|/g, '\\|');
      return `| ${title} | ${fix.applicability === 'safe' ? 'yes (safe)' : 'no (unsafe: offered in the editor, or with `--fix --unsafe-fixes`)'} |`;
    });
    parts.push(['| fix | applied by `--fix` and "fix all" |', '|---|---|', ...rows].join('\n'));
    if (d.fixSafety) parts.push(d.fixSafety);
  }

  const options = Object.entries(meta.options ?? {});
  if (options.length > 0) {
    const rows = options.map(([name, option]) => `| \`${name}\` | \`${JSON.stringify(option.default)}\` | ${option.description} |`);
    parts.push('## Options', ['| option | default | meaning |', '|---|---|---|', ...rows].join('\n'));
    parts.push(
      'Set in `.kasmlintrc.json`:',
      code(JSON.stringify({ rules: { [meta.id]: [meta.defaultSeverity, Object.fromEntries(options.map(([n, o]) => [n, o.default]))] } }, null, 2), 'json'),
    );
  }

  parts.push(
    '## Turning it off',
    code(`# kasmlint-disable-next-line ${meta.id} -- <why>`),
    `or \`"rules": { "${meta.id}": "off" }\` in \`.kasmlintrc.json\`.`,
  );
  if (d.references?.length) parts.push('## References', ...d.references.map((r) => `- ${r}`));
  return `${parts.join('\n\n').replace(/\n\n\n+/g, '\n\n')}\n`;
}

export function renderRuleIndex(rules: readonly Rule[]): string {
  const lines = [
    '# Rules',
    '',
    'Severities per preset (`"preset"` in `.kasmlintrc.json`, `kasmlint.preset` in the editor, `--preset` on the command line; by default',
    'kasm-default for a Kasm tree and nginx-recommended for any other configuration). A rule page lists the findings whose severity differs.',
    '',
    ...PRESETS.map((p) => `- **${p}**: ${PRESET_DESCRIPTIONS[p]}`),
    '',
    `| rule | ${PRESETS.join(' | ')} | what it finds |`,
    `|---|${PRESETS.map(() => '---|').join('')}---|`,
  ];
  for (const rule of rules) lines.push(`| [${rule.meta.id}](${ruleDocPath(rule.meta.id)}) | ${PRESETS.map((p) => presetSeverity(rule.meta, p)).join(' | ')} | ${rule.meta.docs.summary} |`);
  return `${lines.join('\n')}\n`;
}

function messagesOf(rule: Rule): Array<[string, ReturnType<typeof messageParts>]> {
  return Object.entries(rule.meta.messages as Record<string, MessageDeclaration>).map(([key, m]) => [key, messageParts(m)]);
}

/** The severity of each kind of finding under each preset: one row when they all share the rule's. */
function severityTable(rule: Rule): string {
  const messages = messagesOf(rule);
  const bySeverity = (severityOf: (p: Preset) => string) => PRESETS.map(severityOf).join(' | ');
  const ruleRow = bySeverity((p) => presetSeverity(rule.meta, p));
  const rows = messages.map(([, parts]) => ({ text: parts.text, row: bySeverity((p) => findingSeverity(rule.meta, p, undefined, undefined, parts.severity)) }));
  const distinct = rows.filter((r) => r.row !== ruleRow);
  const header = [`| finding | ${PRESETS.join(' | ')} |`, `|---|${PRESETS.map(() => '---|').join('')}`];
  if (distinct.length === 0) return [...header, `| every finding | ${ruleRow} |`].join('\n');
  return [...header, ...rows.map((r) => `| ${r.text.replace(/\|/g, '\\|')} | ${r.row} |`)].join('\n');
}

/** Each message: what the Problems panel shows, and why it matters (for any nginx, and on a Kasm tree). */
function messageList(rule: Rule): string {
  return messagesOf(rule)
    .map(([, parts]) => {
      const lines = [`- ${parts.text}`];
      if (parts.why) lines.push(`  ${parts.why}`);
      if (parts.whyKasm) lines.push(`  On a Kasm tree: ${parts.whyKasm}`);
      return lines.join('\n\n');
    })
    .join('\n\n');
}
