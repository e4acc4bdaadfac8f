// allow and deny (http/modules/ngx_http_access_module.c and stream/ngx_stream_access_module.c,
// ngx_*_access_rule): "all", "unix:" (the http module), or an address with an optional mask.

import type { Handler } from '../handler';
import { isCidr } from '../url';

export const accessRuleHandler: Handler = ({ node, parent }) => {
  const value = node.args[0]!;
  if (value.value === 'all' || isCidr(value.value)) return undefined;
  if (value.value === 'unix:' && !parent.context.startsWith('stream')) return undefined;
  return {
    message: `invalid parameter "${value.value}"`,
    at: value,
    explain: `${node.name} takes "all", an address (192.0.2.1, 2001:db8::1) or a network (10.0.0.0/8)${parent.context.startsWith('stream') ? '' : ', or "unix:" for UNIX-domain sockets'}.`,
  };
};
