// Web chat page: wires the page to the conversation (js/api.js) and the shared rendering
// (js/render.js): language switch, typing indicator, demo sign-in, document uploads, reload-safe history.

import { Conversation, account } from "./js/api.js";
import { TEXT } from "./js/i18n.js";
import { entriesOf, itemOf } from "./js/render.js";

const $ = (id) => document.getElementById(id);
const log = $("log");
const input = $("message");
const typing = $("typing");
const conversation = new Conversation("web");
let lang = localStorage.getItem("assistant.lang") || "ko";

function applyLanguage(next) {
  lang = next === "en" ? "en" : "ko";
  localStorage.setItem("assistant.lang", lang);
  const words = TEXT[lang];
  document.documentElement.lang = lang;
  document.title = `${words.title} · ${TEXT[lang === "ko" ? "en" : "ko"].title}`;
  $("title").textContent = words.title;
  input.placeholder = words.placeholder;
  $("send").textContent = words.send;
  $("message-label").textContent = words.label;
  $("sign-in").textContent = words.signIn;
  $("sign-out").textContent = words.signOut;
  $("resident-label").textContent = words.resident;
  $("pin").placeholder = "PIN";
  $("pin-label").textContent = words.pin;
  $("attach-label").textContent = words.attach;
  $("typing-text").textContent = words.typing;
  document.querySelectorAll(".lang button").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.lang === lang)));
}

/** Show one entry; `live` entries are stored for a reload and their buttons work. */
function show(entry, live = true) {
  if (live) conversation.remember(entry);
  // Only the newest reply keeps working buttons; older ones are history.
  if (live) {
    log.querySelectorAll(".buttons button").forEach((old) => { old.disabled = true; });
    log.querySelectorAll(".upload").forEach((old) => old.remove());
  }
  const item = itemOf(entry, { live, onButton: (payload, title) => send(payload, title), onFile: upload });
  log.appendChild(item);
  item.scrollIntoView({ block: "end" });
  return item;
}

function showReply(result) {
  const body = result.body.reply || (result.ok ? result.body : null);
  if (result.body.error && result.body.reply) {
    show({ kind: "error", text: result.body.error.message, lang });
  }
  if (!body) {
    show({ kind: "error", text: (result.body.error && result.body.error.message) || TEXT[lang].error, lang });
    return;
  }
  const { entries, lang: replyLang } = entriesOf(body, lang);
  if (replyLang !== lang) applyLanguage(replyLang);  // change_language in the conversation
  entries.forEach((entry) => show(entry));
  if (entries.some((e) => e.signIn) && !$("sign-in-form").hidden) $("resident").focus();
}

async function turn(work) {
  typing.hidden = false;
  $("send").disabled = true;
  try {
    showReply(await work());
  } catch {
    show({ kind: "error", text: TEXT[lang].error, lang });
  } finally {
    typing.hidden = true;
    $("send").disabled = false;
    input.focus();
  }
}

function send(message, shown) {
  show({ kind: "me", text: shown || message, lang });
  return turn(() => conversation.say(message, lang));
}

function upload(file) {
  show({ kind: "me", text: "📎 " + file.name, lang });
  return turn(() => conversation.upload(file, lang));
}

async function showAccount() {
  const citizen = await account.me();
  $("sign-in-form").hidden = Boolean(citizen);
  $("signed-in").hidden = !citizen;
  if (citizen) {
    $("who").textContent = `${citizen.name} (${citizen.rrn_masked})`;
    return;
  }
  const residents = await account.residents();
  $("resident").replaceChildren(...residents.map((r) => new Option(`${r.name} · ${r.name_en} (${r.rrn_masked})`, r.id)));
}

$("sign-in-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const result = await account.signIn($("resident").value, $("pin").value, lang);
  $("pin").value = "";
  if (!result.ok) {
    show({ kind: "error", text: (result.body.error && result.body.error.message) || TEXT[lang].error, lang });
    return;
  }
  await showAccount();
  input.focus();
});
$("sign-out").addEventListener("click", async () => {
  await account.signOut();
  await showAccount();
});
$("file").addEventListener("change", (event) => {
  const file = event.target.files[0];
  event.target.value = "";
  if (file) upload(file);
});
$("composer").addEventListener("submit", (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  input.value = "";
  send(text);
});
document.querySelectorAll(".lang button").forEach((b) => b.addEventListener("click", () => applyLanguage(b.dataset.lang)));

applyLanguage(lang);
// A reload shows the conversation again; the newest reply's buttons still work.
const earlier = conversation.history();
earlier.forEach((entry, i) => log.appendChild(itemOf(entry, {
  live: i === earlier.length - 1, onButton: (payload, title) => send(payload, title), onFile: upload,
})));
log.lastElementChild?.scrollIntoView({ block: "end" });
// Announce only what arrives from now on, not the replayed history.
log.setAttribute("aria-live", "polite");
showAccount();
document.body.dataset.readyAt = String(Math.round(performance.now()));  // measured by the browser tests
document.body.dataset.ready = "true";
