// The ops console: reads /admin/me, /admin/stages, /admin/dead-letters/... and /admin/messages. Every text that
// comes from a message is put in the page as text (textContent), never as HTML, so a message that contains markup
// shows it and does not run it. POSTs send the XSRF-TOKEN cookie's value back as X-XSRF-TOKEN.
'use strict';

const REFRESH_MS = 3000;
const PAGE_SIZE = 20;
const state = { admin: false, dlq: null, page: 0, total: 0, selected: new Set(), deadLetters: [] };

const $ = (id) => document.getElementById(id);

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function xsrfToken() {
  const cookie = document.cookie.split('; ').find((c) => c.startsWith('XSRF-TOKEN='));
  return cookie ? decodeURIComponent(cookie.substring('XSRF-TOKEN='.length)) : '';
}

async function api(path, options = {}) {
  const init = { credentials: 'same-origin', headers: { Accept: 'application/json' }, ...options };
  if (init.method === 'POST') {
    init.headers = { ...init.headers, 'Content-Type': 'application/json', 'X-XSRF-TOKEN': xsrfToken() };
  }
  const response = await fetch(path, init);
  if (response.status === 401) {
    window.location.assign('/login');
    throw new Error('logged out');
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = new Error(body.message || ('HTTP ' + response.status));
    error.status = response.status;
    error.body = body;
    throw error;
  }
  return body;
}

function say(text, isError) {
  const status = $('action-status');
  status.textContent = text;
  status.className = isError ? 'error' : '';
}

function age(seconds) {
  if (!seconds) return '–';
  if (seconds < 120) return seconds.toFixed(1) + ' s';
  if (seconds < 7200) return Math.round(seconds / 60) + ' min';
  if (seconds < 172800) return (seconds / 3600).toFixed(1) + ' h';
  return (seconds / 86400).toFixed(1) + ' d';
}

// ---- who is logged in ----
async function loadMe() {
  const me = await api('/admin/me');
  state.admin = me.admin;
  $('who').textContent = me.user + ' (' + (me.admin ? 'admin' : 'viewer') + ')';
  document.querySelectorAll('.admin-action').forEach((button) => {
    button.disabled = !me.admin;
    if (!me.admin) button.title = 'Only the admin account may do this';
  });
}

// ---- stages ----
async function loadStages() {
  const answer = await api('/admin/stages');
  const body = $('stages').tBodies[0];
  body.replaceChildren();
  const select = $('dlq-name');
  for (const queue of answer.queues) {
    const row = el('tr', null, queue.kind + (queue.depth > 0 ? ' waiting' : ''));
    row.id = 'stage-' + queue.queue;
    row.append(el('td', queue.name), el('td', queue.queue, 'mono'), el('td', queue.kind));
    const depth = el('td', queue.depth, 'num depth');
    depth.id = 'depth-' + queue.queue;
    const oldest = el('td', age(queue.oldestAgeSeconds), 'num');
    oldest.id = 'age-' + queue.queue;
    row.append(depth, oldest);
    body.append(row);
    if (queue.kind === 'dead-letter' && !select.querySelector('option[value="' + queue.name + '"]')) {
      const option = el('option', queue.name + ' (' + queue.queue + ')');
      option.value = queue.name;
      select.append(option);
    }
  }
  const breaker = $('breaker');
  breaker.textContent = answer.crmCircuitBreaker.state + ' (failure rate ' +
    (answer.crmCircuitBreaker.failureRate < 0 ? 'n/a' : answer.crmCircuitBreaker.failureRate.toFixed(0) + ' %') + ')';
  breaker.className = 'state-' + answer.crmCircuitBreaker.state;
  $('stages-at').textContent = 'read ' + new Date(answer.at).toLocaleTimeString();
  if (!state.dlq && select.options.length) {
    state.dlq = select.value;
  }
}

// ---- dead letters ----
async function loadDeadLetters() {
  if (!state.dlq) return;
  const answer = await api('/admin/dead-letters/' + encodeURIComponent(state.dlq) + '/messages?page=' + state.page +
    '&size=' + PAGE_SIZE);
  state.total = answer.total;
  state.deadLetters = answer.messages;
  const present = new Set(answer.messages.map((m) => m.messageId));
  [...state.selected].forEach((id) => { if (!present.has(id)) state.selected.delete(id); });
  const body = $('dead-letters').tBodies[0];
  body.replaceChildren();
  for (const message of answer.messages) {
    const row = el('tr');
    row.dataset.messageId = message.messageId;
    row.dataset.canonicalId = message.canonicalId || '';
    const check = document.createElement('input');
    check.type = 'checkbox';
    check.className = 'select';
    check.checked = state.selected.has(message.messageId);
    check.addEventListener('change', () => {
      if (check.checked) state.selected.add(message.messageId); else state.selected.delete(message.messageId);
    });
    const boxCell = el('td');
    boxCell.append(check);
    const crm = message.crmStatus ? message.crmStatus + (message.crmAnswer ? ': ' + message.crmAnswer : '') : '';
    row.append(boxCell, el('td', message.messageId, 'mono'), el('td', message.canonicalId, 'mono'),
      el('td', message.provider), el('td', message.type), el('td', message.reason, 'reason'),
      el('td', message.attempts, 'num'), el('td', message.deadLetteredAt), el('td', crm, 'reason'));
    const actions = el('td', null, 'actions');
    const view = el('button', 'JSON', 'view');
    view.type = 'button';
    view.addEventListener('click', () => showMessage(message.messageId));
    const replay = el('button', 'Replay', 'admin-action replay-one');
    replay.type = 'button';
    replay.disabled = !state.admin || !answer.replayable;
    replay.addEventListener('click', () => replayIds([message.messageId]));
    const discard = el('button', 'Discard', 'admin-action danger discard-one');
    discard.type = 'button';
    discard.disabled = !state.admin;
    discard.addEventListener('click', () => discardIds([message.messageId]));
    actions.append(view, replay, discard);
    row.append(actions);
    body.append(row);
  }
  $('dlq-total').textContent = answer.total + ' waiting';
  const pages = Math.max(1, Math.ceil(answer.total / PAGE_SIZE));
  $('page-info').textContent = 'page ' + (state.page + 1) + ' of ' + pages;
  $('page-prev').disabled = state.page === 0;
  $('page-next').disabled = state.page + 1 >= pages;
  for (const id of ['replay-selected', 'replay-all']) $(id).disabled = !state.admin || !answer.replayable;
  for (const id of ['discard-selected', 'discard-all']) $(id).disabled = !state.admin;
}

async function showMessage(messageId) {
  try {
    const message = await api('/admin/dead-letters/' + encodeURIComponent(state.dlq) + '/messages/' +
      encodeURIComponent(messageId));
    $('message-title').textContent = (message.canonicalId || message.messageId) + ' · ' + (message.reason || '');
    $('message-json').textContent = typeof message.body === 'string' ? message.body
      : JSON.stringify(message.body, null, 2);
    $('message-properties').textContent = JSON.stringify(message.properties, null, 2);
    $('message-dialog').showModal();
  } catch (e) {
    say(e.message, true);
  }
}

function confirmDialog(text, okLabel) {
  return new Promise((resolve) => {
    const dialog = $('confirm-dialog');
    $('confirm-text').textContent = text;
    $('confirm-ok').textContent = okLabel;
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
    dialog.returnValue = '';
    dialog.showModal();
  });
}

async function act(doIt) {
  try {
    say(await doIt(), false);
  } catch (e) {
    say(e.message, true);
  }
  await refresh();
}

function replayIds(ids) {
  if (!ids.length) return Promise.resolve();
  return act(async () => {
    const answer = await api('/admin/dead-letters/' + encodeURIComponent(state.dlq) + '/replay',
      { method: 'POST', body: JSON.stringify({ ids }) });
    ids.forEach((id) => state.selected.delete(id));
    return 'Replayed ' + answer.replayed + ' to ' + answer.replaysTo + ', ' + answer.left + ' left';
  });
}

async function replayAll() {
  if (!await confirmDialog('Replay every message on ' + queueOf(state.dlq) + '?', 'Replay all')) return;
  await act(async () => {
    const answer = await api('/admin/dead-letters/' + encodeURIComponent(state.dlq) + '/replay?max=10000',
      { method: 'POST' });
    state.selected.clear();
    return 'Replayed ' + answer.replayed + ' to ' + answer.replaysTo + ', ' + answer.left + ' left';
  });
}

async function discardIds(ids) {
  if (!ids.length) return;
  if (!await confirmDialog('Discard ' + ids.length + ' message(s) from ' + queueOf(state.dlq) +
    ' for good?', 'Discard')) return;
  await act(async () => {
    const answer = await api('/admin/dead-letters/' + encodeURIComponent(state.dlq) + '/discard',
      { method: 'POST', body: JSON.stringify({ ids }) });
    ids.forEach((id) => state.selected.delete(id));
    return 'Discarded ' + answer.discarded + ', ' + answer.left + ' left';
  });
}

async function discardAll() {
  const queue = queueOf(state.dlq);
  if (!await confirmDialog('Discard EVERY message on ' + queue + ' for good?', 'Discard all')) return;
  await act(async () => {
    const answer = await api('/admin/dead-letters/' + encodeURIComponent(state.dlq) + '/discard?confirm=' +
      encodeURIComponent(queue), { method: 'POST' });
    state.selected.clear();
    return 'Discarded ' + answer.discarded + ', ' + answer.left + ' left';
  });
}

function queueOf(name) {
  const option = $('dlq-name').querySelector('option[value="' + name + '"]');
  return option ? option.textContent.replace(/^.*\((.*)\)$/, '$1') : name;
}

// ---- search ----
async function search(event) {
  event.preventDefault();
  const form = new FormData($('search'));
  const query = new URLSearchParams();
  for (const [key, value] of form.entries()) {
    if (!value) continue;
    query.set(key, (key === 'from' || key === 'to') ? new Date(value).toISOString() : value);
  }
  const status = $('search-status');
  const results = $('search-results');
  results.replaceChildren();
  try {
    const answer = await api('/admin/messages?' + query.toString());
    status.textContent = answer.count + ' found';
    status.className = '';
    for (const message of answer.messages) {
      const found = el('div', null, 'found');
      found.dataset.id = message.id;
      found.append(el('strong', message.id), el('span', ' · ' + [message.provider, message.type, message.kind]
        .filter(Boolean).join(' · ') + ' · chat ' + (message.chat || '–') + ' · first seen ' +
        (message.firstSeen || '–') + ', last seen ' + (message.lastSeen || '–')));
      const timeline = el('ol', null, 'timeline');
      for (const event of message.events || []) {
        const item = el('li');
        item.append(el('time', event.at), document.createTextNode(' '), el('span', event.stage, 'stage'),
          document.createTextNode(' → '), el('span', event.outcome, 'outcome'),
          el('span', event.queue ? ' (' + event.queue + ')' : ''), el('span', event.detail ? ': ' + event.detail : ''));
        timeline.append(item);
      }
      found.append(timeline);
      results.append(found);
    }
  } catch (e) {
    status.textContent = e.message;
    status.className = 'error';
  }
}

// ---- wiring ----
async function refresh() {
  try {
    await loadStages();
    await loadDeadLetters();
  } catch (e) {
    if (e.message !== 'logged out') say(e.message, true);
  }
}

document.addEventListener('DOMContentLoaded', async () => {
  $('dlq-name').addEventListener('change', () => {
    state.dlq = $('dlq-name').value;
    state.page = 0;
    state.selected.clear();
    loadDeadLetters().catch((e) => say(e.message, true));
  });
  $('select-all').addEventListener('change', () => {
    const on = $('select-all').checked;
    for (const message of state.deadLetters) {
      if (on) state.selected.add(message.messageId); else state.selected.delete(message.messageId);
    }
    document.querySelectorAll('#dead-letters input.select').forEach((box) => { box.checked = on; });
  });
  $('page-prev').addEventListener('click', () => { state.page = Math.max(0, state.page - 1); refresh(); });
  $('page-next').addEventListener('click', () => { state.page += 1; refresh(); });
  $('replay-selected').addEventListener('click', () => replayIds([...state.selected]));
  $('replay-all').addEventListener('click', replayAll);
  $('discard-selected').addEventListener('click', () => discardIds([...state.selected]));
  $('discard-all').addEventListener('click', discardAll);
  $('search').addEventListener('submit', search);
  $('logout').addEventListener('click', async () => {
    await fetch('/logout', { method: 'POST', credentials: 'same-origin', headers: { 'X-XSRF-TOKEN': xsrfToken() } });
    window.location.assign('/login?logout');
  });
  try {
    await loadMe();
  } catch (e) {
    say(e.message, true);
  }
  await refresh();
  document.body.dataset.ready = 'true';
  setInterval(refresh, REFRESH_MS);
});
