// The modules a configuration loads (load_module at its top level, includes followed), and whether
// its top level is read at all (a fragment's is not).

import type { ConfigDirective, ConfigModel } from '../model/config';
import { moduleForPath, type DynamicModule, type LoadedModules } from '../nginx/modules';

export function loadedModules(model: ConfigModel): LoadedModules {
  const root = model.roots[0];
  const known: DynamicModule[] = [];
  const unknown: LoadedModules['unknown'] = [];
  let unresolvedModulesInclude: LoadedModules['unresolvedModulesInclude'];
  // a Kasm tree is read inside the http block of the image's nginx.conf, which loads no module
  const visible = root !== undefined && (root.context === 'main' || (root.file === undefined && root.context === 'http'));
  if (root) {
    const atTopLevel = (d: ConfigDirective) => d.seq >= root.seqStart && d.seq < root.seqEnd && d.parent.context === 'main';
    for (const d of model.named('load_module')) {
      const arg = d.node.args[0]?.value;
      if (!atTopLevel(d) || !arg) continue;
      const module = moduleForPath(arg);
      if (module) known.push(module);
      else unknown.push({ file: d.file.path, line: d.node.nginxLine, path: arg });
    }
    for (const d of model.named('include')) {
      if (atTopLevel(d) && d.include && d.include.files.length === 0 && /modules-(enabled|available)/.test(d.include.resolved.nginxPath)) {
        unresolvedModulesInclude = { file: d.file.path, line: d.node.nginxLine, pattern: d.include.resolved.nginxPath };
        break;
      }
    }
  }
  return { known, unknown, visible, unresolvedModulesInclude };
}
