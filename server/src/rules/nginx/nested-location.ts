import { defineRule } from '../rule';
import { checkedNamed, includeTrail, locationName, refused, shown } from '../support';

export default defineRule({
  meta: {
    id: 'nginx/nested-location',
    defaultSeverity: 'error',
    messages: {
      outside: {
        text: 'location "{child}" is outside location "{parent}".',
        ...refused('A location nested in another must start with its path: often a "}" is missing above, or this location belongs at the server level.'),
      },
      insideExact: {
        text: 'location "{child}" cannot be inside the exact location "{parent}".',
        ...refused('An exact (=) location matches one URI and holds no other location.'),
      },
      insideNamed: {
        text: 'location "{child}" cannot be inside the named location "{parent}".',
        ...refused('A named location is only reached by try_files or error_page and holds no other location.'),
      },
      namedNested: { text: 'named location "{child}" can be on the server level only.', ...refused('A named location cannot be nested in another location.') },
    },
    reads: ['location'],
    docs: {
      summary: 'A nested location that nginx refuses: outside its parent\'s path, inside an exact or named location, or named.',
      whatItDoes:
        'Checks each location inside another location as nginx does when it reads it: a prefix or exact location must start with the ' +
        "parent's path (a regex location may be anywhere), an exact (`=`) or named (`@`) location holds no location, and a named " +
        'location stands at the server level only. Locations that included files add to a block count.',
      whyItMatters:
        'nginx refuses the whole configuration, and Kasm with it. The usual cause is a missing `}`: the next location of the file is read ' +
        'inside the previous one, and nginx reports it there rather than at the end of the file.',
      example: 'server {\n    location /api/ {\n        proxy_pass http://kasm_api;\n\n    location /desktop/ {\n        proxy_pass http://kasm_guac;\n    }\n}',
      useInstead:
        'server {\n    location /api/ {\n        proxy_pass http://kasm_api;\n    }\n    location /desktop/ {\n        proxy_pass http://kasm_guac;\n    }\n}',
    },
  },
  check({ model, report }) {
    for (const directive of checkedNamed(model, 'location')) {
      if (directive.node.terminator !== '{' || directive.parent.context !== 'http.location') continue;
      const owner = directive.parent.owner;
      if (!owner || owner.node.name !== 'location') continue;
      const child = locationName(directive);
      const parent = locationName(owner);
      if (!child || !parent) continue;
      // the checks of ngx_http_core_location, in its order
      const problem = parent.exact
        ? ({ message: 'insideExact', nginx: `location "${child.name}" cannot be inside the exact location "${parent.name}"` } as const)
        : parent.named
          ? ({ message: 'insideNamed', nginx: `location "${child.name}" cannot be inside the named location "${parent.name}"` } as const)
          : child.named
            ? ({ message: 'namedNested', nginx: `named location "${child.name}" can be on the server level only` } as const)
            : !child.regex && !child.name.startsWith(parent.name)
              ? ({ message: 'outside', nginx: `location "${child.name}" is outside location "${parent.name}"` } as const)
              : undefined;
      if (!problem) continue;
      report({
        message: problem.message,
        data: { child: shown(child.name), parent: shown(parent.name) },
        file: directive.file,
        start: directive.node.start,
        end: directive.node.args[directive.node.args.length - 1]!.end,
        related: [{ file: owner.file, start: owner.node.start, end: owner.node.nameToken.end, message: `the enclosing location "${parent.name}"` }, ...includeTrail(directive)],
        nginx: { seq: directive.seq, line: directive.node.nginxLine, message: problem.nginx },
      });
    }
  },
});
