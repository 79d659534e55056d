// The engine worker: the app's wasm module again, whose `run_engine` runs the burn engine here.
// For the CPU on a cross-origin isolated page (served with COOP/COEP, as scripts/serve.sh does),
// when the build has it (threads/, see scripts/threads.sh), it loads the engine built with
// threads instead: burn Flex then computes on a pool of workers sharing the engine's memory.
// That engine has no WebGPU, so it is for `?backend=cpu`, and for `auto` when the browser has no
// WebGPU adapter. Anything that goes wrong there falls back to the app's module. Messages that
// arrive while the module loads are replayed once the engine listens.
const early = [];
self.onmessage = (event) => early.push(event.data);

// The pool's size: every core, up to 8. Measured on 2 cores only (README, "Threads"); each
// worker holds an instance of the module, and these networks' products are small.
const MAX_THREADS = 8;
// A pool whose workers cannot start never says so (each is awaited until it reports ready):
// after this long the app's module takes over, rather than leaving the page "starting".
const POOL_TIMEOUT_MS = 15_000;

async function hasWebGpuAdapter() {
  try {
    return Boolean(await navigator.gpu?.requestAdapter());
  } catch {
    return false;
  }
}

async function loadThreaded() {
  const threads = Math.min(navigator.hardwareConcurrency ?? 1, MAX_THREADS);
  if (!self.crossOriginIsolated || threads < 2) return null;
  const backend = new URL(self.location.href).searchParams.get('backend');
  if (backend !== 'cpu' && (backend !== 'auto' || (await hasWebGpuAdapter()))) return null;
  try {
    const engine = await import('./threads/convscope-web.js');
    const wasm = await engine.default({ module_or_path: new URL('./threads/convscope-web_bg.wasm', import.meta.url) });
    await Promise.race([
      engine.initThreadPool(threads),
      new Promise((_, reject) => setTimeout(
        () => reject(new Error(`its ${threads} workers did not start within ${POOL_TIMEOUT_MS / 1000} s`)), POOL_TIMEOUT_MS)),
    ]);
    return { engine, wasm, threads };
  } catch (error) {
    console.warn(`convscope: the engine with threads did not load (${error}); running on one thread`);
    return null;
  }
}

async function loadSingle() {
  const engine = await import('./convscope-web.js');
  const wasm = await engine.default({ module_or_path: new URL('./convscope-web_bg.wasm', import.meta.url) });
  return { engine, wasm, threads: 1 };
}

(async () => (await loadThreaded()) ?? (await loadSingle()))()
  .then(({ engine, wasm, threads }) => {
    // The engine's linear memory, for the benchmark (bench/web.mjs reads its size).
    self.convscopeMemory = wasm.memory;
    engine.run_engine(threads);
    for (const data of early) self.dispatchEvent(new MessageEvent('message', { data }));
  })
  .catch((error) => {
    self.postMessage({ Panicked: { message: `the engine could not load: ${error}` } });
  });
