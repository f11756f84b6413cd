// The Ferry console. Every value from the server is put on the page as text (textContent), never
// as markup, so a message body or header holding HTML stays inert.
"use strict";

const state = { csrf: null, filter: {}, current: null };
const FILTERS = ["endpoint", "messageType", "reason", "exceptionType", "after", "before"];

function $(id) { return document.getElementById(id); }

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

async function api(method, path, body) {
  const opts = { method, headers: { "Accept": "application/json" }, credentials: "same-origin" };
  if (method !== "GET") {
    opts.headers["Content-Type"] = "application/json";
    opts.headers["X-Ferry-Csrf"] = state.csrf || "";
    opts.body = JSON.stringify(body || {});
  }
  const res = await fetch("api" + path, opts);
  let data = {};
  try { data = await res.json(); } catch (e) { data = { error: res.statusText }; }
  if (!res.ok) {
    const err = new Error(data.error || ("HTTP " + res.status));
    err.status = res.status;
    throw err;
  }
  return data;
}

function notice(text, isError) {
  const n = $("notice");
  n.textContent = text;
  n.className = isError ? "error" : "";
  n.hidden = false;
}

function query(filter) {
  const p = new URLSearchParams();
  for (const k of FILTERS) if (filter[k]) p.set(k, filter[k]);
  const s = p.toString();
  return s ? "?" + s : "";
}

function readFilter() {
  const f = {};
  for (const k of FILTERS) {
    const v = $("f-" + k).value.trim();
    if (v) f[k] = v;
  }
  return f;
}

async function loadSession() {
  const s = await api("GET", "/session");
  state.csrf = s.csrfToken;
  $("service").textContent = s.service + " · " + s.operator;
  const list = $("drain-list");
  list.replaceChildren();
  for (const name of s.drains) {
    const li = el("li");
    const b = el("button", "Drain " + name);
    b.type = "button";
    b.className = "drain";
    b.dataset.entity = name;
    b.addEventListener("click", () => act(
      () => api("POST", "/drain", { entity: name }), r => "Moved " + r.moved + " from " + name));
    li.append(b);
    list.append(li);
  }
  $("drains").hidden = s.drains.length === 0;
}

async function loadGauges() {
  try {
    const g = await api("GET", "/gauges");
    const box = $("gauges");
    box.replaceChildren();
    const s = g.store, m = g.metrics;
    const items = [
      ["Outbox", s.outboxDepth, s.outboxDepth > 0],
      ["Oldest due", (s.oldestOutgoingAgeMillis / 1000).toFixed(1) + " s", s.oldestOutgoingAgeMillis > 60000],
      ["Scheduled", s.scheduled, false],
      ["Inbox", s.inboxDepth, false],
      ["Dead letters", s.deadLetters, s.deadLetters > 0],
      ["Handled", m.handled, false],
      ["Failures", m.failures, m.failures > 0],
      ["Retries", m.retries, false],
    ];
    const st = g.status;
    const open = st.destinations.filter((d) => d.circuitOpen);
    const holding = st.listeners.filter((l) => l.holding);
    items.push(
      ["Circuits open", open.length + " of " + st.destinations.length, open.length > 0],
      ["Listeners", st.listeners.length + (holding.length ? ", " + holding.length + " holding" : ""), holding.length > 0],
      ["Store", st.storeAnswers ? "answers" : "does not answer", !st.storeAnswers],
    );
    for (const [label, value, warn] of items) {
      box.append(el("span", label + ": " + value, "gauge" + (warn ? " warn" : "")));
    }
    for (const d of open) {
      box.append(el("span", "Circuit open: " + d.address + " (" + d.pending + " pending)", "gauge warn"));
    }
  } catch (e) {
    $("gauges").textContent = "Gauges unavailable: " + e.message;
  }
}

async function loadDeadLetters() {
  const q = query(state.filter);
  const [groups, list] = await Promise.all([api("GET", "/groups" + q), api("GET", "/dead-letters" + q)]);
  const gb = $("groups").tBodies[0];
  gb.replaceChildren();
  for (const g of groups.groups) {
    const tr = el("tr");
    tr.className = "group";
    tr.append(el("td", g.count), el("td", g.reason), el("td", g.exceptionType || "–"), el("td", g.sample || ""));
    const td = el("td");
    const r = el("button", "Replay group", "group-replay");
    const p = el("button", "Purge group", "group-purge danger");
    const groupFilter = Object.assign({}, state.filter, { reason: g.reason });
    if (g.exceptionType) groupFilter.exceptionType = g.exceptionType;
    r.addEventListener("click", () => act(
      () => api("POST", "/replay", { filter: groupFilter }), x => "Replayed " + x.replayed));
    p.addEventListener("click", () => {
      if (confirm("Purge " + g.count + " dead letter(s)? They cannot be brought back.")) {
        act(() => api("POST", "/purge", { filter: groupFilter }), x => "Purged " + x.purged);
      }
    });
    td.append(r, p);
    tr.append(td);
    gb.append(tr);
  }
  const lb = $("dead-letters").tBodies[0];
  lb.replaceChildren();
  for (const d of list.items) {
    const tr = el("tr", null, "clickable");
    tr.dataset.id = d.id;
    const sel = el("td");
    const box = el("input", null, "select");
    box.type = "checkbox";
    box.value = d.id;
    box.addEventListener("click", e => e.stopPropagation());
    sel.append(box);
    tr.append(sel, el("td", d.deadLetteredAt), el("td", d.endpoint), el("td", d.messageType),
      el("td", d.reason), el("td", d.exceptionType || "–"), el("td", d.attempts));
    tr.addEventListener("click", () => openDetail(d.id));
    lb.append(tr);
  }
  $("count").textContent = list.items.length + " shown";
}

function kv(table, entries) {
  const body = table.tBodies[0];
  body.replaceChildren();
  for (const [k, v] of entries) {
    const tr = el("tr");
    tr.append(el("th", k), el("td", v === null || v === undefined ? "–" : v));
    body.append(tr);
  }
}

async function openDetail(id) {
  try {
    const d = await api("GET", "/dead-letters/" + encodeURIComponent(id));
    state.current = d;
    $("d-id").textContent = d.id;
    kv($("d-failure"), [["Endpoint", d.endpoint], ["Reason", d.reason], ["Exception", d.exceptionType],
      ["Message", d.exceptionMessage], ["Attempts", d.attempts], ["First failed", d.firstFailedAt],
      ["Dead-lettered", d.deadLetteredAt]]);
    kv($("d-envelope"), Object.entries(d.envelope));
    kv($("d-headers"), Object.entries(d.headers));
    $("d-body").textContent = d.body;
    $("edit-body").value = d.bodyEncoding === "utf-8" ? d.body : "";
    $("edit-body").disabled = d.bodyEncoding !== "utf-8";
    $("d-stack").textContent = d.stackTrace || "–";
    $("d-message").hidden = true;
    $("notice").hidden = true;
    show("detail");
  } catch (e) {
    notice(e.message, true);
  }
}

function detailMessage(text, isError) {
  const m = $("d-message");
  m.textContent = text;
  m.className = isError ? "error" : "";
  m.hidden = false;
}

async function act(call, describe) {
  try {
    const r = await call();
    notice(describe(r), false);
  } catch (e) {
    notice(e.message, true);
  }
  await refresh();
}

// An action on the open dead letter; on success back to the list, on failure the message goes
// next to the edit box (for an edited replay) or to the notice at the top.
async function detailAct(call, describe, nextToEdit) {
  try {
    const r = await call();
    show("dead-letters");
    notice(describe(r), false);
    await refresh();
  } catch (e) {
    if (nextToEdit) {
      detailMessage(e.message, true);
    } else {
      notice(e.message, true);
      window.scrollTo(0, 0);
    }
  }
}

function selected() {
  return Array.from(document.querySelectorAll("#dead-letters input.select:checked")).map(b => b.value);
}

function show(view) {
  $("view-dead-letters").hidden = view !== "dead-letters";
  $("detail").hidden = view !== "detail";
  $("view-audit").hidden = view !== "audit";
  $("tab-dead-letters").classList.toggle("active", view !== "audit");
  $("tab-audit").classList.toggle("active", view === "audit");
}

async function loadAudit() {
  const a = await api("GET", "/audit");
  $("audit-location").textContent = "kept in " + a.location;
  const body = $("audit").tBodies[0];
  body.replaceChildren();
  for (const e of a.entries) {
    const tr = el("tr", null, "audit-row");
    tr.append(el("td", e.at), el("td", e.operator), el("td", e.action), el("td", e.target), el("td", e.result));
    body.append(tr);
  }
}

async function refresh() {
  await Promise.all([loadDeadLetters(), loadGauges(), loadAudit()]).catch(e => notice(e.message, true));
}

function wire() {
  $("filters").addEventListener("submit", e => {
    e.preventDefault();
    state.filter = readFilter();
    loadDeadLetters().catch(err => notice(err.message, true));
  });
  $("clear-filter").addEventListener("click", () => {
    for (const k of FILTERS) $("f-" + k).value = "";
    state.filter = {};
    loadDeadLetters().catch(err => notice(err.message, true));
  });
  $("select-all").addEventListener("click", () => {
    document.querySelectorAll("#dead-letters input.select").forEach(b => { b.checked = true; });
  });
  $("replay-selected").addEventListener("click", () => {
    const ids = selected();
    if (ids.length === 0) return notice("Select dead letters first", true);
    act(() => api("POST", "/replay", { ids }), r => "Replayed " + r.replayed);
  });
  $("purge-selected").addEventListener("click", () => {
    const ids = selected();
    if (ids.length === 0) return notice("Select dead letters first", true);
    if (confirm("Purge " + ids.length + " dead letter(s)? They cannot be brought back.")) {
      act(() => api("POST", "/purge", { ids }), r => "Purged " + r.purged);
    }
  });
  $("replay-one").addEventListener("click", () => detailAct(
    () => api("POST", "/dead-letters/" + encodeURIComponent(state.current.id) + "/replay", {}),
    () => "Replayed " + state.current.id));
  $("purge-one").addEventListener("click", () => {
    if (confirm("Purge this dead letter? It cannot be brought back.")) {
      detailAct(() => api("POST", "/dead-letters/" + encodeURIComponent(state.current.id) + "/purge", {}),
        () => "Purged " + state.current.id);
    }
  });
  $("replay-edited").addEventListener("click", () => detailAct(
    () => api("POST", "/dead-letters/" + encodeURIComponent(state.current.id) + "/replay",
      { body: $("edit-body").value }),
    () => "Replayed " + state.current.id + " with the edited body", true));
  $("close-detail").addEventListener("click", () => show("dead-letters"));
  $("tab-dead-letters").addEventListener("click", () => show("dead-letters"));
  $("tab-audit").addEventListener("click", () => { show("audit"); loadAudit().catch(e => notice(e.message, true)); });
}

async function start() {
  wire();
  try {
    await loadSession();
  } catch (e) {
    notice(e.status === 401
      ? "Not signed in: open the console through the link the process printed."
      : e.message, true);
    return;
  }
  await refresh();
  setInterval(loadGauges, 2000);
}

document.addEventListener("DOMContentLoaded", start);
