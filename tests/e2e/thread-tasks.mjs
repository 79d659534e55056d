// The page's tasks and its engine worker's, from Chromium's trace: each task's start (on the
// page's `performance.now()` clock), its wall time and the thread's own CPU time in it. A loaded
// machine stretches wall times, not CPU times (a page task of about 13 ms of work took 18–48 ms
// of wall time here; CI saw one of 106 ms): tests bound the CPU time, benchmarks print both.

const TASK_EVENTS = new Set(['RunTask', 'ThreadControllerImpl::RunTask']);
const CLOCK_MARK = 'convscope-trace-clock';

/**
 * Starts tracing `page`'s renderer; `stop()` ends it and returns `{ main, worker }`, each a list
 * of `{ startMs, wallMs, cpuMs }` in the order they ran (`worker`: the dedicated worker that
 * used the most CPU, the engine's; empty where there is none).
 */
export async function recordThreadTasks(context, page) {
  const session = await context.newCDPSession(page);
  const { frameTree } = await session.send('Page.getFrameTree');
  const events = [];
  session.on('Tracing.dataCollected', (message) => events.push(...message.value));
  const complete = new Promise((resolve) => session.once('Tracing.tracingComplete', resolve));
  await session.send('Tracing.start', {
    traceConfig: { includedCategories: ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink.user_timing'] },
    transferMode: 'ReportEvents',
  });
  // The trace's clock is not the page's: a mark, seen on both, ties them.
  await page.evaluate((name) => performance.mark(name), CLOCK_MARK);
  return {
    async stop() {
      await session.send('Tracing.end');
      await complete;
      await session.detach();
      return threadTasks(events, frameTree.frame.id);
    },
  };
}

function threadTasks(events, frameId) {
  // The page's renderer: the process of its top frame (the page's URL changes as the app keeps its state there).
  const frames = events.find((event) => event.name === 'TracingStartedInBrowser')?.args?.data?.frames ?? [];
  const frame = frames.find((candidate) => candidate.frame === frameId);
  if (!frame) throw new Error(`the trace names no frame ${frameId}`);
  const threads = events.filter((event) => event.name === 'thread_name' && event.pid === frame.processId);
  const main = threads.find((thread) => thread.args?.name === 'CrRendererMain');
  if (!main) throw new Error(`the trace names no main thread in process ${frame.processId}`);
  const mark = events.find((event) => event.name === CLOCK_MARK && event.pid === frame.processId);
  if (!mark) throw new Error('the trace lacks the clock mark');
  const offsetMs = mark.ts / 1000 - mark.args.data.startTime;
  const tasksOf = (thread) => outermost(events
    .filter((event) => event.ph === 'X' && TASK_EVENTS.has(event.name) && event.pid === thread.pid && event.tid === thread.tid))
    .map((task) => ({ startMs: task.ts / 1000 - offsetMs, wallMs: task.dur / 1000, cpuMs: (task.tdur ?? task.dur) / 1000 }));
  const cpu = (tasks) => tasks.reduce((sum, task) => sum + task.cpuMs, 0);
  const workers = threads
    .filter((thread) => thread.args?.name === 'DedicatedWorker thread')
    .map(tasksOf)
    .sort((a, b) => cpu(b) - cpu(a));
  return { main: tasksOf(main), worker: workers[0] ?? [] };
}

/** One task may be traced under both names, one inside the other: the outer one counts. */
function outermost(tasks) {
  const sorted = [...tasks].sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const kept = [];
  for (const task of sorted) {
    const last = kept.at(-1);
    if (!last || task.ts >= last.ts + last.dur) kept.push(task);
  }
  return kept;
}
