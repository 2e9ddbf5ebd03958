// Opens the map page in headless Chromium over the DevTools protocol (--remote-debugging-pipe:
// JSON messages ending in NUL on fds 3 and 4), waits in real time for body[data-state] to be
// ready or error, and prints the page's body[data-*] as one JSON line (app.js timings()).
// Usage: node tools/bench/web-timing.mjs URL PROFILE_DIR [load]   (load: a page without data-state,
// e.g. report.html: done when loaded, with its load time)
import { spawn } from 'node:child_process';

const [url, profile, mode] = process.argv.slice(2);
const chrome = spawn('chromium', ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
  '--no-first-run', '--disable-extensions', '--window-size=1200,900', '--user-data-dir=' + profile,
  '--remote-debugging-pipe', url], { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] });
const out = chrome.stdio[3], input = chrome.stdio[4];
let buffer = '', next = 1;
const waiting = new Map();
input.on('data', chunk => {
  buffer += chunk.toString();
  for (let end; (end = buffer.indexOf('\0')) >= 0;) {
    const message = JSON.parse(buffer.slice(0, end));
    buffer = buffer.slice(end + 1);
    if (message.id && waiting.has(message.id)) { waiting.get(message.id)(message); waiting.delete(message.id); }
  }
});
const send = (method, params = {}, sessionId) => new Promise(resolve => {
  const id = next++;
  waiting.set(id, resolve);
  out.write(JSON.stringify({ id, method, params, sessionId }) + '\0');
});
const sleep = ms => new Promise(r => setTimeout(r, ms));
const deadline = Date.now() + 20000;
let result = null;
try {
  let page = null;
  while (!page && Date.now() < deadline) {
    const targets = (await send('Target.getTargets')).result.targetInfos;
    page = targets.find(t => t.type === 'page');
    if (!page) await sleep(50);
  }
  const sessionId = (await send('Target.attachToTarget', { targetId: page.targetId, flatten: true })).result.sessionId;
  while (Date.now() < deadline) {
    // The page's own data-*, and the same measures taken here (for a page without timings()).
    const expression = `JSON.stringify(Object.assign({}, document.body ? document.body.dataset : {}, {
      seenMs: Math.round(performance.now()), loaded: document.readyState === 'complete',
      loadMs: Math.round((performance.getEntriesByType('navigation')[0] || {}).loadEventEnd || 0),
      seenFirstPaintMs: Math.round((performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || 0),
      seenPageBytes: performance.getEntriesByType('resource').concat(performance.getEntriesByType('navigation'))
        .reduce((n, r) => n + (r.decodedBodySize || 0), 0) }))`;
    const r = await send('Runtime.evaluate', { expression,
                                               returnByValue: true }, sessionId);
    const data = JSON.parse(r.result?.result?.value || '{}');
    if (data.state === 'ready' || data.state === 'error' || (mode === 'load' && data.loaded && data.loadMs > 0)) {
      result = data;
      break;
    }
    await sleep(50);
  }
} finally {
  console.log(JSON.stringify(result));
  chrome.kill();
}
