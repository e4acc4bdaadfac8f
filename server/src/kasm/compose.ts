// Kasm's docker-compose.yaml, as far as the proxy is concerned: which host files its `proxy` service
// (container kasm_proxy) mounts where, so that a file the nginx tree names at a container path
// (/etc/ssl/certs/dhparam.pem) can be traced to the host file behind it, or found not mounted at all.
// The installer writes it to /opt/kasm/<version>/docker/docker-compose.yaml with host paths under
// /opt/kasm/<version>; the nginx tree is <that root>/conf/nginx, mounted at /etc/nginx/conf.d.

import { join, posix } from 'node:path';
import type { Node, YAMLMap } from 'yaml';
import { indentationAt, lineBreakOf } from '../core/text';
import { appendListItem } from '../cloudflared/edits';
import type { EditSpec } from '../rules/rule';
import type { TunnelFile } from '../cloudflared/document';
import { LineIndex } from '../core/text';
import { asMap, asSeq, entries, entry, scalarText as text, yamlTopMapping } from '../core/yaml-tree';
import type { ReadResult } from '../workspace/host';
import { KASM_CONTAINER_DIR } from '../workspace/project';
import type { ConfigModel } from '../model/config';
import { isKasmModel } from '../proxy/locations';

export const PROXY_CONTAINER = 'kasm_proxy';

export interface ComposeVolume {
  /** The host path (or named volume) mounted. */
  source: string;
  /** Where the container sees it. */
  target: string;
  /** The sequence item, for edits. */
  node: Node;
}

export interface ProxyService {
  file: TunnelFile;
  /** The service's key (`proxy` in Kasm's file). */
  name: string;
  /** The service's mapping. */
  node: YAMLMap;
  volumes: ComposeVolume[];
  /** The `volumes:` list, when there is one. */
  volumesNode?: Node;
  /** Kasm's root on the host (/opt/kasm/1.16.1), from the volume that mounts the nginx tree. */
  kasmRoot?: string;
}

/** Where Kasm keeps its compose file, seen from the nginx tree (<root>/conf/nginx). */
export function defaultComposePath(treeDir: string): string {
  return join(treeDir, '..', '..', 'docker', 'docker-compose.yaml');
}

/** A volume item: `source:target[:mode]`, or the long form `{ source, target }`. */
function volumeOf(item: Node): ComposeVolume | undefined {
  const map = asMap(item);
  if (map) {
    const source = text(entry(map, 'source')?.value);
    const target = text(entry(map, 'target')?.value);
    return target ? { source, target: trimSlash(target), node: item } : undefined;
  }
  const parts = text(item).split(':');
  if (parts.length < 2 || !parts[1]) return undefined;
  return { source: trimSlash(parts[0]!), target: trimSlash(parts[1]), node: item };
}

function trimSlash(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

/** The proxy service of a compose file: the one whose container is kasm_proxy, else the one named `proxy`. */
export function readProxyService(path: string, read: ReadResult): ProxyService | undefined {
  if (!read.ok) return undefined;
  const { top, errors } = yamlTopMapping(read.text);
  if (errors > 0) return undefined;
  const file: TunnelFile = { path, text: read.text, lines: new LineIndex(read.text), latin1: read.latin1 };
  const services = entries(asMap(entry(top, 'services')?.value));
  const service =
    services.find((s) => text(entry(asMap(s.value), 'container_name')?.value) === PROXY_CONTAINER) ?? services.find((s) => s.key === 'proxy');
  const node = asMap(service?.value);
  if (!service || !node) return undefined;
  const volumesNode = entry(node, 'volumes')?.value ?? undefined;
  const volumes = (asSeq(volumesNode)?.items ?? []).map((item) => volumeOf(item as Node)).filter((v): v is ComposeVolume => v !== undefined);
  const tree = volumes.find((v) => v.target === KASM_CONTAINER_DIR && v.source.startsWith('/'));
  const kasmRoot = tree && tree.source.endsWith('/conf/nginx') ? tree.source.slice(0, -'/conf/nginx'.length) : undefined;
  return { file, name: service.key, node, volumes, volumesNode: volumesNode ?? undefined, kasmRoot };
}

/** The volume through which the container sees `containerPath` (the most specific one), and the host path behind it. */
export function mountOf(service: ProxyService, containerPath: string): { volume: ComposeVolume; hostPath: string } | undefined {
  const covering = service.volumes
    .filter((v) => containerPath === v.target || containerPath.startsWith(v.target === '/' ? '/' : `${v.target}/`))
    .sort((a, b) => b.target.length - a.target.length)[0];
  if (!covering) return undefined;
  return { volume: covering, hostPath: covering.source + containerPath.slice(covering.target.length) };
}

/**
 * Where a host path of the compose file is here: under Kasm's root it is beside the tree being read
 * (a copy of /opt/kasm/current elsewhere still has certs/ two folders above conf/nginx); other host
 * paths are taken as they are.
 */
export function localOf(service: ProxyService, treeDir: string, hostPath: string): string {
  const root = service.kasmRoot;
  if (root && (hostPath === root || hostPath.startsWith(`${root}/`))) return join(treeDir, '..', '..', hostPath.slice(root.length));
  return hostPath;
}

/** The host path the guide gives a new file the proxy needs: Kasm's certs folder, under the compose file's own root. */
export function certsPathFor(service: ProxyService, containerPath: string): string {
  return posix.join(service.kasmRoot ?? '/opt/kasm/current', 'certs', posix.basename(containerPath));
}

/**
 * Adds `source:target` items to the service's volumes, after the last one at its indentation; a service
 * without volumes gets the key, indented like its other keys. A flow list or an empty key is left to the
 * user.
 */
export function addVolumes(service: ProxyService, mounts: ReadonlyArray<{ source: string; target: string }>): EditSpec | undefined {
  const lines = mounts.map((m) => `${m.source}:${m.target}`);
  const list = asSeq(service.volumesNode);
  const last = list?.items.at(-1) as Node | undefined;
  if (list && !list.flow && last) {
    const span = { start: last.range?.[0] ?? 0, end: last.range?.[1] ?? 0 };
    const edits = lines.map((line) => appendListItem(service.file, span, [line]));
    return { ...edits[0]!, newText: edits.map((e) => e.newText).join('') };
  }
  if (entry(service.node, 'volumes')) return undefined;
  const file = service.file;
  const firstKey = entries(service.node)[0]?.keyNode.range?.[0];
  const indent = firstKey === undefined ? '    ' : indentationAt(file.text, firstKey);
  const eol = lineBreakOf(file.text);
  let end = service.node.range?.[1] ?? file.text.length;
  while (end > 0 && /\s/.test(file.text[end - 1]!)) end--;
  return { file, start: end, end, newText: `${eol}${indent}volumes:${lines.map((l) => `${eol}${indent}  - ${l}`).join('')}` };
}

export interface ComposeContext {
  service: ProxyService;
  path: string;
  treeDir: string;
}

/** The compose file of a Kasm tree (the composeFile setting, or beside the tree as installed) and its proxy service. */
export function composeOf(model: ConfigModel, composeFile: string | undefined): ComposeContext | undefined {
  if (!isKasmModel(model)) return undefined;
  const treeDir = model.resolvePath(KASM_CONTAINER_DIR).localPath;
  const path = composeFile ?? defaultComposePath(treeDir);
  const service = readProxyService(path, model.readReferenced(path).read);
  return service ? { service, path, treeDir } : undefined;
}
