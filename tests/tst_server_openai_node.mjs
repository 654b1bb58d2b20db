// openai-node (the real client, pinned by tst_server_openai_node.sh) against
// `facet-cli serve`: models, chat with and without streaming, embeddings in
// both encodings, and the error classes the client maps statuses to.
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServe } from './facet_serve.mjs';

const [cli, model, embedModel, clients] = process.argv.slice(2);
const require = createRequire(path.join(clients, 'node_modules', 'x.js'));
const OpenAI = require('openai');

const { server, baseURL } = await startServe(cli, ['--model', model, '--backend', 'cpu', '--ctx', '128',
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
  await assert.rejects(client.chat.completions.create({ model: 'chat', messages: user, n: 2 }),
                       (e) => e instanceof OpenAI.BadRequestError && e.code === 'unsupported_parameter' && e.param === 'n');
  const long = 'word '.repeat(300);
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
