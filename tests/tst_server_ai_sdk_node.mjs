// The Vercel AI SDK (ai@5 with @ai-sdk/openai-compatible@1, the real
// packages, pinned by tst_server_ai_sdk_node.sh) against `facet-cli serve`:
// generateText and streamText must parse our responses and streams, report
// usage and a finish reason, and surface a wrong key and an unknown model as
// API errors with their status codes. Structured output and required tool
// calls go through the SDK's own zod validation: the tiny model writes noise,
// so only the server's constrained decoding can make them valid.
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServe } from './facet_serve.mjs';

const [cli, model, clients] = process.argv.slice(2);
const require = createRequire(path.join(clients, 'node_modules', 'x.js'));
const { generateText, streamText, generateObject, tool, APICallError } = require('ai');
const { z } = require('zod');
const { createOpenAICompatible } = require('@ai-sdk/openai-compatible');

const { server, baseURL } = await startServe(cli, ['--model', model, '--backend', 'cpu', '--ctx', '1024',
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

  // response_format json_schema (supportsStructuredOutputs sends the schema).
  const structured = createOpenAICompatible({ name: 'facet', baseURL, apiKey: 'sdk-key', supportsStructuredOutputs: true });
  const report = z.object({ city: z.string().max(12), temp: z.number().int(), unit: z.enum(['c', 'f']),
                            tags: z.array(z.string().max(5)).max(2), dry: z.boolean() }).strict();
  for (const seed of [1, 2, 3]) {
    const o = await generateObject({ model: structured('chat'), schema: report, prompt: 'Weather as JSON',
                                     maxOutputTokens: 400, seed, maxRetries: 0 });
    report.parse(o.object);
    assert.equal(o.finishReason, 'stop');
  }

  // Required tool calls: every call names a declared tool and its input passes the tool's schema.
  const cityInput = z.object({ city: z.string().min(1).max(12), unit: z.enum(['c', 'f']) }).strict();
  const tools = { get_weather: tool({ description: 'Current weather in a city', inputSchema: cityInput }),
                  get_time: tool({ description: 'The time now', inputSchema: z.object({}).strict() }) };
  const t = await generateText({ model: facet('chat'), prompt: 'Weather in Paris?', tools, toolChoice: 'required',
                                 maxOutputTokens: 300, maxRetries: 0 });
  assert.equal(t.finishReason, 'tool-calls');
  assert.ok(t.toolCalls.length >= 1);
  for (const c of t.toolCalls) {
    assert.ok(!c.invalid, JSON.stringify(c));
    tools[c.toolName].inputSchema.parse(c.input);
  }
  // Streamed, with one named tool: the input arrives in deltas, then the whole call.
  const st = streamText({ model: facet('chat'), prompt: 'Weather in Oslo?', tools,
                          toolChoice: { type: 'tool', toolName: 'get_weather' }, maxOutputTokens: 300, maxRetries: 0 });
  const calls = [];
  let deltas = 0;
  for await (const part of st.fullStream) {
    if (part.type === 'tool-input-delta') ++deltas;
    if (part.type === 'tool-call') calls.push(part);
    if (part.type === 'error') throw part.error;
  }
  assert.ok(calls.length >= 1 && deltas >= 1, `${calls.length} calls, ${deltas} deltas`);
  for (const c of calls) {
    assert.equal(c.toolName, 'get_weather');
    assert.ok(!c.invalid, JSON.stringify(c));
    cityInput.parse(c.input);
  }
  assert.equal(await st.finishReason, 'tool-calls');

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
