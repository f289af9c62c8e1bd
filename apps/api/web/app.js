// The tracker's page: runs, and for one run live reward curves per domain, critic agreement per
// version and the finish-reason mix. Queries over HTTP; live updates over graphql-ws (the
// graphql-transport-ws protocol, spoken directly: a few messages, no client library needed).
/* global uPlot */

const GRAPHQL = '/graphql';
const COLORS = ['#2f6fdb', '#d9822b', '#2e9d5b', '#b5397b', '#7a5af8', '#0e9fae', '#a1a52b', '#c24a3a'];
const FINISH_COLORS = {
  stop: '#2e9d5b',
  length: '#d9822b',
  budget: '#e0a040',
  repeat: '#b5397b',
  toolError: '#c24a3a',
  partial: '#7a5af8',
  aborted: '#556070',
  none: '#c7ced6',
};
/** Points per series: buckets of one step for runs up to this long. */
const MAX_POINTS = 2000;

/** The API key this browser sends, once the tracker asked for one (kept in localStorage). */
const KEY_STORAGE = 'tracker.apiKey';

function authorization() {
  const key = localStorage.getItem(KEY_STORAGE);
  return key ? { authorization: `Bearer ${key}` } : {};
}

async function query(text, variables = {}) {
  const response = await fetch(GRAPHQL, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...authorization() },
    body: JSON.stringify({ query: text, variables }),
  });
  if (response.status === 401) {
    // The tracker requires keys (or this one was revoked): ask once, then retry.
    const { errors } = await response.json();
    const key = window.prompt(`${errors?.[0]?.message ?? 'An API key is needed.'}\n\nAPI key (read scope):`);
    if (!key) throw new Error('an API key with the read scope is needed');
    localStorage.setItem(KEY_STORAGE, key.trim());
    return query(text, variables);
  }
  const body = await response.json();
  if (body.errors) throw new Error(body.errors.map((error) => error.message).join('; '));
  return body.data;
}

/** One graphql-ws connection; subscriptions are re-sent when it comes back. */
class LiveConnection {
  constructor(url, onState) {
    this.url = url;
    this.onState = onState;
    this.subscriptions = new Map();
    this.nextId = 1;
    this.open();
  }

  open() {
    this.socket = new WebSocket(this.url, 'graphql-transport-ws');
    this.socket.onopen = () =>
      this.socket.send(JSON.stringify({ type: 'connection_init', payload: authorization() }));
    this.socket.onmessage = (event) => {
      const message = JSON.parse(event.data);
      if (message.type === 'connection_ack') {
        this.ready = true;
        this.onState('live');
        for (const [id, subscription] of this.subscriptions) this.send(id, subscription);
      } else if (message.type === 'next') {
        this.subscriptions.get(message.id)?.next(message.payload);
      } else if (message.type === 'error') {
        console.error('subscription error', message.payload);
      } else if (message.type === 'ping') {
        this.socket.send(JSON.stringify({ type: 'pong' }));
      }
    };
    this.socket.onclose = () => {
      this.ready = false;
      this.onState('down');
      setTimeout(() => this.open(), 1000);
    };
  }

  send(id, { query: text, variables }) {
    this.socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query: text, variables } }));
  }

  subscribe(text, variables, next) {
    const id = String(this.nextId++);
    const subscription = { query: text, variables, next };
    this.subscriptions.set(id, subscription);
    if (this.ready) this.send(id, subscription);
    return () => {
      this.subscriptions.delete(id);
      if (this.ready) this.socket.send(JSON.stringify({ id, type: 'complete' }));
    };
  }
}

const $ = (id) => document.getElementById(id);
const fixed = (value, digits = 3) => (value === null || value === undefined ? '–' : value.toFixed(digits));

/** What the page shows, exposed for tests: window.trackerPage. */
const state = {
  runs: [],
  run: null,
  domains: [],
  steps: [],
  series: {},
  updates: 0,
  /** The steps the mean chart draws (its x values). */
  chartSteps: () => [...(charts?.mean.data[0] ?? [])],
};
window.trackerPage = state;

async function loadRuns() {
  const data = await query(`{ rlRuns(first: 100) { edges { node { id name status startedAt policyModel } } } }`);
  state.runs = data.rlRuns.edges.map((edge) => edge.node).reverse();
  const list = $('runs');
  list.replaceChildren(
    ...state.runs.map((run) => {
      const item = document.createElement('li');
      const link = document.createElement('a');
      link.href = `#run=${encodeURIComponent(run.id)}`;
      link.dataset.run = run.id;
      link.textContent = run.name ?? run.id;
      const small = document.createElement('small');
      small.textContent = `${run.status}${run.startedAt ? ` · ${new Date(run.startedAt).toLocaleString()}` : ''}`;
      link.append(small);
      item.append(link);
      return item;
    }),
  );
  markCurrent();
}

function markCurrent() {
  for (const link of document.querySelectorAll('#runs a'))
    link.classList.toggle('current', link.dataset.run === state.run?.id);
}

// --- charts -----------------------------------------------------------------------------------

let charts = null;

function makeChart(element, label, yRange) {
  const width = Math.max(320, element.clientWidth);
  return new uPlot(
    {
      width,
      height: 260,
      scales: { x: { time: false }, y: yRange ? { range: yRange } : {} },
      axes: [{ label: 'step' }, { label }],
      series: [{ label: 'step' }, ...state.domains.map((domain, index) => ({
        label: domain,
        stroke: COLORS[index % COLORS.length],
        width: 1.5,
        spanGaps: true,
        points: { show: false },
      }))],
    },
    [[], ...state.domains.map(() => [])],
    element,
  );
}

/** Chart data from state.series: one x axis of steps, one column per domain. */
function render() {
  const steps = [...new Set(Object.values(state.series).flatMap((points) => [...points.keys()]))].sort(
    (a, b) => a - b,
  );
  state.steps = steps;
  const column = (domain, field) => steps.map((step) => state.series[domain]?.get(step)?.[field] ?? null);
  if (!charts) {
    charts = {
      mean: makeChart($('chart-mean'), 'mean reward'),
      pass: makeChart($('chart-pass'), 'pass rate', [0, 1]),
    };
  }
  charts.mean.setData([steps, ...state.domains.map((domain) => column(domain, 'mean'))]);
  charts.pass.setData([steps, ...state.domains.map((domain) => column(domain, 'passRate'))]);
}

// --- one run ----------------------------------------------------------------------------------

let unsubscribe = [];
let refreshTimer = null;

async function showRun(rlRunId) {
  for (const stop of unsubscribe) stop();
  unsubscribe = [];
  charts?.mean.destroy();
  charts?.pass.destroy();
  charts = null;
  const data = await query(
    `query($id: ID!) { rlRun(id: $id) { id name status policyModel startedAt rewardSummary { domain } } }`,
    { id: rlRunId },
  );
  if (!data.rlRun) {
    $('empty').textContent = `No run ${rlRunId}.`;
    return;
  }
  state.run = data.rlRun;
  state.domains = [...new Set(data.rlRun.rewardSummary.map((summary) => summary.domain))].sort();
  state.series = {};
  $('empty').hidden = true;
  $('run').hidden = false;
  $('run-name').textContent = data.rlRun.name ?? data.rlRun.id;
  setStatus(data.rlRun.status);
  $('run-meta').textContent = [data.rlRun.policyModel, data.rlRun.id].filter(Boolean).join(' · ');
  markCurrent();
  state.ready = false;
  await loadSeries();
  await Promise.all([loadCritics(), loadFinishReasons()]);
  state.ready = true;

  unsubscribe.push(
    live.subscribe(
      `subscription($id: ID!) { rewardSeriesUpdated(rlRunId: $id, maxRateHz: 4) {
         changes { domain kind point { fromStep toStep count mean passRate } } } }`,
      { id: rlRunId },
      (payload) => applyUpdate(payload.data?.rewardSeriesUpdated),
    ),
    live.subscribe(
      `subscription($id: ID) { runStatusChanged(rlRunId: $id) { status } }`,
      { id: rlRunId },
      (payload) => payload.data && setStatus(payload.data.runStatusChanged.status),
    ),
  );
}

function setStatus(status) {
  const badge = $('run-status');
  badge.textContent = status;
  badge.className = `badge${status === 'running' ? ' live' : status === 'failed' ? ' down' : ''}`;
}

/** Domains per request: each series may cost maxPoints, within the API's query cost limit. */
const DOMAINS_PER_REQUEST = 8;

async function loadSeries() {
  const id = state.run.id;
  const chunks = [];
  for (let start = 0; start < state.domains.length; start += DOMAINS_PER_REQUEST)
    chunks.push(state.domains.slice(start, start + DOMAINS_PER_REQUEST));
  // One series per domain, a few domains per request.
  const answers = await Promise.all(
    chunks.map((domains) => {
      const fields = domains
        .map(
          (domain, index) =>
            `d${index}: rewardSeries(rlRunId: $id, domain: ${JSON.stringify(domain)}, maxPoints: $maxPoints) { bucketWidth points { fromStep toStep count mean passRate } }`,
        )
        .join('\n');
      return query(`query($id: ID!, $maxPoints: Int) { ${fields} }`, { id, maxPoints: MAX_POINTS });
    }),
  );
  state.bucketed = false;
  chunks.forEach((domains, chunk) =>
    domains.forEach((domain, index) => {
      const [run] = answers[chunk][`d${index}`];
      const points = new Map();
      for (const point of run?.points ?? []) points.set(point.fromStep, point);
      if ((run?.bucketWidth ?? 1) > 1) state.bucketed = true;
      state.series[domain] = points;
    }),
  );
  render();
}

/** Per-step rollups as they change: exact for one-step buckets; wider ones are read again. */
function applyUpdate(update) {
  if (!update) return;
  state.updates++;
  if (state.bucketed) return scheduleRefresh(true);
  const byDomainStep = new Map();
  for (const { domain, point } of update.changes) {
    const key = `${domain}\u0000${point.fromStep}`;
    const merged = byDomainStep.get(key) ?? { domain, step: point.fromStep, count: 0, sum: 0, passCount: 0, verifiable: 0 };
    // All kinds of a domain on one curve, as the series without a kind gives them.
    merged.count += point.count;
    merged.sum += point.mean * point.count;
    if (point.passRate !== null) {
      merged.passCount += point.passRate * point.count;
      merged.verifiable += point.count;
    }
    byDomainStep.set(key, merged);
  }
  for (const merged of byDomainStep.values()) {
    if (!state.domains.includes(merged.domain)) {
      state.domains.push(merged.domain);
      state.domains.sort();
      charts?.mean.destroy();
      charts?.pass.destroy();
      charts = null;
    }
    (state.series[merged.domain] ??= new Map()).set(merged.step, {
      fromStep: merged.step,
      toStep: merged.step,
      count: merged.count,
      mean: merged.sum / merged.count,
      passRate: merged.verifiable > 0 ? merged.passCount / merged.verifiable : null,
    });
  }
  render();
  scheduleRefresh(false);
}

/** Critic agreement and finish reasons follow the run, at most every 3 s. */
function scheduleRefresh(series) {
  if (refreshTimer) return;
  refreshTimer = setTimeout(async () => {
    refreshTimer = null;
    if (series) await loadSeries();
    await Promise.all([loadCritics(), loadFinishReasons()]);
  }, 3000);
}

async function loadCritics() {
  const data = await query(
    `query($id: ID!) { criticAgreement(rlRunId: $id) { criticVersionId comparedPairs decisivePairs agreed accuracy } }`,
    { id: state.run.id },
  );
  $('critics').tBodies[0].replaceChildren(
    ...data.criticAgreement.map((version) => {
      const row = document.createElement('tr');
      for (const [value, numeric] of [
        [version.criticVersionId, false],
        [version.comparedPairs, true],
        [version.decisivePairs, true],
        [version.agreed, true],
        [fixed(version.accuracy), true],
      ]) {
        const cell = document.createElement('td');
        cell.textContent = String(value);
        if (numeric) cell.className = 'num';
        row.append(cell);
      }
      return row;
    }),
  );
}

async function loadFinishReasons() {
  const data = await query(
    `query($id: ID!) { rolloutSeries(rlRunId: $id, maxPoints: 1) { points { rollouts finishReasons { stop length budget repeat toolError partial aborted none } } } }`,
    { id: state.run.id },
  );
  const point = data.rolloutSeries[0]?.points[0];
  const total = point?.rollouts ?? 0;
  const reasons = Object.entries(point?.finishReasons ?? {}).filter(([, count]) => count > 0);
  $('finish-bar').replaceChildren(
    ...reasons.map(([reason, count]) => {
      const part = document.createElement('span');
      part.style.width = `${(100 * count) / total}%`;
      part.style.background = FINISH_COLORS[reason];
      part.title = `${reason}: ${count}`;
      return part;
    }),
  );
  $('finish-legend').replaceChildren(
    ...reasons.map(([reason, count]) => {
      const item = document.createElement('li');
      const swatch = document.createElement('i');
      swatch.style.background = FINISH_COLORS[reason];
      item.append(swatch, `${reason} ${((100 * count) / total).toFixed(1)}% (${count})`);
      return item;
    }),
  );
  state.finishReasons = Object.fromEntries(reasons);
}

// --- start ------------------------------------------------------------------------------------

const live = new LiveConnection(
  `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${GRAPHQL}`,
  (connection) => {
    const badge = $('connection');
    badge.textContent = connection === 'live' ? 'live' : 'reconnecting…';
    badge.className = `badge ${connection === 'live' ? 'live' : 'down'}`;
  },
);

function route() {
  const match = /run=([^&]+)/.exec(location.hash);
  if (match) void showRun(decodeURIComponent(match[1])).catch(showError);
}

function showError(error) {
  $('empty').hidden = false;
  $('empty').textContent = `Error: ${error.message}`;
}

window.addEventListener('hashchange', route);
loadRuns().then(route, showError);
setInterval(() => void loadRuns().catch(() => undefined), 10_000);
