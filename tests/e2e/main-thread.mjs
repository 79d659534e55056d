// The page's main-thread tasks, from Chromium's trace: each task's wall time and the thread's
// own CPU time in it. A loaded machine stretches wall times, not CPU times (a task of about 13 ms
// of work took 18–48 ms of wall time here; CI saw one of 106 ms): tests bound the CPU time,
// benchmarks print both.

const TASK_EVENTS = new Set(['RunTask', 'ThreadControllerImpl::RunTask']);

/** Starts tracing `page`'s renderer; `stop()` ends it and returns `[{ wallMs, cpuMs }]`, longest first. */
export async function recordMainThreadTasks(context, page) {
  const session = await context.newCDPSession(page);
  const { frameTree } = await session.send('Page.getFrameTree');
  const events = [];
  session.on('Tracing.dataCollected', (message) => events.push(...message.value));
  const complete = new Promise((resolve) => session.once('Tracing.tracingComplete', resolve));
  await session.send('Tracing.start', {
    traceConfig: { includedCategories: ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline'] },
    transferMode: 'ReportEvents',
  });
  return {
    async stop() {
      await session.send('Tracing.end');
      await complete;
      await session.detach();
      return mainThreadTasks(events, frameTree.frame.id);
    },
  };
}

function mainThreadTasks(events, frameId) {
  // The page's renderer: the process of its top frame (the page's URL changes as the app keeps its state there).
  const frames = events.find((event) => event.name === 'TracingStartedInBrowser')?.args?.data?.frames ?? [];
  const frame = frames.find((candidate) => candidate.frame === frameId);
  if (!frame) throw new Error(`the trace names no frame ${frameId}`);
  const main = events.find((event) => event.name === 'thread_name' && event.pid === frame.processId
    && event.args?.name === 'CrRendererMain');
  if (!main) throw new Error(`the trace names no main thread in process ${frame.processId}`);
  const tasks = events
    .filter((event) => event.ph === 'X' && TASK_EVENTS.has(event.name) && event.pid === main.pid && event.tid === main.tid)
    .sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  // One task may be traced under both names, one inside the other: the outer one counts.
  const outermost = [];
  for (const task of tasks) {
    const last = outermost.at(-1);
    if (!last || task.ts >= last.ts + last.dur) outermost.push(task);
  }
  return outermost
    .map((task) => ({ wallMs: task.dur / 1000, cpuMs: (task.tdur ?? task.dur) / 1000 }))
    .sort((a, b) => b.wallMs - a.wallMs);
}
