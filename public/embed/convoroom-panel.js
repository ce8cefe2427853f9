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

class ConvoroomPanel extends HTMLElement {
  static observedAttributes = ['conversation-id', 'api-base', 'theme'];

  #handle = null;
  #token = null;
  #getToken = null;
  #context = null;
  #generation = 0;

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

  /** A function returning the token (or a promise of it); called on connect. */
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
    const token = await this.#getToken();
    this.token = token;
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
    if (!this.#token && this.#getToken) {
      this.#token = (await this.#getToken()) || null;
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
  }

  disconnectedCallback() {
    this.#generation++;
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
