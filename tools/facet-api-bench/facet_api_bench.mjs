#!/usr/bin/env node
// facet-api-bench: what `facet-cli serve` costs over the engine itself
// (issue 17's measurements). Node 20, no packages:
//
//   node tools/facet-api-bench/facet_api_bench.mjs --cli build/release/tools/facet-cli/facet-cli \
//        --model MODEL.gguf [--backend cpu|vulkan] [--tokens 64] [--streams 64]
//
// Prints, one line each:
//  - decode tokens/s of `facet-cli generate --chat` and of a streamed
//    /v1/chat/completions with the same greedy prompt, and their ratio
//    (the CLI's own decode time; the API's from two requests of different
//    lengths, so prefill and per-request costs cancel);
//  - the same with a json_schema response format (the grammar's cost);
//  - time to first byte and to the first token of a request queued behind
//    a running one;
//  - cancel latency: from a client's abort to the end of the next (short)
//    request, less that request's own time when alone;
//  - resident memory of the server idle, and at its peak with N streams
//    open at once (how many were admitted, how many got 429).
import { spawn, execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => {
  if (a.startsWith('--')) acc.push([a.slice(2), all[i + 1]]);
  return acc;
}, []));
const cli = args.cli, model = args.model;
if (!cli || !model) {
  console.error('usage: facet_api_bench.mjs --cli FACET_CLI --model MODEL.gguf [--backend cpu|vulkan] [--tokens N] [--streams N]');
  process.exit(2);
}
const backend = args.backend ?? 'cpu';
const nTokens = Number(args.tokens ?? 64);
const nStreams = Number(args.streams ?? 64);
const prompt = 'Write a long story about a lighthouse keeper and the sea.';
const now = () => Number(process.hrtime.bigint()) / 1e6;  // ms

function run(cmd, argv) {
  return new Promise((resolve, reject) => execFile(cmd, argv, { maxBuffer: 1 << 26 }, (err, stdout, stderr) =>
    err ? reject(new Error(`${cmd} failed: ${stderr}`)) : resolve({ stdout, stderr })));
}

async function cliRate() {
  const { stderr } = await run(cli, ['generate', '--model', model, '--backend', backend, '--chat', '--prompt', prompt,
                                     '-n', String(nTokens), '--temp', '0', '--ctx', '2048']);
  const m = stderr.match(/generated (\d+) in ([\d.]+) s/);
  if (!m) throw new Error('no timing line from facet-cli generate: ' + stderr);
  const n = Number(m[1]);
  return { n, rate: (n - 1) / Number(m[2]) };
}

async function startServe() {
  const server = spawn(cli, ['serve', '--model', model, '--backend', backend, '--port', '0', '--no-auth', '--ctx', '2048'],
                       { stdio: ['ignore', 'pipe', 'inherit'] });
  const base = await new Promise((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/^listening on (http:\/\/[^\s]+)\n/);
      if (m) resolve(m[1]);
    });
    server.on('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
  return { server, base };
}

const modelId = model.split('/').pop().replace(/\.gguf$/, '');

// One streamed chat request; resolves with its timeline (ms since `t0`):
// headers, first byte, end, and the usage chunk's completion tokens.
async function stream(base, maxTokens, { signal, onFirstByte, extra } = {}) {
  const t0 = now();
  const res = await fetch(`${base}/v1/chat/completions`, {
    method: 'POST', signal, headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ model: modelId, stream: true, stream_options: { include_usage: true }, temperature: 0,
                           max_tokens: maxTokens, messages: [{ role: 'user', content: prompt }], ...extra }) });
  const t = { status: res.status, headers: now() - t0, firstByte: null, end: null, tokens: 0 };
  if (res.status !== 200) { await res.text(); return t; }
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (t.firstByte === null) {
        t.firstByte = now() - t0;
        onFirstByte?.();
      }
      buf += decoder.decode(value, { stream: true });
      let at;
      while ((at = buf.indexOf('\n\n')) >= 0) {
        const event = buf.slice(0, at);
        buf = buf.slice(at + 2);
        if (event.startsWith('data: {')) {
          const o = JSON.parse(event.slice(6));
          if (o.usage) t.tokens = o.usage.completion_tokens;
        }
      }
    }
    t.end = now() - t0;
  } catch (e) {
    if (e.name !== 'AbortError') throw e;
  }
  return t;
}

// Decode tokens/s through the API: two streamed requests of the same greedy
// prompt, short and long; the difference cancels prefill (the second reuses
// the first's KV prefix) and per-request costs, and keeps per-token ones.
async function apiRate(base, extra) {
  const short = await stream(base, 8, { extra });
  const long = await stream(base, nTokens + 8, { extra });
  return { rate: (long.tokens - short.tokens) / ((long.end - short.end) / 1000), n: long.tokens - short.tokens };
}

function rss(pid) {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k) => Number(s.match(new RegExp(`${k}:\\s+(\\d+)`))[1]);
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
}

const fmt = (x, d = 1) => x.toFixed(d);

const c = await cliRate();
console.log(`cli     decode ${fmt(c.rate)} tokens/s (${c.n} tokens, greedy, ${backend})`);
const { server, base } = await startServe();
try {
  await stream(base, 4);  // warm-up: first use of the model's pages and kernels
  const a = await apiRate(base);
  console.log(`api     decode ${fmt(a.rate)} tokens/s (${a.n} tokens) = ${fmt(100 * a.rate / c.rate)} % of the CLI`);
  // The same with response_format json_schema: the grammar masks every step.
  const schema = { type: 'object', properties: { story: { type: 'string', minLength: 400, maxLength: 2000 } },
                   required: ['story'], additionalProperties: false };
  const j = await apiRate(base, { response_format: { type: 'json_schema', json_schema: { name: 's', schema } } });
  console.log(`schema  decode ${fmt(j.rate)} tokens/s (${j.n} tokens, json_schema) = ${fmt(100 * j.rate / a.rate)} % of unconstrained`);

  // Queued: B is sent once A's stream has begun.
  const alone = await stream(base, 2);
  let b;
  await stream(base, nTokens, { onFirstByte: () => { b = stream(base, 2); } });
  const queued = await b;
  console.log(`queued  first byte ${fmt(queued.firstByte)} ms (headers ${fmt(queued.headers)} ms) while another request ran; ` +
              `done after ${fmt(queued.end)} ms (alone: first byte ${fmt(alone.firstByte)} ms, done ${fmt(alone.end)} ms)`);

  // Cancel: abort a long stream while it generates; the next request goes at once.
  const ac = new AbortController();
  let abortAt = 0;
  const long = stream(base, 100 * nTokens, { signal: ac.signal,
    onFirstByte: () => setTimeout(() => { abortAt = now(); ac.abort(); }, 3000) });
  await long;
  const next = await stream(base, 2);
  const sinceAbort = now() - abortAt;
  console.log(`cancel  abort → next request done ${fmt(sinceAbort)} ms; cancel latency ≈ ${fmt(sinceAbort - alone.end)} ms ` +
              `(that request alone: ${fmt(alone.end)} ms; it got ${next.tokens} tokens)`);

  // Memory: N streams open at once.
  const idle = rss(server.pid);
  const results = await Promise.all(Array.from({ length: nStreams }, () => stream(base, 2)));
  const peak = rss(server.pid);
  const ok = results.filter((r) => r.status === 200).length;
  const busy = results.filter((r) => r.status === 429).length;
  console.log(`memory  idle ${fmt(idle.rss, 0)} MiB; with ${nStreams} streams peak ${fmt(peak.hwm, 0)} MiB ` +
              `(+${fmt(peak.hwm - idle.rss, 0)} MiB); ${ok} served, ${busy} got 429, ` +
              `${nStreams - ok - busy} other`);
} finally {
  server.kill('SIGTERM');
}
