// The host helpdesk's own script: it signs in to Convoroom (a real helpdesk would get the token
// from its backend), lists tickets in its own markup, and shows the panel for the chosen one.
//   ?api=<base>   the Convoroom API (default: this origin's /api/v1)
//   ?manual=1     do not show a panel until window.acmeDemo.showPanel(id) is called
const params = new URLSearchParams(location.search);
const apiBase = params.get('api') || new URL('/api/v1', location.href).href;
const status = document.getElementById('acme-status');
const list = document.getElementById('acme-ticket-list');
const activity = document.getElementById('acme-activity');
const slot = document.getElementById('acme-details');

async function signIn() {
  const response = await fetch(`${apiBase}/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'maya@example.com', password: 'demo1234' }),
  });
  if (!response.ok) throw new Error(`sign-in failed: HTTP ${response.status}`);
  return (await response.json()).token;
}

const token = signIn();

function panel() {
  let element = slot.querySelector('convoroom-panel');
  if (!element) {
    element = document.createElement('convoroom-panel');
    element.setAttribute('api-base', apiBase);
    element.getToken = () => token;
    slot.append(element);
  }
  return element;
}

function showPanel(conversationId) {
  panel().setAttribute('conversation-id', conversationId);
}

// Every change the agent makes in the panel reaches the host as a DOM event.
for (const name of [
  'label-added', 'label-removed', 'assigned', 'collaborators-changed', 'stage-changed', 'blocked',
  'unblocked', 'spam-changed', 'ai-access-changed', 'attribute-changed', 'contact-updated',
  'contact-linked', 'contact-unlinked', 'merged', 'note-saved', 'note-deleted', 'changed',
]) {
  document.addEventListener(`convoroom:${name}`, (event) => {
    const item = document.createElement('li');
    const id = event.detail?.conversation_id ?? event.detail?.id ?? '';
    item.textContent = `convoroom:${name} ${id}`;
    activity.prepend(item);
  });
}

async function loadTickets() {
  const response = await fetch(`${apiBase}/conversations?status=open&limit=15`, {
    headers: { authorization: `Bearer ${await token}` },
  });
  const page = await response.json();
  list.replaceChildren(
    ...page.items.map((conversation) => {
      const item = document.createElement('li');
      const link = document.createElement('a');
      link.href = `#ticket-${conversation.id}`;
      link.textContent = `#${conversation.id} ${conversation.contact.name}`;
      link.addEventListener('click', (event) => {
        event.preventDefault();
        document.getElementById('acme-ticket-title').textContent = link.textContent;
        showPanel(conversation.id);
      });
      item.append(link);
      return item;
    }),
  );
  status.textContent = `${page.items.length} open tickets`;
  if (!params.has('manual') && page.items[0]) showPanel(page.items[0].id);
}

window.acmeDemo = { showPanel, apiBase, token };
document.getElementById('acme-refresh').addEventListener('click', loadTickets);
loadTickets().catch((error) => {
  status.textContent = `Could not reach Convoroom: ${error.message}`;
});
