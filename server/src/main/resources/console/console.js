// Rollcall operator console: plain JavaScript, no build step. REST (/console/api/...) for lists that may be
// huge (filtered, sorted and paged by the server); the real ably-js, served by this server, for everything
// live on the chosen channel, so the console sees exactly what an SDK sees.
'use strict';
(() => {
  const METRICS = ['connections', 'publishers', 'subscribers', 'presenceConnections', 'presenceMembers',
    'presenceSubscribers', 'objectPublishers', 'objectSubscribers'];
  /** Column headings that fit: Ably's metric names, broken into words. */
  const LABELS = {
    name: 'channel', connections: 'connections', publishers: 'publishers', subscribers: 'subscribers',
    presenceConnections: 'presence connections', presenceMembers: 'presence members',
    presenceSubscribers: 'presence subscribers', objectPublishers: 'object publishers', objectSubscribers: 'object subscribers',
  };
  const LOG_MAX = 500;
  const POLL_MS = 1000;
  const $ = (id) => document.getElementById(id);
  const s = {
    key: null, who: null, sort: 'name', order: 'asc', offset: 0, limit: 50, filter: '', total: 0,
    selected: null, memberOffset: 0, memberLimit: 100, memberFilter: '', memberTotal: 0,
    realtime: null, channel: null, timer: null, busy: false,
  };

  // ---- REST

  async function api(path) {
    const res = await fetch(path, {
      headers: { Authorization: 'Basic ' + btoa(s.key), Accept: 'application/json' },
      cache: 'no-store',
    });
    let body = null;
    try { body = await res.json(); } catch { /* not JSON */ }
    if (!res.ok) {
      const e = (body && body.error) || {};
      const err = new Error(e.message || res.statusText || 'request failed');
      err.code = e.code;
      err.status = res.status;
      throw err;
    }
    return body;
  }

  const describe = (e) => `${e.message}${e.code ? ` (${e.code})` : ''}`;
  const text = (el, t) => { el.textContent = t; };
  function cell(row, value, cls) {
    const td = document.createElement('td');
    if (cls) td.className = cls;
    td.textContent = value;
    row.appendChild(td);
    return td;
  }

  // ---- sign in

  async function signIn(key) {
    text($('signin-error'), '');
    s.key = key.trim();
    try {
      s.who = await api('/console/api/whoami');
    } catch (e) {
      s.key = null;
      text($('signin-error'), `Key refused: ${describe(e)}`);
      $('key').focus();
      return;
    }
    $('key').value = '';
    $('signin').hidden = true;
    $('main').hidden = false;
    $('signout').hidden = false;
    const id = $('identity');
    id.hidden = false;
    text(id, `app ${s.who.appId} · key ${s.who.keyName} · node ${s.who.nodeId}`);
    text($('app-name'), `in app ${s.who.appId}`);
    connectRealtime();
    buildChannelHead();
    await refresh();
    s.timer = setInterval(() => { if ($('live').checked) refresh(); }, POLL_MS);
    $('channel-filter').focus();
  }

  function signOut() {
    clearInterval(s.timer);
    if (s.realtime) s.realtime.close();
    Object.assign(s, { key: null, who: null, realtime: null, channel: null, selected: null, offset: 0 });
    $('main').hidden = true;
    $('detail').hidden = true;
    $('signout').hidden = true;
    $('identity').hidden = true;
    $('signin').hidden = false;
    $('key').focus();
  }

  function connectRealtime() {
    const tls = location.protocol === 'https:';
    s.realtime = new Ably.Realtime({
      key: s.key,
      endpoint: location.hostname,
      port: Number(location.port) || (tls ? 443 : 80),
      tls,
      disableConnectivityCheck: true,
      fallbackHosts: [],
      transports: ['web_socket'],
      logLevel: 1,
    });
    s.realtime.connection.on((change) => {
      if (s.selected) text($('detail-state'), `connection ${change.current}${change.reason ? ': ' + describe(change.reason) : ''}`);
    });
  }

  // ---- channels: filtered, sorted and paged by the server

  function buildChannelHead() {
    const head = $('channel-head');
    head.textContent = '';
    for (const col of ['name', ...METRICS]) {
      const th = document.createElement('th');
      th.scope = 'col';
      if (col === 'name') th.className = 'text';
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'sort';
      b.dataset.sort = col;
      b.textContent = LABELS[col];
      b.title = `Sort by ${col}`;
      b.addEventListener('click', () => {
        if (s.sort === col) s.order = s.order === 'asc' ? 'desc' : 'asc';
        else { s.sort = col; s.order = col === 'name' ? 'asc' : 'desc'; }
        s.offset = 0;
        refreshChannels();
      });
      th.appendChild(b);
      head.appendChild(th);
    }
    markSort();
  }

  function markSort() {
    for (const th of $('channel-head').children) {
      const col = th.firstChild.dataset.sort;
      th.setAttribute('aria-sort', col === s.sort ? (s.order === 'asc' ? 'ascending' : 'descending') : 'none');
      th.firstChild.textContent = LABELS[col] + (col === s.sort ? (s.order === 'asc' ? ' ▲' : ' ▼') : '');
    }
  }

  async function refresh() {
    if (s.busy || !s.key) return;
    s.busy = true;
    try {
      await Promise.all([refreshChannels(), refreshMembers(), refreshWebhooks(), refreshNodes()]);
    } finally {
      s.busy = false;
    }
  }

  async function refreshChannels() {
    const q = new URLSearchParams({ filter: s.filter, sort: s.sort, order: s.order, offset: s.offset, limit: s.limit });
    let page;
    try {
      page = await api(`/console/api/channels?${q}`);
    } catch (e) {
      text($('channels-status'), `Channels unavailable: ${describe(e)}`);
      return;
    }
    s.total = page.total;
    if (s.offset > 0 && s.offset >= page.total) {
      s.offset = Math.max(0, Math.floor((page.total - 1) / s.limit) * s.limit);
      return refreshChannels();
    }
    const rows = $('channel-rows');
    const frag = document.createDocumentFragment();
    for (const item of page.items) {
      const tr = document.createElement('tr');
      tr.dataset.channel = item.name;
      if (item.name === s.selected) tr.className = 'selected';
      const td = document.createElement('td');
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'link';
      b.textContent = item.name;
      b.addEventListener('click', () => select(item.name));
      td.appendChild(b);
      tr.appendChild(td);
      for (const m of METRICS) cell(tr, String(item.metrics[m] ?? 0)).dataset.metric = m;
      frag.appendChild(tr);
    }
    // Keep keyboard focus on the same channel across a refresh.
    const focused = document.activeElement && document.activeElement.closest && document.activeElement.closest('#channel-rows tr');
    const focusName = focused ? focused.dataset.channel : null;
    rows.replaceChildren(frag);
    if (focusName) {
      const again = rows.querySelector(`tr[data-channel="${CSS.escape(focusName)}"] button`);
      if (again) again.focus();
    }
    markSort();
    const from = page.total === 0 ? 0 : s.offset + 1;
    const to = s.offset + page.items.length;
    text($('channels-range'), `${from}–${to} of ${page.total}`);
    text($('channels-status'), page.total === 0 ? 'No active channels visible to this key.' : '');
    $('channels-prev').disabled = s.offset === 0;
    $('channels-next').disabled = to >= page.total;
  }

  // ---- one channel: members (REST, paged), occupancy and log (ably-js, live), test client

  function select(name) {
    if (s.channel) {
      s.channel.unsubscribe();
      s.channel.presence.unsubscribe();
      s.channel.detach().catch(() => {});
    }
    s.selected = name;
    s.memberOffset = 0;
    $('detail').hidden = false;
    text($('detail-name'), name);
    $('log').textContent = '';
    pendingLog = [];
    renderOccupancy(null);
    for (const tr of $('channel-rows').children) tr.classList.toggle('selected', tr.dataset.channel === name);
    const ch = s.realtime.channels.get(name, { params: { occupancy: 'metrics' } });
    s.channel = ch;
    ch.subscribe((msg) => {
      if (ch !== s.channel) return;
      if (msg.name === '[meta]occupancy') {
        renderOccupancy(msg.data && msg.data.metrics);
      } else {
        log('message', `${msg.name ?? ''} from ${msg.clientId ?? '-'} (${msg.connectionId ?? ''}): ${show(msg.data)}`);
      }
    });
    ch.presence.subscribe((p) => {
      if (ch !== s.channel) return;
      // A SYNC of 10,000 members is one log line and one refresh, not 10,000 of each.
      if (p.action === 'present') presentSynced(ch); else log(`presence ${p.action}`, `${p.clientId} (${p.connectionId}): ${show(p.data)}`);
      membersChanged();
    });
    ch.on((change) => {
      if (ch !== s.channel) return;
      text($('detail-state'), `channel ${change.current}${change.reason ? ': ' + describe(change.reason) : ''}`);
    });
    refreshMembers();
    $('detail-title').scrollIntoView({ block: 'nearest' });
  }

  function renderOccupancy(metrics) {
    const dl = $('occupancy');
    dl.textContent = '';
    for (const m of METRICS) {
      const div = document.createElement('div');
      const dt = document.createElement('dt');
      dt.textContent = LABELS[m];
      const dd = document.createElement('dd');
      dd.id = `occ-${m}`;
      dd.textContent = metrics ? String(metrics[m] ?? 0) : '–';
      div.append(dt, dd);
      dl.appendChild(div);
    }
  }

  let membersTimer = null;
  function membersChanged() {
    if (membersTimer === null) {
      membersTimer = setTimeout(() => { membersTimer = null; refreshMembers(); }, 250);
    }
  }

  async function refreshMembers() {
    if (!s.selected) return;
    const name = s.selected;
    const q = new URLSearchParams({ filter: s.memberFilter, offset: s.memberOffset, limit: s.memberLimit });
    let page;
    try {
      page = await api(`/console/api/channels/${encodeURIComponent(name)}/members?${q}`);
    } catch (e) {
      text($('members-status'), `Members unavailable: ${describe(e)}`);
      $('member-rows').textContent = '';
      text($('members-range'), '');
      return;
    }
    if (name !== s.selected) return;
    s.memberTotal = page.total;
    const frag = document.createDocumentFragment();
    for (const m of page.items) {
      const tr = document.createElement('tr');
      tr.dataset.clientId = m.clientId;
      cell(tr, m.clientId, 'text');
      cell(tr, m.connectionId, 'text');
      cell(tr, show(m.data), 'text data');
      cell(tr, new Date(m.timestamp).toLocaleTimeString(), 'text').title = new Date(m.timestamp).toISOString();
      frag.appendChild(tr);
    }
    $('member-rows').replaceChildren(frag);
    const from = page.total === 0 ? 0 : s.memberOffset + 1;
    const to = s.memberOffset + page.items.length;
    text($('members-range'), `${from}–${to} of ${page.total}`);
    text($('members-status'), page.total === 0 ? 'Nobody is present.' : '');
    $('members-prev').disabled = s.memberOffset === 0;
    $('members-next').disabled = to >= page.total;
  }

  function show(data) {
    if (data === undefined || data === null) return '';
    if (typeof data === 'string') return data;
    if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return `<${data.byteLength} bytes>`;
    return JSON.stringify(data);
  }

  // Log lines are written to the page once per frame, whatever the event rate: a burst costs one layout.
  const timeFormat = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });
  let pendingLog = [];
  function log(kind, message) {
    pendingLog.push([`${timeFormat.format(new Date())} ${kind} `, message]);
    if (pendingLog.length > LOG_MAX) pendingLog = pendingLog.slice(-LOG_MAX);
    if (pendingLog.length === 1) requestAnimationFrame(flushLog);
  }

  function flushLog() {
    const ol = $('log');
    const batch = document.createDocumentFragment();
    for (let i = pendingLog.length - 1; i >= 0; i -= 1) {
      const li = document.createElement('li');
      const k = document.createElement('span');
      k.className = 'kind';
      k.textContent = pendingLog[i][0];
      li.append(k, document.createTextNode(pendingLog[i][1]));
      batch.appendChild(li);
    }
    pendingLog = [];
    ol.prepend(batch);
    while (ol.childElementCount > LOG_MAX) ol.lastElementChild.remove();
  }

  // PRESENT events (a SYNC) are counted per channel and logged as one line.
  let present = { ch: null, n: 0 };
  function presentSynced(ch) {
    if (present.ch !== ch) present = { ch, n: 0 };
    const counted = present;
    counted.n += 1;
    if (counted.n === 1) {
      setTimeout(() => {
        if (ch === s.channel) log('presence present', `${counted.n} member${counted.n === 1 ? '' : 's'} present`);
        counted.n = 0;
      }, 250);
    }
  }

  function parseData(v) {
    try { return JSON.parse(v); } catch { return v; }
  }

  async function publish(ev) {
    ev.preventDefault();
    if (!s.channel) return;
    try {
      await s.channel.publish($('publish-name').value, parseData($('publish-data').value));
      text($('action-status'), 'Published.');
    } catch (e) {
      text($('action-status'), `Publish refused: ${describe(e)}`);
    }
  }

  async function enter(ev) {
    ev.preventDefault();
    if (!s.channel) return;
    try {
      await s.channel.presence.enterClient($('presence-client').value, parseData($('presence-data').value));
      text($('action-status'), `Entered as ${$('presence-client').value}.`);
    } catch (e) {
      text($('action-status'), `Enter refused: ${describe(e)}`);
    }
  }

  async function leave() {
    if (!s.channel) return;
    try {
      await s.channel.presence.leaveClient($('presence-client').value);
      text($('action-status'), `Left as ${$('presence-client').value}.`);
    } catch (e) {
      text($('action-status'), `Leave refused: ${describe(e)}`);
    }
  }

  // ---- webhooks and nodes (need channel-metadata on '*')

  async function refreshWebhooks() {
    try {
      const r = await api('/console/api/webhooks');
      const frag = document.createDocumentFragment();
      for (const w of r.items) {
        const tr = document.createElement('tr');
        tr.dataset.rule = w.id;
        cell(tr, w.id, 'text');
        cell(tr, w.source, 'text');
        cell(tr, w.url, 'text');
        for (const f of ['queueDepth', 'delivered', 'retried', 'failed', 'dropped']) cell(tr, String(w[f])).dataset.field = f;
        frag.appendChild(tr);
      }
      $('webhook-rows').replaceChildren(frag);
      text($('webhooks-status'), r.items.length === 0 ? 'No webhook rules serve this app.' : '');
    } catch (e) {
      $('webhook-rows').textContent = '';
      text($('webhooks-status'), `Not shown: ${describe(e)}`);
    }
  }

  async function refreshNodes() {
    try {
      const r = await api('/console/api/nodes');
      const frag = document.createDocumentFragment();
      for (const n of r.items) {
        const tr = document.createElement('tr');
        cell(tr, n.nodeId, 'text');
        cell(tr, n.self ? 'yes' : '', 'text');
        cell(tr, n.leaseExpires ? new Date(n.leaseExpires).toLocaleTimeString() : 'single node (memory engine)', 'text');
        frag.appendChild(tr);
      }
      $('node-rows').replaceChildren(frag);
      text($('nodes-status'), '');
    } catch (e) {
      $('node-rows').textContent = '';
      text($('nodes-status'), `Not shown: ${describe(e)}`);
    }
  }

  // ---- wiring

  function debounce(fn, ms) {
    let t;
    return (...a) => { clearTimeout(t); t = setTimeout(() => fn(...a), ms); };
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('signin-form').addEventListener('submit', (ev) => { ev.preventDefault(); signIn($('key').value); });
    $('signout').addEventListener('click', signOut);
    $('channel-filter').addEventListener('input', debounce((ev) => { s.filter = ev.target.value; s.offset = 0; refreshChannels(); }, 200));
    $('page-size').addEventListener('change', (ev) => { s.limit = Number(ev.target.value); s.offset = 0; refreshChannels(); });
    $('channels-prev').addEventListener('click', () => { s.offset = Math.max(0, s.offset - s.limit); refreshChannels(); });
    $('channels-next').addEventListener('click', () => { s.offset += s.limit; refreshChannels(); });
    $('member-filter').addEventListener('input', debounce((ev) => { s.memberFilter = ev.target.value; s.memberOffset = 0; refreshMembers(); }, 200));
    $('members-prev').addEventListener('click', () => { s.memberOffset = Math.max(0, s.memberOffset - s.memberLimit); refreshMembers(); });
    $('members-next').addEventListener('click', () => { s.memberOffset += s.memberLimit; refreshMembers(); });
    $('publish-form').addEventListener('submit', publish);
    $('presence-form').addEventListener('submit', enter);
    $('presence-leave').addEventListener('click', leave);
    // /console#key=appId.keyId:secret signs in at once (scripted use); the key then leaves the address bar.
    const fromFragment = () => {
      const m = /(?:^#|&)key=([^&]+)/.exec(location.hash);
      if (!m) return false;
      history.replaceState(null, '', location.pathname + location.search);
      if (s.key) signOut();
      signIn(decodeURIComponent(m[1]));
      return true;
    };
    window.addEventListener('hashchange', fromFragment);
    if (!fromFragment()) $('key').focus();
  });
})();
