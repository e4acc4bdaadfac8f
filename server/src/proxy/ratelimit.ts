// Rate limiting: the shared-memory zones `limit_req_zone` / `limit_conn_zone` define, the directives
// that use them, and what a rate limit must be keyed on for each deployment (behind a front proxy,
// the client address comes from a header that only the proxy may set: the realip module).

import type { ConfigBlock, ConfigDirective, ConfigModel, Root } from '../model/config';
import { effective } from '../model/effective';
import type { Deployment, Settings } from '../engine/settings';
import { insertIntoBlock } from '../rules/edits';
import type { EditSpec } from '../rules/rule';

export type ZoneKind = 'limit_req' | 'limit_conn';

export interface ZoneUse {
  directive: ConfigDirective;
  name: string;
  kind: ZoneKind;
  /** Defines the zone (`*_zone`), or uses it (`limit_req`, `limit_conn`). */
  defines: boolean;
}

/** The zone a directive defines or uses, if it is one of the four rate-limit directives. */
export function zoneUse(d: ConfigDirective): ZoneUse | undefined {
  if (d.node.terminator !== ';') return undefined;
  const args = d.node.args.map((a) => a.value);
  const zoneArg = () => args.find((a) => a.startsWith('zone='))?.slice(5);
  switch (d.node.name) {
    case 'limit_req_zone':
    case 'limit_conn_zone': {
      const spec = zoneArg();
      const name = spec?.split(':')[0];
      return name ? { directive: d, name, kind: d.node.name === 'limit_req_zone' ? 'limit_req' : 'limit_conn', defines: true } : undefined;
    }
    case 'limit_req': {
      const name = zoneArg();
      return name ? { directive: d, name, kind: 'limit_req', defines: false } : undefined;
    }
    case 'limit_conn':
      return args[0] ? { directive: d, name: args[0], kind: 'limit_conn', defines: false } : undefined;
    default:
      return undefined;
  }
}

const usesCache = new WeakMap<ConfigModel, Map<Root, ZoneUse[]>>();

/** Every zone definition and use of a root (one nginx configuration), in nginx's reading order. */
export function zoneUses(model: ConfigModel, root: Root): ZoneUse[] {
  let byRoot = usesCache.get(model);
  if (!byRoot) {
    byRoot = new Map(model.roots.map((r) => [r, []]));
    for (const d of model.directives()) {
      if (!d.node.name.startsWith('limit_')) continue;
      const use = zoneUse(d);
      const owner = use && rootOf(model, d);
      if (owner) byRoot.get(owner)!.push(use);
    }
    usesCache.set(model, byRoot);
  }
  return byRoot.get(root) ?? [];
}

export function rootOf(model: ConfigModel, d: ConfigDirective): Root | undefined {
  return model.roots.find((r) => d.seq >= r.seqStart && d.seq < r.seqEnd);
}

/** The key a zone is keyed on (its first argument). */
export function zoneKey(d: ConfigDirective): string {
  return d.node.args[0]?.value ?? '';
}

/** A key any client can choose: a request header, argument or cookie. */
export function clientControlled(key: string): string | undefined {
  return /\$\{?((?:http|arg|cookie)_\w+)/.exec(key)?.[1];
}

export interface RealIp {
  /** The realip lines, at http level. */
  lines: string[];
  /** In words, for fix titles: "trusting X-Forwarded-For from 10.0.0.0/8, ...". */
  summary: string;
}

const PRIVATE_NETWORKS = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];
/** cloudflared connects to Kasm's proxy from the host, which Docker shows as a bridge gateway address. */
const TUNNEL_SOURCES = ['127.0.0.1', '::1', '172.16.0.0/12'];

/** The realip set-up for a deployment, or undefined when clients connect directly. */
export function realIpFor(settings: Pick<Settings, 'deployment' | 'trustedProxies'>): RealIp | undefined {
  const deployment: Deployment = settings.deployment;
  if (deployment === 'direct') return undefined;
  const header = deployment === 'cloudflare-tunnel' ? 'CF-Connecting-IP' : 'X-Forwarded-For';
  const trusted = settings.trustedProxies?.length ? settings.trustedProxies : deployment === 'cloudflare-tunnel' ? TUNNEL_SOURCES : PRIVATE_NETWORKS;
  return {
    lines: [...trusted.map((a) => `set_real_ip_from ${a};`), `real_ip_header ${header};`, ...(header === 'X-Forwarded-For' ? ['real_ip_recursive on;'] : [])],
    summary: `trusting ${header} from ${trusted.join(', ')}`,
  };
}

/** The realip module is set up where `block` is: a set_real_ip_from is in effect. */
export function realIpConfigured(block: ConfigBlock, version: string): boolean {
  return effective(block, 'set_real_ip_from', version).directives.length > 0;
}

/**
 * The realip lines at the top of a server block (after its listen and server_name lines). Every rule that needs them proposes exactly this
 * edit for a server, so that fixes applied together add them once (nginx rejects a second
 * real_ip_header in one block).
 */
export function realIpEdit(server: ConfigBlock, realIp: RealIp, version: string): EditSpec | undefined {
  if (realIpConfigured(server, version) || !server.syntax || !server.file) return undefined;
  return insertIntoBlock(server.file, server.syntax, realIp.lines, (d) => d.name === 'listen' || d.name === 'server_name');
}
