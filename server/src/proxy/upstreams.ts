// Where a proxy_pass sends requests, and whether that is Kasm: its services are named kasm_api,
// kasm_guac, rdp_gateway, ...; a front proxy reaches kasm_proxy over HTTPS on port 443.

import { type ConfigBlock, type ConfigDirective, type ConfigModel, modelMemoKey } from '../model/config';

export interface ProxyTarget {
  /** undefined when the scheme comes from a variable. */
  scheme?: 'http' | 'https';
  host: string;
  port?: number;
  /** The host is built from variables (resolved per request). */
  variableHost: boolean;
  /** The `upstream` block the host names, if any. */
  upstream?: ConfigBlock;
}

const UPSTREAMS = modelMemoKey<Map<string, ConfigBlock>>('upstreams');

export function upstreams(model: ConfigModel): Map<string, ConfigBlock> {
  return model.memo(UPSTREAMS, () => {
    const map = new Map<string, ConfigBlock>();
    for (const d of model.named('upstream')) {
      if (d.block?.context === 'http.upstream' && d.node.args[0]) map.set(d.node.args[0].value, d.block);
    }
    return map;
  });
}

export function proxyTarget(model: ConfigModel, proxyPass: ConfigDirective): ProxyTarget | undefined {
  const url = proxyPass.node.args[0]?.value ?? '';
  const m = /^([^:/]*):\/\/(\[[^\]]*\]|[^/:?]*)(?::(\d+))?/.exec(url);
  if (!m) return undefined;
  const scheme = m[1] === 'http' || m[1] === 'https' ? m[1] : undefined;
  const host = m[2]!;
  return { scheme, host, port: m[3] ? Number(m[3]) : undefined, variableHost: host.includes('$'), upstream: upstreams(model).get(host) };
}

const KASM_NAME = /kasm|rdp_gateway/i;

/** The upstream's servers' ports (for `server host:443` lines). */
function upstreamPorts(upstream: ConfigBlock): number[] {
  return upstream.items
    .filter((d) => d.node.name === 'server')
    .map((d) => Number(/:(\d+)$/.exec(d.node.args[0]?.value ?? '')?.[1] ?? Number.NaN))
    .filter((p) => !Number.isNaN(p));
}

/** Requests go to Kasm: a host or upstream named like Kasm's services, or HTTPS to port 443. */
export function looksLikeKasm(target: ProxyTarget): boolean {
  if (KASM_NAME.test(target.host)) return true;
  if (target.upstream?.items.some((d) => d.node.name === 'server' && KASM_NAME.test(d.node.args[0]?.value ?? ''))) return true;
  if (target.scheme !== 'https') return false;
  if (target.upstream) return upstreamPorts(target.upstream).includes(443);
  return target.port === 443;
}
