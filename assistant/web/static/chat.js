// Web chat: sends each message to /api/chat and shows the replies, buttons and cited guides.
(() => {
  "use strict";
  const TEXT = {
    ko: { title: "민원 안내 도우미", placeholder: "무엇을 도와드릴까요?", send: "보내기", label: "메시지",
          sources: "출처", error: "연결에 문제가 있어요. 잠시 후 다시 시도해 주세요.", greet: "안녕하세요" },
    en: { title: "Public-service assistant", placeholder: "How can I help?", send: "Send", label: "Message",
          sources: "Source", error: "Connection problem. Please try again shortly.", greet: "Hello" },
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

  async function send(message, shown) {
    add("me", shown || message);
    typing.hidden = false;
    try {
      const response = await fetch("/api/chat", {
        method: "POST",
        headers: { "content-type": "application/json", "accept-language": lang },
        body: JSON.stringify({ sender, message, metadata: { lang, channel: "web" } }),
      });
      const body = await response.json();
      if (!response.ok) { add("error", (body.error && body.error.message) || TEXT[lang].error); return; }
      const messages = body.messages.filter((m) => m.text || (m.buttons && m.buttons.length));
      messages.forEach((m, i) => {
        if (m.custom && m.custom.language) applyLanguage(m.custom.language);
        add("bot", m.text, { buttons: m.buttons, sources: i === messages.length - 1 ? body.sources : [] });
      });
      for (const m of body.messages) if (m.custom && m.custom.language) applyLanguage(m.custom.language);
    } catch (err) {
      add("error", TEXT[lang].error);
    } finally {
      typing.hidden = true;
      input.focus();
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    send(text);
  });
  document.querySelectorAll(".lang button").forEach((b) => b.addEventListener("click", () => applyLanguage(b.dataset.lang)));
  applyLanguage(lang);
})();
