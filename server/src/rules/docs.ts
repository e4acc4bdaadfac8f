// A rule's documentation page, generated from its declaration: docs/rules/<family>/<name>.md, the
// `kasmlint explain` output and the editor's hover all come from here, so they cannot drift apart.

import type { Rule } from './rule';

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
    `Default severity: **${meta.defaultSeverity}**.`,
    '## What it does',
    d.whatItDoes,
    '## Why it matters',
    d.whyItMatters,
    '## Example',
    code(d.example),
  ];
  if (d.useInstead) parts.push('## Use instead', code(d.useInstead));

  const fixes = Object.values(meta.fixes ?? {}) as Array<{ title: string; applicability: string }>;
  parts.push('## Fixes');
  if (fixes.length === 0) parts.push('None: the right change depends on what you meant.');
  else {
    const rows = fixes.map((fix) => {
      const title = fix.title.replace(/\{(\w+)\}/g, '<$1>').replace(/\|/g, '\\|');
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
  const lines = ['# Rules', '', '| rule | default | what it finds |', '|---|---|---|'];
  for (const rule of rules) lines.push(`| [${rule.meta.id}](${ruleDocPath(rule.meta.id)}) | ${rule.meta.defaultSeverity} | ${rule.meta.docs.summary} |`);
  return `${lines.join('\n')}\n`;
}
