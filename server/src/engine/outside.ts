// Files of an nginx.conf or Kasm tree that no include reaches: nginx -t never reads them. They are
// checked on their own, but their nginx errors are not what nginx -t says (warnings, with words that
// say so), and fixes that insert at their top level are left out: the context they were read in is a
// guess, and a directive added for it may break nginx the day the file is included elsewhere.

import { basename } from 'node:path';
import type { ConfigModel, Root } from '../model/config';
import type { ParsedFile } from '../nginx/ast';
import { CONTEXT_LABELS } from '../nginx/directives';
import type { ProjectRoot } from '../workspace/project';
import type { Finding, Fix } from './findings';
import type { Report } from '../rules/rule';

export const OUTSIDE_DETAIL =
  'nginx does not read this file today (no include of the configuration reaches it), so this does not stop nginx -t; once the file is included, nginx will refuse it with this error.';

/** The roots nginx -t does not read: every root but the first of an nginx.conf or Kasm tree. */
export function outsideRoots(model: ConfigModel, project: ProjectRoot): Set<Root> {
  return project.kind === 'loose' ? new Set() : new Set(model.roots.slice(1));
}

/** Whether every place a file is read from is outside the configuration. */
export function isOutside(model: ConfigModel, path: string, outside: ReadonlySet<Root>): boolean {
  if (outside.size === 0) return false;
  const instances = model.instances(path);
  return instances.length > 0 && instances.every((i) => outside.has(i.root));
}

/** Whether an offset of a file stands at its top level (inside no block). */
function atTopLevel(file: ParsedFile, offset: number): boolean {
  return !file.root.directives.some((d) => d.block && d.block.open < offset && offset <= (d.block.close ?? file.text.length));
}

/** A report's finding as it reads in a file outside the configuration. */
export function asOutside(finding: Finding, report: Report<string, string>, model: ConfigModel, outside: ReadonlySet<Root>): Finding {
  const fixes: Fix[] = finding.fixes.filter((fix) =>
    fix.edits.every((edit) => {
      const file = model.files.get(edit.file);
      if (!file || !isOutside(model, edit.file, outside)) return true;
      return !atTopLevel(file, file.lines.offsetAt(edit.range.start));
    }),
  );
  if (!report.nginx) return { ...finding, fixes };
  return { ...finding, fixes, severity: finding.severity === 'error' ? 'warning' : finding.severity, detail: OUTSIDE_DETAIL };
}

/** The report that says a root's file is outside the configuration (kasmlint/outside-configuration). */
export function outsideReport(root: Root, primary: Root | undefined, model: ConfigModel): Report<string, string> | undefined {
  const file = root.file ? model.files.get(root.file) : undefined;
  if (!file) return undefined;
  const first = file.root.directives[0];
  const primaryName = primary?.file ? basename(primary.file) : "Kasm's nginx.conf";
  return {
    message: 'outside',
    data: { root: primaryName, context: CONTEXT_LABELS[root.context], reason: root.reason },
    file,
    start: first?.start ?? 0,
    end: first?.nameToken.end ?? 0,
  };
}
