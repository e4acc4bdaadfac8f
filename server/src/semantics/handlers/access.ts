// allow and deny (http/modules/ngx_http_access_module.c and stream/ngx_stream_access_module.c,
// ngx_*_access_rule): "all", "unix:" (UNIX-domain sockets: both modules, nginx 1.22.1
// ngx_stream_access_module.c:311), or an address with an optional mask.

import type { Handler } from '../handler';
import { isCidr } from '../url';

export const accessRuleHandler: Handler = ({ node }) => {
  const value = node.args[0]!;
  if (value.value === 'all' || isCidr(value.value)) return undefined;
  if (value.value === 'unix:') return undefined;
  return {
    message: `invalid parameter "${value.value}"`,
    at: value,
    explain: `${node.name} takes "all", an address (192.0.2.1, 2001:db8::1), a network (10.0.0.0/8), or "unix:" for UNIX-domain sockets.`,
  };
};
