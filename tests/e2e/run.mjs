// Runs the browser tests against dist/ (built by scripts/test.sh with trunk).
// Usage: node tests/e2e/run.mjs [name filter]
import { runTests, serve } from './harness.mjs';
import { appTests } from './app.test.mjs';
import { trainingTests } from './training.test.mjs';

const server = await serve();
const failed = await runTests([...appTests(server), ...trainingTests(server)], process.argv[2]);
server.close();
process.exit(failed ? 1 : 0);
