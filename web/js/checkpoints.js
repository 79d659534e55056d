// Trained weights kept in IndexedDB, one record per preset (ui/checkpoints.rs), and the last
// race (ui/race/store.rs).
const DATABASE = 'convscope';
const STORE = 'checkpoints';

function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DATABASE, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
    request.onblocked = () => reject(new Error('the browser storage is held by another tab'));
  });
}

// Every operation waits for the one before it, so a checkpoint never lands over a newer one
// and a reset's delete is never undone by a save still in flight.
let queue = Promise.resolve();

function inStore(mode, action) {
  const operation = queue.then(() => run(mode, action));
  queue = operation.catch(() => {});
  return operation;
}

async function run(mode, action) {
  const database = await open();
  try {
    return await new Promise((resolve, reject) => {
      const transaction = database.transaction(STORE, mode);
      const request = action(transaction.objectStore(STORE));
      transaction.oncomplete = () => resolve(request.result);
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error || new Error('the write was aborted'));
    });
  } finally {
    database.close();
  }
}

export function saveCheckpoint(preset, bytes, steps) {
  return inStore('readwrite', (store) => store.put({ bytes, steps, savedAt: Date.now() }, preset));
}

// Resolves to { bytes: Uint8Array, steps, savedAt } or undefined.
export function loadCheckpoint(preset) {
  return inStore('readonly', (store) => store.get(preset));
}

export function deleteCheckpoint(preset) {
  return inStore('readwrite', (store) => store.delete(preset));
}

// A race: its standing and each lane's weights, in one record so they never
// disagree.
const RACE_KEY = 'race';

export function saveRace(standing, weights) {
  return inStore('readwrite', (store) => store.put({ standing, weights, savedAt: Date.now() }, RACE_KEY));
}

// Resolves to { standing, weights: [Uint8Array] } or undefined.
export function loadRace() {
  return inStore('readonly', (store) => store.get(RACE_KEY));
}
