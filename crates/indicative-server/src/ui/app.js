// The capture inspector: plain JavaScript over the admin API (/_contract/).
// The list is paged (100 requests at a time, newest first) and kept live by
// the `wait` long-poll: the server never sends the whole capture at once.
"use strict";

const API = "/_contract";
const PAGE = 100;
const FILTERS = ["verdict", "kind", "eventName", "code", "status", "q"];

const state = { rows: new Map(), newest: 0, older: null, selected: null, generation: 0 };
const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === "class") node.className = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value);
  }
  for (const child of children) node.append(child instanceof Node ? child : String(child));
  return node;
}

// The filters live in the page's URL, so that a filtered view can be shared.
function filtersFromUrl() {
  const params = new URLSearchParams(location.search);
  const form = $("filters");
  for (const name of FILTERS) form.elements[name].value = params.get(name) || "";
  const seq = params.get("seq");
  state.selected = seq ? Number(seq) : null;
}

function filterQuery() {
  const form = $("filters");
  const params = new URLSearchParams();
  for (const name of FILTERS) {
    const value = form.elements[name].value.trim();
    if (value) params.set(name, value);
  }
  return params;
}

function writeUrl() {
  const params = filterQuery();
  if (state.selected != null) params.set("seq", state.selected);
  const query = params.toString();
  history.replaceState(null, "", query ? `?${query}` : location.pathname);
}

// With --admin-token, the admin API wants `Authorization: Bearer <token>`:
// the page asks for it when refused, keeps it for this tab only
// (sessionStorage), and sends it with every request.
const TOKEN = "indicative-serve-admin-token";
// What a header can carry, and a token is: printable ASCII, no space.
const TOKEN_TEXT = /^[\x21-\x7e]+$/;
let asking = null;

function storedToken() {
  const token = sessionStorage.getItem(TOKEN);
  return token != null && TOKEN_TEXT.test(token) ? token : null;
}

function withToken(init, token) {
  const headers = new Headers(init.headers || {});
  if (token) headers.set("Authorization", `Bearer ${token}`);
  return { ...init, headers };
}

// Asks for the token once, however many requests were refused meanwhile.
// Closed without one (Escape), the dialog settles all the same: the next
// refusal asks again.
function askToken() {
  if (!asking) {
    asking = new Promise((resolve) => {
      const dialog = $("token-dialog");
      const form = dialog.querySelector("form");
      const field = form.elements.token;
      $("token-refused").hidden = storedToken() == null;
      field.setCustomValidity("");
      const given = (event) => {
        event.preventDefault();
        const value = field.value.trim();
        if (!TOKEN_TEXT.test(value)) {
          field.setCustomValidity("A token is printable ASCII, without spaces.");
          field.reportValidity();
          return;
        }
        sessionStorage.setItem(TOKEN, value);
        field.value = "";
        dialog.close();
      };
      const closed = () => {
        form.removeEventListener("submit", given);
        dialog.removeEventListener("close", closed);
        asking = null;
        resolve();
      };
      form.addEventListener("submit", given);
      dialog.addEventListener("close", closed);
      dialog.showModal();
    });
  }
  return asking;
}

// fetch, with the token; a refusal asks for it (unless the token changed
// while this request was on its way), then tries again.
async function api(path, init = {}) {
  for (;;) {
    const token = storedToken();
    const response = await fetch(path, withToken(init, token));
    if (response.status !== 401) return response;
    if (storedToken() === token) await askToken();
  }
}

// A download, when a token is needed: fetched with it, then saved.
async function download(event) {
  if (storedToken() == null) return;
  event.preventDefault();
  const link = event.currentTarget;
  const status = $("download-status");
  status.textContent = "";
  try {
    const response = await api(link.getAttribute("href"));
    if (!response.ok) throw new Error(`the export answered ${response.status}`);
    const url = URL.createObjectURL(await response.blob());
    const save = el("a", { href: url, download: link.getAttribute("download"), hidden: "" });
    document.body.append(save);
    save.click();
    save.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  } catch (error) {
    status.textContent = `The download failed: ${error.message}`;
  }
}

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function getJson(path) {
  const response = await api(path, { headers: { Accept: "application/json" } });
  const body = await response.json().catch(() => ({}));
  return { status: response.status, body };
}

function eventNames(record) {
  const names = [...new Set(record.events.map((e) => e.eventName).filter((n) => n != null).map((n) => n || '""'))];
  return names.length > 3 ? `${names.slice(0, 3).join(", ")} +${names.length - 3}` : names.join(", ");
}

function verdictBadge(verdict) {
  return el("span", { class: `verdict ${verdict}` }, verdict);
}

function rowFor(record) {
  const time = record.time.slice(11, 23);
  const open = el("button", { class: "row-button", type: "button", "aria-label": `Open request ${record.seq}` }, record.seq);
  const tr = el(
    "tr",
    { "data-seq": record.seq, "aria-selected": String(record.seq === state.selected) },
    el("td", {}, open),
    el("td", {}, time),
    el("td", { class: "target" }, `${record.method} ${record.target}`),
    el("td", {}, record.kind || "unknown"),
    el("td", {}, eventNames(record)),
    el("td", {}, record.status),
    el("td", {}, verdictBadge(record.verdict)),
    el("td", {}, record.findings.length),
  );
  tr.addEventListener("click", () => select(record.seq));
  return tr;
}

function render() {
  const body = $("requests").tBodies[0];
  const seqs = [...state.rows.keys()].sort((a, b) => b - a);
  body.replaceChildren(...seqs.map((seq) => rowFor(state.rows.get(seq))));
  $("empty").hidden = seqs.length > 0;
  $("older").hidden = state.older == null;
  $("count").textContent = seqs.length ? `(showing ${seqs.length})` : "";
}

async function loadFirstPage() {
  const generation = ++state.generation;
  const params = filterQuery();
  params.set("order", "desc");
  params.set("limit", PAGE);
  // The summary first: a request captured between the two answers is then
  // in the page, and `live` asks for it again, rather than lost.
  const summary = await getJson(`${API}/summary`);
  const { status, body } = await getJson(`${API}/events?${params}`);
  if (generation !== state.generation) return;
  state.rows.clear();
  if (status === 200) {
    for (const item of body.requests) state.rows.set(item.seq, item);
    state.older = body.next ?? null;
  } else {
    $("live").textContent = body.error || `the capture answered ${status}`;
  }
  state.newest = summary.body.lastSeq || 0;
  render();
  loadSummary(summary.body);
}

async function loadOlder() {
  if (state.older == null) return;
  const params = filterQuery();
  params.set("order", "desc");
  params.set("limit", PAGE);
  params.set("before", state.older);
  const { status, body } = await getJson(`${API}/events?${params}`);
  if (status !== 200) return;
  for (const item of body.requests) state.rows.set(item.seq, item);
  state.older = body.next ?? null;
  render();
}

function topCounts(counts, n) {
  return Object.entries(counts || {}).sort((a, b) => b[1] - a[1]).slice(0, n);
}

function loadSummary(summary) {
  const totals = $("totals");
  const entry = (label, value, cls) =>
    el("div", { class: cls || "" }, el("dt", {}, label), el("dd", {}, value));
  const by = summary.byVerdict || {};
  totals.replaceChildren(
    entry("requests", summary.requests ?? 0),
    entry("good", by.good || 0, "good"),
    entry("warned", by.warned || 0, "warned"),
    entry("bad", by.bad || 0, "bad"),
    entry("dropped", summary.droppedRequests || 0),
  );
  $("top-codes").replaceChildren(...topCounts(summary.byCode, 5).map(([code, n]) => el("li", {}, `${code} (${n})`)));
  $("top-events").replaceChildren(...topCounts(summary.byEventName, 5).map(([name, n]) => el("li", {}, `${name} (${n})`)));
  const unseen = summary.plannedNotSeen;
  $("unseen-box").hidden = !Array.isArray(unseen);
  if (Array.isArray(unseen)) $("unseen").replaceChildren(...unseen.map((name) => el("li", {}, name)));
}

// Live: long-poll `wait` for anything new, then merge the newest page.
async function live() {
  for (;;) {
    const generation = state.generation;
    try {
      const params = new URLSearchParams({ since: state.newest, count: 1, timeout: 25000, limit: 1 });
      $("live").textContent = "live: new requests appear as they arrive";
      const response = await api(`${API}/wait?${params}`);
      await response.json().catch(() => ({}));
      if (response.status !== 200) {
        $("live").textContent = `the capture answered ${response.status}; retrying…`;
        await pause(1000);
        continue;
      }
      if (generation !== state.generation) continue;
      const filtered = filterQuery();
      filtered.set("order", "desc");
      filtered.set("limit", PAGE);
      filtered.set("since", state.newest);
      // The summary first, as in loadFirstPage: what is captured between
      // the two answers is asked for again, never skipped.
      const summary = await getJson(`${API}/summary`);
      const { status, body } = await getJson(`${API}/events?${filtered}`);
      if (generation !== state.generation) continue;
      const last = summary.body.lastSeq;
      if (summary.status !== 200 || status !== 200 || typeof last !== "number") {
        $("live").textContent = "the capture did not answer; retrying…";
        await pause(1000);
        continue;
      }
      // More than a page came in (the list shows the newest page, and
      // "Load older" goes on from there), or the server started again
      // (its numbers start again): the list is read afresh.
      if (body.next != null || last < state.newest) {
        await loadFirstPage();
        continue;
      }
      for (const item of body.requests || []) state.rows.set(item.seq, item);
      state.newest = Math.max(state.newest, last);
      render();
      loadSummary(summary.body);
    } catch (error) {
      $("live").textContent = "the server is not answering; retrying…";
      await pause(1000);
    }
  }
}

// UTF-8 byte offsets (the server's spans) to string indices.
function byteToIndex(text) {
  const map = new Map();
  let bytes = 0;
  for (let i = 0; i < text.length; ) {
    map.set(bytes, i);
    const code = text.codePointAt(i);
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    i += code > 0xffff ? 2 : 1;
  }
  map.set(bytes, text.length);
  return (offset) => {
    while (offset > 0 && !map.has(offset)) offset--;
    return map.get(offset) ?? 0;
  };
}

// Pretty-prints JSON text as it was sent (duplicate members, number
// spellings and escapes kept), keeping where each input index lands.
function pretty(text) {
  let out = "";
  const at = new Array(text.length + 1);
  let depth = 0;
  let inString = false;
  const newline = () => { out += "\n" + "  ".repeat(Math.max(depth, 0)); };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      at[i] = out.length;
      out += c;
      if (c === "\\" && i + 1 < text.length) { at[i + 1] = out.length; out += text[++i]; }
      else if (c === '"') inString = false;
      continue;
    }
    if (c === " " || c === "\n" || c === "\r" || c === "\t") { at[i] = out.length; continue; }
    if (c === "}" || c === "]") { depth--; newline(); }
    at[i] = out.length;
    out += c;
    if (c === '"') inString = true;
    else if (c === "{" || c === "[") { depth++; newline(); }
    else if (c === ",") newline();
    else if (c === ":") out += " ";
  }
  at[text.length] = out.length;
  return { out, at };
}

function highlighted(text, findings, isJson) {
  const toIndex = byteToIndex(text);
  const shown = isJson ? pretty(text) : { out: text, at: [...Array(text.length + 1).keys()] };
  const ranges = findings
    .map((f, n) => ({ n, start: shown.at[toIndex(f.start)] ?? 0, end: shown.at[toIndex(f.end)] ?? 0 }))
    .filter((r) => r.end > r.start)
    .sort((a, b) => a.start - b.start);
  const pre = el("pre", { class: "body", tabindex: "0", "aria-label": "The body, findings highlighted" });
  let pos = 0;
  for (const range of ranges) {
    if (range.start < pos) continue;
    pre.append(shown.out.slice(pos, range.start));
    pre.append(el("mark", { class: "finding", id: `finding-${range.n}`, title: findings[range.n].code }, shown.out.slice(range.start, range.end)));
    pos = range.end;
  }
  pre.append(shown.out.slice(pos));
  return pre;
}

async function select(seq) {
  state.selected = seq;
  writeUrl();
  for (const tr of $("requests").tBodies[0].rows) tr.setAttribute("aria-selected", String(Number(tr.dataset.seq) === seq));
  const { status, body: record } = await getJson(`${API}/events/${seq}`);
  const detail = $("detail");
  const content = $("detail-body");
  detail.hidden = false;
  if (status !== 200) {
    content.replaceChildren(el("p", {}, record.error || `request ${seq} is not held`));
    return;
  }
  $("detail-title").textContent = `Request ${record.seq}`;
  const findings = el("ol", { class: "findings" }, ...record.findings.map((f, n) =>
    el("li", {},
      el("span", { class: `code sev-${f.severity}` }, f.code), " ",
      el("span", {}, `${f.severity}, status ${f.status}${f.plan ? " (tracking plan)" : ""}, at ${f.pointer || "the request"}`), el("br"),
      el("a", { href: `#finding-${n}` }, f.message),
      f.help ? el("div", {}, `help: ${f.help}`) : "",
      el("div", {}, el("a", { href: `${API}/rules/${f.code}`, target: "_blank", rel: "noopener" }, `about ${f.code}`)),
    )));
  const query = record.kind === "event-query";
  const source = query ? record.target : record.body;
  const isJson = !query && source != null && /^\s*[{[]/.test(source);
  const events = record.events.length > 1
    ? el("table", {},
        el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "item"), el("th", { scope: "col" }, "event"), el("th", { scope: "col" }, "verdict"), el("th", { scope: "col" }, "findings"))),
        el("tbody", {}, ...record.events.map((e, i) => el("tr", {},
          el("td", {}, e.index ?? i), el("td", {}, e.eventName ?? ""), el("td", {}, verdictBadge(e.verdict)), el("td", {}, e.codes.join(", ") || "none")))))
    : "";
  content.replaceChildren(
    el("p", {}, el("span", { class: "target" }, `${record.method} ${record.target}`)),
    el("p", {}, `${record.time} · ${record.kind || "unknown kind"} · answered ${record.status} (predicted ${record.predicted}) · `, verdictBadge(record.verdict)),
    el("h3", {}, `Findings (${record.findings.length})`),
    record.findings.length ? findings : el("p", {}, "None."),
    events ? el("h3", {}, "Batch items") : "", events,
    el("h3", {}, query ? "Query" : "Body"),
    source != null ? highlighted(source, record.findings, isJson) : el("p", {}, "The body is not UTF-8 (see the HAR export)."),
    el("h3", {}, "Headers"),
    el("table", {}, el("tbody", {}, ...record.headers.map((h) => el("tr", {}, el("th", { scope: "row" }, h.name), el("td", { class: "target" }, h.value))))),
  );
  detail.focus();
}

function onFilterChange() {
  writeUrl();
  loadFirstPage();
}

function init() {
  filtersFromUrl();
  const form = $("filters");
  let timer = null;
  const changed = () => { clearTimeout(timer); timer = setTimeout(onFilterChange, 250); };
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", (event) => { event.preventDefault(); onFilterChange(); });
  $("clear-filters").addEventListener("click", () => { form.reset(); for (const name of FILTERS) form.elements[name].value = ""; onFilterChange(); });
  $("older").addEventListener("click", loadOlder);
  $("download-har").addEventListener("click", download);
  const field = $("token-dialog").querySelector("input[name=token]");
  field.addEventListener("input", () => field.setCustomValidity(""));
  $("download-ndjson").addEventListener("click", download);
  $("reset").addEventListener("click", () => $("confirm-reset").showModal());
  $("confirm-reset").addEventListener("close", async () => {
    if ($("confirm-reset").returnValue !== "reset") return;
    await api(`${API}/reset`, { method: "POST" });
    state.selected = null;
    $("detail").hidden = true;
    writeUrl();
    await loadFirstPage();
  });
  loadFirstPage().then(() => { if (state.selected != null) select(state.selected); });
  live();
}

document.addEventListener("DOMContentLoaded", init);
