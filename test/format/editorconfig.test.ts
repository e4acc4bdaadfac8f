// EditorConfig as https://spec.editorconfig.org defines it, for the properties the formatter reads:
// globs, sections, the files from the file's folder up to `root = true`, and the formatter's options
// from them and from the editor.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { editorConfigFor, formatOptions, sectionMatches } from '../../server/src/format/editorconfig';
import { host } from '../support/engine';
import { MemoryHost } from '../support/memory-host';
import { writeTree } from '../support/nginx';

describe('globs', () => {
  const cases: Array<[string, string, boolean]> = [
    ['*', 'nginx.conf', true],
    ['*', 'services.d/website.conf', true], // no `/`: matches at any depth
    ['*.conf', 'services.d/website.conf', true],
    ['*.conf', 'mime.types', false],
    ['services.d/*.conf', 'services.d/website.conf', true], // with `/`: relative to the .editorconfig
    ['services.d/*.conf', 'kasm/services.d/website.conf', false],
    ['/orchestrator.conf', 'orchestrator.conf', true],
    ['/orchestrator.conf', 'kasm/orchestrator.conf', false],
    ['*.conf', 'a/b/c.conf', true],
    ['a/*.conf', 'a/b/c.conf', false], // `*` does not cross `/`
    ['a/**.conf', 'a/b/c.conf', true],
    ['**/services.d/*', 'kasm/services.d/website.conf', true],
    ['{orchestrator,upstream_api}.conf', 'upstream_api.conf', true],
    ['{orchestrator,upstream_api}.conf', 'upstream_guac.conf', false],
    ['upstream_{api,{guac,share}}.conf', 'upstream_share.conf', true], // nested groups
    ['site{1..3}.conf', 'site2.conf', true],
    ['site{1..3}.conf', 'site4.conf', false],
    ['site{-1..1}.conf', 'site-1.conf', true],
    ['{single}.conf', '{single}.conf', true], // a group without a comma is literal
    ['site?.conf', 'site1.conf', true],
    ['site?.conf', 'site10.conf', false],
    ['[ab].conf', 'b.conf', true],
    ['[!ab].conf', 'b.conf', false],
    ['[!ab].conf', 'c.conf', true],
    ['[a-c].conf', 'b.conf', true],
    ['\\*.conf', '*.conf', true],
    ['\\*.conf', 'a.conf', false],
    ['*.{conf,types}', 'mime.types', true],
    ['nginx.conf', 'nginx.conf.bak', false],
  ];
  for (const [glob, path, expected] of cases) {
    test(`[${glob}] ${expected ? 'matches' : 'does not match'} ${path}`, () => assert.equal(sectionMatches(glob, path), expected));
  }
});

describe('the files and sections that apply', () => {
  test('read from the top down to the file, stopping at root = true; later sections win; unset removes', () => {
    const dir = writeTree({
      '.editorconfig': '[*]\nindent_style = tab\n',
      'project/.editorconfig': 'root = true\n\n[*]\nindent_style = space\nindent_size = 2\ninsert_final_newline = true\n\n[*.conf]\nindent_size = 8\n',
      'project/kasm/.editorconfig': '# Kasm files\n[services.d/*.conf]\nINDENT_SIZE = 3\ntrim_trailing_whitespace = FALSE\n[orchestrator.conf]\ninsert_final_newline = unset\nend_of_line = crlf\n',
      'project/kasm/orchestrator.conf': '',
      'project/kasm/services.d/website.conf': '',
    });
    assert.deepEqual(editorConfigFor(host, join(dir, 'project/kasm/services.d/website.conf')), {
      indent_style: 'space',
      indent_size: 3,
      tab_width: 3,
      insert_final_newline: true,
      trim_trailing_whitespace: false,
    });
    assert.deepEqual(editorConfigFor(host, join(dir, 'project/kasm/orchestrator.conf')), { indent_style: 'space', indent_size: 8, tab_width: 8, end_of_line: 'crlf' });
    assert.deepEqual(editorConfigFor(host, join(dir, 'other.conf')), { indent_style: 'tab', indent_size: 'tab' });
  });

  test('indent_size = tab takes tab_width; indent_style = tab alone indents with tabs', () => {
    const dir = writeTree({ '.editorconfig': 'root=true\n[*.conf]\nindent_style=tab\ntab_width=8\n[a.conf]\nindent_size=tab\n' });
    assert.deepEqual(editorConfigFor(host, join(dir, 'a.conf')), { indent_style: 'tab', indent_size: 8, tab_width: 8 });
  });

  test('none at all, or one with nothing for this file', () => {
    assert.deepEqual(editorConfigFor(new MemoryHost(new Map([['/w/a.conf', '']])), '/w/a.conf'), {});
    assert.deepEqual(editorConfigFor(new MemoryHost(new Map([['/w/a.conf', ''], ['/w/.editorconfig', '[*.py]\nindent_size = 2\n']])), '/w/a.conf'), {});
  });
});

describe("the formatter's options", () => {
  const editor = { tabSize: 2, insertSpaces: true };
  test('the editor when no .editorconfig says otherwise, four spaces when neither does', () => {
    assert.deepEqual(formatOptions({}, editor), { indent: '  ' });
    assert.deepEqual(formatOptions({}, { tabSize: 4, insertSpaces: false }), { indent: '\t' });
    assert.deepEqual(formatOptions({}), { indent: '    ' });
  });
  test('the .editorconfig wins where it speaks', () => {
    assert.deepEqual(formatOptions({ indent_style: 'tab', indent_size: 'tab' }, editor), { indent: '\t' });
    assert.deepEqual(formatOptions({ indent_style: 'space', indent_size: 3, tab_width: 3 }, { tabSize: 8, insertSpaces: false }), { indent: '   ' });
    assert.deepEqual(formatOptions({ indent_size: 6, tab_width: 6 }, editor), { indent: '      ' });
    assert.deepEqual(formatOptions({ end_of_line: 'crlf', insert_final_newline: false, trim_trailing_whitespace: false }, editor), {
      indent: '  ',
      eol: '\r\n',
      insertFinalNewline: false,
      trimTrailingWhitespace: false,
    });
  });
  test('end_of_line = cr is not followed (nginx ends lines and comments at \\n only)', () => {
    assert.deepEqual(formatOptions({ end_of_line: 'cr' }, editor), { indent: '  ' });
  });
});
