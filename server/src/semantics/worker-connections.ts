// worker_connections as the events module sets it (src/event/ngx_event.c: ngx_event_connections reads
// the number with ngx_atoi, ngx_event_core_init_conf defaults it to DEFAULT_CONNECTIONS).

import type { ConfigDirective } from '../model/config';

/** worker_connections when the events block sets none. */
export const DEFAULT_CONNECTIONS = 512;

/** A count argument as ngx_atoi reads it (digits only), or undefined. */
export function countArgument(d: ConfigDirective | undefined): number | undefined {
  const value = d?.node.args[0]?.value;
  return value !== undefined && /^\d{1,15}$/.test(value) ? Number(value) : undefined;
}

/**
 * The worker_connections of an events block: its line, if it has one, and the value in effect
 * (undefined when nginx refuses the number: nginx/invalid-value reports it).
 */
export function workerConnections(events: ConfigDirective): { setting: ConfigDirective | undefined; value: number | undefined } {
  const setting = events.block?.items.find((d) => d.node.name === 'worker_connections' && d.node.terminator === ';');
  return { setting, value: setting ? countArgument(setting) : DEFAULT_CONNECTIONS };
}
