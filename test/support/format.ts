// What the formatter's tests share: every NGINX file the project has, and a way to make a file
// messy (the white space between its elements redrawn at random, keeping only which gaps hold no line
// break, one, or a blank line) so that formatting it must give what formatting the original gives.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { elementsOf, readableElements } from '../../server/src/format/elements';
import { parseNginx } from '../../server/src/nginx/parser';
import { isNginxFileName } from '../../server/src/workspace/project';
import { KASM_FIXTURE } from './kasm';

export const ROOT = join(__dirname, '../../..');

function filesUnder(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => (statSync(join(dir, name)).isDirectory() ? filesUnder(join(dir, name)) : [join(dir, name)]));
}

/** The NGINX files of the Kasm fixture, the corpus and the examples, with their texts. */
export function projectConfigurations(): Array<{ path: string; text: string }> {
  return [KASM_FIXTURE, join(ROOT, 'test/corpus/nginx'), join(ROOT, 'examples')]
    .flatMap(filesUnder)
    .filter((path) => isNginxFileName(path))
    .map((path) => ({ path, text: readFileSync(path, 'utf8') }));
}

/** The elements of a text as nginx reads them (words as written, comments, Lua bodies), or undefined when it does not parse. */
export function readAs(text: string): string[] | undefined {
  const file = parseNginx('/x.conf', text);
  if (file.issues.length > 0) return undefined;
  const listed = elementsOf(file);
  return listed.ok ? readableElements(file, listed.elements) : undefined;
}

/**
 * The same elements with the white space between them redrawn by `random`: spaces and tabs of any
 * length where a gap holds no line break (none where the elements touched), the same number of line
 * breaks (one, or two for a blank line, more than two kept as two or three) with any indentation, and
 * trailing blanks. What nginx reads is unchanged.
 */
export function messUp(text: string, random: (n: number) => number): string {
  const file = parseNginx('/x.conf', text);
  const listed = elementsOf(file);
  if (!listed.ok || file.issues.length > 0) throw new Error('messUp takes a file without syntax errors');
  const blanks = () => [' ', '\t', '  ', ' \t '][random(4)]!.repeat(1 + random(3));
  const gap = (original: string, touching: boolean): string => {
    const breaks = (original.match(/\n/g) ?? []).length;
    if (breaks === 0) return touching ? '' : blanks();
    const lines = breaks === 1 ? 1 : 2 + random(2);
    let out = '';
    for (let i = 0; i < lines; i++) out += (random(3) === 0 ? blanks() : '') + (random(4) === 0 ? '\r\n' : '\n');
    return out + (random(4) === 0 ? '' : blanks());
  };
  let out = '';
  let at = 0;
  for (const e of listed.elements) {
    // The body of a Lua block and the space inside `{}` of a Lua block are kept as they are.
    const original = text.slice(at, e.start);
    out += e.kind === 'lua' || (e.kind === '}' && e.directive?.block?.lua) ? original : gap(original, at > 0 && original === '');
    out += text.slice(e.start, e.end);
    at = e.end;
  }
  return out + gap(text.slice(at), false);
}
