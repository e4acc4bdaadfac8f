// What nginx knows about each directive, from nginx.org's reference (@nginx/reference-lib): module,
// contexts, block or not, argument counts, default and docs. The reference writes contexts per module
// family ("server" is an http, stream or mail server), so they are resolved here into precise context
// kinds, the way nginx's own command types (NGX_HTTP_SRV_CONF, NGX_STREAM_SRV_CONF, ...) tell them apart.

import { Format, getDirectives, getVariables } from '@nginx/reference-lib';
import historyData from './data/history.json';
import { ArgCounts, countsFromSyntax } from './syntax-arity';
import { DYNAMIC_MODULES, needsLoading, type DynamicModule } from './modules';

/** Where a directive stands, as nginx distinguishes it. */
export type ContextKind =
  | 'main'
  | 'events'
  | 'http'
  | 'http.server'
  | 'http.location'
  | 'http.if.server'
  | 'http.if.location'
  | 'http.limit_except'
  | 'http.upstream'
  | 'stream'
  | 'stream.server'
  | 'stream.upstream'
  | 'mail'
  | 'mail.server'
  | 'http.acme_issuer'
  | 'http.oidc_provider'
  | 'mgmt'
  /** The body of `map`, `types`, `geo`, ...: entries read by the block's own handler, not directives. */
  | 'opaque'
  /** The body of a `*_by_lua_block`. */
  | 'lua'
  /** The body of a block nginx does not know: not checked. */
  | 'unknown';

export const CONTEXT_LABELS: Record<ContextKind, string> = {
  main: 'main (top level)',
  events: 'events',
  http: 'http',
  'http.server': 'server',
  'http.location': 'location',
  'http.if.server': 'if (in server)',
  'http.if.location': 'if (in location)',
  'http.limit_except': 'limit_except',
  'http.upstream': 'upstream',
  stream: 'stream',
  'stream.server': 'server (in stream)',
  'stream.upstream': 'upstream (in stream)',
  mail: 'mail',
  'mail.server': 'server (in mail)',
  'http.acme_issuer': 'acme_issuer',
  'http.oidc_provider': 'oidc_provider',
  mgmt: 'mgmt',
  opaque: 'block body',
  lua: 'Lua block',
  unknown: 'unknown block',
};

/** Contexts a directive can be checked in (the others are not nginx directive lists). */
export const DIRECTIVE_CONTEXTS: readonly ContextKind[] = [
  'main', 'events', 'http', 'http.server', 'http.location', 'http.if.server', 'http.if.location',
  'http.limit_except', 'http.upstream', 'stream', 'stream.server', 'stream.upstream', 'mail', 'mail.server',
  'http.acme_issuer', 'http.oidc_provider', 'mgmt',
];

export type Family = 'core' | 'http' | 'stream' | 'mail';

export interface DirectiveSpec {
  name: string;
  module: string;
  family: Family;
  contexts: ReadonlySet<ContextKind>;
  isBlock: boolean;
  counts: ArgCounts;
  /** Syntax lines as nginx.org writes them (Markdown). */
  syntax: readonly string[];
  default: string;
  /** nginx.org's text about it (Markdown), read when shown: the bundles parse the texts when one is first read. */
  docs: { readonly description: string };
  /** Takes exactly `on` or `off` (nginx's NGX_CONF_FLAG). */
  flag: boolean;
  /** The first open-source version that has it, when known. */
  since?: string;
  /** Only in NGINX Plus (in this version). */
  plusOnly: boolean;
  /** Values and parameters that appeared or went away after the directive itself. */
  valueHistory: readonly VersionedValue[];
  /** Where the version facts come from. */
  sources: readonly string[];
}

/** A value or parameter of a directive and the versions that have it. */
export interface VersionedValue {
  value: string;
  since?: string | null;
  until?: string;
}

interface HistoryEntry {
  since?: string | null;
  sinceBasis?: string;
  plus?: boolean;
  plusUntil?: string;
  removed?: string;
  values?: VersionedValue[];
  defaults?: VersionedValue[];
  sources?: string[];
}

const DIRECTIVE_HISTORY = (historyData as { directives: Record<string, HistoryEntry> }).directives;

function inVersion(entry: { since?: string | null; until?: string }, at: number): boolean {
  if (entry.since && at < versionNumber(entry.since)) return false;
  return !(entry.until && at >= versionNumber(entry.until));
}

export interface VariableSpec {
  name: string;
  module: string;
  /** As DirectiveSpec's. */
  docs: { readonly description: string };
}

/**
 * Where nginx's own command flags differ from what the syntax lines suggest. Each entry was measured
 * with real `nginx -t` (test/nginx/directive-table.test.ts checks them all against the installed nginx).
 */
const COUNT_OVERRIDES: Record<string, ArgCounts> = {
  // "(condition)" is one word in the docs; nginx splits it ("($a", "=", "b)") and takes 1 or more.
  if: ArgCounts.atLeast(1),
  access_log: ArgCounts.atLeast(1),
  error_log: ArgCounts.atLeast(1),
  ssl_protocols: ArgCounts.atLeast(1),
  proxy_ssl_protocols: ArgCounts.atLeast(1),
  grpc_ssl_protocols: ArgCounts.atLeast(1),
  uwsgi_ssl_protocols: ArgCounts.atLeast(1),
  zone_sync_ssl_protocols: ArgCounts.atLeast(1),
  dav_access: ArgCounts.of(1, 2, 3),
  fastcgi_store_access: ArgCounts.of(1, 2, 3),
  proxy_store_access: ArgCounts.of(1, 2, 3),
  scgi_store_access: ArgCounts.of(1, 2, 3),
  uwsgi_store_access: ArgCounts.of(1, 2, 3),
  keepalive_disable: ArgCounts.of(1, 2),
  limit_req_zone: ArgCounts.of(3), // `sync` is NGINX Plus only
  proxy_cookie_flags: ArgCounts.of(1, 2, 3, 4),
  ssl_ocsp_cache: ArgCounts.of(1),
  ssl_session_cache: ArgCounts.of(1, 2),
  stub_status: ArgCounts.of(0, 1), // the argument of versions before 1.7.5 is still accepted
  userid_flags: ArgCounts.of(1, 2, 3),
};

/** Contexts nginx accepts beyond the documented ones (measured). */
const EXTRA_CONTEXTS: Record<string, ContextKind[]> = {
  fastcgi_split_path_info: ['http', 'http.server'],
  secure_link_secret: ['http', 'http.server'],
};

/**
 * What changed across versions: the reference documents the newest nginx, so contexts and parameters
 * added later are removed when checking an older one (nginx's CHANGES and the reference's own notes).
 */
const HISTORY: Array<{ names: string[]; since: string; contexts?: ContextKind[]; countsBefore?: ArgCounts }> = [
  // 1.25.5: virtual servers in the stream module
  { names: ['server_name'], contexts: ['stream.server'], since: '1.25.5' },
  { names: ['server_names_hash_bucket_size', 'server_names_hash_max_size'], contexts: ['stream'], since: '1.25.5' },
  { names: ['ssl_reject_handshake'], contexts: ['stream', 'stream.server'], since: '1.25.5' },
  // 1.27.2: OCSP stapling and client certificate validation with OCSP in the stream module
  {
    names: ['ssl_stapling', 'ssl_stapling_file', 'ssl_stapling_responder', 'ssl_stapling_verify', 'ssl_ocsp', 'ssl_ocsp_cache', 'ssl_ocsp_responder'],
    contexts: ['stream', 'stream.server'],
    since: '1.27.2',
  },
  // 1.27.3: re-resolution of host names in upstream groups
  { names: ['resolver', 'resolver_timeout'], contexts: ['http.upstream', 'stream.upstream'], since: '1.27.3' },
  // 1.29.7: the `local` parameter
  { names: ['keepalive'], countsBefore: ArgCounts.of(1), since: '1.29.7' },
  // Whole directives (no contexts or counts named): absent before their version.
  {
    names: ['http3', 'http3_hq', 'http3_max_concurrent_streams', 'http3_stream_buffer_size', 'quic_active_connection_id_limit', 'quic_bpf', 'quic_gso', 'quic_host_key', 'quic_retry'],
    since: '1.25.0',
  },
  { names: ['http2'], since: '1.25.1' },
  { names: ['proxy_pass_trailers'], since: '1.27.2' },
  { names: ['add_header_inherit'], since: '1.29.3' },
  { names: ['ssl_ech_file'], since: '1.29.4' },
];

const versionNumbers = new Map<string, number>();

/** "1.25.1" → comparable number. */
export function versionNumber(version: string): number {
  let n = versionNumbers.get(version);
  if (n === undefined) {
    const [major = 0, minor = 0, patch = 0] = version.split('.').map((p) => Number.parseInt(p, 10) || 0);
    n = major * 1_000_000 + minor * 1_000 + patch;
    if (versionNumbers.size < 10_000) versionNumbers.set(version, n);
  }
  return n;
}

function familyOf(module: string): Family {
  if (module.startsWith('ngx_http_')) return 'http';
  if (module.startsWith('ngx_stream_')) return 'stream';
  if (module.startsWith('ngx_mail_')) return 'mail';
  if (module === 'ngx_otel_module') return 'http';
  return 'core';
}

function contextKinds(family: Family, context: string): ContextKind[] {
  switch (context) {
    case '':
      return [...DIRECTIVE_CONTEXTS];
    case 'main':
      return ['main'];
    case 'events':
      return ['events'];
    case 'http':
      return ['http'];
    case 'stream':
      return ['stream'];
    case 'mail':
      return ['mail'];
    case 'location':
      return ['http.location'];
    case 'if':
      return ['http.if.server', 'http.if.location'];
    case 'if in location':
      return ['http.if.location'];
    case 'limit_except':
      return ['http.limit_except'];
    case 'acme_issuer':
      return ['http.acme_issuer'];
    case 'oidc_provider':
      return ['http.oidc_provider'];
    case 'mgmt':
      return ['mgmt'];
    case 'upstream':
      return family === 'stream' ? ['stream.upstream'] : ['http.upstream'];
    case 'server':
      if (family === 'http') return ['http.server'];
      if (family === 'stream') return ['stream.server'];
      if (family === 'mail') return ['mail.server'];
      return ['http.server', 'stream.server', 'mail.server'];
    default:
      return [];
  }
}

/**
 * Whether a directive takes exactly `on` or `off` in this version (nginx's ngx_conf_set_flag_slot: any
 * other value is refused with its own message). A directive that gained a word later is a flag before
 * it: proxy_protocol of stream and mail is on|off up to 1.31.4, which added v2 (and an enumeration).
 */
export function isFlag(spec: DirectiveSpec, version: string): boolean {
  if (spec.flag) return true;
  // asked for every directive read: worked out once per directive and version
  let byVersion = flagByVersion.get(spec);
  if (!byVersion) flagByVersion.set(spec, (byVersion = new Map()));
  let flag = byVersion.get(version);
  if (flag === undefined) byVersion.set(version, (flag = flagIn(spec, version)));
  return flag;
}

const flagByVersion = new WeakMap<DirectiveSpec, Map<string, boolean>>();

function flagIn(spec: DirectiveSpec, version: string): boolean {
  const line = spec.syntax.length === 1 ? spec.syntax[0]!.replace(/\s+/g, '') : '';
  if (!/^`[^`]+`(\|`[^`]+`)+$/.test(line)) return false;
  const words = [...line.matchAll(/`([^`]+)`/g)].map((m) => m[1]!).filter((word) => valueInVersion(spec, word, version));
  return words.length === 2 && words.includes('on') && words.includes('off');
}

/** One of the reference's syntax lines as nginx.org shows it: "*`name`* *`value`* [`always`]" → "name value [always]" (`~*` kept). */
function plainLine(line: string): string {
  return line
    .replace(/`\{\.\.\.\}`/g, '{ ... }')
    .replace(/\*`([^`]*)`\*/g, '$1')
    .replace(/`([^`]*)`/g, '$1')
    .trim();
}

/** A syntax line without the values and parameters `version` does not have yet (or any more). */
function lineInVersion(spec: DirectiveSpec, line: string, version: string): string {
  let result = line;
  for (const entry of spec.valueHistory) {
    if (valueInVersion(spec, entry.value, version)) continue;
    const literal = entry.value.replace(/=$/, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const eq = entry.value.endsWith('=') ? '=[^\\]\\s]*' : '';
    result = result
      .replace(new RegExp(`\\[\`${literal}\`${eq}\\]\\s*`), '')
      .replace(new RegExp(`\\s*\\|\\s*\`${literal}\`${eq}`), '')
      .replace(new RegExp(`\`${literal}\`${eq}\\s*\\|\\s*`), '');
  }
  return result;
}

/** The syntax lines of a directive in a version, as nginx.org lays them out: `name args;` or `name args { ... }`. */
export function syntaxLines(spec: DirectiveSpec, version = NEWEST_VERSION): string[] {
  return spec.syntax.map((line) => {
    const plain = plainLine(lineInVersion(spec, line, version));
    const text = plain ? `${spec.name} ${plain}` : spec.name;
    return spec.isBlock ? (text.endsWith('{ ... }') ? text : `${text} { ... }`) : `${text};`;
  });
}

const plainSyntaxMemo = new WeakMap<DirectiveSpec, Map<string, string>>();

/** The syntax of a directive on one line, for completion details and messages (a completion list shows hundreds: written once per version). */
export function plainSyntax(spec: DirectiveSpec, version = NEWEST_VERSION): string {
  let byVersion = plainSyntaxMemo.get(spec);
  if (!byVersion) plainSyntaxMemo.set(spec, (byVersion = new Map()));
  let syntax = byVersion.get(version);
  if (syntax === undefined) byVersion.set(version, (syntax = syntaxLines(spec, version).map((l) => l.replace(/;$/, '')).join(' | ')));
  return syntax;
}

/** The module a directive's history is kept under: the reference calls nginx's core "Core functionality". */
function historyModule(module: string): string {
  return module === 'Core functionality' ? 'ngx_core_module' : module;
}

/** The newest nginx the reference describes; a table for it applies no history. */
export const NEWEST_VERSION = '9999.0.0';

/** The version a directive appeared in, when it is newer than `version`. */
function appearedAfter(name: string, version: string): string | undefined {
  const at = versionNumber(version);
  return HISTORY.find((h) => h.names.includes(name) && !h.contexts && !h.countsBefore && at < versionNumber(h.since))?.since;
}

/**
 * Directives nginx defines but nginx.org does not document, read from nginx 1.26.3's command tables
 * (file named in each entry), in the reference's shape. Platform-specific ones of other systems
 * (kqueue_*, devpoll_*, eventport_*, iocp_*) and modules no official build has (degradation) are left out.
 */
const UNDOCUMENTED: ReadonlyArray<{ name: string; module: string; contexts: string[]; syntax: string; file: string }> = [
  { name: 'post_action', module: 'ngx_http_core_module', contexts: ['http', 'server', 'location', 'if in location'], syntax: '*`uri`* | `off`', file: 'src/http/ngx_http_core_module.c' },
  { name: 'open_file_cache_events', module: 'ngx_http_core_module', contexts: ['http', 'server', 'location'], syntax: '`on` | `off`', file: 'src/http/ngx_http_core_module.c' },
  { name: 'gzip_window', module: 'ngx_http_gzip_module', contexts: ['http', 'server', 'location'], syntax: '*`size`*', file: 'src/http/modules/ngx_http_gzip_filter_module.c' },
  { name: 'gzip_hash', module: 'ngx_http_gzip_module', contexts: ['http', 'server', 'location'], syntax: '*`size`*', file: 'src/http/modules/ngx_http_gzip_filter_module.c' },
  { name: 'postpone_gzipping', module: 'ngx_http_gzip_module', contexts: ['http', 'server', 'location'], syntax: '*`size`*', file: 'src/http/modules/ngx_http_gzip_filter_module.c' },
  { name: 'gzip_no_buffer', module: 'ngx_http_gzip_module', contexts: ['http', 'server', 'location'], syntax: '`on` | `off`', file: 'src/http/modules/ngx_http_gzip_filter_module.c' },
  { name: 'ssi_ignore_recycled_buffers', module: 'ngx_http_ssi_module', contexts: ['http', 'server', 'location'], syntax: '`on` | `off`', file: 'src/http/modules/ngx_http_ssi_filter_module.c' },
  { name: 'uwsgi_string', module: 'ngx_http_uwsgi_module', contexts: ['http', 'server', 'location'], syntax: '*`string`*', file: 'src/http/modules/ngx_http_uwsgi_module.c' },
  { name: 'http2_pool_size', module: 'ngx_http_v2_module', contexts: ['http', 'server'], syntax: '*`size`*', file: 'src/http/v2/ngx_http_v2_module.c' },
  { name: 'http2_streams_index_size', module: 'ngx_http_v2_module', contexts: ['http', 'server'], syntax: '*`number`*', file: 'src/http/v2/ngx_http_v2_module.c' },
  { name: 'epoll_events', module: 'ngx_epoll_module', contexts: ['events'], syntax: '*`number`*', file: 'src/event/modules/ngx_epoll_module.c' },
  { name: 'proxy', module: 'ngx_mail_proxy_module', contexts: ['mail', 'server'], syntax: '`on` | `off`', file: 'src/mail/ngx_mail_proxy_module.c' },
];

/** Why a directive the reference documents is not in this version and edition. */
export type Absence =
  | { kind: 'later'; since: string }
  | { kind: 'removed'; version: string }
  | { kind: 'plus'; module: string }
  /** A directive of a dynamic module the configuration does not load. */
  | { kind: 'module'; module: DynamicModule };

interface Table {
  specs: Map<string, DirectiveSpec[]>;
  absent: Map<string, Absence>;
}

function buildTable(version: string, edition: Edition): Table {
  const table = new Map<string, DirectiveSpec[]>();
  const absent = new Map<string, Absence>();
  const at = versionNumber(version);
  const changes = HISTORY.filter((h) => at < versionNumber(h.since));
  const undocumented = UNDOCUMENTED.map((u) => ({
    name: u.name,
    module: u.module,
    contexts: u.contexts,
    syntax: [u.syntax],
    isBlock: false,
    default: '',
    description: `Not documented on nginx.org; defined in nginx's ${u.file}.`,
  }));
  for (const d of [...getDirectives(Format.Markdown), ...undocumented]) {
    const history = DIRECTIVE_HISTORY[`${historyModule(d.module)}/${d.name}`] ?? {};
    const plusOnly = history.plus === true && !(history.plusUntil && at >= versionNumber(history.plusUntil));
    if (plusOnly && edition === 'oss') {
      if (!absent.has(d.name)) absent.set(d.name, { kind: 'plus', module: d.module });
      continue;
    }
    if (history.since && history.since !== '0.x' && at < versionNumber(history.since)) {
      absent.set(d.name, { kind: 'later', since: history.since });
      continue;
    }
    if (history.removed && at >= versionNumber(history.removed)) {
      absent.set(d.name, { kind: 'removed', version: history.removed });
      continue;
    }
    const family = familyOf(d.module);
    const contexts = new Set<ContextKind>(d.contexts.flatMap((c) => contextKinds(family, c)));
    for (const extra of EXTRA_CONTEXTS[d.name] ?? []) if (contexts.size > 0) contexts.add(extra);
    let counts = COUNT_OVERRIDES[d.name] ?? ArgCounts.deferred(() => countsFromSyntax(d.syntax.map((s) => s.replace('`{...}`', ''))));
    for (const change of changes.filter((c) => c.names.includes(d.name))) {
      if (!change.contexts && !change.countsBefore) contexts.clear();
      for (const c of change.contexts ?? []) contexts.delete(c);
      if (change.countsBefore) counts = change.countsBefore;
    }
    if (contexts.size === 0) {
      const since = changes.find((c) => c.names.includes(d.name))?.since;
      if (since) absent.set(d.name, { kind: 'later', since });
      continue; // not in this version
    }
    // (listen's history records parameter defaults, not the directive's)
    const versionedDefault = d.name === 'listen' ? undefined : history.defaults?.find((v) => inVersion(v, at))?.value;
    const spec: DirectiveSpec = {
      name: d.name,
      module: d.module,
      family,
      contexts,
      isBlock: d.isBlock,
      counts,
      syntax: d.syntax,
      default: versionedDefault && !versionedDefault.includes('(') ? versionedDefault : d.default,
      docs: d,
      flag: d.syntax.length === 1 && d.syntax[0]!.replace(/\s+/g, '') === '`on`|`off`',
      since: history.since && history.since !== '0.x' ? history.since : undefined,
      plusOnly,
      valueHistory: history.values ?? [],
      sources: history.sources ?? [],
    };
    const list = table.get(d.name);
    if (list) list.push(spec);
    else table.set(d.name, [spec]);
    absent.delete(d.name);
  }
  for (const name of table.keys()) absent.delete(name);
  return { specs: table, absent };
}

/** A third-party module's directive, with the contexts its source gives and any number of arguments. */
function thirdPartySpec(module: DynamicModule, d: DynamicModule['directives'][number]): DirectiveSpec {
  const family: Family = module.family === 'stream' || module.name.startsWith('ngx_stream_') ? 'stream' : 'http';
  const contexts = new Set<ContextKind>();
  for (const c of d.contexts) {
    const named = c === 'if in server' ? ['http.if.server' as const] : contextKinds(family, c);
    for (const k of named) contexts.add(k);
  }
  return {
    name: d.name,
    module: module.name,
    family,
    contexts,
    isBlock: d.block === true,
    counts: ArgCounts.atLeast(0),
    syntax: [],
    default: '',
    docs: { description: `A directive of ${module.name}${module.project ? ` (${module.project})` : ''}, a module this configuration loads.` },
    flag: false,
    plusOnly: false,
    valueHistory: [],
    sources: [module.source],
  };
}

/** Whether a value of an enumeration or a parameter exists in a version (per the directive's history). */
export function valueInVersion(spec: DirectiveSpec, value: string, version: string): boolean {
  const at = versionNumber(version);
  const entry = spec.valueHistory.find((v) => v.value.toLowerCase() === value.toLowerCase());
  return !entry || inVersion(entry, at);
}

/** Open-source nginx, or NGINX Plus (which adds the commercial modules and parameters). */
export type Edition = 'oss' | 'plus';

/** The directives of one nginx version and edition. */
export class DirectiveCatalog {
  private static readonly byVersion = new Map<string, DirectiveCatalog>();

  static forVersion(version: string, edition: Edition = 'oss'): DirectiveCatalog {
    const key = `${version}/${edition}`;
    let catalog = DirectiveCatalog.byVersion.get(key);
    if (!catalog) {
      const { specs, absent } = buildTable(version, edition);
      catalog = new DirectiveCatalog(version, edition, specs, absent);
      DirectiveCatalog.byVersion.set(key, catalog);
    }
    return catalog;
  }

  private constructor(
    readonly version: string,
    readonly edition: Edition,
    private readonly table: Map<string, DirectiveSpec[]>,
    private readonly absent: Map<string, Absence>,
  ) {}

  /** Why nginx's reference documents a directive this version and edition lack. */
  absence(name: string): Absence | undefined {
    return this.absent.get(name);
  }

  private readonly withModuleCache = new Map<string, DirectiveCatalog>();

  /**
   * This catalog for a configuration that loads `modules`: their directives are known; and, when the
   * configuration's top level is read (`strict`), the directives of nginx's own dynamic modules it does
   * not load are unknown, as they are to nginx.
   */
  withModules(modules: readonly DynamicModule[], strict: boolean): DirectiveCatalog {
    const key = `${strict}:${modules.map((m) => m.name).sort().join(',')}`;
    let catalog = this.withModuleCache.get(key);
    if (catalog) return catalog;
    const table = new Map(this.table);
    const absent = new Map(this.absent);
    if (strict) {
      for (const module of DYNAMIC_MODULES) {
        if (!module.official || !needsLoading(module) || modules.includes(module)) continue;
        const family = module.name.startsWith('ngx_stream_') ? 'stream' : 'http';
        for (const d of module.directives) {
          const kept = (table.get(d.name) ?? []).filter((s) => s.family !== family);
          if (kept.length === (table.get(d.name) ?? []).length) continue;
          if (kept.length) table.set(d.name, kept);
          else {
            table.delete(d.name);
            absent.set(d.name, { kind: 'module', module });
          }
        }
      }
    }
    for (const module of modules) {
      if (module.official) continue;
      for (const d of module.directives) {
        const spec = thirdPartySpec(module, d);
        if (spec.contexts.size === 0) continue;
        table.set(d.name, [...(table.get(d.name) ?? []), spec]);
        absent.delete(d.name);
      }
    }
    catalog = new DirectiveCatalog(this.version, this.edition, table, absent);
    this.withModuleCache.set(key, catalog);
    return catalog;
  }

  /** Every module's spec for a directive name (several modules may define the same name). */
  specs(name: string): readonly DirectiveSpec[] {
    return this.table.get(name) ?? [];
  }

  names(): string[] {
    return [...this.table.keys()];
  }

  private readonly namesByContext = new Map<ContextKind, readonly string[]>();

  /** The names of the directives valid in `context` (listed once per catalog and context). */
  namesIn(context: ContextKind): readonly string[] {
    let names = this.namesByContext.get(context);
    if (!names) {
      names = this.names().filter((n) => this.specIn(n, context));
      this.namesByContext.set(context, names);
    }
    return names;
  }

  /** The spec nginx would use for `name` in `context`, as ngx_conf_handler picks the module. */
  specIn(name: string, context: ContextKind): DirectiveSpec | undefined {
    // asked for every directive by most rules: a plain loop, no callback
    const specs = this.table.get(name);
    if (specs) for (const spec of specs) if (spec.contexts.has(context)) return spec;
    return undefined;
  }

  /** For a directive this version lacks but a later one has: the version it appeared in. */
  introducedLater(name: string): string | undefined {
    const absence = this.absent.get(name);
    return absence?.kind === 'later' ? absence.since : appearedAfter(name, this.version);
  }
}

let variableTable: Map<string, VariableSpec> | undefined;

/** Variables of the official modules; `prefix` entries (`$http_`, `$arg_`, ...) end with `_`. */
export function variableSpecs(): ReadonlyMap<string, VariableSpec> {
  if (!variableTable) {
    variableTable = new Map();
    for (const v of getVariables(Format.Markdown)) {
      const name = v.name.replace(/^\$/, '');
      if (!variableTable.has(name)) variableTable.set(name, { name, module: v.module, docs: v });
    }
  }
  return variableTable;
}

/** Blocks whose body is read by the block's own handler rather than as directives. */
const OPAQUE_BLOCKS = new Set(['map', 'geo', 'types', 'split_clients', 'charset_map', 'match', 'num_map']);

/** Whether a block's body is read by its own handler (map entries, types) rather than as directives. */
export function isOpaqueBlock(name: string): boolean {
  return OPAQUE_BLOCKS.has(name);
}

/** Inside these opaque blocks nginx still honours `include`. */
export const OPAQUE_BLOCKS_WITH_INCLUDE = new Set(['map', 'geo', 'types']);

/** The names bodyContext gives a block of directives (its cases below): keep the two together. */
const DIRECTIVE_BLOCKS: ReadonlySet<string> = new Set(['events', 'http', 'stream', 'mail', 'server', 'upstream', 'location', 'if', 'limit_except', 'acme_issuer', 'oidc_provider', 'mgmt']);

/** Whether nginx reads a block after this name (directives, entries or Lua): any other block is a mistake of its directive's. */
export function readsBlock(name: string): boolean {
  return DIRECTIVE_BLOCKS.has(name) || OPAQUE_BLOCKS.has(name) || name.endsWith('_by_lua_block');
}

/** The context a block directive opens, given the context it stands in. */
export function bodyContext(name: string, parent: ContextKind): ContextKind {
  if (name.endsWith('_by_lua_block')) return 'lua';
  if (OPAQUE_BLOCKS.has(name)) return 'opaque';
  switch (name) {
    case 'events':
      return 'events';
    case 'http':
      return 'http';
    case 'stream':
      return 'stream';
    case 'mail':
      return 'mail';
    case 'server':
      if (parent === 'http') return 'http.server';
      if (parent === 'stream') return 'stream.server';
      if (parent === 'mail') return 'mail.server';
      return 'unknown';
    case 'upstream':
      return parent === 'stream' ? 'stream.upstream' : 'http.upstream';
    case 'location':
      return 'http.location';
    case 'if':
      return parent === 'http.server' ? 'http.if.server' : 'http.if.location';
    case 'limit_except':
      return 'http.limit_except';
    case 'acme_issuer':
      return 'http.acme_issuer';
    case 'oidc_provider':
      return 'http.oidc_provider';
    case 'mgmt':
      return 'mgmt';
    default:
      return 'unknown';
  }
}
