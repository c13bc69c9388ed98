// hps dashboard: polls the server's JSON every second and draws it. Every value from a study is shown
// with textContent (never innerHTML), so a parameter value or file name holding markup stays text.
"use strict";

const POLL_MS = 1000;
// Finished curves: the Tableau colours without its oranges; running curves (dashed): oranges and reds, each its own.
const COLORS = ["#1f77b4", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79"];
const RUNNING_COLORS = ["#e65100", "#d62728", "#ff9800", "#8d2c00", "#f06292", "#c0a000"];
// Increments for axes that count whole things (epochs, settings): 1, 2, 5, 10, ... never 1.5.
const WHOLE = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000, 200000, 500000];
const STATUS_COLORS = { complete: "#2e7d32", stopped: "#f9a825", diverged: "#c62828", failed: "#6a1b9a",
  running: "#e65100" };
const params = new URLSearchParams(location.search);
const study = params.get("study");
let inFlight = 0;
let lastVersion = -1;
let lastRoute = null;
let summary = null;
let tableState = { sort: "id", desc: false, filter: "" };
// The settings table as last received: after a change, the server sends only the rows that differ.
let pageTable = { version: -1, byId: new Map() };
let xAxis = "epoch";
const plots = [];
window.hpsPlots = plots;
// Errors the page hit (a chart that could not draw, say), for the browser tests; the console shows them too.
window.hpsErrors = [];
window.addEventListener("error", e => window.hpsErrors.push(String(e.message)));

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "text") e.textContent = v;
    else if (k === "class") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.substring(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c != null) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}

function api(path, extra) {
  const q = new URLSearchParams(extra || {});
  if (study !== null) q.set("study", study);
  const qs = q.toString();
  return path + (qs ? "?" + qs : "");
}

async function get(path, extra, text) {
  inFlight++;
  document.getElementById("loading").hidden = false;
  try {
    const r = await fetch(api(path, extra), { cache: "no-store" });
    if (!r.ok) throw new Error(path + ": " + r.status + " " + (await r.text()));
    return text ? await r.text() : await r.json();
  } finally {
    if (--inFlight === 0) document.getElementById("loading").hidden = true;
  }
}

function fmt(v, digits) {
  if (v === null || v === undefined || v === "") return "";
  if (typeof v === "number") {
    if (Number.isInteger(v)) return String(v);
    const a = Math.abs(v);
    return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(digits || 3) : v.toFixed(digits || 4);
  }
  return String(v);
}

function paramText(p) {
  return Object.entries(p || {}).filter(([k]) => k !== "model").map(([k, v]) => k + "=" + fmt(v)).join(" ");
}

function route() {
  const m = location.hash.match(/^#setting\/(.+)$/);
  return m ? { setting: decodeURIComponent(m[1]) } : { overview: true };
}

function clearPlots() {
  while (plots.length) plots.pop().destroy();
}

// ---------- study list (hps dashboard --root) ----------

async function showStudies() {
  const data = await get("/api/studies");
  const main = document.getElementById("main");
  document.getElementById("title").textContent = "studies under " + data.root;
  document.getElementById("phase").textContent = data.studies.length + " studies";
  const rows = data.studies.map(s => el("tr", {},
    el("td", {}, el("a", { href: "?study=" + encodeURIComponent(s.study), text: s.study })),
    el("td", { text: s.master }), el("td", { text: s.strategy || "" }),
    el("td", { class: "num", text: s.counts.complete }), el("td", { class: "num", text: s.counts.running }),
    el("td", { class: "num", text: s.counts.pending }),
    el("td", { class: "num", text: s.best ? fmt(s.best.valError) : "" })));
  main.replaceChildren(el("section", {}, el("h2", { text: "Studies" }),
    data.studies.length === 0 ? el("p", { class: "muted", text: "no study.json found up to 3 levels down" }) :
      el("table", { id: "studies" }, el("tr", {}, ...["study", "master", "strategy", "complete", "running",
        "pending", "best valError"].map(h => el("th", { text: h }))), ...rows)));
}

// ---------- one study ----------

async function poll() {
  try {
    if (study === null && window.hpsMany) { await showStudies(); return; }
    summary = await get("/api/summary");
    document.getElementById("updated").textContent = "updated " + new Date().toLocaleTimeString();
    const r = route();
    const key = JSON.stringify(r);
    if (summary.version !== lastVersion || key !== lastRoute) {
      lastVersion = summary.version;
      lastRoute = key;
      if (r.setting) await showSetting(r.setting); else await showOverview();
    }
  } catch (e) {
    document.getElementById("updated").textContent = "error: " + e.message;
  }
}

// The page's settings rows: the rows that changed since the table we have, merged into it (all of them the
// first time, or when the server no longer knows our version).
async function settingsRows() {
  let d = await get("/api/settings", { since: pageTable.version });
  let byId = d.since === null ? new Map() : pageTable.byId;
  d.rows.forEach(r => byId.set(r.id, r));
  if (d.ids.some(id => !byId.has(id))) { // never expected: ask for the whole table
    d = await get("/api/settings", { since: -1 });
    byId = new Map(d.rows.map(r => [r.id, r]));
  }
  const rows = d.ids.map(id => byId.get(id));
  pageTable = { version: d.version, byId: new Map(rows.map(r => [r.id, r])) };
  window.hpsRowsReceived = (window.hpsRowsReceived || 0) + d.rows.length;
  return rows;
}

function header() {
  document.getElementById("title").textContent = summary.study + " \u2014 " + (summary.strategy || "?")
    + (summary.stop ? " + " + summary.stop + " stopping" : "") + (summary.checkpoints ? ", checkpoints" : "");
  const silent = summary.master === "running" && summary.masterAgeSeconds > 15;
  document.getElementById("phase").textContent = summary.master
    + (silent ? " (no heartbeat for " + summary.masterAgeSeconds + " s: master stopped?)" : "");
}

function silentNote(c) {
  // Workers touch their claim every lease/6 seconds; one unchanged for a third of the lease is suspicious.
  return c.silentSeconds !== undefined && summary && c.silentSeconds > (summary.leaseSeconds || 120) / 3
    ? " \u2014 claim unchanged for " + c.silentSeconds + " s (worker gone? the lease expires after "
      + (summary.leaseSeconds || 120) + " s)" : "";
}

function countsSection() {
  const c = summary.counts;
  const names = ["proposed", "pending", "running", "complete", "stopped", "diverged", "failed", "quarantined"];
  const box = el("div", { class: "counts", id: "counts" }, ...names.map(n =>
    el("span", {}, el("b", { "data-count": n, text: c[n] }), " " + n)));
  const best = summary.best ? el("p", { id: "best" }, "best: ", el("a", { href: "#setting/" + encodeURIComponent(summary.best.id),
    text: summary.best.id }), " valError " + fmt(summary.best.valError) + "  " + paramText(summary.best.params))
    : el("p", { id: "best", class: "muted", text: summary.ownGoals ? "the study's objectives and constraints decide"
      + " what is best: see Objectives below" : "no result yet" });
  return el("section", {}, el("h2", { text: "State" }), box, best);
}

async function showOverview() {
  header();
  const [rows, curves, best, timeline, quarantine, slurm, tradeoffs] = await Promise.all([
    settingsRows(), get("/api/curves", { best: 10 }), get("/api/best"), get("/api/timeline"),
    get("/api/quarantine"), get("/api/slurm"), get("/api/tradeoffs")]);
  clearPlots();
  const main = document.getElementById("main");
  const scroll = window.scrollY;
  main.replaceChildren(...[
    countsSection(),
    curvesSection(curves, "Learning curves: running settings (dashed) and the 10 best finished"),
    bestSection(best),
    tradeoffsSection(tradeoffs),
    importanceSection(tradeoffs),
    scatterSection(rows),
    parallelSection(rows),
    timelineSection(timeline),
    quarantineSection(quarantine),
    slurmSection(slurm),
    problemsSection(),
    tableSection(rows)].filter(section => section));
  drawPending();
  window.scrollTo(0, scroll);
  // For measurements: when the first full overview was drawn, in ms since navigation started.
  if (window.hpsFirstView === undefined) window.hpsFirstView = performance.now();
  window.hpsRenders = (window.hpsRenders || 0) + 1;
}

const pendingDraws = [];
function later(fn) { pendingDraws.push(fn); }
function drawPending() { while (pendingDraws.length) pendingDraws.shift()(); }

function chart(title, opts, data, width) {
  const box = el("div", { class: "chart" }, el("h3", { text: title }));
  later(() => {
    const o = Object.assign({ width: width || 420, height: 240 }, opts);
    const plot = new uPlot(o, data, box);
    plot.hpsTitle = title; // for the browser tests, which read each chart's axes and scales
    plots.push(plot);
  });
  return box;
}

function curvesSection(curves, title) {
  const running = curves.filter(c => c.running);
  const list = el("ul", { id: "running" }, ...running.map(c => el("li", { "data-id": c.id, "data-epochs": c.epochs.length },
    el("a", { href: "#setting/" + encodeURIComponent(c.id), text: c.id }),
    " on " + c.worker + ": " + (c.epochs.length ? c.epochs.length + " epoch" + (c.epochs.length > 1 ? "s" : "")
      + ", valError " + fmt(c.epochs[c.epochs.length - 1].valError) : "no epoch finished yet") + silentNote(c))));
  curves = curves.filter(c => c.epochs.length);
  const select = el("select", { id: "xaxis", onchange: e => { xAxis = e.target.value; lastVersion = -1; poll(); } },
    ...[["epoch", "against epochs"], ["seconds", "against seconds since the setting started"],
      ["trainSeconds", "against training seconds"]].map(([v, t]) => {
      const o = el("option", { value: v, text: t });
      if (v === xAxis) o.selected = true;
      return o;
    }));
  const charts = el("div", { class: "charts" });
  if (curves.length === 0) charts.append(el("p", { class: "muted", text: "no epoch finished yet" }));
  else for (const [field, name] of [["valError", "validation error"], ["valLoss", "validation loss"],
    ["trainLoss", "training loss"]]) charts.append(curveChart(curves, field, name));
  return el("section", { id: "curves" }, el("h2", { text: title }), select,
    running.length ? el("p", {}, "running: ", list) : curves.some(c => !c.running) && title.startsWith("Learning curves of")
      ? null : el("p", { class: "muted", text: "nothing running" }), charts);
}

function curveChart(curves, field, name) {
  // One x array for all series (uPlot's aligned data): the union of the x values, nulls where a curve has none.
  const xs = [...new Set(curves.flatMap(c => c.epochs.map(e => e[xAxis]).filter(v => v !== null)))].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  const data = [xs];
  const series = [{ label: xAxis }];
  let finished = 0, running = 0;
  curves.forEach(c => {
    const ys = new Array(xs.length).fill(null);
    for (const e of c.epochs) if (e[xAxis] !== null && index.has(e[xAxis])) ys[index.get(e[xAxis])] = e[field];
    data.push(ys);
    const stroke = c.running ? RUNNING_COLORS[running++ % RUNNING_COLORS.length] : COLORS[finished++ % COLORS.length];
    series.push({ label: c.id + (c.running ? " (running)" : ""), stroke, dash: c.running ? [6, 4] : undefined,
      width: c.running ? 2 : 1.5, spanGaps: true, points: { show: xs.length < 60 } });
  });
  const log = field !== "valError" && curves.some(c => c.epochs.some(e => e[field] > 0))
    && !curves.some(c => c.epochs.some(e => e[field] !== null && e[field] <= 0));
  const x = { label: xAxis === "epoch" ? "epoch" : xAxis === "seconds" ? "seconds (wall, from the claim)" : "training seconds" };
  if (xAxis === "epoch") x.incrs = WHOLE;
  return chart(name, { series, scales: { x: { time: false }, y: log ? { distr: 3 } : {} },
    axes: [x, log ? { label: name + " (log)", space: 15 } : { label: name, values: tickLabels, size: labelsWidth }],
    legend: { show: curves.length <= 12, live: curves.length <= 3 } }, data);
}

/**
 * Labels for a linear axis with as many decimals as its ticks need to differ: uPlot's own labelled the ticks of
 * curves between 0.0559 and 0.0562 "0.056" four times.
 */
function tickLabels(u, splits) {
  const step = splits.length > 1 ? Math.abs(splits[1] - splits[0]) : 0;
  let d = 0;
  while (d < 12 && splits.some(v => Math.abs(Number(v.toFixed(d)) - v) > step * 1e-3)) d++;
  return splits.map(v => v.toFixed(d));
}

/** An axis wide enough for its longest label and its title beside them (uPlot's default is a fixed 50 px). */
function labelsWidth(u, values) {
  return 32 + 7 * Math.max(3, ...(values || []).map(v => String(v).length));
}

function bestSection(best) {
  if (best.evaluated.length === 0) return el("section", {}, el("h2", { text: "Best so far" }), el("p", { class: "muted", text: "no result yet" }));
  const s = [{ label: "best valError", stroke: "#1f77b4", width: 2, paths: uPlot.paths.stepped({ align: 1 }) },
    { label: "each result", stroke: "transparent", points: { show: true, size: 4, fill: "#999" } }];
  // A log axis, as in hps plot: on a linear one 0.012 and 0.02 look alike next to a first result of 0.6.
  const log = best.valError.every(v => v === null || v > 0);
  const y = log ? { distr: 3 } : {};
  // space: 15 px between labels lets a log axis label 2 and 5 between its powers of ten, not only 0.1 and 1.
  const yAxis = log ? { label: "valError (log)", space: 15 } : { label: "valError" };
  const evaluated = best.evaluated[best.evaluated.length - 1];
  return el("section", { id: "bestsofar" }, el("h2", { text: "Best validation error so far" }),
    evaluated > best.evaluated.length ? el("p", { class: "muted", text: "of the " + evaluated + " results, "
      + best.evaluated.length + " are drawn: every one that improved the best, and an even sample of the others" }) : null,
    el("div", { class: "charts" },
    chart("against settings evaluated", { series: [{ label: "evaluated" }, ...s], scales: { x: { time: false }, y },
      axes: [{ label: "settings evaluated", incrs: WHOLE }, yAxis] }, [best.evaluated, best.best, best.valError]),
    chart("against time", { series: [{ label: "seconds" }, ...s], scales: { x: { time: false }, y },
      axes: [{ label: "seconds since the study was created" }, yAxis] }, [best.seconds, best.best, best.valError])));
}

let tradeoffAxes = [0, 1];
// Scaled to [0, 1] with reference point 1.1, a hypervolume lies in [0, 1.1^m]: the axis shows that, not 0 to 100.
const HYPERVOLUME = (u, lo, hi) => [0, Math.max(1.25, hi === null ? 0 : hi * 1.05)];

/** Two objectives against each other: every finished setting, the infeasible ones apart, the Pareto front joined. */
function tradeoffsSection(t) {
  if (!t || !t.objectives || t.objectives.length === 0) return null;
  const names = t.objectives;
  const section = el("section", { id: "tradeoffs" }, el("h2", { text: "Objectives: " + names.join(", ")
    + (t.constraints.length ? "; subject to " + t.constraints.join(", ") + " (" + t.infeasible + " results break one)" : "") }));
  if (t.unreported.length) section.append(el("p", { class: "problem", text: "no result reports " + t.unreported.join(", ")
    + ": check the metric names" }));
  const onFront = new Set(t.front);
  const links = t.front.length === 0
    ? el("p", { id: "front", class: "muted", text: "no front yet: no feasible result with every objective" })
    : el("p", { id: "front" }, (names.length > 1 ? "Pareto front" : "best") + " (" + t.front.length + "): ",
      ...t.front.flatMap((id, i) => [i ? " \u00b7 " : "", el("a", { href: "#setting/" + encodeURIComponent(id), text: id })]));
  section.append(links);
  if (names.length < 2) return section;
  const axisSelect = (k) => el("select", { id: "objective" + k, onchange: e => { tradeoffAxes[k] = Number(e.target.value);
    lastVersion = -1; poll(); } }, ...names.map((n, i) => { const o = el("option", { value: i, text: n });
    if (i === tradeoffAxes[k]) o.selected = true; return o; }));
  if (names.length > 2) section.append(el("p", {}, "x: ", axisSelect(0), " y: ", axisSelect(1)));
  const [a, b] = tradeoffAxes;
  const pts = t.points.map(p => ({ x: p.values[a], y: p.values[b], feasible: p.feasible, front: onFront.has(p.id) }));
  const xs = [...new Set(pts.map(p => p.x))].sort((u, v) => u - v);
  const index = new Map(xs.map((x, i) => [x, i]));
  const column = (keep) => { const ys = new Array(xs.length).fill(null);
    for (const p of pts) if (keep(p)) ys[index.get(p.x)] = ys[index.get(p.x)] === null ? p.y : Math.min(ys[index.get(p.x)], p.y);
    return ys; };
  // The stroke gives the legend its swatch; no line is drawn between the points.
  const dot = (color) => ({ stroke: color, paths: () => null, points: { show: true, size: 6, fill: color } });
  // A front sits near the smallest values: a log axis spreads it out once the values span a decade.
  const logOf = (vals) => vals.length > 0 && vals.every(v => v > 0) && Math.max(...vals) / Math.min(...vals) > 10;
  const xLog = logOf(xs), yLog = logOf(pts.map(p => p.y));
  const charts = el("div", { class: "charts" },
    chart(names[b] + " against " + names[a], { series: [{ label: names[a] },
      Object.assign({ label: "feasible" }, dot("#90a4ae")), Object.assign({ label: "infeasible" }, dot("#8e24aa")),
      { label: "Pareto front", stroke: "#e65100", width: 2, spanGaps: true, points: { show: true, size: 8, fill: "#e65100" },
        paths: uPlot.paths.stepped({ align: 1 }) }],
      scales: { x: { time: false, distr: xLog ? 3 : 1, range: padded(xLog) }, y: yLog ? { distr: 3 } : {} },
      axes: [{ label: names[a] + (xLog ? " (log)" : "") }, { label: names[b] + (yLog ? " (log)" : "") }] },
      [xs, column(p => p.feasible && !p.front), column(p => !p.feasible), column(p => p.front)], 520));
  if (t.hypervolume && t.hypervolume.evaluated.length) charts.append(chart("hypervolume of the front (objectives"
    + " scaled to [0, 1] over all results, reference 1.1)",
    { series: [{ label: "evaluated" }, { label: "hypervolume", stroke: "#1f77b4", width: 2,
      paths: uPlot.paths.stepped({ align: 1 }) }], scales: { x: { time: false }, y: { range: HYPERVOLUME } },
      axes: [{ label: "settings evaluated", incrs: WHOLE }, { label: "hypervolume" }] },
    [t.hypervolume.evaluated, t.hypervolume.volume]));
  if (t.hypervolume && t.hypervolume.seconds.length) charts.append(chart("hypervolume against time",
    { series: [{ label: "seconds" }, { label: "hypervolume", stroke: "#1f77b4", width: 2,
      paths: uPlot.paths.stepped({ align: 1 }) }], scales: { x: { time: false }, y: { range: HYPERVOLUME } },
      axes: [{ label: "seconds since the study was created" }, { label: "hypervolume" }] },
    [t.hypervolume.seconds, t.hypervolume.volume]));
  section.append(charts);
  return section;
}

/** Each objective's parameter importance (PED-ANOVA) as bars. */
function importanceSection(t) {
  const objectives = t && t.importance ? Object.keys(t.importance) : [];
  if (!objectives.length) return null;
  const box = el("div", { class: "charts" });
  for (const o of objectives) {
    const shares = t.importance[o];
    box.append(el("div", { class: "importance", "data-objective": o }, el("h3", { text: o }),
      ...Object.keys(shares).map(name => el("div", { class: "bar-row" }, el("bdi", { class: "bar-name", text: name }),
        el("span", { class: "bar", style: "width:" + Math.round(240 * shares[name]) + "px" }),
        el("span", { class: "bar-value", text: fmt(shares[name], 2) })))));
  }
  return el("section", { id: "importance" }, el("h2", { text: "Which parameters matter (PED-ANOVA: how differently"
    + " the best 10% of results set each one; shares sum to 1)" }), box);
}

/** An x range with a margin, so points at a parameter's smallest or largest value sit off the axes. */
function padded(log) {
  return (u, lo, hi) => {
    if (lo === null || hi === null) return [lo, hi];
    if (lo === hi) return log ? [lo / 2, hi * 2] : [lo - 1, hi + 1];
    if (log && lo > 0) { const f = Math.pow(hi / lo, 0.05); return [oneDigit(lo / f, Math.floor), oneDigit(hi * f, Math.ceil)]; }
    const d = (hi - lo) * 0.05;
    return [lo - d, hi + d];
  };
}

/**
 * Rounds to one significant digit (0.00984 to 0.009 down, 0.869 to 0.9 up). uPlot's log axis steps from its minimum
 * by that minimum's power of ten and rounds each step to the step's decimals: from 0.00984 a step lands on 0.011, the
 * next rounds to 0, and the axis loops until "Invalid array length" and draws nothing.
 */
function oneDigit(v, round) {
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  return Number((round(Number((v / p).toPrecision(12))) * p).toPrecision(12));
}

function numericParams() {
  return (summary.parameters || []).filter(p => p.kind === "range" || p.kind === "categorical");
}

function paramValue(p, row) {
  const v = row.params ? row.params[p.name] : undefined;
  if (v === undefined || v === null) return null;
  if (p.kind === "categorical") { const i = p.values.indexOf(String(v)); return i < 0 ? null : i; }
  return typeof v === "number" ? v : null;
}

/** Finished rows comparable with each other: in a halving study, those of the largest budget reached. */
function comparable(rows) {
  const done = rows.filter(r => typeof r.valError === "number");
  const budgets = done.map(r => r.budget).filter(b => b !== undefined);
  if (!budgets.length) return { done, note: "" };
  const top = Math.max(...budgets);
  return { done: done.filter(r => r.budget === top), note: " (settings trained " + top + " epochs, the largest budget so far)" };
}

// A study larger than the page is sent in part: say which part, wherever a section shows it.
function sampledNote(rows) {
  const all = summary.settingsTotal || rows.length;
  return all > rows.length ? el("p", { class: "muted sampled", text: "The study has " + all + " settings; this page"
    + " shows " + rows.length + " of them: the running ones, the oldest waiting ones, the best and the latest finished"
    + " (the CSV has all; a setting's own page opens by its id in the address: #setting/ID)." })
    : null;
}

function scatterSection(rows) {
  const { done, note } = comparable(rows);
  const box = el("div", { class: "charts" });
  for (const p of numericParams()) {
    const pts = done.map(r => [paramValue(p, r), r.valError]).filter(([x]) => x !== null && (!p.log || x > 0))
      .sort((a, b) => a[0] - b[0]);
    box.append(chart(p.name + (p.log ? " (log axis)" : "") + (p.kind === "categorical" ? " (categories by index)" : ""),
      { series: [{ label: p.name }, { label: "valError", stroke: "transparent", paths: () => null,
        points: { show: true, size: 5, fill: "#1f77b4" } }],
      scales: { x: { time: false, distr: p.log ? 3 : 1, range: padded(p.log) } },
      axes: [p.kind === "categorical" || p.integer ? { label: p.name, incrs: WHOLE } : { label: p.name }, { label: "valError" }],
      legend: { show: false } }, [pts.map(a => a[0]), pts.map(a => a[1])], 300));
    if (p.kind === "categorical") box.lastChild.append(el("div", { class: "muted" }, ...p.values.flatMap((v, i) =>
      [i ? " \u00b7 " : "", i + ": ", el("bdi", { text: v })])));
  }
  if (!numericParams().length) box.append(el("p", { class: "muted", text: "no searched parameters" }));
  return el("section", { id: "scatter" }, el("h2", { text: "Validation error against each hyperparameter" + (note || " (finished settings)") }),
    sampledNote(rows), box);
}

function parallelSection(rows) {
  const ps = numericParams();
  const { done, note } = comparable(rows);
  const canvas = el("canvas", { id: "parallel", width: Math.max(500, 140 * (ps.length + 1)), height: 300 });
  later(() => {
    const g = canvas.getContext("2d");
    const axes = [...ps.map(p => ({ name: p.name, log: p.log, cat: p.kind === "categorical" ? p.values : null,
      value: r => paramValue(p, r) })), { name: "valError", value: r => r.valError }];
    const W = canvas.width, H = canvas.height, top = 30, bottom = H - 20;
    const xOf = i => 40 + i * (W - 80) / Math.max(1, axes.length - 1);
    const scale = axes.map(a => {
      const vs = done.map(a.value).filter(v => v !== null && (!a.log || v > 0)).map(v => a.log ? Math.log(v) : v);
      const lo = Math.min(...vs), hi = Math.max(...vs);
      return v => v === null ? null : bottom - ((a.log ? Math.log(v) : v) - lo) / ((hi - lo) || 1) * (bottom - top);
    });
    const errs = done.map(r => r.valError), lo = Math.min(...errs), hi = Math.max(...errs);
    const sorted = [...done].sort((a, b) => b.valError - a.valError); // best drawn last, on top
    g.globalAlpha = done.length > 2000 ? 0.15 : 0.6;
    for (const r of sorted) {
      const t = (r.valError - lo) / ((hi - lo) || 1);
      g.strokeStyle = `hsl(${220 - 220 * (1 - t)}, 70%, 45%)`;
      g.beginPath();
      axes.forEach((a, i) => { const y = scale[i](a.value(r)); if (y !== null) (i ? g.lineTo : g.moveTo).call(g, xOf(i), y); });
      g.stroke();
    }
    g.globalAlpha = 1;
    g.fillStyle = "#222";
    g.font = "12px sans-serif";
    axes.forEach((a, i) => {
      g.strokeStyle = "#444"; g.beginPath(); g.moveTo(xOf(i), top); g.lineTo(xOf(i), bottom); g.stroke();
      g.fillText(a.name + (a.log ? " (log)" : ""), xOf(i) - 20, 14);
      const vs = done.map(a.value).filter(v => v !== null);
      if (vs.length) {
        g.fillStyle = "#666";
        g.fillText(fmt(Math.max(...vs), 3), xOf(i) + 3, top + 10);
        g.fillText(fmt(Math.min(...vs), 3), xOf(i) + 3, bottom - 2);
        g.fillStyle = "#222";
      }
    });
  });
  return el("section", { id: "parallelcoords" }, el("h2", { text: "Parallel coordinates" + note }), sampledNote(rows),
    el("p", { class: "muted", text: "colour by validation error: red lowest, through green, to blue highest; the best are drawn last, on top; each axis from its smallest (bottom) to its largest value" }),
    done.length ? canvas : el("p", { class: "muted", text: "no finished setting yet" }));
}

function timelineSection(t) {
  const workers = [...new Set(t.bars.map(b => b.worker))].sort();
  const canvas = el("canvas", { id: "timeline", width: 1000, height: 30 + 28 * Math.max(1, workers.length) });
  later(() => {
    const g = canvas.getContext("2d");
    if (!t.bars.length) return;
    const t0 = Math.min(...t.bars.map(b => b.from)), t1 = Math.max(...t.bars.map(b => b.to), t0 + 1);
    const left = 180, W = canvas.width - left - 10;
    const x = v => left + (v - t0) / (t1 - t0) * W;
    g.font = "11px sans-serif";
    workers.forEach((w, i) => { g.fillStyle = "#222"; g.fillText(w.length > 26 ? w.substring(0, 25) + "\u2026" : w, 4, 24 + 28 * i); });
    for (const b of t.bars) {
      const i = workers.indexOf(b.worker), y = 10 + 28 * i, x0 = x(b.from), w = Math.max(2, x(b.to) - x0);
      g.fillStyle = STATUS_COLORS[b.status] || "#777";
      g.fillRect(x0, y, w, 20);
      if (w > g.measureText(b.id).width + 4) { g.fillStyle = "#fff"; g.fillText(b.id, x0 + 2, y + 14); }
    }
    g.fillStyle = "#555";
    g.fillText(((t1 - t0) / 1000).toFixed(0) + " s", canvas.width - 40, canvas.height - 4);
  });
  const lost = t.lost.length ? el("table", { id: "lost" }, el("tr", {}, ...["setting", "attempt", "worker", "at", "why it produced nothing"]
    .map(h => el("th", { text: h }))), ...t.lost.map(l => el("tr", {}, el("td", { text: l.id }), el("td", { text: l.attempt }),
    el("td", { text: l.worker || "" }), el("td", { text: new Date(l.at).toLocaleTimeString() }), el("td", { text: l.reason }))))
    : el("p", { class: "muted", text: "no earlier attempts of running settings were lost (results say how many attempts they took)" });
  const ws = el("table", { id: "workers" }, el("tr", {}, ...["worker", "host", "state", "setting", "done", "updated"].map(h => el("th", { text: h }))),
    ...t.workers.map(w => el("tr", {}, el("td", { text: w.worker }), el("td", { text: w.host }), el("td", { text: w.state }),
      el("td", { text: w.setting || "" }), el("td", { class: "num", text: w.completed }),
      el("td", { text: w.ageSeconds + " s ago" + (w.state !== "exited" && w.ageSeconds > 120 ? " (silent: killed or stopped?)" : "") }))));
  return el("section", { id: "timelinebox" }, el("h2", { text: "Workers: who ran what, when (green complete, orange running, yellow stopped, red diverged)" }),
    t.omitted ? el("p", { class: "muted", text: "the latest " + t.bars.length + " attempts; " + t.omitted
      + " earlier ones are not drawn" }) : null,
    workers.length ? canvas : el("p", { class: "muted", text: "no setting claimed yet" }), lost, ws);
}

function quarantineSection(q) {
  return el("section", { id: "quarantine" }, el("h2", { text: "Quarantined files (" + q.length + ")" }),
    q.length ? el("table", {}, el("tr", {}, ...["file", "was", "reason", "by", "at"].map(h => el("th", { text: h }))),
      ...q.map(f => el("tr", {}, el("td", {}, el("a", { href: api("/raw", { file: "quarantine/" + f.name }), text: f.name })),
        el("td", { text: f.file }), el("td", { text: f.reason }), el("td", { text: f.by }), el("td", { text: f.at }))))
      : el("p", { class: "muted", text: "none" }));
}

function slurmSection(s) {
  if (!s) return el("section", { id: "slurm" }, el("h2", { text: "SLURM jobs" }), el("p", { class: "muted", text: "none submitted (hps slurm submit)" }));
  if (typeof s === "string") return el("section", { id: "slurm" }, el("h2", { text: "SLURM jobs" }), el("p", { text: s }));
  return el("section", { id: "slurm" }, el("h2", { text: "SLURM jobs" }), el("table", {},
    el("tr", {}, ...["job", "workers (array tasks)", "submitted"].map(h => el("th", { text: h }))),
    ...(s.jobs || []).map(j => el("tr", {}, el("td", { text: j.jobId }), el("td", { class: "num", text: j.workers }), el("td", { text: j.submitted })))),
    el("p", { class: "muted", text: "live task states: hps status --study DIR (asks squeue)" }));
}

function problemsSection() {
  const ps = summary.problems || [];
  return el("section", { id: "problems" }, el("h2", { text: "Files that could not be read (" + ps.length + ")" }),
    ps.length ? el("table", {}, ...ps.map(p => el("tr", {}, el("td", { text: p.file }), el("td", { text: p.reason }))))
      : el("p", { class: "muted", text: "none" }));
}

function tableSection(rows) {
  const names = (summary.parameters || []).map(p => p.name);
  const cols = ["id", "status", "worker", "epochs", "budget", "valError", ...names];
  const value = (r, c) => names.includes(c) ? (r.params ? r.params[c] : undefined) : r[c];
  const f = tableState.filter.toLowerCase();
  let shown = rows.filter(r => !f || cols.some(c => fmt(value(r, c)).toLowerCase().includes(f)));
  shown.sort((a, b) => {
    const x = value(a, tableState.sort), y = value(b, tableState.sort);
    const c = x === y ? 0 : x === undefined || x === null ? 1 : y === undefined || y === null ? -1 : x < y ? -1 : 1;
    return tableState.desc ? -c : c;
  });
  const total = shown.length;
  shown = shown.slice(0, 500);
  const head = el("tr", {}, ...cols.map(c => el("th", { "data-col": c, text: c + (tableState.sort === c ? (tableState.desc ? " \u25bc" : " \u25b2") : ""),
    onclick: () => { tableState = { ...tableState, sort: c, desc: tableState.sort === c ? !tableState.desc : false }; redrawTable(rows); } })));
  const body = shown.map(r => el("tr", { class: r.status, "data-id": r.id }, ...cols.map(c => {
    const v = value(r, c);
    if (c === "id") return el("td", {}, el("a", { href: "#setting/" + encodeURIComponent(r.id), text: r.id }));
    return el("td", { class: typeof v === "number" ? "num" : "", text: fmt(v) });
  })));
  const filter = el("input", { type: "search", id: "filter", placeholder: "filter (text shown in any column)", value: tableState.filter,
    oninput: e => { tableState.filter = e.target.value; redrawTable(rows); } });
  return el("section", { id: "table" }, el("h2", { text: "Settings" }), filter, " ",
    el("a", { href: api("/api/settings.csv"), download: "settings.csv", text: "download CSV (all "
      + (summary.settingsTotal || rows.length) + ")" }),
    el("p", { class: "muted", text: "showing " + shown.length + " of " + total + (f ? " matching" : "") + " ("
      + (summary.settingsTotal || rows.length) + " settings in all" + ((summary.settingsTotal || rows.length) > rows.length
        ? ", " + rows.length + " on this page" : "") + ")" + (total > shown.length ? "; filter or sort to see others"
        + ((summary.settingsTotal || rows.length) > rows.length ? " on this page, the CSV has all" : "") : "") }),
    sampledNote(rows),
    el("table", { id: "settings" }, head, ...body));
}

function redrawTable(rows) {
  const old = document.getElementById("table");
  const focused = document.activeElement && document.activeElement.id === "filter";
  old.replaceWith(tableSection(rows));
  if (focused) { const f = document.getElementById("filter"); f.focus(); f.setSelectionRange(f.value.length, f.value.length); }
}

// ---------- one setting ----------

async function showSetting(id) {
  header();
  let s;
  try { s = await get("/api/setting", { id }); } catch (e) {
    document.getElementById("main").replaceChildren(el("p", { text: "no setting " + id }));
    return;
  }
  const raw = s.raw ? await get("/raw", { file: s.raw }, true).catch(e => "(" + e.message + ")") : "";
  clearPlots();
  const setting = s.setting || {};
  const result = s.result || null;
  const p = (result || setting).params || {};
  const history = (setting.history || []);
  const main = document.getElementById("main");
  main.replaceChildren(
    el("p", {}, el("a", { href: "#", text: "\u2190 all settings" })),
    el("section", { id: "settingpage" }, el("h2", { text: "Setting " + s.id + ": " + s.status }),
      el("p", {}, "worker: " + ((result && result.worker) || s.worker || "none yet")
        + (result ? ", attempt " + result.attempt + (result.reason ? ", reason: " + result.reason : "") : "")
        + (setting.budget ? ", budget " + setting.budget + " epochs" : "")
        + (setting.lineage ? ", rung " + setting.lineage.rung : ""),
        setting.lineage && setting.lineage.parent ? el("span", {}, ", promoted from ",
          el("a", { href: "#setting/" + encodeURIComponent(setting.lineage.parent), text: setting.lineage.parent })) : null,
        s.resume ? ", " + s.resume : ""),
      el("table", { id: "params" }, ...Object.entries(p).map(([k, v]) => el("tr", {}, el("th", { text: k }), el("td", { text: fmt(v) }))))),
    whySection(s),
    el("section", {}, el("h2", { text: "Attempts" }), history.length ? el("table", { id: "history" },
      el("tr", {}, ...["attempt", "worker", "at", "why it produced nothing"].map(h => el("th", { text: h }))),
      ...history.map(a => el("tr", {}, el("td", { text: a.attempt }), el("td", { text: a.worker || "" }), el("td", { text: a.at }), el("td", { text: a.reason }))))
      : el("p", { class: "muted", text: result ? "attempt " + result.attempt + (result.attempt > 1 ? " (earlier ones were lost: see the master's log)" : ": the first") : "no earlier attempt" })),
    curvesSection(s.curves, "Learning curves of " + s.id),
    el("section", {}, el("h2", { text: "Raw file: " + (s.raw || "none") }), el("pre", { id: "raw", text: raw })));
  drawPending();
}

// Why the strategy proposed it, computed again by the server from the batch's recorded provenance.
function whySection(s) {
  const w = s.why;
  if (!w) return el("section", { id: "why" }, el("h2", { text: "Why this setting" }),
    el("p", { class: "muted", text: s.whyError || "not known: no readable batch records this setting (a damaged batch file is listed under \u201cFiles that could not be read\u201d on the overview)" }));
  return el("section", { id: "why" }, el("h2", { text: "Why this setting" }),
    el("p", { id: "why-text", text: w.why || "It cannot be computed again (see below)." }),
    el("p", { class: "muted", text: "batch " + w.batch + (w.inputs ? ": " + w.inputs : ": no provenance recorded") }),
    el("p", { id: "why-check", class: w.reproduced ? "muted" : "problem", text: w.check }));
}

// ---------- start ----------

async function start() {
  const info = await get("/api/studies").catch(() => ({ many: false }));
  window.hpsMany = info.many;
  document.getElementById("home").href = study === null ? "#" : "?study=" + encodeURIComponent(study);
  await poll();
  setInterval(poll, POLL_MS);
  window.addEventListener("hashchange", poll);
}

start();
