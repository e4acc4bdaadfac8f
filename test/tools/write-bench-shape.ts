// Writes one of the benchmark's configurations to a scratch folder and prints the folders, to profile
// kasmlint on it: node out/tools/write-bench-shape.js servers-2000, then
// node --cpu-prof dist/kasmlint.js --format json <the folder printed>.

import { SHAPES } from '../bench/shapes';

const name = process.argv[2] ?? '';
const make = SHAPES[name];
if (!make) {
  console.error(`usage: write-bench-shape.js ${Object.keys(SHAPES).join('|')}`);
  process.exit(2);
}
const shape = make();
console.log(JSON.stringify({ lint: shape.lint, nginx: shape.nginx, lines: shape.diskLines, files: shape.files }));
