// Handlers of the main and events contexts with checks of their own: worker_processes
// (core/nginx.c, ngx_set_worker_processes) and worker_connections (event/ngx_event.c,
// ngx_event_connections), each a whole number read by ngx_atoi.

import type { Handler } from '../handler';
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
