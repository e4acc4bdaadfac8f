// Thread pools (src/core/ngx_thread_pool.c, ngx_thread_pool) and `aio`, which names one
// (http/ngx_http_core_module.c). Facts checked on the real nginx -t: `aio` takes on, off, threads or
// threads=NAME as written (Threads=, THREADS are "invalid value"); thread_pool reads threads= and
// max_queue= with ngx_atoi (threads=0 is refused, max_queue=0 is not) and ignores other words.

import type { ConfigDirective } from '../../model/config';
import type { Handler } from '../handler';
import { insideToken } from '../handler';
import { parseDecimal } from '../values';

/** The pool an `aio` line names when it names one by a fixed name: "default" for `aio threads`. */
export function aioPool(directive: ConfigDirective): { name: string; at: { start: number; end: number } } | undefined {
  const token = directive.node.args[0];
  if (directive.node.name !== 'aio' || directive.node.args.length !== 1 || directive.node.terminator !== ';' || !token) return undefined;
  if (token.value === 'threads') return { name: 'default', at: token };
  if (!token.value.startsWith('threads=') || token.value.includes('$')) return undefined; // a variable names it per request
  return { name: token.value.slice('threads='.length), at: insideToken(token, 'threads='.length, token.value.length) };
}

export const aioHandler: Handler = ({ node }) => {
  const value = node.args[0]!;
  if (value.value === 'on' || value.value === 'off' || value.value === 'threads' || value.value.startsWith('threads=')) return undefined;
  return {
    message: '"aio" directive invalid value',
    at: value,
    explain: 'aio takes on, off, threads or threads=POOL, in lower case (threads reads files in the "default" pool or the thread_pool named).',
  };
};

export const threadPoolHandler: Handler = (directive, { model }) => {
  const { node } = directive;
  const name = node.args[0]!.value;
  const earlier = model.named('thread_pool').find((d) => d.seq < directive.seq && d.node.args[0]?.value === name && d.node.terminator === ';');
  if (earlier) {
    return {
      message: `duplicate thread pool "${name}"`,
      at: node.args[0],
      explain: `A thread pool is defined once; "${name}" is already defined at line ${earlier.node.nginxLine}${earlier.file === directive.file ? '' : ` of ${earlier.file.path}`}.`,
    };
  }
  let threads = false;
  for (const token of node.args.slice(1)) {
    const word = token.value;
    if (word.startsWith('threads=')) {
      const count = parseDecimal(word.slice('threads='.length));
      if (count === undefined || count === 0n) return { message: `invalid threads value "${word}"`, at: token, explain: 'threads= takes the number of threads of the pool, a whole number above 0.' };
      threads = true;
    } else if (word.startsWith('max_queue=') && parseDecimal(word.slice('max_queue='.length)) === undefined) {
      return { message: `invalid max_queue value "${word}"`, at: token, explain: 'max_queue= takes the number of tasks that may wait for a thread, a whole number (65536 by default).' };
    }
  }
  if (!threads) return { message: '"thread_pool" must have "threads" parameter', at: node.nameToken, explain: 'A thread pool needs its number of threads: thread_pool NAME threads=32;' };
  return undefined;
};
