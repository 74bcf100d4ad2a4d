// Summarises a V8 .cpuprofile (node --cpu-prof): self time per function and per package.
import { readFileSync } from 'node:fs';

/** Where a frame's code lives: an npm package, the library, the sample app, Node internals, or V8. */
function owner(url) {
  if (!url) return '(native/V8)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.includes('/libs/otp-delivery/')) return 'nestjs-otp-delivery';
  if (url.includes('/sample-app/')) return 'sample-app';
  if (url.startsWith('node:')) return 'node internals';
  return url.split('/').slice(-2).join('/');
}

/** Lines: the top `count` functions by self time, then self time per package. */
export function topFrames(file, count = 20) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const totalUs = profile.endTime - profile.startTime;
  const samples = profile.samples.length || 1;
  const usPerSample = totalUs / samples;
  const byFunction = new Map();
  const byOwner = new Map();
  let idle = 0;
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    const us = (node.hitCount ?? 0) * usPerSample;
    if (functionName === '(idle)') {
      idle += us;
      continue;
    }
    const key = `${functionName || '(anonymous)'} ${url ? `${url.replace(/^file:\/\/.*?\/(node_modules|libs|dist|sample-app)\//, '$1/')}:${lineNumber + 1}` : ''}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    const who = owner(url);
    byOwner.set(who, (byOwner.get(who) ?? 0) + us);
  }
  const busy = totalUs - idle;
  const pct = (us) => `${((us / busy) * 100).toFixed(1).padStart(5)}%`;
  const lines = [`busy ${(busy / 1e6).toFixed(1)} s of ${(totalUs / 1e6).toFixed(1)} s; self time, % of busy:`];
  for (const [key, us] of [...byFunction.entries()].sort((a, b) => b[1] - a[1]).slice(0, count)) lines.push(`  ${pct(us)}  ${key}`);
  lines.push('self time per package:');
  for (const [key, us] of [...byOwner.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15)) lines.push(`  ${pct(us)}  ${key}`);
  return lines;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  for (const line of topFrames(process.argv[2], Number(process.argv[3] ?? 30))) console.log(line);
}
