// The check behind headers/inheritance and proxy/header-inheritance: a level that sets one
// `add_header` (or `proxy_set_header`) inherits none from the levels above, so the headers set there
// silently stop applying. The fix re-declares the dropped ones at that level.

import { listWords } from '../core/strings';
import { droppedInheritance, inheritanceGroup } from '../model/effective';
import type { ContextKind } from '../nginx/directives';
import { insertLinesAfter } from '../rules/edits';
import type { RuleContext } from '../rules/rule';
import { describeBlock, directivesNamed, includeTrail } from '../rules/support';
import type { ConfigDirective } from '../model/config';
import { headerName, rawText } from './locations';

export interface DroppedOptions<M extends string> {
  /** The message reported (default "dropped"). */
  message?: M;
  /** Report only when one of the dropped directives matters (all of them are re-declared by the fix). */
  matters?: (d: ConfigDirective) => boolean;
}

export function checkDroppedInheritance<M extends string = 'dropped'>(
  context: RuleContext<M, 'redeclare'>,
  directive: 'add_header' | 'add_trailer' | 'proxy_set_header',
  levels: ReadonlySet<ContextKind>,
  options: DroppedOptions<M> = {},
): void {
  const { model, settings, report } = context;
  // only a level with one of the group's directives of its own can drop what it inherits
  const group = inheritanceGroup(directive) ?? [directive];
  const owning = new Set<ConfigDirective['parent']>();
  for (const d of directivesNamed(model, ...group)) owning.add(d.parent);
  for (const block of owning) {
    if (!levels.has(block.context)) continue;
    const found = droppedInheritance(block, directive, settings.nginxVersion);
    if (!found) continue;
    const redefined = new Set(found.cause.map(headerName));
    const dropped = found.dropped.filter((h) => !redefined.has(headerName(h)));
    if (dropped.length === 0 || (options.matters && !dropped.some(options.matters))) continue;
    const cause = found.cause[0]!;
    const last = [...found.cause].reverse().find((c) => c.file === block.file) ?? found.cause[found.cause.length - 1]!;
    const names = dropped.map((h) => h.node.args[0]?.value ?? '');
    report({
      message: options.message ?? ('dropped' as M),
      data: {
        directive,
        count: dropped.length === 1 ? 'the' : `the ${dropped.length}`,
        s: dropped.length === 1 ? '' : 's',
        them: dropped.length === 1 ? 'it' : 'them',
        names: listWords(names.map((n) => `"${n}"`)),
        level: describeBlock(found.from),
        here: describeBlock(block),
      },
      file: cause.file,
      start: cause.node.start,
      end: cause.node.end,
      related: [
        ...dropped.map((h) => ({ file: h.file, start: h.node.start, end: h.node.end, message: `dropped here: ${headerName(h)} no longer applies in ${describeBlock(block)}` })),
        ...includeTrail(cause),
      ],
      fixes: [{ fix: 'redeclare', data: { s: dropped.length === 1 ? '' : 's', names: listWords(names) }, edits: [insertLinesAfter(last.file, last.node, dropped.map(rawText))] }],
    });
  }
}

