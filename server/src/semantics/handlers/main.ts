// Handlers of the main and events contexts with checks of their own: worker_processes
// (core/nginx.c, ngx_set_worker_processes) and worker_connections (event/ngx_event.c,
// ngx_event_connections), each a whole number read by ngx_atoi, and worker_cpu_affinity's masks.

import type { Handler } from '../handler';
import { insideToken } from '../handler';
import { parseDecimal } from '../values';

export const workerProcessesHandler: Handler = ({ node }) => {
  const value = node.args[0]!;
  if (value.value === 'auto' || parseDecimal(value.value) !== undefined) return undefined;
  return { message: '"worker_processes" directive invalid value', at: value, explain: 'worker_processes takes a number of processes or "auto" (one per CPU core).' };
};

export const workerConnectionsHandler: Handler = ({ node }) => {
  const value = node.args[0]!;
  if (parseDecimal(value.value) !== undefined) return undefined;
  return { message: `invalid number "${value.value}"`, at: value, explain: 'worker_connections takes a whole number of connections per worker (the default is 512).' };
};

/** CPU_SETSIZE of glibc: the longest mask nginx reads. */
const CPU_SETSIZE = 1024;

/**
 * worker_cpu_affinity auto [MASK] | MASK... (core/nginx.c, ngx_set_cpu_affinity on Linux): each mask is
 * read from its last character back, so the invalid character named is the last one that is not 0, 1
 * or a space.
 */
export const cpuAffinityHandler: Handler = ({ node }) => {
  const explain = 'worker_cpu_affinity takes one mask of 0s and 1s per worker (the last character is the first CPU), or auto with at most one mask of the CPUs to use.';
  const auto = node.args[0]!.value === 'auto';
  if (auto && node.args.length > 2) return { message: 'invalid number of arguments in "worker_cpu_affinity" directive', at: node.args[2], explain };
  for (const mask of node.args.slice(auto ? 1 : 0)) {
    if (mask.value.length > CPU_SETSIZE) return { message: `"worker_cpu_affinity" supports up to ${CPU_SETSIZE} CPUs only`, at: mask, explain };
    for (let i = mask.value.length - 1; i >= 0; i--) {
      const ch = mask.value[i]!;
      if (ch !== ' ' && ch !== '0' && ch !== '1') return { message: `invalid character "${ch}" in "worker_cpu_affinity"`, at: insideToken(mask, i, i + 1), explain };
    }
  }
  return undefined;
};

/** The blocks whose handlers count the modules (ngx_count_modules): a load_module after one is too late. */
const MODULE_COUNTING_BLOCKS = ['events', 'http', 'stream', 'mail'];

/**
 * load_module after an events, http, stream or mail block: nginx has counted its modules there
 * (cycle->modules_used), and refuses to load more (ngx_load_module, nginx 1.22.1 src/core/nginx.c).
 */
export const loadModuleHandler: Handler = (directive, { model }) => {
  const before = MODULE_COUNTING_BLOCKS.flatMap((name) => model.named(name)).find((d) => d.parent.context === 'main' && d.node.terminator === '{' && d.seq < directive.seq);
  if (!before) return undefined;
  return {
    message: '"load_module" directive is specified too late',
    explain: `nginx counted its modules when it read the ${before.node.name} block at line ${before.node.nginxLine}: load_module lines go before every events, http, stream and mail block (Debian includes modules-enabled/*.conf at the top of nginx.conf for this).`,
  };
};
