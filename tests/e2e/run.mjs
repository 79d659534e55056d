// Runs the browser tests against dist/ (built by scripts/test.sh with trunk).
// Usage: node tests/e2e/run.mjs [filter]   (a suite name, e.g. "webgpu", or part of a test's)
import { runSuites, serve } from './harness.mjs';
import { appSuites } from './app.test.mjs';
import { firefoxSuites } from './firefox.test.mjs';
import { probeSuites } from './probe.test.mjs';
import { raceSuites } from './race.test.mjs';
import { teachSuites } from './teach.test.mjs';
import { threadsSuites } from './threads.test.mjs';
import { trainingSuites } from './training.test.mjs';

const server = await serve();
// The same build with the headers that isolate the page (COOP/COEP), for the engine's threads.
const isolatedServer = await serve(undefined, { isolated: true });
const [raceCpu, raceWebGpu] = raceSuites(server);
const [trainCpu, trainWebGpu] = trainingSuites(server);
// The test command starts these tests while the native build (the CLI) may still be running:
// first the suites that need no CLI, the Firefox suites next (only their last suite compares
// with the CLI), and last the CPU training suite, which forbids long main-thread tasks and so
// should not share the machine with a compiler.
const suites = [
  raceCpu, raceWebGpu, trainWebGpu, ...firefoxSuites(server),
  ...appSuites(server), ...teachSuites(server), ...probeSuites(server), ...threadsSuites(server, isolatedServer), trainCpu,
];
const failed = await runSuites(suites, process.argv[2]);
server.close();
isolatedServer.close();
process.exit(failed ? 1 : 0);
