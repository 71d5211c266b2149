// The conversation with the service: one sender id per browser (or kiosk session), chat turns,
// document uploads, demo sign-in, and a local copy of what was shown so a reload can re-render it.
// Used by both pages; nothing here touches the DOM.

const HISTORY_LIMIT = 200;

function newId(prefix) {
  const random = crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2) + Date.now();
  return `${prefix}-${random}`;
}

export class Conversation {
  /**
   * @param {string} channel "web" or "kiosk": sent with every turn, also names the stored keys.
   */
  constructor(channel) {
    this.channel = channel;
    this.senderKey = `assistant.${channel}.sender`;
    // The sender id survives a reload, so Rasa's stored tracker resumes the same conversation.
    this.sender = localStorage.getItem(this.senderKey) || this.renew();
  }

  /** Forget this conversation (history included) and start a new one with a fresh sender id. */
  renew() {
    if (this.sender) localStorage.removeItem(this.historyKey());
    this.sender = newId(this.channel);
    localStorage.setItem(this.senderKey, this.sender);
    return this.sender;
  }

  historyKey() {
    return `assistant.${this.channel}.history.${this.sender}`;
  }

  /** What was shown so far (entries as `remember` stored them). */
  history() {
    try {
      return JSON.parse(localStorage.getItem(this.historyKey()) || "[]");
    } catch {
      return [];
    }
  }

  /** Keep one shown entry, so a reload shows the same conversation. */
  remember(entry) {
    const entries = this.history();
    entries.push(entry);
    try {
      localStorage.setItem(this.historyKey(), JSON.stringify(entries.slice(-HISTORY_LIMIT)));
    } catch {
      // Storage full or disabled (private mode): the conversation still works, only a reload forgets it.
    }
  }

  /** One chat turn. Resolves to {ok, body}; body is the chat response or an error body. */
  say(message, lang) {
    return request("/api/chat", lang, {
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ sender: this.sender, message, metadata: { lang, channel: this.channel } }),
    });
  }

  /** Send a document photo or PDF into the conversation; the body carries the form's reply. */
  upload(file, lang) {
    const data = new FormData();
    data.append("file", file);
    data.append("sender", this.sender);
    data.append("lang", lang);
    data.append("channel", this.channel);
    return request("/api/uploads", lang, { body: data });
  }
}

async function request(url, lang, options) {
  const headers = { "accept-language": lang, ...(options.headers || {}) };
  const response = await fetch(url, { method: "POST", credentials: "same-origin", ...options, headers });
  let body = {};
  try {
    body = await response.json();
  } catch {
    // A proxy error page or a cut connection: reported as a plain failure below.
  }
  return { ok: response.ok, status: response.status, body };
}

/** Demo sign-in (the identity provider's stand-in): residents, sign in, who is signed in, sign out. */
export const account = {
  async residents() {
    const response = await fetch("/api/auth/demo-residents");
    return response.ok ? (await response.json()).residents : [];
  },
  async me() {
    const response = await fetch("/api/auth/me", { credentials: "same-origin" });
    return response.ok ? (await response.json()).citizen : null;
  },
  async signIn(citizenId, pin, lang) {
    return request("/api/auth/sign-in", lang, {
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ citizen_id: citizenId, pin }),
    });
  },
  async signOut() {
    await fetch("/api/auth/sign-out", { method: "POST", credentials: "same-origin" });
  },
};
