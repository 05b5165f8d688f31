// Rewrites the conformance table of packages/testing/README.md from the conformance suite's
// scenarios and known in-memory differences (the suite fails while the table is stale).
import { fileURLToPath } from 'node:url';
import { writeConformanceTable } from '../packages/testing/test/conformance/conformanceTable.js';

const readme = fileURLToPath(new URL('../packages/testing/README.md', import.meta.url));
const changed = writeConformanceTable(readme);
console.log(changed ? `conformance table updated in ${readme}` : 'conformance table is up to date');
