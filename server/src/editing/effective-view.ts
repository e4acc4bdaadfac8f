// "Show effective configuration for this block": what nginx really applies in the block at a position,
// after includes and inheritance, as nginx text with a comment saying where each line comes from.

import { basename } from 'node:path';
import type { ProjectAnalysis } from '../engine/analyze';
import { includeChain, type ConfigBlock, type ConfigDirective } from '../model/config';
import { droppedInheritance, effectiveConfig, ONLY_IF_NONE_GROUPS } from '../model/effective';
import { blockAt, type ParsedFile } from '../nginx/ast';
import { CONTEXT_LABELS } from '../nginx/directives';
import { configBlocksFor } from './locate';

function where(d: ConfigDirective): string {
  return `${basename(d.file.path)}:${d.file.lines.positionAt(d.node.start).line + 1}`;
}

function blockTitle(block: ConfigBlock): string {
  if (!block.owner) return `${CONTEXT_LABELS[block.context]} context`;
  const args = block.owner.node.args.map((a) => a.value).join(' ');
  return `${block.owner.node.name}${args ? ` ${args}` : ''} (${where(block.owner)})`;
}

function text(d: ConfigDirective): string {
  return `${d.node.name}${d.node.args.map((a) => ` ${a.quote ? d.file.text.slice(a.start, a.end) : a.value}`).join('')};`;
}

export function renderEffectiveConfig(analysis: ProjectAnalysis, file: ParsedFile, offset: number): string {
  const syntax = blockAt(file.root, offset);
  const blocks = configBlocksFor(analysis, file, syntax);
  if (blocks.length === 0) return `# ${basename(file.path)} is not read by nginx in this configuration (nothing includes it).\n`;
  const version = analysis.settings.nginxVersion;
  const sections = blocks.map((block, i) => {
    const lines: string[] = [];
    const chain = [];
    for (let b: ConfigBlock | undefined = block.parent; b; b = b.parent) chain.push(blockTitle(b));
    lines.push(`# Effective configuration of ${blockTitle(block)}${blocks.length > 1 ? ` — inclusion ${i + 1} of ${blocks.length}` : ''}`);
    if (chain.length) lines.push(`# inside: ${chain.join(' < ')}`);
    lines.push(`# read as: ${block.root.reason}`);
    const via = block.owner ? includeChain(block.owner) : [];
    if (via.length) lines.push(`# included through: ${via.map(where).join(' → ')}`);
    lines.push(`# nginx ${version}; directives not listed keep nginx's defaults`, '');

    const entries = [...effectiveConfig(block, version).values()].flatMap((e) =>
      e.directives.map((d) => ({ d, note: e.inherited ? `inherited from ${blockTitle(d.parent)}` : `here, ${where(d)}` })),
    );
    const width = Math.min(60, Math.max(0, ...entries.map((e) => text(e.d).length)));
    for (const { d, note } of entries) lines.push(`${text(d).padEnd(width)}  # ${note}`);

    const dropped = ONLY_IF_NONE_GROUPS.map((group) => droppedInheritance(block, group[0]!, version)).filter((x) => x !== undefined);
    for (const drop of dropped) {
      lines.push('', `# Not applied here: this block sets its own ${drop.cause[0]!.node.name}, so these from ${blockTitle(drop.from)} are dropped:`);
      for (const d of drop.dropped) lines.push(`#   ${text(d)}`);
    }
    return lines.join('\n');
  });
  return `${sections.join('\n\n')}\n`;
}
