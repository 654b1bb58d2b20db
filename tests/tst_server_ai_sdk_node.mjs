// The Vercel AI SDK (ai@5 with @ai-sdk/openai-compatible@1, the real
// packages, pinned by tst_server_ai_sdk_node.sh) against `facet-cli serve`:
// generateText and streamText must parse our responses and streams, report
// usage and a finish reason, and surface a wrong key and an unknown model as
// API errors with their status codes.
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServe } from './facet_serve.mjs';

const [cli, model, clients] = process.argv.slice(2);
const require = createRequire(path.join(clients, 'node_modules', 'x.js'));
const { generateText, streamText, APICallError } = require('ai');
const { createOpenAICompatible } = require('@ai-sdk/openai-compatible');

const { server, baseURL } = await startServe(cli, ['--model', model, '--backend', 'cpu', '--ctx', '128',
                                              '--api-key', 'sdk-key']);

async function main() {
  const facet = createOpenAICompatible({ name: 'facet', baseURL, apiKey: 'sdk-key', includeUsage: true });

  const g = await generateText({ model: facet('chat'), prompt: 'Say hello', maxOutputTokens: 5, temperature: 0,
                                 maxRetries: 0 });
  assert.equal(typeof g.text, 'string');
  assert.ok(['stop', 'length'].includes(g.finishReason), g.finishReason);
  assert.ok(g.usage.outputTokens > 0 && g.usage.inputTokens > 0);

  // The stream, token by token: the same greedy text as the non-streamed call.
  const s = streamText({ model: facet('chat'), prompt: 'Say hello', maxOutputTokens: 5, temperature: 0, maxRetries: 0 });
  let text = '';
  for await (const part of s.textStream) text += part;
  assert.equal(text, g.text);
  assert.equal(await s.finishReason, g.finishReason);
  const u = await s.usage;
  assert.equal(u.outputTokens, g.usage.outputTokens);
  assert.equal(u.inputTokens, g.usage.inputTokens);

  // Errors come back as APICallError with our status codes.
  const wrongKey = createOpenAICompatible({ name: 'facet', baseURL, apiKey: 'not-the-key' });
  await assert.rejects(generateText({ model: wrongKey('chat'), prompt: 'x', maxRetries: 0 }),
                       (e) => APICallError.isInstance(e) && e.statusCode === 401);
  await assert.rejects(generateText({ model: facet('no-such-model'), prompt: 'x', maxRetries: 0 }),
                       (e) => APICallError.isInstance(e) && e.statusCode === 404);
}

try {
  await main();
  console.log('ai-sdk client: all checks passed');
} finally {
  server.kill('SIGTERM');
}
