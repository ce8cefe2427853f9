// node --test examples/receiver/: the example receiver's signature check, replay window,
// deduplication and control API, against a real listening server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { startReceiver, verifySignature } from './server.mjs';

const secret = 'whsec_test';
const sign = (body, t = Math.floor(Date.now() / 1000), key = secret) =>
  `t=${t},v1=${createHmac('sha256', key).update(`${t}.${body}`).digest('hex')}`;

test('the signature holds only for the same body, secret and a recent time', () => {
  const body = Buffer.from('{"type":"test"}');
  const now = 1_800_000_000;
  assert.equal(verifySignature(sign(body, now), body, secret, now), null);
  assert.match(verifySignature(sign(body, now, 'other'), body, secret, now), /does not match/);
  assert.match(verifySignature(sign(Buffer.from('{}'), now), body, secret, now), /does not match/);
  assert.match(verifySignature(sign(body, now - 301), body, secret, now), /too old/);
  assert.match(verifySignature('t=abc,v1=00', body, secret, now), /timestamp/);
  assert.match(verifySignature(undefined, body, secret, now), /missing/);
});

test('a reply is delivered once per idempotency key; failing on demand', async (t) => {
  const server = startReceiver({ host: '127.0.0.1', port: 0, secret, token: null, api: null, deliveredAfterMs: 0, readAfterMs: 0, control: true });
  t.after(() => server.close());
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${server.address().port}`;
  const body = JSON.stringify({ type: 'message.created', idempotency_key: 'k1', created_at: 'x', message: { id: '5', body: 'Hi', created_at: 'x' } });
  const post = (b, headers = {}) => fetch(`${base}/hook`, { method: 'POST', body: b, headers: { 'Convoroom-Signature': sign(b), 'Idempotency-Key': 'k1', ...headers } });
  const first = await post(body);
  assert.equal(first.status, 200);
  assert.deepEqual(await first.json(), { external_id: 'ext-1' });
  const again = await post(body);
  assert.deepEqual(await again.json(), { external_id: 'ext-1' });
  assert.equal((await (await fetch(`${base}/received`)).json()).length, 1);
  const old = await fetch(`${base}/hook`, { method: 'POST', body, headers: { 'Convoroom-Signature': sign(body, Math.floor(Date.now() / 1000) - 600) } });
  assert.equal(old.status, 400);
  const forged = await fetch(`${base}/hook`, { method: 'POST', body, headers: { 'Convoroom-Signature': sign(body, undefined, 'nope') } });
  assert.equal(forged.status, 401);
  await fetch(`${base}/control`, { method: 'POST', body: JSON.stringify({ fail: 500 }) });
  assert.equal((await post(body)).status, 500);
  await fetch(`${base}/control`, { method: 'POST', body: JSON.stringify({ fail: null }) });
  assert.equal((await post(body)).status, 200);
});
