import { addVolumes, certsPathFor, composeOf, localOf, mountOf } from '../../kasm/compose';
import { defineRule, type Report } from '../rule';

/** The files the proxy's nginx opens at start-up that Kasm's guide has users add or replace. */
const MOUNTED_FILES = new Set(['ssl_certificate', 'ssl_certificate_key', 'ssl_dhparam']);

/** What to do once the file is mounted, per directive (the guide's commands). */
function createCommand(directive: string, source: string): string {
  if (directive === 'ssl_dhparam') return `sudo openssl dhparam -out ${source} 4096 && sudo chown kasm:kasm ${source}`;
  return `copy the PEM file to ${source} and sudo chown kasm:kasm ${source}`;
}

export default defineRule({
  meta: {
    id: 'kasm/compose-volume',
    defaultSeverity: 'error',
    messages: {
      unmounted: {
        text: '{path} is not mounted into the proxy container: nginx cannot open it there and does not start.',
        why:
          'nginx in a container opens files in the container. The compose file must map the host file in (a `volumes` entry of the proxy ' +
          'service); the fix adds `- {source}:{path}`. Then create the file ({command}) and re-create the container.',
        whyKasm:
          "Kasm's guide maps new files into kasm_proxy with a volume in docker/docker-compose.yaml; the fix adds `- {source}:{path}` to the " +
          'proxy service. Then create the file ({command}), and re-create the container: sudo docker rm -f kasm_proxy && sudo /opt/kasm/bin/start ' +
          '(a restart keeps the old volumes).',
      },
      missingSource: {
        text: '{source}, mounted at {path}, does not exist: Docker mounts an empty folder there.',
        why: 'When the source of a bind mount is missing, Docker creates a directory in its place; nginx then fails to read {path}. Create it: {command}.',
      },
    },
    fixes: {
      addVolume: { title: 'Mount {source} at {path}{also} in the {service} service ({compose})', applicability: 'unsafe', changes: 'the proxy container mounts a host file' },
    },
    docs: {
      summary: 'A certificate, key or DH parameters file the Kasm proxy reads that its docker-compose.yaml does not mount, or mounts from a missing file.',
      whatItDoes:
        "For a Kasm tree, reads Kasm's docker-compose.yaml (`../../docker/docker-compose.yaml` from the tree, where the installer puts it, " +
        'or the `composeFile` setting) and its proxy service (container `kasm_proxy`). For each `ssl_certificate`, `ssl_certificate_key` and ' +
        '`ssl_dhparam` file, finds the volume the container sees it through. Reports a file no volume mounts, and a mounted host file that ' +
        'does not exist (host paths under Kasm\'s root, such as /opt/kasm/1.16.1/certs, are looked up beside the tree being read). Silent ' +
        'when there is no compose file or no proxy service in it.',
      whyItMatters:
        "Kasm's guide adds `ssl_dhparam /etc/ssl/certs/dhparam.pem;` and, separately, a volume that mounts the file into kasm_proxy. Forget " +
        'the volume (or the file) and nginx in the container cannot open it: the proxy does not come back after the restart, and every ' +
        'session is down.',
      example:
        '# orchestrator.conf\nssl_dhparam /etc/ssl/certs/dhparam.pem;\n\n# docker/docker-compose.yaml, proxy service\nvolumes:\n  - /opt/kasm/1.16.1/conf/nginx:/etc/nginx/conf.d:ro',
      useInstead:
        '# docker/docker-compose.yaml, proxy service\nvolumes:\n  - /opt/kasm/1.16.1/conf/nginx:/etc/nginx/conf.d:ro\n  - /opt/kasm/1.16.1/certs/dhparam.pem:/etc/ssl/certs/dhparam.pem',
      fixSafety:
        "Adds the volume the guide shows, at the indentation of the service's other volumes, with the host path in Kasm's certs folder " +
        'under the root the compose file already uses. Unsafe: the file must exist before the container is re-created, or Docker mounts an ' +
        'empty folder.',
      references: ['https://docs.docker.com/reference/compose-file/services/#volumes'],
    },
  },
  check({ model, settings, report }) {
    const compose = composeOf(model, settings.composeFile);
    if (!compose) return;
    const { service, treeDir } = compose;
    const seen = new Set<string>();
    const unmounted: Array<{ at: Pick<Report<string, string>, 'file' | 'start' | 'end'>; path: string; source: string; directive: string }> = [];
    for (const d of model.directives()) {
      if (!MOUNTED_FILES.has(d.node.name) || d.node.terminator !== ';') continue;
      const arg = d.node.args[0];
      if (!arg || arg.value.includes('$') || arg.value.startsWith('data:')) continue;
      const key = `${d.file.path}:${arg.start}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const path = model.resolvePath(arg.value).nginxPath;
      const at = { file: d.file, start: arg.start, end: arg.end };
      const mount = mountOf(service, path);
      if (!mount) {
        unmounted.push({ at, path, source: certsPathFor(service, path), directive: d.node.name });
        continue;
      }
      if (!mount.hostPath.startsWith('/')) continue; // a named volume: its content is Docker's
      const { read } = model.readReferenced(localOf(service, treeDir, mount.hostPath));
      if (read.ok || read.reason !== 'not-found') continue;
      report({ message: 'missingSource', data: { path, source: mount.hostPath, command: createCommand(d.node.name, mount.hostPath) }, ...at });
    }
    // One edit mounts every file that needs it, so that fixing one finding fixes them all (and the
    // insertions, all at one point, do not need one pass each).
    const targets = [...new Map(unmounted.map((u) => [u.path, { source: u.source, target: u.path }])).values()];
    const edit = targets.length > 0 ? addVolumes(service, targets) : undefined;
    for (const u of unmounted) {
      const data = { path: u.path, source: u.source, command: createCommand(u.directive, u.source), service: service.name, compose: compose.path };
      const also = targets.length - 1;
      report({ message: 'unmounted', data, ...u.at, fixes: edit ? [{ fix: 'addVolume', data: { ...data, also: also > 0 ? ` and ${also} other file${also === 1 ? '' : 's'}` : '' }, edits: [edit] }] : [] });
    }
  },
});
