// Rate limiting: the shared-memory zones `limit_req_zone` / `limit_conn_zone` define, the directives
// that use them, and what a rate limit must be keyed on for each deployment (behind a front proxy,
// the client address comes from a header that only the proxy may set: the realip module).

import { bySeq, directivesNamed } from '../model/by-name';
import { type ConfigBlock, type ConfigDirective, type ConfigModel, modelMemoKey, type Root } from '../model/config';
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

/** The zone a directive defines or limits on, if it is one of the four rate-limit directives. */
export function zoneUse(d: ConfigDirective): ZoneUse | undefined {
  return zonesOf(d).at(-1);
}

/**
 * The zones a directive defines or registers, as nginx's handlers read their words: after the key,
 * each zone= of a *_zone replaces the one before and the last is defined; each zone= of limit_req
 * registers its zone (one never defined stops nginx at start-up) and the last is the one it limits on.
 */
function zonesOf(d: ConfigDirective): ZoneUse[] {
  if (d.node.terminator !== ';') return [];
  const args = d.node.args.map((a) => a.value);
  switch (d.node.name) {
    case 'limit_req_zone':
    case 'limit_conn_zone': {
      const spec = args.slice(1).filter((a) => a.startsWith('zone=')).at(-1)?.slice(5);
      const name = spec?.split(':')[0];
      return name ? [{ directive: d, name, kind: d.node.name === 'limit_req_zone' ? 'limit_req' : 'limit_conn', defines: true }] : [];
    }
    case 'limit_req':
      return args.filter((a) => a.startsWith('zone=')).map((a) => ({ directive: d, name: a.slice(5), kind: 'limit_req', defines: false }));
    case 'limit_conn':
      return args.length > 0 ? [{ directive: d, name: args[0]!, kind: 'limit_conn', defines: false }] : [];
    default:
      return [];
  }
}

/** The directives zonesOf reads. */
const ZONE_DIRECTIVES = ['limit_req_zone', 'limit_conn_zone', 'limit_req', 'limit_conn'];

const ZONE_USES = modelMemoKey<Map<Root, ZoneUse[]>>('zone uses');

/** Every zone definition and use of a root (one nginx configuration), in nginx's reading order. */
export function zoneUses(model: ConfigModel, root: Root): ZoneUse[] {
  const byRoot = model.memo(ZONE_USES, () => {
    const found = new Map<Root, ZoneUse[]>(model.roots.map((r) => [r, []]));
    for (const d of bySeq(directivesNamed(model, ...ZONE_DIRECTIVES))) {
      const uses = zonesOf(d);
      const owner = uses.length > 0 ? rootOf(model, d) : undefined;
      if (owner) found.get(owner)!.push(...uses);
    }
    return found;
  });
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
