#!/usr/bin/env node
// An example Convoroom delivery receiver: the webhook end of an integration, with no
// dependencies. It verifies each request's signature, delivers each reply once (by its
// idempotency key), logs what it would send to the customer, answers with the channel's id of
// the message, and then reports back to Convoroom that the reply was delivered and read.
//
//   node examples/receiver/server.mjs --port 8787 --secret <signing secret> \
//        --api http://127.0.0.1:8080 --token <inbound token>
//
// The secret and token may come from CONVOROOM_SIGNING_SECRET and CONVOROOM_INBOUND_TOKEN
// instead (better: they stay out of `ps`). Neither is ever logged. See README.md beside this.

import { createServer } from 'node:http';
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Requests signed longer ago than this are refused (a replayed request is one). */
const MAX_AGE_SECONDS = 5 * 60;
/** A webhook body larger than this is refused before it is read in full. */
const MAX_BODY_BYTES = 1024 * 1024;

export function parseArgs(argv, env = process.env) {
  const options = {
    host: '127.0.0.1',
    port: 8787,
    secret: env.CONVOROOM_SIGNING_SECRET ?? null,
    token: env.CONVOROOM_INBOUND_TOKEN ?? null,
    api: env.CONVOROOM_API ?? null,
    deliveredAfterMs: 500,
    readAfterMs: 1500,
    control: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--host': options.host = value(); break;
      case '--port': options.port = Number(value()); break;
      case '--secret': options.secret = value(); break;
      case '--token': options.token = value(); break;
      case '--api': options.api = value().replace(/\/+$/, ''); break;
      case '--delivered-after-ms': options.deliveredAfterMs = Number(value()); break;
      case '--read-after-ms': options.readAfterMs = Number(value()); break;
      // Tests only: POST /control and GET /received (never expose them on a real bridge).
      case '--control': options.control = true; break;
      case '--help':
        console.log('usage: server.mjs --port N --secret S --api URL --token T [--host H] [--delivered-after-ms MS] [--read-after-ms MS] [--control]');
        process.exit(0);
        break;
      default: throw new Error(`unknown option ${flag}`);
    }
  }
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
    throw new Error('--port must be a port number');
  }
  return options;
}

/**
 * Checks `Convoroom-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`.
 * Returns null when it holds, or why not.
 */
export function verifySignature(header, rawBody, secret, nowSeconds = Math.floor(Date.now() / 1000)) {
  if (!secret) return 'no signing secret configured';
  if (!header) return 'missing Convoroom-Signature';
  const parts = Object.fromEntries(
    header.split(',').map((part) => {
      const at = part.indexOf('=');
      return at < 0 ? [part.trim(), ''] : [part.slice(0, at).trim(), part.slice(at + 1).trim()];
    }),
  );
  const t = Number(parts.t);
  if (!/^\d+$/.test(parts.t ?? '') || !Number.isSafeInteger(t)) return 'bad signature timestamp';
  if (Math.abs(nowSeconds - t) > MAX_AGE_SECONDS) return 'signature timestamp too old (or in the future)';
  const expected = createHmac('sha256', Buffer.from(secret, 'utf8'))
    .update(`${parts.t}.`)
    .update(rawBody)
    .digest();
  const given = /^[0-9a-f]{64}$/i.test(parts.v1 ?? '') ? Buffer.from(parts.v1, 'hex') : null;
  // Constant time: how much of the signature matched must not show in how long the check takes.
  if (!given || given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return 'signature does not match';
  }
  return null;
}

export function startReceiver(options) {
  const state = {
    secret: options.secret,
    token: options.token,
    api: options.api,
    /** An HTTP status to answer every webhook with instead of delivering (tests). */
    fail: null,
    /** idempotency key → what was delivered for it. */
    delivered: new Map(),
    sent: 0,
  };

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://receiver');
      if (options.control && url.pathname === '/control' && req.method === 'POST') {
        const body = JSON.parse((await readBody(req)).toString('utf8') || '{}');
        if ('fail' in body) state.fail = body.fail === null ? null : Number(body.fail);
        if (typeof body.secret === 'string') state.secret = body.secret;
        if (typeof body.token === 'string') state.token = body.token;
        if (typeof body.api === 'string') state.api = body.api.replace(/\/+$/, '');
        return json(res, 200, { fail: state.fail, configured: Boolean(state.secret && state.token) });
      }
      if (options.control && url.pathname === '/received' && req.method === 'GET') {
        return json(res, 200, [...state.delivered.values()]);
      }
      if (req.method !== 'POST') return json(res, 405, { error: 'POST webhooks here' });
      const raw = await readBody(req);
      const problem = verifySignature(req.headers['convoroom-signature'], raw, state.secret);
      if (problem) {
        log(`refused a webhook: ${problem}`);
        return json(res, problem.startsWith('signature does not') ? 401 : 400, { error: problem });
      }
      if (state.fail !== null) {
        log(`answering ${state.fail} as told (control API)`);
        return json(res, state.fail, { error: `failing on purpose with ${state.fail}` });
      }
      const delivery = JSON.parse(raw.toString('utf8'));
      const event = req.headers['convoroom-event'] ?? delivery.type;
      if (event === 'test') {
        log('test event received: the signature checks out');
        return json(res, 200, { ok: true });
      }
      const key = req.headers['idempotency-key'] ?? delivery.idempotency_key;
      if (!key) return json(res, 400, { error: 'missing Idempotency-Key' });
      const seen = state.delivered.get(key);
      if (seen) {
        // Convoroom retried (it did not see our answer): the customer has it already.
        log(`already delivered ${key}: answering again without sending`);
        return json(res, 200, { external_id: seen.external_id });
      }
      const externalId = `ext-${++state.sent}`;
      const message = delivery.message ?? {};
      const to = delivery.contact?.identifier ?? '(no identifier)';
      const channel = delivery.conversation?.channel ?? '?';
      // A real bridge calls the channel's API here (see README.md).
      log(`would send on ${channel} to ${to}: ${JSON.stringify(message.body ?? '')}`);
      state.delivered.set(key, {
        idempotency_key: key,
        external_id: externalId,
        message_id: message.id ?? null,
        conversation_id: delivery.conversation?.id ?? null,
        body: message.body ?? '',
        at: new Date().toISOString(),
      });
      json(res, 200, { external_id: externalId });
      if (message.id) {
        later(options.deliveredAfterMs, () => receipt(state, message.id, externalId, 'delivered'));
        later(options.deliveredAfterMs + options.readAfterMs, () => receipt(state, message.id, externalId, 'read'));
      }
    } catch (error) {
      log(`could not handle a request: ${error.message}`);
      if (!res.headersSent) json(res, error.status ?? 400, { error: error.message });
    }
  });
  server.listen(options.port, options.host, () => {
    const { port } = server.address();
    log(`listening on http://${options.host}:${port}/ (secret ${state.secret ? 'set' : 'NOT set'}, token ${state.token ? 'set' : 'NOT set'})`);
  });
  return server;
}

/** Tells Convoroom what happened to a reply; a failed post is tried twice more. */
async function receipt(state, messageId, externalId, status, tries = 3) {
  if (!state.api || !state.token) {
    log(`no --api/--token: not reporting ${status} for message ${messageId}`);
    return;
  }
  try {
    const response = await fetch(`${state.api}/api/v1/deliveries`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${state.token}` },
      body: JSON.stringify({ message_id: messageId, external_id: externalId, status }),
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}: ${(await response.text()).slice(0, 200)}`);
    log(`reported ${status} for message ${messageId}`);
  } catch (error) {
    log(`reporting ${status} for message ${messageId} failed: ${error.message}`);
    if (tries > 1) later(1000, () => receipt(state, messageId, externalId, status, tries - 1));
  }
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(Object.assign(new Error('body too large'), { status: 413 }));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function json(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

function later(ms, f) {
  setTimeout(() => f().catch?.((e) => log(e.message)), ms);
}

function log(line) {
  console.log(`[receiver ${new Date().toISOString()}] ${line}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    startReceiver(parseArgs(process.argv.slice(2)));
  } catch (error) {
    console.error(`receiver: ${error.message}`);
    process.exit(2);
  }
}
