// Expands VS Code snippet bodies the way the editor inserts them when every placeholder keeps its
// default: ${1:x} → x, ${1|a,b|} → a, $0 → nothing, \$ → $.

export function expandSnippet(body: string | string[]): string {
  const text = Array.isArray(body) ? body.join('\n') : body;
  let out = '';
  let i = 0;
  const readUntilClose = (): string => {
    // the default of a placeholder, which may itself hold placeholders
    let inner = '';
    let depth = 0;
    for (; i < text.length; i++) {
      const ch = text[i]!;
      if (ch === '\\' && i + 1 < text.length) {
        inner += ch + text[++i];
        continue;
      }
      if (ch === '{' && text[i - 1] === '$') depth++;
      if (ch === '}') {
        if (depth === 0) {
          i++;
          return inner;
        }
        depth--;
      }
      inner += ch;
    }
    return inner;
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '\\' && i + 1 < text.length) {
      out += text[i + 1];
      i += 2;
      continue;
    }
    if (ch === '$') {
      const tabstop = /^\$(\d+)/.exec(text.slice(i));
      if (tabstop) {
        i += tabstop[0].length;
        continue;
      }
      const open = /^\$\{(\d+)([:|])/.exec(text.slice(i));
      if (open) {
        i += open[0].length;
        const inner = readUntilClose();
        out += open[2] === '|' ? inner.replace(/\|$/, '').split(',')[0] : expandSnippet(inner);
        continue;
      }
    }
    out += ch;
    i++;
  }
  return out;
}
