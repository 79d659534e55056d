// convscope's service worker: after the first visit the app works offline. The build
// (tools/service-worker.mjs, a trunk hook) writes this file into dist/ as sw.js with the list
// of files to keep and a version that changes with any of them, so a new deploy installs a new
// cache and drops the old one.
const VERSION = '__VERSION__';
const PRECACHE = __PRECACHE__;
const CACHE = `convscope-${VERSION}`;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith('convscope-') && n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

// The cache first (a link's query string does not matter); what is not cached (the MNIST
// training set) is fetched and kept once it arrives whole.
self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    const cached = await cache.match(request, { ignoreSearch: true })
      ?? (request.mode === 'navigate' ? await cache.match('./', { ignoreSearch: true }) : undefined);
    if (cached) return cached;
    const response = await fetch(request);
    if (response.ok && response.status === 200) await cache.put(request, response.clone());
    return response;
  })());
});
