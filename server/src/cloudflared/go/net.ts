// Go's net.SplitHostPort (a hostname with a port is refused by cloudflared), net.ParseIP (edge-bind-
// address) and net.ParseCIDR (ipRules prefixes), as far as accept or refuse goes.

/** net.SplitHostPort: the host and port, or undefined where Go returns an error. */
export function splitHostPort(hostport: string): { host: string; port: string } | undefined {
  const i = hostport.lastIndexOf(':');
  if (i < 0) return undefined;
  let host: string;
  let j = 0;
  let k = 0;
  if (hostport[0] === '[') {
    const end = hostport.indexOf(']');
    if (end < 0) return undefined;
    if (end + 1 === hostport.length) return undefined;
    if (end + 1 !== i) return undefined;
    host = hostport.slice(1, end);
    j = 1;
    k = end + 1;
  } else {
    host = hostport.slice(0, i);
    if (host.includes(':')) return undefined;
  }
  if (hostport.slice(j).includes('[')) return undefined;
  if (hostport.slice(k).includes(']')) return undefined;
  return { host, port: hostport.slice(i + 1) };
}

/** net.SplitHostPort succeeds. */
export function splitHostPortOk(hostport: string): boolean {
  return splitHostPort(hostport) !== undefined;
}

/** netip.ParseAddr for IPv4: four decimal fields 0-255, no leading zeros. */
function parseIPv4(s: string): number[] | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^[0-9]{1,3}$/.test(p) || (p.length > 1 && p[0] === '0')) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    out.push(v);
  }
  return out;
}

/** An IPv6 address (with an optional embedded IPv4 tail), as netip.ParseAddr reads it; no zone. */
function parseIPv6(s: string): boolean {
  if (s.includes('%')) return false;
  const halves = s.split('::');
  if (halves.length > 2) return false;
  const groupsOf = (part: string) => (part === '' ? [] : part.split(':'));
  const all = [...groupsOf(halves[0]!), ...(halves.length === 2 ? groupsOf(halves[1]!) : [])];
  let groups = 0;
  for (let i = 0; i < all.length; i++) {
    const p = all[i]!;
    if (i === all.length - 1 && p.includes('.')) {
      if (!parseIPv4(p)) return false;
      groups += 2;
    } else if (/^[0-9a-fA-F]{1,4}$/.test(p)) {
      groups++;
    } else {
      return false;
    }
  }
  return halves.length === 2 ? groups < 8 : groups === 8;
}

/** net.ParseIP returns an address. */
export function parseIPOk(s: string): boolean {
  if (s.includes(':')) return parseIPv6(s);
  return parseIPv4(s) !== undefined;
}

/** net.ParseCIDR succeeds: an address, a slash, a decimal mask within the address size. */
export function parseCIDROk(s: string): boolean {
  const slash = s.indexOf('/');
  if (slash < 0) return false;
  const addr = s.slice(0, slash);
  const mask = s.slice(slash + 1);
  const bits = addr.includes(':') ? (parseIPv6(addr) ? 128 : -1) : parseIPv4(addr) ? 32 : -1;
  if (bits < 0) return false;
  if (!/^[0-9]+$/.test(mask) || mask.length > 10) return false;
  return Number(mask) <= bits;
}
