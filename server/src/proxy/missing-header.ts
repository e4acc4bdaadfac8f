// The check behind headers/x-frame-options, headers/content-security-policy, ...: a location that
// answers browsers without a given security header in effect. Where the header is there but commented
// out (as Kasm ships CSP and COEP), the fix turns it back on in every location at once, with the
// `proxy_hide_header` line that stops the upstream's own copy where the location proxies.

import type { ConfigDirective } from '../model/config';
import { effective } from '../model/effective';
import { type EditSpec, type FixSpec, paced, type RuleContext } from '../rules/rule';
import { commentedDirectives, uncomment } from './headers';
import { addToLevel, effectiveHeaders, type LocationInfo, locations, locationSpan, locationsToCheck, mergeInsertions, pageLocations, quoteArgument, servingLocations } from './locations';

export interface MissingHeaderSpec {
  /** The header as the fix writes it, e.g. X-Frame-Options. */
  header: string;
  /** The value the fix gives it, as nginx reads it. */
  value: string;
  /** The upstream may send it too: hide the upstream's copy when adding it to a proxying location. */
  hideUpstream: boolean;
  /** Another header that does the same job (CSP frame-ancestors does X-Frame-Options' job). */
  satisfiedBy?: (headers: ReadonlyMap<string, readonly ConfigDirective[]>) => boolean;
  /** The header protects pages (framing, scripts, links), not the data an API answers with. */
  pagesOnly: boolean;
}

export type MissingHeaderMessages = 'missing' | 'commented';
export type MissingHeaderFixes = 'uncomment' | 'add';

export function* checkMissingHeader(context: RuleContext<MissingHeaderMessages, MissingHeaderFixes>, spec: MissingHeaderSpec): Generator<void, void, void> {
  const { model, settings, report } = context;
  const version = settings.nginxVersion;
  const name = spec.header.toLowerCase();

  const lacks = (l: LocationInfo) => {
    const headers = effectiveHeaders(l.block, 'add_header', version);
    return !headers.has(name) && !spec.satisfiedBy?.(headers);
  };
  const candidates = locationsToCheck(spec.pagesOnly ? pageLocations(model, version) : servingLocations(model), context.locations);

  const hidden = (l: LocationInfo) => effective(l.block, 'proxy_hide_header', version).directives.some((d) => d.node.args[0]?.value.toLowerCase() === name);
  const commentedIn = (l: LocationInfo, directive: string) =>
    l.block.syntax ? commentedDirectives(l.block.syntax).filter((c) => c.name === directive && c.args[0]?.toLowerCase() === name) : [];
  const ownOf = (l: LocationInfo, directive: string) => l.block.items.some((d) => d.node.name === directive && d.node.terminator === ';');
  // Uncommenting the first add_header of a level that inherits others would drop them: such a
  // location gets the "add" fix (which re-declares them) instead.
  const canUncomment = (l: LocationInfo) =>
    commentedIn(l, 'add_header').length > 0 && (ownOf(l, 'add_header') || effective(l.block, 'add_header', version).directives.length === 0);

  const uncommentEdits = (l: LocationInfo): EditSpec[] => {
    const file = l.block.file!;
    const edits: EditSpec[] = [uncomment(file, commentedIn(l, 'add_header')[0]!)];
    if (l.proxyPass && spec.hideUpstream && !hidden(l)) {
      const hide = commentedIn(l, 'proxy_hide_header')[0];
      if (hide && (ownOf(l, 'proxy_hide_header') || effective(l.block, 'proxy_hide_header', version).directives.length === 0)) edits.push(uncomment(file, hide));
      else edits.push(...addHideEdit(l));
    }
    return edits;
  };

  const addHideEdit = (l: LocationInfo): EditSpec[] => {
    const edit = addToLevel(l.block, 'proxy_hide_header', [`proxy_hide_header ${spec.header};`], version);
    return edit ? [edit] : [];
  };

  let allUncommented: EditSpec[] | undefined;
  // Every commented line goes, as the guide says, also where no page is served (a 204 preflight answer).
  const uncommentAll = () => (allUncommented ??= dedupe(locations(model).filter((x) => x.public && lacks(x) && canUncomment(x)).flatMap(uncommentEdits)));
  yield* paced(candidates, (l) => {
    if (!lacks(l)) return;
    const commented = canUncomment(l);
    // computed when asked for: a large configuration has a finding in each of thousands of locations
    const fixes = (): Array<FixSpec<MissingHeaderFixes>> => {
      const list: Array<FixSpec<MissingHeaderFixes>> = [];
      if (commented) {
        const edits = uncommentAll();
        const files = new Set(edits.map((e) => e.file.path)).size;
        const places = new Set(edits.map((e) => `${e.file.path}:${e.start}`)).size;
        list.push({ fix: 'uncomment', data: { header: spec.header, lines: places, files, s: places === 1 ? '' : 's', fs: files === 1 ? '' : 's' }, edits });
      }
      const add = addToLevel(l.block, 'add_header', [`add_header ${spec.header} ${quoteArgument(spec.value)} always;`], version);
      const hide = l.proxyPass && spec.hideUpstream && !hidden(l) ? addHideEdit(l) : [];
      if (add) list.push({ fix: 'add', data: { header: spec.header }, edits: mergeInsertions([add, ...hide]), preferred: !commented });
      return list;
    };
    report({ message: commented ? 'commented' : 'missing', ...locationSpan(l), fixes });
  });
}

function dedupe(edits: EditSpec[]): EditSpec[] {
  const seen = new Set<string>();
  return edits.filter((e) => {
    const key = `${e.file.path}\0${e.start}\0${e.end}\0${e.newText}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
