// The engine worker: the same wasm module as the page, whose `main` sees no window and runs
// the burn engine. Messages that arrive while the module loads are replayed once it listens.
import init from './convscope-web.js';

const early = [];
self.onmessage = (event) => early.push(event.data);

init({ module_or_path: new URL('./convscope-web_bg.wasm', import.meta.url) })
  .then((wasm) => {
    // The engine's linear memory, for the benchmark (bench/web.mjs reads its size).
    self.convscopeMemory = wasm.memory;
    for (const data of early) self.dispatchEvent(new MessageEvent('message', { data }));
  })
  .catch((error) => {
    self.postMessage({ Panicked: { message: `the engine could not load: ${error}` } });
  });
