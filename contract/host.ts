// A host helpdesk's integration, written the way such a team writes it: a client generated from
// docs/openapi.json with openapi-typescript, called through openapi-fetch, type-checked with
// `tsc --strict`, then run against a Convoroom server. It fails (to compile, or at run time)
// when the contract says something the server does not do, or says it in a way a generated
// client cannot use.
//
//   CONVOROOM_API=http://127.0.0.1:8080/api/v1 node build/host.js

import createClient from 'openapi-fetch';
import type { components, paths } from './generated/schema.js';

type Conversation = components['schemas']['Conversation'];
type Event = components['schemas']['Event'];
type ErrorBody = components['schemas']['ErrorBody'];

const base = process.env.CONVOROOM_API ?? 'http://127.0.0.1:8080/api/v1';
// The document's paths carry the /api/v1 prefix, so the generated client's base is the
// server root (whatever precedes /api/v1 in CONVOROOM_API).
const api = createClient<paths>({ baseUrl: base.replace(/\/api\/v1\/?$/, '') });
const steps: string[] = [];

function check(condition: boolean, what: string): asserts condition {
  if (!condition) throw new Error(`host contract: ${what}`);
}

function step(what: string): void {
  steps.push(what);
  console.log(`host contract: ok — ${what}`);
}

async function signIn(email: string): Promise<string> {
  const { data, error, response } = await api.POST('/api/v1/auth/sign-in', { body: { email, password: 'demo1234' } });
  check(data !== undefined, `sign-in as ${email} answered ${response.status}: ${JSON.stringify(error)}`);
  const token: string = data.token;
  const name: string = data.agent.name;
  check(token.length > 0 && name.length > 0, 'a session has a token and an agent');
  return token;
}

function auth(token: string) {
  return { Authorization: `Bearer ${token}` };
}

async function listOpenWhatsApp(token: string): Promise<Conversation> {
  const { data, error } = await api.GET('/api/v1/conversations', {
    params: { query: { ownership: 'all', status: 'open', channel: 'whatsapp', sort: 'last_activity' } },
    headers: auth(token),
  });
  check(data !== undefined, `list conversations: ${JSON.stringify(error)}`);
  const counts: number = data.counts.all;
  const first: Conversation | undefined = data.items[0];
  check(first !== undefined, 'the demo data has an open WhatsApp conversation');
  check(data.items.every((c) => c.channel === 'whatsapp' && c.status === 'open'), 'the filter holds');
  check(counts >= data.items.length, 'counts cover the page');
  step(`listed ${data.items.length} open WhatsApp conversations (of ${counts})`);
  return first;
}

async function patchWithVersions(token: string, id: string): Promise<void> {
  const read = await api.GET('/api/v1/conversations/{id}', { params: { path: { id } }, headers: auth(token) });
  check(read.data !== undefined, `read conversation ${id}`);
  const version: number = read.data.version;

  const saved = await api.PATCH('/api/v1/conversations/{id}', {
    params: { path: { id }, header: { 'If-Match': String(version) } },
    body: { ai_enabled: !read.data.access.ai_enabled },
    headers: auth(token),
  });
  check(saved.data !== undefined, `PATCH with If-Match: ${JSON.stringify(saved.error)}`);
  check(saved.data.version > version, 'a saved change has a newer version');

  // Someone else's change came first: 409 with the conversation as it is now.
  const stale = await api.PATCH('/api/v1/conversations/{id}', {
    params: { path: { id }, header: { 'If-Match': String(version) } },
    body: { ai_enabled: read.data.access.ai_enabled },
    headers: auth(token),
  });
  check(stale.response.status === 409, `a stale If-Match answers 409, not ${stale.response.status}`);
  const conflict: ErrorBody | undefined = stale.error;
  check(conflict?.error.code === 'conflict', 'the 409 says conflict');
  const current = conflict.error.current as Conversation | null | undefined;
  check(current?.version === saved.data.version, 'the 409 carries the current version');

  // No If-Match at all: 428 (the parameter is documented, so leaving it out is a choice).
  const blind = await fetch(`${base}/conversations/${encodeURIComponent(id)}`, {
    method: 'PATCH',
    headers: { ...auth(token), 'content-type': 'application/json' },
    body: JSON.stringify({ ai_enabled: read.data.access.ai_enabled }),
  });
  check(blind.status === 428, `a PATCH without If-Match answers 428, not ${blind.status}`);
  step('read and patched a conversation with If-Match; a stale version got 409 with the current one; none got 428');
}

async function sendTwice(token: string, id: string): Promise<void> {
  const clientId = `host-contract-${Date.now()}`;
  const send = () =>
    api.POST('/api/v1/conversations/{id}/messages', {
      params: { path: { id } },
      body: { client_id: clientId, mode: 'note', body: 'Checked from the helpdesk: order is on its way.' },
      headers: auth(token),
    });
  const first = await send();
  const again = await send();
  check(first.data !== undefined && again.data !== undefined, `send: ${JSON.stringify(first.error ?? again.error)}`);
  check(first.data.id === again.data.id, 'the same client_id makes one message');
  step('sent a message twice with one client_id: one message');
}

async function addLabel(token: string, id: string, label: string, version?: number): Promise<void> {
  // If-Match is optional here: sent when the caller knows the version it means to change.
  const header = version === undefined ? {} : { 'If-Match': String(version) };
  const { data, error } = await api.POST('/api/v1/conversations/{id}/labels', {
    params: { path: { id }, header },
    body: { label },
    headers: auth(token),
  });
  check(data !== undefined, `add label: ${JSON.stringify(error)}`);
  check(data.labels.includes(label), 'the label is on the conversation');
}

/** A label added with the version read just before; a stale version is refused with 409. */
async function addLabelWithVersion(token: string, id: string, label: string): Promise<void> {
  const read = await api.GET('/api/v1/conversations/{id}', { params: { path: { id } }, headers: auth(token) });
  check(read.data !== undefined, `read conversation ${id}`);
  await addLabel(token, id, label, read.data.version);
  const stale = await api.POST('/api/v1/conversations/{id}/labels', {
    params: { path: { id }, header: { 'If-Match': String(read.data.version) } },
    body: { label: `${label}-stale` },
    headers: auth(token),
  });
  check(stale.response.status === 409, `a label with a stale If-Match answers 409, not ${stale.response.status}`);
}

/** Reads events from a stream until `enough` says stop; returns them. */
async function readEvents(token: string, lastEventId: number | undefined, enough: (events: Event[]) => boolean): Promise<Event[]> {
  const ticket = await api.POST('/api/v1/events/ticket', { headers: auth(token) });
  check(ticket.data !== undefined, `stream ticket: ${JSON.stringify(ticket.error)}`);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 15_000);
  const headers: Record<string, string> = { Accept: 'text/event-stream' };
  if (lastEventId !== undefined) headers['Last-Event-ID'] = String(lastEventId);
  const response = await fetch(`${base}/events?ticket=${encodeURIComponent(ticket.data.ticket)}`, { headers, signal: controller.signal });
  check(response.ok && response.body !== null, `the stream answered ${response.status}`);
  const events: Event[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const message = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = message.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('\n');
        if (data) events.push(JSON.parse(data) as Event);
      }
      if (enough(events)) break;
    }
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return events;
}

async function streamAndResume(token: string, id: string): Promise<void> {
  const label = `host-${Date.now()}`;
  const live = readEvents(token, undefined, (events) => events.some((e) => e.type === 'conversation_updated'));
  await new Promise((resolve) => setTimeout(resolve, 300));
  await addLabel(token, id, label);
  const seen = await live;
  const updated = seen.find((e) => e.type === 'conversation_updated');
  check(updated !== undefined, 'the label change arrived on the stream');
  const resumeFrom: number = updated.id;

  // Changes made while disconnected come back on resume, after the last id seen, in order.
  const later = `${label}-later`;
  await addLabel(token, id, later);
  const resumed = await readEvents(token, resumeFrom, (events) =>
    events.some((e) => e.type === 'conversation_updated' && (e.data as Conversation).labels.includes(later)));
  check(resumed.length > 0 && resumed.every((e) => e.id > resumeFrom), 'resumed events all come after Last-Event-ID');
  check(resumed.every((e, i) => i === 0 || e.id > resumed[i - 1]!.id), 'resumed events come in id order');
  step(`read the event stream, then resumed with Last-Event-ID ${resumeFrom}: ${resumed.length} events after it`);
}

const token = await signIn('maya@example.com');
step('signed in');
const conversation = await listOpenWhatsApp(token);
await patchWithVersions(token, conversation.id);
await sendTwice(token, conversation.id);
await addLabelWithVersion(token, conversation.id, 'host-contract');
step('added a label with If-Match; a stale version got 409');
await streamAndResume(token, conversation.id);
console.log(`host contract: all ${steps.length} steps passed`);
