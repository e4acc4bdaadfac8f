import { listWords } from '../../core/strings';
import { CONTEXT_LABELS, type ContextKind } from '../../nginx/directives';
import { defineRule } from '../rule';
import { type ConfigBlock, specOf } from '../../model/config';
import { directivesToCheck, includeTrail, nameSpan, refused } from '../support';

/** "a server block", or "server context": the same for every inclusion of a file. */
function whereLabel(block: ConfigBlock): string {
  const label = CONTEXT_LABELS[block.context];
  return block.owner ? `a ${label} block` : block.root.file === undefined || block.context === 'main' ? `the ${label} context` : `${label} context`;
}

/** Why a file nothing includes is read in its context (its declaration, or what it implies), for the detail. */
function contextReason(block: ConfigBlock): string {
  return block.owner || block.root.file === undefined || block.context === 'main' ? '' : ` This file is read in ${CONTEXT_LABELS[block.context]} context: ${block.root.reason}.`;
}

/** Directives that can only stand at http level, which a Kasm services.d file (server level) cannot hold. */
const HTTP_ONLY_HINT =
  ' Files in services.d are read inside the server block of orchestrator.conf: put it in a top-level file of the Kasm folder (above the server block of orchestrator.conf), which nginx reads at http level.';

export default defineRule({
  meta: {
    id: 'nginx/invalid-context',
    defaultSeverity: 'error',
    messages: {
      notAllowed: {
        text: '"{name}" directive is not allowed here, in {where}.',
        why: '"{name}" is only allowed in {allowed}.{reason} ' + refused().why,
        whyKasm: '"{name}" is only allowed in {allowed}.{reason}{hint} ' + refused().whyKasm,
      },
    },
    // (whether a directive may stand where it does depends on its name and the blocks around it)
    perDirective: { reads: [] },
    docs: {
      summary: 'A directive in a block where nginx does not accept it (a `map` inside a server, `proxy_set_header` inside `if`).',
      whatItDoes:
        "Checks each directive against the contexts nginx.org's reference gives it (checked against the real nginx for every directive it knows), " +
        'in the context the file is really read in: a file of `services.d` is read inside the server block of orchestrator.conf, so it is checked ' +
        'as server context even when opened alone. The message names the block and, through related information, the include that put it there.',
      whyItMatters:
        'nginx refuses to start with a directive in the wrong place. The classic Kasm mistake is following a guide that says "add a `map` / ' +
        '`limit_req_zone`" inside a services.d file: those are http-level directives, and kasm_proxy then fails to start.',
      example: '# services.d/website.conf (server context)\nlimit_req_zone $binary_remote_addr zone=kasm:10m rate=10r/s;',
      useInstead: '# orchestrator.conf, above the server block (http context)\nlimit_req_zone $binary_remote_addr zone=kasm:10m rate=10r/s;',
    },
  },
  check({ model, catalog, report, stopped, only }) {
    const checked = directivesToCheck(model, only);
    for (let i = 0; i < checked.length; i++) {
      const directive = checked[i]!;
      if (stopped(directive.seq)) break; // in reading order: nothing later matters either
      const { node, parent, file } = directive;
      if (specOf(catalog, directive)) continue;
      const specs = catalog.specs(node.name);
      if (specs.length === 0) continue;

      const contexts = new Set<ContextKind>(specs.flatMap((s) => [...s.contexts]));
      const allowed = [...new Set([...contexts].map((c) => CONTEXT_LABELS[c]))];
      const inServicesFile = /(^|\/)(services|containers)\.d\//.test(file.path);
      const hint = inServicesFile && contexts.has('http') && !contexts.has('http.server') ? HTTP_ONLY_HINT : '';
      report({
        message: 'notAllowed',
        data: { name: node.name, where: whereLabel(parent), allowed: listWords(allowed, 'or'), reason: contextReason(parent), hint },
        file,
        ...nameSpan(directive),
        related: includeTrail(directive),
        nginx: { seq: directive.seq, line: node.nginxLine, message: `"${node.name}" directive is not allowed here` },
      });
    }
  },
});
