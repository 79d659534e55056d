// Runs the browser tests against dist/ (built by scripts/test.sh with trunk).
// Usage: node tests/e2e/run.mjs [filter]   (a suite name, e.g. "webgpu", or part of a test's)
import { runSuites, serve } from './harness.mjs';
import { appSuites } from './app.test.mjs';
import { firefoxSuites } from './firefox.test.mjs';
import { probeSuites } from './probe.test.mjs';
import { raceSuites } from './race.test.mjs';
import { teachSuites } from './teach.test.mjs';
import { trainingSuites } from './training.test.mjs';

const server = await serve();
const failed = await runSuites([...appSuites(server), ...teachSuites(server), ...probeSuites(server), ...trainingSuites(server), ...raceSuites(server), ...firefoxSuites(server)], process.argv[2]);
server.close();
process.exit(failed ? 1 : 0);
