// Which YAML files are cloudflared configs: by where they are (a cloudflared or .cloudflared folder,
// as cloudflared itself looks), or by what they hold (top-level tunnel: and ingress: keys).

import { basename, dirname } from 'node:path';

export function isTunnelConfigPath(path: string): boolean {
  return /\.ya?ml$/i.test(path) && ['cloudflared', '.cloudflared', 'cloudflare-warp', '.cloudflare-warp'].includes(basename(dirname(path)));
}

export function looksLikeTunnelConfig(text: string): boolean {
  return /^tunnel\s*:/m.test(text) && /^ingress\s*:/m.test(text);
}

export function isTunnelConfig(path: string, text: string): boolean {
  return /\.ya?ml$/i.test(path) && (isTunnelConfigPath(path) || looksLikeTunnelConfig(text));
}
