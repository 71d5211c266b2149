// Touch kiosk: large service tiles, a guide that speaks, big quick replies, a PIN pad for the demo
// sign-in, an on-screen keyboard (Korean 2-beolsik and ABC) for names, times and places, document photos, a printable receipt, and an idle timeout that wipes the conversation
// (sign-out, new sender id) so the next person starts clean.

import { Conversation, account } from "./js/api.js";
import { TEXT, TILES } from "./js/i18n.js";
import { entriesOf, itemOf } from "./js/render.js";
import { Guide } from "./js/guide.js";
import { IdleWatch, idleSettings } from "./js/idle.js";
import { canListen, listenOnce } from "./js/voice.js";
import { KEY_WORDS, TouchKeyboard } from "./js/touchkeys.js";

const $ = (id) => document.getElementById(id);
const html = document.documentElement;
const log = $("log");
const input = $("message");
const conversation = new Conversation("kiosk");
const guide = new Guide($("guide-figure"), $("guide-says"));
let lang = localStorage.getItem("assistant.kiosk.lang") || "ko";
let busy = false;
let afterSignIn = null;  // what to say once the citizen has signed in (the form carries on)
let keysOpenedByForm = false;  // the form's free-text question opened the keyboard (so its next choice closes it)
const touchKeys = new TouchKeyboard($("touch-keys"), input, {
  onSend: () => $("composer").requestSubmit(),
  sendLabel: () => TEXT[lang].send,
});

// Touch choices the kiosk adds to a form's question, so common answers need one tap, not typing.
const TOUCH_CHOICES = {
  child_birth_date: (w) => [w.dateToday, w.dateYesterday],
  move_date: (w) => [w.dateToday, w.dateYesterday],
  birth_place: (w) => [w.atHome],
};

function applyLanguage(next) {
  lang = next === "en" ? "en" : "ko";
  localStorage.setItem("assistant.kiosk.lang", lang);
  const w = TEXT[lang];
  html.lang = lang;
  document.title = `${w.kioskTitle} · ${TEXT[lang === "ko" ? "en" : "ko"].kioskTitle}`;
  const labels = {
    title: w.kioskTitle, "tiles-title": w.tilesLabel, send: w.send, "message-label": w.label, home: w.home,
    bigger: w.bigger, contrast: w.contrast, "typing-text": w.typing, "mic-label": w.mic,
    "sign-in-title": w.choosePerson, "pin-title": w.enterPin, "sign-in-close": w.cancel,
    "idle-title": w.idleQuestion, "idle-continue": w.idleContinue, "idle-restart": w.idleRestart,
  };
  for (const [id, text] of Object.entries(labels)) $(id).textContent = text;
  $("mute").textContent = guide.muted ? w.unmute : w.mute;
  input.placeholder = w.placeholder;
  $("keys-label").textContent = KEY_WORDS[lang].toggle;
  touchKeys.setLanguage(lang);
  document.querySelectorAll(".lang button").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.lang === lang)));
  renderTiles();
  if (!log.children.length) guide.say(w.welcome, lang);
}

function renderTiles() {
  $("tiles").replaceChildren(...TILES.map((tile) => {
    const [title, message] = tile[lang];
    const button = document.createElement("button");
    button.type = "button";
    button.className = "tile";
    button.dataset.tile = tile.id;
    const icon = document.createElement("span");
    icon.className = "icon";
    icon.setAttribute("aria-hidden", "true");
    icon.textContent = tile.icon;
    button.append(icon, title);
    button.addEventListener("click", () => send(message, title));
    return button;
  }));
}

function show(entry, live = true) {
  if (live) {
    conversation.remember(entry);
    log.querySelectorAll(".buttons button").forEach((old) => { old.disabled = true; });
    log.querySelectorAll(".upload").forEach((old) => old.remove());
  }
  const item = itemOf(entry, { live, onButton: (payload, title) => send(payload, title), onFile: upload });
  log.appendChild(item);
  document.body.classList.add("talking");  // the tiles shrink away once a conversation runs
  item.scrollIntoView({ block: "end", behavior: "smooth" });
  return item;
}

function showReply(result) {
  const body = result.body.reply || (result.ok ? result.body : null);
  if (result.body.error) show({ kind: "error", text: result.body.error.message, lang });
  if (!body) {
    if (!result.body.error) show({ kind: "error", text: TEXT[lang].error, lang });
    guide.say(TEXT[lang].error, lang);
    return;
  }
  const { entries, lang: replyLang } = entriesOf(body, lang);
  if (replyLang !== lang) applyLanguage(replyLang);
  const choices = TOUCH_CHOICES[body.requested_slot];
  const last = entries.filter((e) => e.kind === "bot").pop();
  // A question the form asks without buttons, photo or sign-in wants typing: the touch keys open.
  const freeText = Boolean(body.requested_slot && last && !(last.buttons || []).length
    && !entries.some((e) => e.upload || e.signIn));
  if (freeText && !touchKeys.open) {
    touchKeys.setOpen(true);
    keysOpenedByForm = true;
  } else if (!freeText && keysOpenedByForm) {
    touchKeys.setOpen(false);
    keysOpenedByForm = false;
  }
  if (choices && last && !(last.buttons || []).length) {
    last.buttons = choices(TEXT[lang]).map((title) => ({ title, payload: title }));
  }
  entries.forEach((entry) => show(entry));
  const spoken = entries.filter((e) => e.kind === "bot").map((e) => e.text).join("\n");
  if (spoken) guide.say(spoken, lang);
  if (entries.some((e) => e.signIn)) openSignIn(lang === "en" ? "I signed in" : "로그인했어요");
}

async function turn(work) {
  busy = true;
  $("typing").hidden = false;
  $("send").disabled = true;
  try {
    showReply(await work());
  } catch {
    show({ kind: "error", text: TEXT[lang].error, lang });
  } finally {
    busy = false;
    $("typing").hidden = true;
    $("send").disabled = false;
    idle.touch();  // reading the reply counts as being here
  }
}

function send(message, shown) {
  if (busy) return Promise.resolve();
  show({ kind: "me", text: shown || message, lang });
  return turn(() => conversation.say(message, lang));
}

function upload(file) {
  show({ kind: "me", text: "📷 " + file.name, lang });
  return turn(() => conversation.upload(file, lang));
}

// --- Demo sign-in with a PIN pad: touch only, no keyboard needed. ---
let chosenResident = null;
let pin = "";

async function openSignIn(then) {
  afterSignIn = then;
  chosenResident = null;
  pin = "";
  $("sign-in-error").hidden = true;
  ["pin-title", "pin-dots", "keypad"].forEach((id) => { $(id).hidden = true; });
  const residents = await account.residents();
  $("residents").hidden = false;
  $("residents").replaceChildren(...residents.map((r) => {
    const button = document.createElement("button");
    button.type = "button";
    button.dataset.citizen = r.id;
    button.textContent = `${lang === "en" ? r.name_en : r.name} (${r.rrn_masked})`;
    button.addEventListener("click", () => choosePin(r.id));
    return button;
  }));
  if (!$("sign-in").open) $("sign-in").showModal();
}

function choosePin(citizenId) {
  chosenResident = citizenId;
  pin = "";
  $("residents").hidden = true;
  ["pin-title", "pin-dots", "keypad"].forEach((id) => { $(id).hidden = false; });
  updatePinDots();
  const keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "ok"];
  $("keypad").replaceChildren(...keys.map((key) => {
    const button = document.createElement("button");
    button.type = "button";
    button.dataset.key = key;
    button.textContent = key === "clear" ? TEXT[lang].clear : key === "ok" ? TEXT[lang].ok : key;
    button.addEventListener("click", () => pressKey(key));
    return button;
  }));
  $("keypad").querySelector("button").focus();
}

async function pressKey(key) {
  if (key === "clear") pin = "";
  else if (key !== "ok" && pin.length < 8) pin += key;
  updatePinDots();
  // Only OK signs in: a PIN may be longer than four digits.
  if (key !== "ok" || !pin) return;
  const result = await account.signIn(chosenResident, pin, lang);
  pin = "";
  updatePinDots();
  if (!result.ok) {
    $("sign-in-error").textContent = (result.body.error && result.body.error.message) || TEXT[lang].error;
    $("sign-in-error").hidden = false;
    return;
  }
  $("sign-in").close();
  if (afterSignIn) send(afterSignIn);
  afterSignIn = null;
}

function updatePinDots() {
  $("pin-dots").textContent = pin ? "●".repeat(pin.length) : "—";
}

// --- Starting over: by the home button or the idle timeout. ---
async function startOver() {
  guide.stop();
  for (const id of ["sign-in", "idle"]) if ($(id).open) $(id).close();
  await account.signOut();  // the next person must not act as this one
  conversation.renew();
  log.replaceChildren();
  document.body.classList.remove("talking");
  input.value = "";
  touchKeys.reset();
  keysOpenedByForm = false;
  // The next person gets the default screen: the previous one's text size and contrast were theirs.
  html.dataset.font = "normal";
  html.dataset.contrast = "normal";
  ["bigger", "contrast"].forEach((id) => $(id).setAttribute("aria-pressed", "false"));
  if (guide.muted) $("mute").click();
  applyLanguage("ko");
  document.body.dataset.sender = conversation.sender;
  idle.touch();
}

const idle = new IdleWatch({
  ...idleSettings(document.body),
  onAsk: (seconds) => {
    $("idle-countdown").textContent = TEXT[lang].idleCountdown(seconds);
    $("idle").showModal();
    guide.say(TEXT[lang].idleQuestion, lang);
  },
  onTick: (seconds) => { $("idle-countdown").textContent = TEXT[lang].idleCountdown(seconds); },
  onExpire: () => startOver(),
});

$("idle-continue").addEventListener("click", () => { $("idle").close(); idle.touch(); });
$("idle-restart").addEventListener("click", () => startOver());
$("idle").addEventListener("cancel", () => idle.touch());  // Esc also means "continue"
$("sign-in-close").addEventListener("click", () => $("sign-in").close());
$("home").addEventListener("click", () => startOver());
$("keys-toggle").addEventListener("click", () => {
  touchKeys.setOpen(!touchKeys.open);
  keysOpenedByForm = false;
});
$("touch-keys").addEventListener("toggle-keys", (event) => {
  $("keys-toggle").setAttribute("aria-expanded", String(event.detail.open));
});
$("composer").addEventListener("submit", (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  input.value = "";
  send(text);
});
$("bigger").addEventListener("click", () => {
  const next = { normal: "large", large: "x-large", "x-large": "normal" }[html.dataset.font] || "normal";
  html.dataset.font = next;
  $("bigger").setAttribute("aria-pressed", String(next !== "normal"));
});
$("contrast").addEventListener("click", () => {
  const high = html.dataset.contrast !== "high";
  html.dataset.contrast = high ? "high" : "normal";
  $("contrast").setAttribute("aria-pressed", String(high));
});
$("mute").addEventListener("click", () => {
  guide.setMuted(!guide.muted);
  $("mute").setAttribute("aria-pressed", String(guide.muted));
  $("mute").textContent = guide.muted ? TEXT[lang].unmute : TEXT[lang].mute;
});
document.querySelectorAll(".lang button").forEach((b) => b.addEventListener("click", () => applyLanguage(b.dataset.lang)));
if (canListen) {
  $("mic").hidden = false;
  $("mic").addEventListener("click", async () => {
    $("mic").setAttribute("aria-pressed", "true");
    guide.say(TEXT[lang].listening, lang);
    try {
      send(await listenOnce(lang));
    } catch {
      guide.say(TEXT[lang].micError, lang);
    } finally {
      $("mic").setAttribute("aria-pressed", "false");
    }
  });
}

applyLanguage(lang);
const earlier = conversation.history();
earlier.forEach((entry, i) => log.appendChild(itemOf(entry, {
  live: i === earlier.length - 1, onButton: (payload, title) => send(payload, title), onFile: upload,
})));
if (earlier.length) document.body.classList.add("talking");
document.body.dataset.sender = conversation.sender;
idle.touch();
document.body.dataset.readyAt = String(Math.round(performance.now()));  // measured by the browser tests
document.body.dataset.ready = "true";
