// openai-node (the real client, pinned by tst_server_openai_node.sh) against
// `facet-cli serve`: models, chat with and without streaming, tool calls and
// json_schema output (valid only through the server's constrained decoding:
// the tiny model writes noise), an abort mid-stream, embeddings in both
// encodings, and the error classes the client maps statuses to (401, 404,
// 400, 413, and 429 from a full queue).
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServe } from './facet_serve.mjs';

const [cli, model, embedModel, clients] = process.argv.slice(2);
const require = createRequire(path.join(clients, 'node_modules', 'x.js'));
const OpenAI = require('openai');

const { server, baseURL } = await startServe(cli, ['--model', model, '--backend', 'cpu', '--ctx', '1024',
                                              '--api-key', 'node-key', '--embed-model', embedModel]);

async function main() {
  const client = new OpenAI({ baseURL, apiKey: 'node-key', maxRetries: 0 });
  const user = [{ role: 'user', content: 'Say hello' }];

  const models = await client.models.list();
  assert.deepEqual(models.data.map((m) => m.id), ['chat', 'embgemma-like.s11']);

  const c = await client.chat.completions.create({ model: 'chat', messages: user, max_tokens: 5, temperature: 0 });
  assert.equal(c.object, 'chat.completion');
  assert.match(c.id, /^chatcmpl-/);
  assert.equal(typeof c.choices[0].message.content, 'string');
  assert.ok(['stop', 'length'].includes(c.choices[0].finish_reason));
  assert.equal(c.usage.total_tokens, c.usage.prompt_tokens + c.usage.completion_tokens);

  const stream = await client.chat.completions.create({
    model: 'chat', messages: user, max_tokens: 5, stream: true, stream_options: { include_usage: true } });
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  assert.ok(chunks.length >= 3);
  assert.ok(chunks.every((ch) => ch.id === chunks[0].id && ch.created === chunks[0].created));
  assert.equal(chunks[0].choices[0].delta.role, 'assistant');
  const usage = chunks.at(-1);
  assert.deepEqual(usage.choices, []);
  assert.ok(usage.usage.total_tokens > 0);
  const finish = chunks.at(-2).choices[0];
  assert.ok(['stop', 'length'].includes(finish.finish_reason));
  assert.deepEqual(finish.delta, {});

  // The helper that collects a stream: it must accept ours.
  const runner = client.chat.completions.stream({ model: 'chat', messages: user, max_tokens: 4 });
  const final = await runner.finalChatCompletion();
  assert.equal(final.choices[0].message.role, 'assistant');

  // Tool calls, required and streamed: the runner assembles the deltas.
  const weather = { type: 'function', function: { name: 'get_weather', description: 'Current weather',
    parameters: { type: 'object', properties: { city: { type: 'string', minLength: 1, maxLength: 12 },
                                                unit: { type: 'string', enum: ['c', 'f'] }, days: { type: 'integer' } },
                  required: ['city', 'unit'], additionalProperties: false } } };
  const checkWeather = (args) => {
    const a = JSON.parse(args);
    assert.deepEqual(Object.keys(a).filter((k) => !['city', 'unit', 'days'].includes(k)), []);
    assert.ok(typeof a.city === 'string' && [...a.city].length >= 1 && [...a.city].length <= 12, args);
    assert.ok(['c', 'f'].includes(a.unit), args);
    assert.ok(a.days === undefined || Number.isInteger(a.days), args);
  };
  const toolRun = client.chat.completions.stream({ model: 'chat', messages: [{ role: 'user', content: 'Weather in Paris?' }],
                                                   tools: [weather], tool_choice: 'required', max_tokens: 300 });
  let argDeltas = 0;
  toolRun.on('tool_calls.function.arguments.delta', () => ++argDeltas);
  const toolFinal = await toolRun.finalChatCompletion();
  const toolChoice = toolFinal.choices[0];
  assert.equal(toolChoice.finish_reason, 'tool_calls');
  assert.ok(toolChoice.message.tool_calls.length >= 1 && argDeltas >= 1);
  for (const call of toolChoice.message.tool_calls) {
    assert.equal(call.type, 'function');
    assert.equal(call.function.name, 'get_weather');
    checkWeather(call.function.arguments);
  }
  // The call and its result go back; the model answers (or calls again) in the same turn.
  const followUp = await client.chat.completions.create({ model: 'chat', max_tokens: 8, tools: [weather], messages: [
    { role: 'user', content: 'Weather in Paris?' }, toolChoice.message,
    ...toolChoice.message.tool_calls.map((c) => ({ role: 'tool', tool_call_id: c.id, content: '18 degrees' }))] });
  assert.ok(['stop', 'length', 'tool_calls'].includes(followUp.choices[0].finish_reason));

  // json_schema output.
  const schema = { type: 'object', properties: { name: { type: 'string', maxLength: 8 }, n: { type: 'integer' },
                                                  ok: { type: 'boolean' }, tags: { type: 'array', items: { enum: ['x', 'y'] }, maxItems: 3 } },
                   required: ['name', 'n', 'ok', 'tags'], additionalProperties: false };
  for (const seed of [1, 2]) {
    const j = await client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'JSON please' }], seed,
      max_tokens: 300, response_format: { type: 'json_schema', json_schema: { name: 'thing', strict: true, schema } } });
    assert.equal(j.choices[0].finish_reason, 'stop');
    const o = JSON.parse(j.choices[0].message.content);
    assert.deepEqual(Object.keys(o).sort(), ['n', 'name', 'ok', 'tags']);
    assert.ok(typeof o.name === 'string' && [...o.name].length <= 8 && Number.isInteger(o.n) && typeof o.ok === 'boolean');
    assert.ok(o.tags.length <= 3 && o.tags.every((t) => t === 'x' || t === 'y'));
  }

  // Abort mid-stream: the next request is served (its slot was freed).
  const ac = new AbortController();
  const aborted = await client.chat.completions.create({ model: 'chat', messages: user, max_tokens: 500, stream: true },
                                                       { signal: ac.signal });
  let seen = 0;
  try {
    for await (const _ of aborted) if (++seen === 3) ac.abort();
  } catch (e) {
    assert.ok(e instanceof OpenAI.APIUserAbortError, String(e));  // the client may end the loop or throw this
  }
  assert.equal(seen, 3);
  const after = await client.chat.completions.create({ model: 'chat', messages: user, max_tokens: 3 });
  assert.equal(after.choices.length, 1);

  // openai-node asks for base64 by default and decodes it: it must equal the float form.
  const b64 = await client.embeddings.create({ model: 'embgemma-like.s11', input: ['hello world', 'two'] });
  const flt = await client.embeddings.create({ model: 'embgemma-like.s11', input: ['hello world', 'two'],
                                               encoding_format: 'float' });
  assert.equal(b64.data.length, 2);
  for (let i = 0; i < 2; ++i) {
    assert.equal(b64.data[i].embedding.length, flt.data[i].embedding.length);
    b64.data[i].embedding.forEach((v, k) => assert.ok(Math.abs(v - flt.data[i].embedding[k]) <= 1e-6));
  }

  const bad = new OpenAI({ baseURL, apiKey: 'wrong', maxRetries: 0 });
  await assert.rejects(bad.models.list(), OpenAI.AuthenticationError);
  await assert.rejects(client.chat.completions.create({ model: 'gpt-4o', messages: user }), OpenAI.NotFoundError);
  // A full queue is a RateLimitError with Retry-After. One request holds the
  // engine: its schema demands 4000 characters, so it runs until max_tokens (far
  // longer than the burst below takes to arrive); once it streams, 40 more
  // requests are sent at once: 32 may wait, the rest get 429.
  const hold = new AbortController();
  const holder = await client.chat.completions.create({ model: 'chat', messages: user, stream: true, max_tokens: 1000,
    response_format: { type: 'json_schema', json_schema: { name: 'long', schema: { type: 'object',
      properties: { text: { type: 'string', minLength: 4000 } }, required: ['text'], additionalProperties: false } } } },
    { signal: hold.signal });
  const holding = (async () => { try { for await (const _ of holder) {} } catch (e) { if (!(e instanceof OpenAI.APIUserAbortError)) throw e; } })();
  const burst = await Promise.allSettled(Array.from({ length: 40 }, () =>
    client.chat.completions.create({ model: 'chat', messages: user, max_tokens: 1 }, { signal: hold.signal })));
  hold.abort();
  await holding;
  const limited = burst.filter((r) => r.status === 'rejected' && r.reason instanceof OpenAI.RateLimitError);
  assert.ok(limited.length >= 8, `${limited.length} of 40 got 429`);
  assert.equal(limited[0].reason.headers.get('retry-after'), '2');
  assert.ok(burst.every((r) => r.status === 'fulfilled' || r.reason instanceof OpenAI.RateLimitError ||
                                r.reason instanceof OpenAI.APIUserAbortError));
  const afterBurst = await client.chat.completions.create({ model: 'chat', messages: user, max_tokens: 2 });
  assert.equal(afterBurst.choices.length, 1);

  await assert.rejects(client.chat.completions.create({ model: 'chat', messages: user, n: 2 }),
                       (e) => e instanceof OpenAI.BadRequestError && e.code === 'unsupported_parameter' && e.param === 'n');
  await assert.rejects(client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'x'.repeat(33 << 20) }] }),
                       (e) => e instanceof OpenAI.APIError && e.status === 413);
  const long = 'word '.repeat(1500);
  await assert.rejects(client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: long }] }),
                       (e) => e instanceof OpenAI.BadRequestError && e.code === 'context_length_exceeded');
  await assert.rejects(
    (async () => { for await (const _ of await client.chat.completions.create(
      { model: 'chat', messages: [{ role: 'user', content: long }], stream: true })) {} })(),
    OpenAI.BadRequestError);
}

let failed = false;
try {
  await main();
  console.log('openai-node: all checks passed');
} catch (e) {
  failed = true;
  console.error(e);
}
server.kill('SIGTERM');
const code = await new Promise((resolve) => server.on('exit', (c) => resolve(c)));
if (code !== 0) { console.error(`facet-cli serve exited with ${code} after SIGTERM`); failed = true; }
process.exit(failed ? 1 : 0);
