// Captures the page as the README shows it: `scripts/screenshot`.
import { resolve } from 'node:path';
import { start, capture, root } from './harness.mjs';

const file = resolve(root, process.argv[2] || 'docs/logis-serve.png');
const env = await start();
try {
  await capture(env, file);
  console.log(`screenshot: ${file}`);
} finally {
  await env.stop();
}
