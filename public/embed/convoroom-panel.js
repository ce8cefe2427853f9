// <convoroom-panel>: Convoroom's conversation details panel for any page.
//
//   <script type="module" src="https://convoroom.example.com/embed/convoroom-panel.js"></script>
//   <convoroom-panel conversation-id="42" api-base="https://convoroom.example.com/api/v1"></convoroom-panel>
//   document.querySelector('convoroom-panel').getToken = async () => fetchTokenFromYourBackend();
//
// The token is a property or a callback, never an attribute. Every change the agent makes is a
// `convoroom:*` CustomEvent (bubbles, composed) on the element. See README "Embedding the panel".
import init, { mount as mountInShadow } from './convoroom-embed.js';

// The wasm file sits beside this module, wherever the bundle is deployed.
const ready = init({ module_or_path: new URL('./convoroom-embed_bg.wasm', import.meta.url) });

/**
 * Mounts the panel into `element`'s shadow root.
 * @param {HTMLElement} element
 * @param {{conversationId?: string, apiBase?: string, token?: string, theme?: 'light'|'dark'|'system',
 *          conversation?: object, contact?: object}} options
 * @returns {Promise<{update(options: object): void, unmount(): void}>}
 */
export async function mount(element, options = {}) {
  await ready;
  const handle = mountInShadow(element, options);
  let live = true;
  return {
    update(next) {
      if (live) handle.update(next);
    },
    unmount() {
      if (!live) return;
      live = false;
      handle.unmount();
      handle.free();
    },
  };
}

// When getToken is asked again: a minute before the token's expiry, or every ten minutes when
// the host gives no expiry; sooner after it failed.
const EARLY_MS = 60_000;
const MIN_WAIT_MS = 5_000;
const DEFAULT_REFRESH_MS = 10 * 60_000;
const RETRY_MS = 15_000;

/**
 * A JWT the host signed (`{jwt}` from getToken), exchanged by the panel itself for the
 * agent's session: the host then needs no call to Convoroom from its backend.
 */
async function exchangeJwt(apiBase, jwt) {
  const base = (apiBase || new URL('/api/v1', location.href).href).replace(/\/$/, '');
  const response = await fetch(`${base}/auth/exchange`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jwt }),
  });
  if (!response.ok) throw new Error(`the JWT exchange answered ${response.status}`);
  return response.json();
}

/** A getToken answer: a token, or `{token, expires_at}` (a Session), or nothing. */
function tokenOf(answer) {
  if (answer && typeof answer === 'object') {
    const expiresAt = Date.parse(answer.expires_at ?? '');
    return { token: answer.token || null, expiresAt: Number.isFinite(expiresAt) ? expiresAt : null };
  }
  return { token: answer || null, expiresAt: null };
}

class ConvoroomPanel extends HTMLElement {
  static observedAttributes = ['conversation-id', 'api-base', 'theme'];

  #handle = null;
  #token = null;
  #getToken = null;
  #context = null;
  #generation = 0;
  #refreshTimer = undefined;

  constructor() {
    super();
    // A host may set properties before this module has loaded: those landed on the plain
    // element and would hide our setters, so pass them through now.
    for (const name of ['token', 'getToken', 'context']) {
      if (Object.prototype.hasOwnProperty.call(this, name)) {
        const value = this[name];
        delete this[name];
        this[name] = value;
      }
    }
  }

  /** The access token (write-only: it is never reflected into markup). */
  set token(value) {
    this.#token = value || null;
    this.#handle?.update({ token: this.#token ?? '' });
  }

  /**
   * A function returning the token, or the whole `Session` JSON of `POST /auth/exchange`
   * (`{token, expires_at}`), or `{jwt}` signed by the host with its embed token's secret (the
   * panel exchanges it), or a promise of any of these. Called on connect and again before the
   * token expires: a minute before `expires_at` when given, else every ten minutes.
   */
  set getToken(fn) {
    this.#getToken = typeof fn === 'function' ? fn : null;
    if (this.#handle && this.#getToken) this.#refreshToken();
  }

  /** Context mode: `{conversation, contact}` JSON the host already has. */
  set context(value) {
    this.#context = value || null;
    if (this.#handle && this.#context) this.#handle.update(this.#context);
  }

  get context() {
    return this.#context;
  }

  async #refreshToken() {
    const generation = this.#generation;
    let answer = null;
    try {
      answer = await this.#getToken();
      if (answer && typeof answer === 'object' && typeof answer.jwt === 'string') {
        answer = await exchangeJwt(this.getAttribute('api-base'), answer.jwt);
      }
    } catch (error) {
      // The host could not get one now: keep the current token and ask again soon.
      console.warn('convoroom-panel: getToken failed', error);
      this.#scheduleRefresh(null, RETRY_MS);
      return;
    }
    if (generation !== this.#generation) return;
    const { token, expiresAt } = tokenOf(answer);
    this.token = token;
    this.#scheduleRefresh(expiresAt);
  }

  #scheduleRefresh(expiresAt, after) {
    clearTimeout(this.#refreshTimer);
    if (!this.#getToken || !this.isConnected) return;
    const wait = after ?? (expiresAt ? Math.max(expiresAt - Date.now() - EARLY_MS, MIN_WAIT_MS) : DEFAULT_REFRESH_MS);
    this.#refreshTimer = setTimeout(() => this.#refreshToken(), wait);
  }

  #options() {
    const options = {
      apiBase: this.getAttribute('api-base') || undefined,
      conversationId: this.getAttribute('conversation-id') || undefined,
      theme: this.getAttribute('theme') || undefined,
      token: this.#token ?? undefined,
    };
    return this.#context ? { ...options, ...this.#context } : options;
  }

  async connectedCallback() {
    const generation = ++this.#generation;
    const stale = () => generation !== this.#generation || !this.isConnected;
    // Attributes and properties a host sets while the bundle loads (right after inserting the
    // element, say) count: they are read once it has loaded, not when the element connected.
    await ready;
    if (stale()) return;
    let expiresAt = null;
    if (!this.#token && this.#getToken) {
      const answer = tokenOf(await this.#getToken());
      this.#token = answer.token;
      expiresAt = answer.expiresAt;
      if (stale()) return;
    }
    const handle = await mount(this, this.#options());
    // Removed (or re-added) while loading: this mount is no longer wanted.
    if (stale()) {
      handle.unmount();
      return;
    }
    this.#handle = handle;
    // A token callback set while this mount was being made.
    if (!this.#token && this.#getToken) this.#refreshToken();
    else this.#scheduleRefresh(expiresAt);
  }

  disconnectedCallback() {
    this.#generation++;
    clearTimeout(this.#refreshTimer);
    this.#handle?.unmount();
    this.#handle = null;
  }

  attributeChangedCallback(name, _old, value) {
    if (!this.#handle) return;
    if (name === 'conversation-id' && value) this.#handle.update({ conversationId: value });
    if (name === 'theme') this.#handle.update({ theme: value || 'system' });
    if (name === 'api-base') {
      // A different server: start over.
      this.disconnectedCallback();
      this.connectedCallback();
    }
  }
}

if (!customElements.get('convoroom-panel')) {
  customElements.define('convoroom-panel', ConvoroomPanel);
}
