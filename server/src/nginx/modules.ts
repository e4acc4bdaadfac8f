// Which modules a configuration loads: `load_module` lines at its top level (Debian's nginx.conf
// reaches them through `include /etc/nginx/modules-enabled/*.conf`). A module loaded there brings its
// directives; a dynamic module's directive without its load_module is unknown to nginx. Known modules
// come from data/dynamic-modules.json (nginx's own dynamic modules and the common third-party ones).

import { basename } from 'node:path';
import moduleData from './data/dynamic-modules.json';

export interface DynamicModule {
  name: string;
  project?: string;
  soFiles: string[];
  debianPackage?: string;
  family?: string;
  /** nginx's own module (nginx/nginx, or an nginx project such as njs, otel, acme), built as a dynamic module by nginx.org's and Debian's packages. */
  official?: boolean;
  directives: Array<{ name: string; contexts: string[]; block?: boolean }>;
  variables?: string[];
  source: string;
}

export const DYNAMIC_MODULES = (moduleData as { modules: DynamicModule[] }).modules;

const BY_SO = new Map<string, DynamicModule>();
const BY_DIRECTIVE = new Map<string, DynamicModule[]>();
for (const module of DYNAMIC_MODULES) {
  for (const so of module.soFiles) BY_SO.set(so, module);
  for (const d of module.directives) BY_DIRECTIVE.set(d.name, [...(BY_DIRECTIVE.get(d.name) ?? []), module]);
}

/** nginx's own modules that official builds compile in (stream and mail are dynamic only in Debian's). */
const BUILT_IN_OFFICIAL = new Set(['ngx_stream_module', 'ngx_mail_module']);

/** The modules that provide a directive name (third-party or nginx's dynamic ones). */
export function modulesWithDirective(name: string): readonly DynamicModule[] {
  return BY_DIRECTIVE.get(name) ?? [];
}

/** Whether a module's directives need a load_module line (nginx's stream and mail are built in by official builds). */
export function needsLoading(module: DynamicModule): boolean {
  return !BUILT_IN_OFFICIAL.has(module.name);
}

export interface LoadedModules {
  /** Modules the configuration loads, known to kasmlint. */
  known: DynamicModule[];
  /** load_module lines of modules kasmlint does not know (their directives cannot be checked). */
  unknown: Array<{ file: string; line: number; path: string }>;
  /**
   * Whether the configuration's top level is read here: an nginx.conf, or a Kasm tree (whose image's
   * nginx.conf loads no module). Otherwise (a fragment) what is loaded cannot be known.
   */
  visible: boolean;
  /** An include of modules-enabled/ that matched no file here: the modules it loads are not known. */
  unresolvedModulesInclude?: { file: string; line: number; pattern: string };
}

/** The module a load_module path names. */
export function moduleForPath(path: string): DynamicModule | undefined {
  return BY_SO.get(basename(path));
}
