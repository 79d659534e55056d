// A trunk post-build hook: writes sw.js (from www/service-worker.js) into the build's staging
// folder, with every file of the app to keep for offline use and a version hashed from all of
// them. Not kept ahead: the MNIST training set and the engine with threads (threads/, only
// for cross-origin isolated pages), each kept once the page fetches it.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) throw new Error('TRUNK_STAGING_DIR is not set: run this as a trunk hook');
const OUTPUT = 'sw.js';
const FETCHED_LATER = /^(mnist\/train-|threads\/)/;

function files(dir, prefix = '') {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const name = prefix + entry.name;
    if (entry.isDirectory()) return files(path.join(dir, entry.name), `${name}/`);
    return [name];
  });
}

const built = files(staging).filter((name) => name !== OUTPUT && !name.startsWith('.')).sort();
const kept = built.filter((name) => !FETCHED_LATER.test(name));
const hash = crypto.createHash('sha256');
for (const name of built) {
  hash.update(name);
  hash.update(fs.readFileSync(path.join(staging, name)));
}
const version = hash.digest('hex').slice(0, 16);
const urls = ['./', ...kept.map((name) => `./${name}`)];
const template = fs.readFileSync(new URL('../www/service-worker.js', import.meta.url), 'utf8');
fs.writeFileSync(path.join(staging, OUTPUT),
  template.replace('__VERSION__', version).replace('__PRECACHE__', JSON.stringify(urls, null, 2)));
console.log(`${OUTPUT}: version ${version}, ${urls.length} files kept offline`);
