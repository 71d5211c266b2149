// Turns chat responses into entries (plain objects that can be stored for a reload) and entries into
// list items: the text with its language, quick-reply buttons, cited guides as links, a document
// upload button when a form asks for one, and a receipt card that can be printed.

import { TEXT } from "./i18n.js";

/** The entries one chat response shows, in order. */
export function entriesOf(body, lang) {
  const entries = [];
  let lastBot = null;
  const messages = body.messages || [];
  // A language change (its own message, after the text) applies to the whole reply announcing it.
  const change = messages.find((m) => m.custom && m.custom.language);
  if (change) lang = change.custom.language;
  for (const m of messages) {
    const custom = m.custom || {};
    if (m.text || (m.buttons && m.buttons.length)) {
      lastBot = { kind: "bot", text: m.text || "", lang, buttons: m.buttons || [] };
      entries.push(lastBot);
    }
    // Rasa delivers a text and its custom payload as separate messages: the upload request and the
    // sign-in request belong to the question just asked.
    if (custom.upload || custom.sign_in_required) {
      if (!lastBot) entries.push((lastBot = { kind: "bot", text: "", lang, buttons: [] }));
      if (custom.upload) lastBot.upload = true;
      if (custom.sign_in_required) lastBot.signIn = true;
    }
    if (custom.receipt) entries.push({ kind: "receipt", lang, receipt: custom.receipt, at: new Date().toISOString() });
  }
  if (lastBot && body.sources && body.sources.length) lastBot.sources = body.sources;
  return { entries, lang };
}

/**
 * A list item for one entry.
 * @param {object} entry what to show
 * @param {{onButton: Function, onFile: Function, live: boolean}} handlers what buttons and files do;
 *   buttons of replayed (old) entries are shown disabled.
 */
export function itemOf(entry, handlers) {
  const words = TEXT[entry.lang] || TEXT.ko;
  const item = document.createElement("li");
  item.className = entry.kind;
  item.lang = entry.lang;
  if (entry.kind === "receipt") return receiptCard(item, entry, words);
  const who = document.createElement("span");
  who.className = "visually-hidden";
  who.textContent = (entry.kind === "me" ? words.you : words.guide) + ": ";
  const text = document.createElement("p");
  text.className = "text";
  text.append(who, entry.text || "");
  item.appendChild(text);
  if (entry.buttons && entry.buttons.length) {
    const group = document.createElement("div");
    group.className = "buttons";
    for (const b of entry.buttons) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = b.title;
      button.dataset.payload = b.payload;
      button.disabled = !handlers.live;
      button.addEventListener("click", () => {
        group.querySelectorAll("button").forEach((other) => { other.disabled = true; });
        handlers.onButton(b.payload, b.title);
      });
      group.appendChild(button);
    }
    item.appendChild(group);
  }
  if (entry.upload && handlers.live) item.appendChild(uploadButton(words, handlers.onFile));
  if (entry.sources && entry.sources.length) item.appendChild(sourceLinks(entry.sources, words));
  return item;
}

function uploadButton(words, onFile) {
  // A label styled as a button: the file input stays a real, keyboard-reachable control.
  const label = document.createElement("label");
  label.className = "upload";
  const input = document.createElement("input");
  input.type = "file";
  input.accept = "image/*,application/pdf";
  // A phone opens its camera: documents are usually photographed, not already on the phone.
  input.setAttribute("capture", "environment");
  input.className = "file-input";
  input.addEventListener("change", () => {
    const file = input.files[0];
    input.value = "";
    if (file) onFile(file);
  });
  const caption = document.createElement("span");
  caption.textContent = "📷 " + words.uploadButton;
  label.append(input, caption);
  return label;
}

function sourceLinks(sources, words) {
  const p = document.createElement("p");
  p.className = "sources";
  p.append(words.sources + ": ");
  sources.forEach((s, i) => {
    const link = document.createElement(s.url ? "a" : "span");
    if (s.url) { link.href = s.url; link.target = "_blank"; link.rel = "noopener"; }
    link.textContent = s.title;
    if (i) p.append(", ");
    p.appendChild(link);
  });
  return p;
}

function receiptCard(item, entry, words) {
  const { receipt } = entry;
  item.classList.add("receipt-card");
  const title = document.createElement("h2");
  title.textContent = words.receipt;
  const list = document.createElement("dl");
  const rows = [
    [words.receiptNumber, receipt.receipt_number],
    [words.kind, words.kinds[receipt.kind] || receipt.kind],
    [words.filedAt, new Date(entry.at).toLocaleString(entry.lang === "en" ? "en-GB" : "ko-KR")],
  ];
  for (const [name, value] of rows) {
    const dt = document.createElement("dt");
    dt.textContent = name;
    const dd = document.createElement("dd");
    dd.textContent = value;
    list.append(dt, dd);
  }
  const actions = document.createElement("div");
  actions.className = "receipt-actions";
  const print = document.createElement("button");
  print.type = "button";
  print.className = "print";
  print.textContent = "🖨 " + words.print;
  print.addEventListener("click", () => {
    // Print only this card (print CSS hides everything but `.printing`).
    document.querySelectorAll(".printing").forEach((other) => other.classList.remove("printing"));
    item.classList.add("printing");
    document.body.classList.add("print-receipt");
    window.print();
  });
  actions.appendChild(print);
  if (receipt.download_url) {
    const link = document.createElement("a");
    link.href = receipt.download_url;
    link.className = "download";
    link.textContent = "⬇ " + words.download;
    actions.appendChild(link);
  }
  item.append(title, list, actions);
  return item;
}

window.addEventListener("afterprint", () => document.body.classList.remove("print-receipt"));
