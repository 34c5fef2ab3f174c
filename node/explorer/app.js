// Myelin explorer: one page, routed by fragment (#/, #/subnet/N, #/account/ADDR, #/governance),
// reading only this node's JSON-RPC over WebSocket. A new head refreshes the open page in place
// (its table sort and filter kept); nothing is loaded from anywhere but this node.
'use strict';

// ---- JSON-RPC over WebSocket, reconnecting ------------------------------------------------

class Rpc {
  constructor(url, onStatus) {
    this.url = url;
    this.onStatus = onStatus;
    this.nextId = 1;
    this.pending = new Map();
    this.subscriptions = [];   // { method, params, handler, id }
    this.queue = [];
    this.connect();
  }
  connect() {
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.onopen = () => {
      this.onStatus(true);
      for (const sub of this.subscriptions) this.startSubscription(sub);
      for (const message of this.queue.splice(0)) ws.send(message);
    };
    ws.onclose = () => {
      this.onStatus(false);
      for (const [, p] of this.pending) p.reject(new Error(`the node at ${this.url} is not reachable`));
      this.pending.clear();
      setTimeout(() => this.connect(), 2000);
    };
    ws.onerror = () => {};  // onclose follows and reports it
    ws.onmessage = (event) => {
      let msg;
      try { msg = JSON.parse(event.data); } catch (_) { return; }
      if (msg.id !== undefined && this.pending.has(msg.id)) {
        const p = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        if (msg.error) p.reject(new Error(msg.error.message || JSON.stringify(msg.error)));
        else p.resolve(msg.result);
      } else if (msg.params && msg.params.subscription !== undefined) {
        const sub = this.subscriptions.find((s) => s.id === msg.params.subscription);
        if (sub) sub.handler(msg.params.result);
      }
    };
  }
  call(method, params = []) {
    const id = this.nextId++;
    const message = JSON.stringify({ jsonrpc: '2.0', id, method, params });
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      if (this.ws.readyState === WebSocket.OPEN) this.ws.send(message);
      else this.queue.push(message);
    });
  }
  subscribe(method, params, handler) {
    const sub = { method, params, handler, id: null };
    this.subscriptions.push(sub);
    if (this.ws.readyState === WebSocket.OPEN) this.startSubscription(sub);
  }
  startSubscription(sub) {
    this.call(sub.method, sub.params).then((id) => { sub.id = id; }, () => {});
  }
}

// ---- formatting ---------------------------------------------------------------------------

const MYL_DECIMALS = 9;

// "1234.500000000" → "1,234.5 MYL" (exact: the RPC gives decimal strings, never floats).
function myl(value, unit = true) {
  if (value === null || value === undefined) return '–';
  const [whole, frac = ''] = String(value).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const trimmed = frac.slice(0, MYL_DECIMALS).replace(/0+$/, '');
  return (trimmed ? `${grouped}.${trimmed}` : grouped) + (unit ? ' MYL' : '');
}
const mylNumber = (value) => Number(value || 0);
// A card's amount: at most four decimals, cut (not rounded) so it never shows more than there
// is; the exact amount is in the tooltip.
function mylShort(value) {
  if (value === null || value === undefined) return '–';
  const [whole, frac = ''] = String(value).split('.');
  const node = document.createElement('span');
  node.textContent = myl(frac ? `${whole}.${frac.slice(0, 4)}` : whole);
  node.title = myl(value);
  return node;
}
const pct = (x, digits = 2) => (x === null || x === undefined ? '–' : `${(x * 100).toFixed(digits)}%`);
const num = (x) => (x === null || x === undefined ? '–' : Number(x).toLocaleString('en-US'));
const short = (addr) => (addr && addr.length > 14 ? `${addr.slice(0, 6)}…${addr.slice(-6)}` : addr || '–');
function duration(ms) {
  if (!isFinite(ms)) return '–';
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 172800) return `${(s / 3600).toFixed(1)} h`;
  return `${(s / 86400).toFixed(1)} days`;
}

// ---- DOM helpers --------------------------------------------------------------------------

function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}
const account = (addr) => (addr ? h('a', { class: 'addr', href: `#/account/${addr}`, title: addr }, short(addr)) : '–');
const card = (label, value, sub) => h('div', { class: 'card' }, h('div', { class: 'label' }, label), h('div', { class: 'value' }, value), sub ? h('div', { class: 'sub' }, sub) : null);
const kv = (pairs) => h('div', { class: 'kv' }, pairs.map(([k, v]) => h('div', {}, h('span', {}, k), h('span', {}, v))));
const yesNo = (v) => (v === null || v === undefined ? h('span', { class: 'muted' }, '–') : h('span', { class: v ? 'yes' : 'no' }, v ? 'yes' : 'no'));
const errorBox = (message) => h('div', { class: 'error', role: 'alert' }, message);

function table(columns, rows, opts = {}) {
  // columns: [{ label, key?, text?, value: row => sortable, cell: row => node }]
  const head = h('tr', {}, columns.map((c) => {
    const classes = [c.text ? 'text' : '', opts.sort && opts.sort.key === c.key ? `sorted-${opts.sort.dir}` : ''].join(' ').trim();
    return h('th', { class: classes || null, 'data-key': c.key && opts.onSort ? c.key : null, onclick: c.key && opts.onSort ? () => opts.onSort(c.key) : null }, c.label);
  }));
  const body = rows.map((row) => h('tr', {}, columns.map((c) => h('td', { class: c.text ? 'text' : null }, c.cell(row)))));
  return h('div', { class: 'scroll' }, h('table', { id: opts.id || null }, h('thead', {}, head), h('tbody', {}, body)),
    rows.length ? null : h('div', { class: 'empty' }, opts.empty || 'Nothing yet.'));
}

// ---- SVG charts ---------------------------------------------------------------------------

const SVG = 'http://www.w3.org/2000/svg';
function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  for (const c of children) if (c !== null && c !== undefined) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

// Bars of `items` ([{ label, value }]), tallest scaled to the chart.
function barChart(title, items, format, color = '#5b3cc4') {
  const W = 480, H = 180, pad = 28;
  const max = Math.max(0, ...items.map((i) => i.value));
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': title });
  svg.append(s('line', { x1: pad, y1: H - pad, x2: W - 4, y2: H - pad, stroke: '#ccd' }));
  if (!items.length || max <= 0) {
    svg.append(s('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle', fill: '#889', 'font-size': 13 }, 'no data yet'));
  } else {
    const bw = (W - pad - 4) / items.length;
    items.forEach((item, i) => {
      const bh = ((H - 2 * pad) * item.value) / max;
      const rect = s('rect', { x: pad + i * bw + bw * 0.1, y: H - pad - bh, width: Math.max(1, bw * 0.8), height: bh, fill: color, rx: 1 });
      rect.append(s('title', {}, `${item.label}: ${format(item.value)}`));
      svg.append(rect);
      if (items.length <= 32) svg.append(s('text', { x: pad + i * bw + bw / 2, y: H - pad + 12, 'text-anchor': 'middle', fill: '#667', 'font-size': 9 }, item.label));
    });
    svg.append(s('text', { x: pad, y: 12, fill: '#667', 'font-size': 10 }, `max ${format(max)}`));
  }
  return h('div', { class: 'chart' }, h('h3', {}, title), svg);
}

// A track's approval and support curves over its decision period, with the referendum now.
function curveChart(track, ref) {
  const W = 480, H = 200, pad = 30;
  const x = (t) => pad + t * (W - pad - 8);
  const y = (v) => H - pad - v * (H - 2 * pad);
  const line = (values, color, dash) => s('polyline', {
    points: values.map((v, i) => `${x(i / (values.length - 1))},${y(v)}`).join(' '),
    fill: 'none', stroke: color, 'stroke-width': 2, 'stroke-dasharray': dash || '',
  });
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `Referendum ${ref.index} thresholds` });
  svg.append(s('line', { x1: pad, y1: H - pad, x2: W - 8, y2: H - pad, stroke: '#ccd' }));
  svg.append(s('line', { x1: pad, y1: pad, x2: pad, y2: H - pad, stroke: '#ccd' }));
  for (const v of [0, 0.5, 1]) svg.append(s('text', { x: pad - 4, y: y(v) + 3, 'text-anchor': 'end', fill: '#667', 'font-size': 9 }, `${v * 100}%`));
  svg.append(s('text', { x: W - 8, y: H - pad + 14, 'text-anchor': 'end', fill: '#667', 'font-size': 9 }, 'end of decision period'));
  svg.append(line(track.approvalCurve, '#5b3cc4'));
  svg.append(line(track.supportCurve, '#0f9d8a', '5 3'));
  svg.append(s('line', { x1: x(ref.elapsed), y1: pad, x2: x(ref.elapsed), y2: H - pad, stroke: '#b54708', 'stroke-dasharray': '2 2' }));
  const dot = (v, color, label) => {
    const c = s('circle', { cx: x(ref.elapsed), cy: y(Math.min(1, v)), r: 4, fill: color });
    c.append(s('title', {}, `${label} ${pct(v)}`));
    return c;
  };
  svg.append(dot(ref.approval, '#5b3cc4', 'approval'), dot(ref.support, '#0f9d8a', 'support'));
  svg.append(s('text', { x: pad + 4, y: 12, fill: '#5b3cc4', 'font-size': 10 }, '— approval needed'));
  svg.append(s('text', { x: pad + 130, y: 12, fill: '#0f9d8a', 'font-size': 10 }, '- - support needed'));
  return h('div', { class: 'chart' }, h('h3', {}, `#${ref.index} on ${ref.trackName}: thresholds and the tally now`), svg);
}

// ---- state and routing --------------------------------------------------------------------

const state = { rpc: null, best: 0, blockTimeMs: 0, arrivals: [], page: null, params: [], loading: false, dirty: false };
const main = () => document.getElementById('main');

function route() {
  const decode = (part) => { try { return decodeURIComponent(part); } catch (_) { return part; } };
  const parts = (location.hash.replace(/^#\/?/, '') || '').split('/').filter(Boolean).map(decode);
  const name = parts[0] || 'network';
  const page = PAGES[name];
  document.querySelectorAll('[data-nav]').forEach((a) => a.classList.toggle('active', a.dataset.nav === name));
  const select = document.getElementById('subnet-select');
  select.value = name === 'subnet' ? parts[1] || '' : '';
  state.page = page || null;
  state.params = parts.slice(1);
  main().replaceChildren();
  if (!page) {
    main().append(errorBox(`There is no page "${name}". Try the Network page.`));
    return;
  }
  page.mount(main(), state.params);
  refresh();
}

async function refresh() {
  if (!state.page) return;
  if (state.loading) { state.dirty = true; return; }
  state.loading = true;
  const page = state.page;
  try {
    await page.update(state.params);
  } catch (err) {
    if (page === state.page) page.fail(err);
  } finally {
    state.loading = false;
    if (state.dirty) { state.dirty = false; refresh(); }
  }
}

// Every page: a skeleton built once (`mount`), its data filled on each block (`update`), and a
// plain message where the data cannot be had (`fail`).
function simplePage(build) {
  let box;
  return {
    mount(root) { box = h('div'); root.append(box); },
    async update(params) { const content = await build(params); box.replaceChildren(...[].concat(content)); },
    fail(err) { box.replaceChildren(errorBox(err.message)); },
  };
}

// ---- Network ------------------------------------------------------------------------------

const networkPage = simplePage(async () => {
  const [net, list] = await Promise.all([state.rpc.call('myelin_network'), state.rpc.call('myelin_subnets')]);
  state.blockTimeMs = net.blockTimeMs;
  updateSubnetSelect(list.subnets);
  const shares = new Map(net.subnets.map((x) => [x.netuid, x]));
  const observed = observedBlockTime();
  const halving = net.halvings;
  return [
    h('h1', {}, 'Network'),
    h('div', { class: 'cards' },
      card('Block', num(net.best), `finalized ${num(net.finalized)}`),
      card('Block time', `${(net.blockTimeMs / 1000).toFixed(1)} s`, observed ? `observed ${(observed / 1000).toFixed(1)} s` : 'target'),
      card('Issuance', mylShort(net.issuance), ['with owed stake ', mylShort(net.supply)]),
      card('Emission per block', mylShort(net.blockEmission), net.blockEmission === net.scheduledBlockEmission
        ? `split ${net.splitMode}` : `scheduled ${myl(net.scheduledBlockEmission)}; no subnet is eligible yet`),
      card('Supply cap', mylShort(net.supplyCap), `${pct(mylNumber(net.supply) / mylNumber(net.supplyCap), 4)} reached`),
      card('Next halving', halving.nextAtSupply ? myl(halving.nextAtSupply) : 'none left',
        halving.blocksToNext !== null ? `in ${num(halving.blocksToNext)} blocks ≈ ${duration(halving.blocksToNext * (observed || net.blockTimeMs))}` : null),
      card('Stake owed', mylShort(net.stakeOwed), `emitted ${myl(net.totalEmitted)}`),
      card('Subnets', `${list.subnets.length} / ${list.subnetLimit}`, `lock cost ${myl(list.networkLockCost)}`)),
    h('h2', {}, 'Subnets'),
    h('div', { class: 'panel' }, table([
      { label: 'Subnet', cell: (x) => h('a', { href: `#/subnet/${x.netuid}` }, `#${x.netuid}`) },
      { label: 'Owner', text: true, cell: (x) => account(x.owner) },
      { label: 'Neurons', cell: (x) => `${x.n} / ${x.maxAllowedUids}` },
      { label: 'Tempo', cell: (x) => num(x.tempo) },
      { label: 'Burn', cell: (x) => myl(x.burn) },
      { label: 'Stake', cell: (x) => myl(x.stake) },
      { label: 'Emission share', cell: (x) => pct(shares.has(x.netuid) ? shares.get(x.netuid).share : 0) },
      { label: 'Per block', cell: (x) => myl(shares.has(x.netuid) ? shares.get(x.netuid).perBlock : '0') },
      { label: 'Pending', cell: (x) => myl(x.pendingEmission) },
      { label: 'Last epoch', cell: (x) => num(x.lastEpoch) },
    ], list.subnets, { id: 'subnets', empty: 'No subnets yet.' })),
    h('div', { class: 'charts' },
      barChart('Emission share by subnet', list.subnets.map((x) => ({ label: `#${x.netuid}`, value: shares.has(x.netuid) ? shares.get(x.netuid).share : 0 })), (v) => pct(v)),
      barChart('Stake by subnet', list.subnets.map((x) => ({ label: `#${x.netuid}`, value: mylNumber(x.stake) })), (v) => myl(v.toFixed(9)), '#0f9d8a')),
    h('h2', {}, 'Halving schedule'),
    h('div', { class: 'panel' }, table([
      { label: 'Halving', cell: (x) => x.index },
      { label: 'At supply', cell: (x) => myl(x.atSupply) },
      { label: 'Emission per block after', cell: (x) => myl(x.blockEmission) },
      { label: 'Passed', cell: (x) => yesNo(x.passed) },
    ], halving.schedule)),
  ];
});

function observedBlockTime() {
  const a = state.arrivals;
  return a.length >= 3 ? (a[a.length - 1] - a[0]) / (a.length - 1) : 0;
}

function updateSubnetSelect(subnets) {
  const select = document.getElementById('subnet-select');
  const have = [...select.options].map((o) => o.value).filter(Boolean).join(',');
  const want = subnets.map((x) => String(x.netuid)).join(',');
  if (have === want) return;
  const current = select.value;
  select.replaceChildren(h('option', { value: '' }, 'Subnet…'), ...subnets.map((x) => h('option', { value: x.netuid }, `Subnet ${x.netuid}`)));
  select.value = current;
}

// ---- Subnet -------------------------------------------------------------------------------

const METAGRAPH_COLUMNS = [
  { key: 'uid', label: 'UID', value: (r) => r.uid, cell: (r) => r.uid },
  { key: 'hotkey', label: 'Hotkey', text: true, value: (r) => r.hotkey, cell: (r) => account(r.hotkey) },
  { key: 'stake', label: 'Stake', value: (r) => mylNumber(r.stake), cell: (r) => myl(r.stake, false) },
  { key: 'incentive', label: 'Incentive', value: (r) => r.incentive, cell: (r) => r.incentive.toFixed(4) },
  { key: 'dividends', label: 'Dividends', value: (r) => r.dividends, cell: (r) => r.dividends.toFixed(4) },
  { key: 'consensus', label: 'Consensus', value: (r) => r.consensus, cell: (r) => r.consensus.toFixed(4) },
  { key: 'trust', label: 'V-Trust', value: (r) => r.validatorTrust, cell: (r) => r.validatorTrust.toFixed(4) },
  { key: 'emission', label: 'Emission', value: (r) => mylNumber(r.emission), cell: (r) => myl(r.emission, false) },
  { key: 'permit', label: 'Permit', value: (r) => (r.validatorPermit ? 1 : 0), cell: (r) => yesNo(r.validatorPermit) },
  { key: 'updated', label: 'Last update', value: (r) => r.lastUpdate, cell: (r) => num(r.lastUpdate) },
  { key: 'axon', label: 'Axon', text: true, value: (r) => (r.axon ? `${r.axon.ip}:${r.axon.port}` : ''), cell: (r) => (r.axon ? h('span', { class: 'mono' }, `${r.axon.ip}:${r.axon.port}`) : h('span', { class: 'muted' }, '–')) },
];

const subnetPage = (() => {
  let sort = { key: 'stake', dir: 'desc' };
  let filter = '';
  let validatorsOnly = false;
  let rows = [];
  let parts = {};
  const renderTable = () => {
    const column = METAGRAPH_COLUMNS.find((c) => c.key === sort.key) || METAGRAPH_COLUMNS[0];
    const needle = filter.trim().toLowerCase();
    const shown = rows
      .filter((r) => !validatorsOnly || r.validatorPermit)
      .filter((r) => !needle || String(r.uid) === needle || r.hotkey.toLowerCase().includes(needle) || r.coldkey.toLowerCase().includes(needle))
      .sort((a, b) => {
        const x = column.value(a), y = column.value(b);
        const order = x < y ? -1 : x > y ? 1 : a.uid - b.uid;
        return sort.dir === 'asc' ? order : -order;
      });
    parts.count.textContent = `${shown.length} of ${rows.length} neurons`;
    parts.table.replaceChildren(table(METAGRAPH_COLUMNS, shown, {
      id: 'metagraph', sort, empty: rows.length ? 'No neuron matches the filter.' : 'No neurons registered yet.',
      onSort: (key) => { sort = { key, dir: sort.key === key && sort.dir === 'desc' ? 'asc' : 'desc' }; renderTable(); },
    }));
  };
  return {
    mount(root) {
      parts = {
        title: h('h1', {}, 'Subnet'), summary: h('div'), count: h('span', { class: 'muted' }), table: h('div'),
        charts: h('div', { class: 'charts' }), params: h('div'), rounds: h('div'), error: h('div'),
      };
      const search = h('input', { type: 'search', id: 'metagraph-filter', placeholder: 'Filter by UID, hotkey or coldkey', value: filter,
        oninput: (e) => { filter = e.target.value; renderTable(); } });
      const permit = h('input', { type: 'checkbox', id: 'validators-only', onchange: (e) => { validatorsOnly = e.target.checked; renderTable(); } });
      permit.checked = validatorsOnly;
      parts.body = h('div', {}, parts.summary,
        h('h2', {}, 'Metagraph'),
        h('div', { class: 'panel' }, h('div', { class: 'toolbar' }, search, h('label', {}, permit, ' validators only'), parts.count), parts.table),
        h('h2', {}, 'Distributions'), parts.charts,
        h('h2', {}, 'Hyperparameters'), h('div', { class: 'panel' }, parts.params),
        h('h2', {}, 'Inference'), parts.rounds);
      root.append(parts.title, parts.error, parts.body);
    },
    async update(params) {
      const netuid = Number(params[0]);
      if (!Number.isInteger(netuid) || netuid < 0 || netuid > 65535) throw new Error(`"${params[0] || ''}" is not a subnet number.`);
      const [graph, hyper, task, rounds, list] = await Promise.all([
        state.rpc.call('myelin_metagraph', [netuid]),
        state.rpc.call('myelin_subnetHyperparams', [netuid]),
        state.rpc.call('myelin_inferenceTask', [netuid]),
        state.rpc.call('myelin_inferenceRounds', [netuid]),
        state.rpc.call('myelin_subnets'),
      ]);
      updateSubnetSelect(list.subnets);
      parts.error.replaceChildren();
      parts.body.hidden = false;
      parts.title.textContent = `Subnet ${netuid}`;
      rows = graph.uids.map((uid, i) => ({
        uid, hotkey: graph.hotkeys[i], coldkey: graph.coldkeys[i], stake: graph.stake[i], incentive: graph.incentive[i],
        dividends: graph.dividends[i], consensus: graph.consensus[i], validatorTrust: graph.validatorTrust[i],
        emission: graph.emission[i], validatorPermit: graph.validatorPermit[i], lastUpdate: graph.lastUpdate[i], axon: graph.axons[i],
      }));
      const nextEpoch = graph.lastEpoch + graph.tempo;
      parts.summary.replaceChildren(h('div', { class: 'cards' },
        card('Neurons', `${graph.n} / ${hyper.maxAllowedUids}`, `${rows.filter((r) => r.validatorPermit).length} with a validator permit`),
        card('Stake', mylShort(rows.reduce((sum, r) => sum + mylNumber(r.stake), 0).toFixed(9))),
        card('Pending emission', mylShort(graph.pendingEmission)),
        card('Epoch', `every ${num(graph.tempo)} blocks`, `last ${num(graph.lastEpoch)} · next ≈ ${num(nextEpoch)}`),
        card('Registration burn', mylShort((list.subnets.find((x) => x.netuid === netuid) || {}).burn), `min ${myl(hyper.minBurn)}`)));
      renderTable();
      parts.charts.replaceChildren(
        barChart('Incentive by miner (largest first)', rows.map((r) => ({ label: r.uid, value: r.incentive })).sort((a, b) => b.value - a.value), (v) => v.toFixed(4)),
        barChart('Emission per neuron at the last epoch', rows.map((r) => ({ label: r.uid, value: mylNumber(r.emission) })).sort((a, b) => b.value - a.value), (v) => myl(v.toFixed(9)), '#0f9d8a'),
        barChart('Stake per validator', rows.filter((r) => r.validatorPermit).map((r) => ({ label: r.uid, value: mylNumber(r.stake) })), (v) => myl(v.toFixed(9)), '#b54708'));
      const param = (k, v) => (typeof v === 'boolean' ? (v ? 'yes' : 'no') : k === 'minBurn' || k === 'maxBurn' ? myl(v)
        : typeof v === 'number' && !Number.isInteger(v) ? String(Number(v.toFixed(6))) : String(v));
      parts.params.replaceChildren(kv(Object.entries(hyper).filter(([k]) => k !== 'netuid').map(([k, v]) => [k, param(k, v)])));
      parts.rounds.replaceChildren(inferenceSection(task, rounds));
    },
    fail(err) {
      parts.body.hidden = true;
      parts.error.replaceChildren(errorBox(err.message));
    },
  };
})();

function inferenceSection(task, rounds) {
  if (!task.task) return h('div', { class: 'panel empty' }, 'This subnet has no inference task.');
  const t = task.task;
  const out = [h('div', { class: 'panel' }, kv([
    ['model', h('span', { class: 'mono' }, short(t.model))], ['dimensions', t.dimensions], ['inputs per round', t.inputsPerRound],
    ['round every', `${t.interval} blocks`], ['commit window', `${t.commitWindow} blocks`], ['reveal window', `${t.revealWindow} blocks`],
    ['pass threshold (cosine)', t.scoreThreshold], ['audit rate', pct(t.auditRate)],
  ]))];
  if (!rounds.modelAvailable) out.push(h('p', { class: 'muted' }, 'This node has no model, so it does not check whether reveals pass.'));
  for (const round of rounds.rounds) {
    out.push(h('h2', {}, `Round ${round.index}`, h('span', { class: 'muted' }, ` · started ${num(round.start)}, commits until ${num(round.commitUntil)}, reveals until ${num(round.revealUntil)}`)));
    out.push(h('div', { class: 'panel' }, table([
      { label: 'UID', cell: (x) => (x.uid === null ? '–' : x.uid) },
      { label: 'Miner', text: true, cell: (x) => account(x.hotkey) },
      { label: 'Committed at', cell: (x) => num(x.commitBlock) },
      { label: 'Revealed', cell: (x) => yesNo(x.revealed) },
      { label: 'Similarity', cell: (x) => (x.similarity === null ? '–' : x.similarity.toFixed(4)) },
      { label: 'Passed', cell: (x) => yesNo(x.passed) },
    ], round.submissions.slice().sort((a, b) => (a.uid ?? 1e9) - (b.uid ?? 1e9)), { empty: 'No miner has committed in this round.' })));
  }
  if (!rounds.rounds.length) out.push(h('div', { class: 'panel empty' }, 'No round has started yet.'));
  return h('div', {}, out);
}

// ---- Account ------------------------------------------------------------------------------

const accountPage = simplePage(async (params) => {
  const address = params[0] || '';
  if (!address) return [h('h1', {}, 'Account'), h('p', {}, 'Enter an SS58 address in the box above.')];
  const [acct, stake, list] = await Promise.all([
    state.rpc.call('myelin_account', [address]), state.rpc.call('myelin_stakeInfo', [address]), state.rpc.call('myelin_subnets'),
  ]);
  const owned = list.subnets.filter((x) => x.owner === acct.account);
  return [
    h('h1', {}, 'Account ', h('span', { class: 'addr' }, acct.account)),
    h('div', { class: 'cards' },
      card('Free', mylShort(acct.free)), card('Held', mylShort(acct.held)), card('Frozen', mylShort(acct.frozen)),
      card('Staked', mylShort(stake.coldkey.total), `as coldkey · nonce ${acct.nonce}`)),
    h('h2', {}, 'Holds and locks'),
    h('div', { class: 'panel' }, table([
      { label: 'Kind', text: true, cell: (x) => x.kind }, { label: 'Reason', text: true, cell: (x) => x.reason }, { label: 'Amount', cell: (x) => myl(x.amount) },
    ], [...acct.holds.map((x) => ({ kind: 'hold', reason: x.reason, amount: x.amount })), ...acct.locks.map((x) => ({ kind: 'lock', reason: x.id, amount: x.amount }))], { empty: 'Nothing held or locked.' })),
    h('h2', {}, 'Stake positions'),
    h('div', { class: 'panel' }, table([
      { label: 'Hotkey', text: true, cell: (x) => account(x.hotkey) }, { label: 'Subnet', cell: (x) => h('a', { href: `#/subnet/${x.netuid}` }, `#${x.netuid}`) },
      { label: 'Amount', cell: (x) => myl(x.amount) }, { label: 'Principal', cell: (x) => myl(x.principal) },
    ], stake.coldkey.positions, { id: 'positions', empty: 'No stake.' })),
    h('h2', {}, 'Hotkeys'),
    h('div', { class: 'panel' }, table([
      { label: 'Hotkey', text: true, cell: (x) => account(x.hotkey) },
      { label: 'Registered on', text: true, cell: (x) => (x.subnets.length ? x.subnets.map((r, i) => [i ? ', ' : '', h('a', { href: `#/subnet/${r.netuid}` }, `#${r.netuid}`), ` uid ${r.uid}`]) : h('span', { class: 'muted' }, 'no subnet')) },
    ], acct.hotkeys, { id: 'hotkeys', empty: 'This account owns no hotkey.' })),
    stake.hotkey.owner ? [h('h2', {}, 'As a hotkey'), h('div', { class: 'panel' }, kv([
      ['owner', account(stake.hotkey.owner)], ['take', pct(stake.hotkey.take)], ['stake behind it', myl(stake.hotkey.total)],
      ['stakers', String(stake.hotkey.stakers.length)], ['subnets', stake.hotkey.subnets.map((x) => `#${x.netuid}`).join(', ') || '–'],
    ]))] : null,
    owned.length ? [h('h2', {}, 'Subnets owned'), h('p', {}, owned.map((x, i) => [i ? ', ' : '', h('a', { href: `#/subnet/${x.netuid}` }, `Subnet ${x.netuid}`)]))] : null,
    h('h2', {}, 'Votes'),
    h('div', { class: 'panel' }, table([
      { label: 'Track', cell: (x) => x.track }, { label: 'Referendum', cell: (x) => (x.referendum === undefined ? '–' : `#${x.referendum}`) },
      { label: 'Vote', text: true, cell: (x) => (x.delegatedTo ? ['delegated to ', account(x.delegatedTo)] : x.vote.kind) },
      { label: 'Conviction', text: true, cell: (x) => (x.delegatedTo ? x.conviction : x.vote.conviction || '–') },
      { label: 'Balance', cell: (x) => myl(x.delegatedTo ? x.balance : x.vote.balance || x.vote.aye) },
    ], acct.votes, { id: 'votes', empty: 'No votes.' })),
  ];
});

// ---- Governance ---------------------------------------------------------------------------

const governancePage = simplePage(async () => {
  const gov = await state.rpc.call('myelin_referenda');
  const tracks = new Map(gov.tracks.map((t) => [t.id, t]));
  const blockMs = observedBlockTime() || state.blockTimeMs;
  const eta = (block) => (blockMs ? `≈ ${duration((block - gov.block) * blockMs)}` : '');
  const ongoing = gov.referenda.filter((r) => r.status === 'ongoing');
  return [
    h('h1', {}, 'Governance'),
    h('h2', {}, 'Referenda'),
    h('div', { class: 'panel' }, table([
      { label: '#', cell: (r) => r.index },
      { label: 'Track', text: true, cell: (r) => r.trackName || '–' },
      { label: 'Proposal', text: true, cell: (r) => (r.proposal ? h('span', { class: 'mono' }, r.proposal) : '–') },
      { label: 'Status', text: true, cell: (r) => h('span', { class: `pill ${r.status === 'approved' ? 'good' : r.status === 'ongoing' ? (r.passing ? 'good' : 'warn') : 'bad'}` }, r.phase || r.status) },
      { label: 'Ayes', cell: (r) => (r.tally ? myl(r.tally.ayes) : '–') },
      { label: 'Nays', cell: (r) => (r.tally ? myl(r.tally.nays) : '–') },
      { label: 'Approval / needed', cell: (r) => (r.tally ? `${pct(r.approval)} / ${pct(r.approvalNeeded)}` : '–') },
      { label: 'Support / needed', cell: (r) => (r.tally ? `${pct(r.support, 3)} / ${pct(r.supportNeeded, 3)}` : '–') },
      { label: 'Deadline', cell: (r) => (r.status !== 'ongoing' ? `ended ${num(r.endedAt)}`
        : r.deadline === null ? 'waits for a deciding slot' : `${r.deadlineKind} ${num(r.deadline)} ${eta(r.deadline)}`) },
    ], gov.referenda, { id: 'referenda', empty: 'No referendum has been submitted.' })),
    ongoing.length ? h('div', { class: 'charts' }, ongoing.filter((r) => tracks.has(r.track)).map((r) => curveChart(tracks.get(r.track), r))) : null,
    h('h2', {}, 'Tracks'),
    h('div', { class: 'panel' }, table([
      { label: 'Id', cell: (t) => t.id }, { label: 'Name', text: true, cell: (t) => t.name },
      { label: 'Max deciding', cell: (t) => t.maxDeciding }, { label: 'Decision deposit', cell: (t) => myl(t.decisionDeposit) },
      { label: 'Prepare', cell: (t) => `${num(t.preparePeriod)} blocks` }, { label: 'Decision', cell: (t) => `${num(t.decisionPeriod)} blocks` },
      { label: 'Confirm', cell: (t) => `${num(t.confirmPeriod)} blocks` }, { label: 'Enactment', cell: (t) => `${num(t.minEnactmentPeriod)} blocks` },
      { label: 'Approval needed', cell: (t) => `${pct(t.approvalCurve[0], 0)} → ${pct(t.approvalCurve[t.approvalCurve.length - 1], 0)}` },
      { label: 'Support needed', cell: (t) => `${pct(t.supportCurve[0], 0)} → ${pct(t.supportCurve[t.supportCurve.length - 1], 0)}` },
    ], gov.tracks, { id: 'tracks' })),
  ];
});

const PAGES = { network: networkPage, subnet: subnetPage, account: accountPage, governance: governancePage };

// ---- start --------------------------------------------------------------------------------

function setStatus(ok) {
  const el = document.getElementById('status');
  el.textContent = ok ? 'live' : 'node unreachable';
  el.className = `status ${ok ? 'ok' : 'down'}`;
  const banner = document.getElementById('banner');
  banner.hidden = ok;
  if (!ok) banner.textContent = `Cannot reach the node's JSON-RPC at ${state.rpc ? state.rpc.url : 'its port'}. Retrying every 2 seconds…`;
  if (ok) refresh();
}

async function start() {
  // Always this node's RPC (never one named by a link, which could show another chain's data
  // under this node's name).
  let url;
  try {
    const config = await (await fetch('config.json')).json();
    url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.hostname}:${config.rpcPort}`;
  } catch (err) {
    document.getElementById('banner').hidden = false;
    document.getElementById('banner').textContent = `The explorer's server did not answer: ${err.message}`;
    return;
  }
  state.rpc = new Rpc(url, setStatus);
  state.rpc.subscribe('chain_subscribeNewHeads', [], (head) => {
    const number = parseInt(head.number, 16);
    if (number <= state.best) return;
    state.best = number;
    state.arrivals.push(Date.now());
    if (state.arrivals.length > 11) state.arrivals.shift();
    document.getElementById('height').textContent = num(number);
    refresh();
  });
  state.rpc.subscribe('chain_subscribeFinalizedHeads', [], (head) => {
    document.getElementById('finalized').textContent = num(parseInt(head.number, 16));
  });
  state.rpc.call('myelin_subnets').then((list) => updateSubnetSelect(list.subnets), () => {});
  state.rpc.call('myelin_network').then((net) => { state.blockTimeMs = net.blockTimeMs; }, () => {});
  document.getElementById('subnet-select').addEventListener('change', (e) => { if (e.target.value) location.hash = `#/subnet/${e.target.value}`; });
  document.getElementById('account-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const value = document.getElementById('account-input').value.trim();
    if (value) location.hash = `#/account/${value}`;
  });
  window.addEventListener('hashchange', route);
  route();
}

start();
