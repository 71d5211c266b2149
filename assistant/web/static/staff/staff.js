// Staff console: talks to /api/staff/* with the session cookie and sends the CSRF token on every change.
// Text from the server is always set with textContent (never innerHTML).

const $ = (id) => document.getElementById(id);
const ROLES = ["editor", "reviewer", "admin"];
let csrf = null;
let me = null;
let current = null; // the guide being edited: {service_id, draft}

function say(text, error = false) {
  $("status").textContent = text;
  $("status").classList.toggle("error", error);
}

async function api(method, url, body) {
  const headers = { "accept": "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (method !== "GET" && csrf) headers["x-csrf-token"] = csrf;
  const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body),
                                      credentials: "same-origin" });
  const data = response.headers.get("content-type")?.includes("json") ? await response.json() : null;
  if (!response.ok) {
    const error = new Error(data?.error?.message || `HTTP ${response.status}`);
    error.status = response.status;
    error.fields = data?.error?.fields || [];
    throw error;
  }
  return data;
}

function el(tag, text, attrs = {}) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

function can(role) { return me && ROLES.indexOf(me.role) >= ROLES.indexOf(role); }

function showConsole() {
  $("sign-in-view").hidden = true;
  $("console").hidden = false;
  $("who").hidden = false;
  $("who-name").textContent = `${me.display_name} (${me.role})`;
  document.querySelectorAll("[data-role]").forEach((n) => { n.hidden = !can(n.dataset.role); });
  openTab("guides");
}

async function start() {
  try {
    const data = await api("GET", "/api/staff/auth/me");
    csrf = data.csrf_token; me = data.staff;
    showConsole();
  } catch { $("sign-in-view").hidden = false; }
}

$("sign-in-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  try {
    const data = await api("POST", "/api/staff/auth/sign-in", { username: $("username").value, password: $("password").value });
    csrf = data.csrf_token; me = data.staff; $("password").value = "";
    say("로그인했어요 · Signed in");
    showConsole();
  } catch (error) { say(error.message, true); }
});

$("sign-out").addEventListener("click", async () => {
  await api("POST", "/api/staff/auth/sign-out").catch(() => {});
  location.reload();
});

// ---- tabs
const loaders = { guides: loadGuides, unanswered: loadGroups, queue: loadQueue, analytics: loadAnalytics,
                  audit: loadAudit, accounts: loadAccounts, models: loadModels };
function openTab(name) {
  document.querySelectorAll(".tabs button").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.tab === name)));
  document.querySelectorAll(".tab").forEach((s) => { s.hidden = s.id !== `tab-${name}`; });
  loaders[name]().catch((error) => say(error.message, true));
}
document.querySelectorAll(".tabs button").forEach((b) => b.addEventListener("click", () => openTab(b.dataset.tab)));

// ---- guides
async function loadGuides() {
  const data = await api("GET", `/api/staff/guides?q=${encodeURIComponent($("guide-search").value)}`);
  const list = $("guide-list");
  list.replaceChildren();
  for (const guide of data.guides) {
    const state = guide.open_version ? ` [${guide.open_version.status}]` : "";
    const button = el("button", `${guide.title_ko || guide.service_id}${state}`, { type: "button", "data-guide": guide.service_id });
    button.addEventListener("click", () => openGuide(guide.service_id));
    const item = el("li"); item.append(button); list.append(item);
  }
}
$("guide-search").addEventListener("input", () => loadGuides().catch((e) => say(e.message, true)));

async function openGuide(serviceId) {
  const data = await api("GET", `/api/staff/guides/${serviceId}`);
  current = { service_id: serviceId, draft: data.draft };
  $("guide-editor").hidden = false;
  $("guide-title").textContent = serviceId;
  $("guide-text").value = data.draft ? data.draft.yaml_text : (data.published_text || "");
  $("guide-state").textContent = data.draft
    ? `열린 버전 · Open version v${data.draft.number}: ${data.draft.status} (${data.draft.author})`
    : "게시된 내용 · Published text";
  showDiff(data.draft ? data.draft.diff : "");
  $("guide-problems").replaceChildren();
  $("preview-answer").textContent = "";
  const history = await api("GET", `/api/staff/guides/${serviceId}/history`).catch(() => ({ versions: [] }));
  const list = $("guide-history");
  list.replaceChildren();
  for (const v of history.versions) {
    const item = el("li", `v${v.number} ${v.status} · ${v.author}${v.reviewer ? " / " + v.reviewer : ""} · ${v.published_at || v.created_at}${v.note ? " · " + v.note : ""} `);
    if (v.status === "published" && can("reviewer")) {
      const back = el("button", `v${v.number}로 되돌리기 · Roll back`, { type: "button" });
      back.addEventListener("click", () => act(() => api("POST", `/api/staff/guides/${serviceId}/rollback`, { number: v.number }), "되돌렸어요 · Rolled back"));
      item.append(back);
    }
    const details = el("details"); details.append(el("summary", "diff"), diffBlock(v.diff)); item.append(details);
    list.append(item);
  }
  updateButtons();
}

function diffBlock(text) {
  const pre = el("pre", null, { class: "diff" });
  for (const line of (text || "").split("\n")) {
    const span = el("span", line + "\n");
    if (line.startsWith("+") && !line.startsWith("+++")) span.className = "add";
    if (line.startsWith("-") && !line.startsWith("---")) span.className = "del";
    pre.append(span);
  }
  return pre;
}
function showDiff(text) { $("guide-diff").replaceWith(Object.assign(diffBlock(text), { id: "guide-diff" })); }

function updateButtons() {
  const status = current?.draft?.status;
  $("submit-review").disabled = status !== "draft";
  $("publish").disabled = status !== "in_review";
  $("reject").disabled = status !== "in_review";
}

function showProblems(fields) {
  const list = $("guide-problems");
  list.replaceChildren(...fields.map((f) => el("li", `${f.field}: ${f.reason}`)));
}

async function act(step, done) {
  try {
    const result = await step();
    say(done + (result?.seconds !== undefined ? ` (${result.seconds} s)` : ""));
    if (current) await openGuide(current.service_id);
    await loadGuides();
    return result;
  } catch (error) { say(error.message, true); showProblems(error.fields || []); }
}

$("save-draft").addEventListener("click", () => act(
  () => api("PUT", `/api/staff/guides/${current.service_id}/draft`, { yaml_text: $("guide-text").value }), "초안을 저장했어요 · Draft saved"));
$("submit-review").addEventListener("click", () => act(
  () => api("POST", `/api/staff/guides/versions/${current.draft.id}/submit`), "검토를 요청했어요 · Sent for review"));
$("publish").addEventListener("click", () => act(
  () => api("POST", `/api/staff/guides/versions/${current.draft.id}/publish`), "게시했어요 · Published"));
$("reject").addEventListener("click", () => {
  const note = window.prompt("반려 사유 · Why?");
  if (note) act(() => api("POST", `/api/staff/guides/versions/${current.draft.id}/reject`, { note }), "반려했어요 · Sent back");
});
$("preview-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  try {
    const data = await api("POST", `/api/staff/guides/${current.service_id}/preview`,
                           { question: $("preview-question").value, yaml_text: $("guide-text").value });
    $("preview-answer").textContent = data.text;
    showProblems([]);
  } catch (error) { say(error.message, true); showProblems(error.fields || []); }
});

// ---- unanswered questions
async function loadGroups() {
  const [data, intents, guides] = await Promise.all([
    api("GET", "/api/staff/unanswered"), api("GET", "/api/staff/unanswered/intents"), api("GET", "/api/staff/guides")]);
  $("unanswered-counts").textContent = Object.entries(data.counts).map(([k, v]) => `${k}: ${v}`).join(" · ");
  const list = $("groups");
  list.replaceChildren();
  for (const group of data.groups) {
    const item = el("li");
    item.append(el("strong", `${group.representative} (${group.count})`), el("p", group.examples.join(" / ")));
    const guide = el("select", null, { "aria-label": "안내문 · Guide" });
    guide.append(...guides.guides.map((g) => el("option", g.title_ko || g.service_id, { value: g.service_id })));
    const how = el("select", null, { "aria-label": "방식 · As" });
    how.append(el("option", "질문 · question", { value: "question" }), el("option", "별칭 · alias", { value: "alias" }),
               el("option", "FAQ", { value: "faq" }));
    const answer = el("input", null, { placeholder: "FAQ 답변 · answer", "aria-label": "FAQ 답변 · FAQ answer" });
    const attach = el("button", "안내문에 추가 · Attach", { type: "button" });
    attach.addEventListener("click", () => groupAction("attach", { question_ids: group.question_ids, service_id: guide.value,
      attach_as: how.value, answer_ko: answer.value || null }, "초안에 추가했어요 (검토 필요) · Added to the draft"));
    const intent = el("select", null, { "aria-label": "의도 · Intent" });
    intent.append(...intents.intents.map((i) => el("option", i, { value: i })));
    const train = el("button", "학습 예문으로 · Add as NLU example", { type: "button" });
    train.addEventListener("click", () => groupAction("train", { question_ids: group.question_ids, intent: intent.value },
      "학습 예문을 추가했어요 · Examples added"));
    const dismiss = el("button", "무시 · Dismiss", { type: "button" });
    dismiss.addEventListener("click", () => groupAction("dismiss", { question_ids: group.question_ids }, "닫았어요 · Dismissed"));
    item.append(guide, how, answer, attach, intent, train, dismiss);
    list.append(item);
  }
}
async function groupAction(name, body, done) {
  try { await api("POST", `/api/staff/unanswered/${name}`, body); say(done); await loadGroups(); }
  catch (error) { say(error.message, true); }
}

// ---- applications
let openReceipt = null;
async function loadQueue() {
  const params = new URLSearchParams();
  if ($("queue-kind").value) params.set("kind", $("queue-kind").value);
  if ($("queue-status").value) params.set("status", $("queue-status").value);
  const data = await api("GET", `/api/staff/queue?${params}`);
  $("queue-rows").replaceChildren(...data.applications.map((a) => {
    const row = el("tr");
    const open = el("button", a.receipt_number, { type: "button" });
    open.addEventListener("click", () => openApplication(a.receipt_number).catch((e) => say(e.message, true)));
    const cell = el("td"); cell.append(open);
    row.append(cell, el("td", a.kind), el("td", a.status), el("td", a.created_at.slice(0, 16)));
    return row;
  }));
}
$("queue-filter").addEventListener("submit", (event) => { event.preventDefault(); loadQueue().catch((e) => say(e.message, true)); });

async function openApplication(receipt) {
  const data = await api("GET", `/api/staff/queue/${receipt}`);
  openReceipt = receipt;
  $("application").hidden = false;
  $("application-title").textContent = `${receipt} · ${data.application.kind} · ${data.application.status}`;
  $("application-payload").textContent = JSON.stringify(data.application.payload, null, 2);
  $("application-attachments").replaceChildren(...data.application.attachments.map((a) => {
    const item = el("li"); item.append(el("a", a.document, { href: a.url, target: "_blank", rel: "noopener" })); return item;
  }));
  $("application-audit").replaceChildren(...data.audit.map((e) => el("li", `${e.at.slice(0, 19)} ${e.actor} ${e.action}${e.details?.note ? " · " + e.details.note : ""}`)));
}
document.querySelectorAll("[data-decision]").forEach((button) => button.addEventListener("click", async () => {
  try {
    await api("POST", `/api/staff/queue/${openReceipt}/decision`, { status: button.dataset.decision, note: $("decision-note").value || null });
    say("처리했어요 · Done");
    await openApplication(openReceipt); await loadQueue();
  } catch (error) { say(error.message, true); }
}));

// ---- analytics, audit, accounts
async function loadAnalytics() {
  const data = await api("GET", "/api/staff/analytics");
  $("fallback-rate").textContent = `대화 ${data.turns}턴 · ${data.turns} turns · fallback ${(data.fallback_rate * 100).toFixed(1)}%`;
  const stamp = Date.now();
  $("charts").replaceChildren(...["conversations", "intents", "funnel", "services"].map(
    (name) => el("img", null, { src: `/api/staff/analytics/charts/${name}.svg?t=${stamp}`, alt: name })));
}
async function loadAudit() {
  const data = await api("GET", "/api/staff/audit");
  $("audit").replaceChildren(...data.entries.map((e) => el("li", `${e.at.slice(0, 19)} ${e.actor} ${e.action} ${e.target}`)));
}
async function loadAccounts() {
  if (!can("admin")) return;
  const data = await api("GET", "/api/staff/accounts");
  $("accounts").replaceChildren(...data.accounts.map((a) => el("li", `${a.username} (${a.role})`)));
}
$("account-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  try {
    await api("POST", "/api/staff/accounts", { username: $("new-username").value, password: $("new-password").value, role: $("new-role").value });
    $("new-password").value = ""; say("계정을 만들었어요 · Account created"); await loadAccounts();
  } catch (error) { say(error.message, true); }
});

// ---- models (admins): train, follow the run, read its report, activate (gate) and roll back
const MODELS = "/api/admin/models";
let trainTimer = null;
let refused = null; // the version the gate refused, for the force button

async function loadModels() {
  if (!can("admin")) return;
  const data = await api("GET", MODELS);
  const live = new Set(Object.values(data.active));
  $("models-active").textContent = `적용 중 · Live: ${Object.entries(data.active).map(([k, v]) => `${k} ${v}`).join(" · ") || "—"}`;
  $("model-rows").replaceChildren(...data.artefacts.slice().reverse().map((a) => {
    const row = el("tr", null, { "data-version": a.version });
    const figures = Object.entries(a.metrics).map(([k, v]) => `${k} ${Number(v).toFixed(3)}`).join(", ");
    const cell = el("td");
    if (!live.has(a.version) && a.kind !== "embedding") {
      const button = el("button", "적용 · Activate", { type: "button", "data-activate": a.version });
      button.addEventListener("click", () => activateModel(a.version, false));
      cell.append(button);
    }
    row.append(el("td", live.has(a.version) ? "●" : ""), el("td", a.version), el("td", a.kind),
               el("td", (a.created_at || "").slice(0, 19)), el("td", figures || "—"), cell);
    return row;
  }));
}

async function activateModel(version, force) {
  $("model-refusal").hidden = true;
  say(`${version} 적용 중… · Activating…`);
  try {
    const result = await api("POST", `${MODELS}/activate`, { version, force });
    refused = null;
    say(`${version} 적용했어요 · Activated (${result.swap.seconds} s)`);
  } catch (error) {
    if (error.status === 409) {
      // The quality gate said no: show its reasons and offer to force it.
      refused = version;
      $("model-refusal-title").textContent = `${version}: 품질 기준 미달로 적용하지 않았어요 · Refused by the quality gate`;
      const reasons = error.message.replace(/^.*?activation refused: /, "").replace(/\. Use --force.*$/, "").split("; ");
      $("model-refusal-reasons").replaceChildren(...reasons.map((r) => el("li", r)));
      $("model-refusal").hidden = false;
      say(`${version}: 적용 거부 · Activation refused`, true);
    } else { say(error.message, true); }
  }
  await loadModels();
}

$("model-force").addEventListener("click", () => {
  if (refused && window.confirm(`${refused}: 성능이 더 낮은데도 적용할까요? · Activate it although it scores lower?`)) {
    activateModel(refused, true);
  }
});

$("model-rollback").addEventListener("click", async () => {
  say("되돌리는 중… · Rolling back…");
  try {
    const result = await api("POST", `${MODELS}/rollback`);
    say(`되돌렸어요 · Rolled back (${result.swap.seconds} s)`);
  } catch (error) { say(error.message, true); }
  await loadModels();
});

$("train-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  try {
    const job = await api("POST", `${MODELS}/train`, { kind: $("train-kind").value });
    say("학습을 시작했어요 · Training started");
    $("train-job").hidden = false;
    $("train-report").hidden = true;
    showJob(job);
    clearInterval(trainTimer);
    trainTimer = setInterval(() => followJob(job.id), 1000);
  } catch (error) { say(error.message, true); }
});

function showJob(job) {
  const step = job.steps ? ` · ${job.step}/${job.steps} ${job.step_label}` : "";
  const states = { running: "진행 중 · running", succeeded: "끝남 · finished", failed: "실패 · failed" };
  $("train-state").textContent = `${job.id}: ${states[job.status] || job.status}${step}`;
  $("train-state").dataset.status = job.status;
  $("train-progress").value = job.progress;
  $("train-log").textContent = (job.log_tail || []).join("\n");
  if (job.report_url) { $("train-report").href = job.report_url; $("train-report").hidden = false; }
}

async function followJob(id) {
  try {
    const job = await api("GET", `${MODELS}/train/${id}`);
    showJob(job);
    if (job.status !== "running") {
      clearInterval(trainTimer);
      say(job.status === "succeeded" ? "학습이 끝났어요 · Training finished" : "학습이 실패했어요 · Training failed", job.status !== "succeeded");
      await loadModels();
    }
  } catch (error) { clearInterval(trainTimer); say(error.message, true); }
}

start();
