// Web chat: sends each message to /api/chat and shows the replies, buttons and cited guides;
// signs in as a demo resident (HttpOnly session cookie) and uploads document photos to /api/uploads.
(() => {
  "use strict";
  const TEXT = {
    ko: { title: "민원 안내 도우미", placeholder: "무엇을 도와드릴까요?", send: "보내기", label: "메시지",
          sources: "출처", error: "연결에 문제가 있어요. 잠시 후 다시 시도해 주세요.", greet: "안녕하세요",
          signIn: "로그인", signOut: "로그아웃", resident: "주민 (데모)", download: "PDF 내려받기 (견본)",
          uploading: "서류 올리는 중…" },
    en: { title: "Public-service assistant", placeholder: "How can I help?", send: "Send", label: "Message",
          sources: "Source", error: "Connection problem. Please try again shortly.", greet: "Hello",
          signIn: "Sign in", signOut: "Sign out", resident: "Resident (demo)", download: "Download PDF (sample)",
          uploading: "Uploading the document…" },
  };
  const log = document.getElementById("log");
  const form = document.getElementById("composer");
  const input = document.getElementById("message");
  const typing = document.getElementById("typing");

  // The sender id survives a reload, so Rasa's stored tracker resumes the same conversation.
  let sender = localStorage.getItem("assistant.sender");
  if (!sender) {
    sender = "web-" + (crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2));
    localStorage.setItem("assistant.sender", sender);
  }
  let lang = localStorage.getItem("assistant.lang") || "ko";

  function applyLanguage(next) {
    lang = next;
    localStorage.setItem("assistant.lang", lang);
    document.documentElement.lang = lang;
    document.getElementById("title").textContent = TEXT[lang].title;
    input.placeholder = TEXT[lang].placeholder;
    document.getElementById("send").textContent = TEXT[lang].send;
    document.getElementById("message-label").textContent = TEXT[lang].label;
    document.getElementById("sign-in").textContent = TEXT[lang].signIn;
    document.getElementById("sign-out").textContent = TEXT[lang].signOut;
    document.getElementById("resident-label").textContent = TEXT[lang].resident;
    document.querySelectorAll(".lang button").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.lang === lang)));
  }

  function add(kind, text, extra = {}) {
    const item = document.createElement("li");
    item.className = kind;
    item.lang = extra.lang || lang;
    item.textContent = text || "";
    if (extra.buttons && extra.buttons.length) {
      const group = document.createElement("div");
      group.className = "buttons";
      for (const b of extra.buttons) {
        const button = document.createElement("button");
        button.type = "button";
        button.textContent = b.title;
        button.addEventListener("click", () => send(b.payload, b.title));
        group.appendChild(button);
      }
      item.appendChild(group);
    }
    if (extra.sources && extra.sources.length) {
      const p = document.createElement("p");
      p.className = "sources";
      p.append(TEXT[lang].sources + ": ");
      extra.sources.forEach((s, i) => {
        const link = document.createElement(s.url ? "a" : "span");
        if (s.url) { link.href = s.url; link.target = "_blank"; link.rel = "noopener"; }
        link.textContent = s.title;
        if (i) p.append(", ");
        p.appendChild(link);
      });
      item.appendChild(p);
    }
    log.appendChild(item);
    item.scrollIntoView({ block: "end" });
    return item;
  }

  function render(body) {
    const messages = body.messages.filter((m) => m.text || (m.buttons && m.buttons.length));
    messages.forEach((m, i) => {
      if (m.custom && m.custom.language) applyLanguage(m.custom.language);
      add("bot", m.text, { buttons: m.buttons, sources: i === messages.length - 1 ? body.sources : [] });
    });
    for (const m of body.messages) {
      const custom = m.custom || {};
      if (custom.language) applyLanguage(custom.language);
      if (custom.sign_in_required) document.getElementById("pin").focus();
      if (custom.receipt && custom.receipt.download_url) {
        const item = add("bot", "");
        const link = document.createElement("a");
        link.href = custom.receipt.download_url;
        link.textContent = TEXT[lang].download + " · " + custom.receipt.receipt_number;
        item.appendChild(link);
      }
    }
  }

  async function post(url, options) {
    typing.hidden = false;
    try {
      const response = await fetch(url, { method: "POST", credentials: "same-origin", ...options });
      const body = await response.json();
      if (body.reply) render(body.reply);  // an upload: the form's answer, also after a refused file
      else if (response.ok) render(body);
      else add("error", (body.error && body.error.message) || TEXT[lang].error);
    } catch (err) {
      add("error", TEXT[lang].error);
    } finally {
      typing.hidden = true;
      input.focus();
    }
  }

  function send(message, shown) {
    add("me", shown || message);
    return post("/api/chat", {
      headers: { "content-type": "application/json", "accept-language": lang },
      body: JSON.stringify({ sender, message, metadata: { lang, channel: "web" } }),
    });
  }

  function upload(file) {
    add("me", "📎 " + file.name);
    const data = new FormData();
    data.append("file", file);
    data.append("sender", sender);
    data.append("lang", lang);
    data.append("channel", "web");
    return post("/api/uploads", { headers: { "accept-language": lang }, body: data });
  }

  async function showAccount() {
    const me = await fetch("/api/auth/me", { credentials: "same-origin" });
    const signedIn = me.ok;
    document.getElementById("sign-in-form").hidden = signedIn;
    document.getElementById("signed-in").hidden = !signedIn;
    if (signedIn) {
      const citizen = (await me.json()).citizen;
      document.getElementById("who").textContent = `${citizen.name} (${citizen.rrn_masked})`;
      return;
    }
    const residents = (await (await fetch("/api/auth/demo-residents")).json()).residents;
    const select = document.getElementById("resident");
    select.replaceChildren(...residents.map((r) => new Option(`${r.name} · ${r.name_en} (${r.rrn_masked})`, r.id)));
  }

  document.getElementById("sign-in-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const response = await fetch("/api/auth/sign-in", {
      method: "POST", credentials: "same-origin",
      headers: { "content-type": "application/json", "accept-language": lang },
      body: JSON.stringify({ citizen_id: document.getElementById("resident").value, pin: document.getElementById("pin").value }),
    });
    document.getElementById("pin").value = "";
    if (!response.ok) { add("error", (await response.json()).error.message); return; }
    await showAccount();
  });
  document.getElementById("sign-out").addEventListener("click", async () => {
    await fetch("/api/auth/sign-out", { method: "POST", credentials: "same-origin" });
    await showAccount();
  });
  document.getElementById("file").addEventListener("change", (event) => {
    const file = event.target.files[0];
    event.target.value = "";
    if (file) upload(file);
  });

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    send(text);
  });
  document.querySelectorAll(".lang button").forEach((b) => b.addEventListener("click", () => applyLanguage(b.dataset.lang)));
  applyLanguage(lang);
  showAccount();
})();
