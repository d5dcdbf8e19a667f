// Runs every GraphQL-over-HTTP server audit of graphql-http against one URL, prints each
// result and a summary per requirement level, and exits 1 if any audit (MUST, SHOULD or
// MAY) fails.
//
//   node scripts/graphql_http_audit/audit.mjs http://127.0.0.1:8000/graphql
import { serverAudits } from 'graphql-http';

const url = process.argv[2] ?? process.env.GRAPHQL_URL ?? 'http://127.0.0.1:8000/graphql';
const timeoutMs = Number(process.env.AUDIT_REQUEST_TIMEOUT_MS ?? 30000);

// A request that never answers fails its audit instead of hanging the run.
const fetchFn = (input, init = {}) =>
  fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) });

const levels = ['MUST', 'SHOULD', 'MAY'];
const tally = Object.fromEntries(levels.map((level) => [level, { passed: 0, total: 0 }]));
let failures = 0;

console.log(`GraphQL over HTTP audit of ${url}`);
for (const { fn } of serverAudits({ url, fetchFn })) {
  // One at a time, so the printed order is the suite's and the server is not flooded.
  const result = await fn();
  const level = result.name.split(' ', 1)[0];
  tally[level].total += 1;
  if (result.status === 'ok') {
    tally[level].passed += 1;
    console.log(`  ok    ${result.id} ${result.name}`);
  } else {
    failures += 1;
    const status = result.response ? ` [HTTP ${result.response.status}]` : '';
    console.log(`  FAIL  ${result.id} ${result.name}: ${result.reason}${status}`);
  }
}

const summary = levels.map((level) => `${level} ${tally[level].passed}/${tally[level].total}`);
console.log(`Passed: ${summary.join(', ')}`);
if (failures > 0) {
  console.log(`${failures} audit(s) failed`);
  process.exit(1);
}
console.log('All audits passed');
