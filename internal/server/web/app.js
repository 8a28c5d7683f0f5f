// The idtriage case page. Every value from the API is set as text
// (textContent), never as markup; the report is shown in a frame that runs
// no script.
'use strict';

const TOKEN = 'idtriage-token';
const LABELS = ['True Positive - Blocked', 'True Positive - Compromised',
  'Benign Positive', 'False Positive', 'Undetermined'];
const $ = (sel) => document.querySelector(sel);

let me = null;

// api calls the API with the tab's token; a 401 forgets it.
async function api(path, opts = {}) {
  const headers = Object.assign({}, opts.headers,
    { Authorization: 'Bearer ' + sessionStorage.getItem(TOKEN) });
  const res = await fetch(path, Object.assign({}, opts, { headers }));
  if (res.status === 401) {
    sessionStorage.removeItem(TOKEN);
    me = null;
    show('login');
    throw new Error('the token was refused');
  }
  if (!res.ok) {
    let msg = res.statusText;
    try { msg = (await res.json()).error; } catch (e) { /* not JSON */ }
    throw new Error(msg);
  }
  return res;
}

function show(id) {
  for (const s of ['login', 'queue', 'case']) {
    $('#' + s).hidden = s !== id;
  }
  $('#logout').hidden = id === 'login';
}

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

// badge classes come from a fixed list, never from the data itself.
const VERDICT_CLASS = {
  true_positive: 'tp', benign_positive: 'bp', false_positive: 'fp', undetermined: 'und',
};
const CONFIDENCE_CLASS = { low: 'low', medium: 'medium', high: 'high', confirmed: 'confirmed' };

function verdictBadge(v) {
  let cls = VERDICT_CLASS[v.disposition] || 'und';
  if (v.outcome === 'compromised') cls = 'tpc';
  return el('span', v.label, 'badge verdict ' + cls);
}

function confidenceBadge(v) {
  return el('span', v.confidence, 'badge confidence ' + (CONFIDENCE_CLASS[v.confidence] || ''));
}

function decisionText(d) {
  if (!d) return 'not reviewed';
  return d.action === 'overturn' ? 'overturned to ' + d.label + ' by ' + d.analyst
    : 'confirmed by ' + d.analyst;
}

function when(t) {
  return new Date(t).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}

async function whoami() {
  if (me) return me;
  me = await (await api('/api/v1/whoami')).json();
  $('#who').textContent = me.name + ' (' + me.role + ')';
  return me;
}

async function loadQueue() {
  show('queue');
  const q = new URLSearchParams();
  const user = $('#f-user').value.trim();
  if (user) q.set('user', user);
  if ($('#f-verdict').value) q.set('verdict', $('#f-verdict').value);
  if ($('#f-since').value) q.set('since', $('#f-since').value);
  const body = $('#cases tbody');
  try {
    const list = await (await api('/api/v1/cases?' + q)).json();
    body.replaceChildren();
    for (const c of list.cases) {
      const tr = el('tr');
      tr.dataset.id = c.id;
      tr.append(el('td', when(c.created)));
      const who = el('td');
      const link = el('a', c.user);
      link.href = '#/cases/' + encodeURIComponent(c.id);
      who.append(link);
      tr.append(who);
      const v = el('td');
      v.append(verdictBadge(c.verdict));
      tr.append(v);
      const conf = el('td');
      conf.append(confidenceBadge(c.verdict));
      tr.append(conf);
      tr.append(el('td', decisionText(c.latestDecision), 'decision'));
      body.append(tr);
    }
    $('#queue-msg').textContent = list.cases.length ? '' : 'No case matches.';
  } catch (e) {
    $('#queue-msg').textContent = e.message;
  }
}

async function loadCase(id) {
  show('case');
  const c = await (await api('/api/v1/cases/' + encodeURIComponent(id))).json();
  $('#case').dataset.id = c.id;
  $('#case-user').textContent = c.user;
  $('#case-meta').textContent = 'Alert ' + c.alertId + ', opened ' + when(c.created) +
    ' by ' + c.node;
  const mv = $('#machine-verdict');
  mv.querySelector('.verdict').replaceWith(verdictBadge(c.verdict));
  mv.querySelector('.confidence').replaceWith(confidenceBadge(c.verdict));
  mv.querySelector('.summary').textContent = c.verdict.summary;
  const list = $('#decisions');
  list.replaceChildren();
  for (const d of c.decisions || []) {
    list.append(el('li', when(d.time) + ': ' + decisionText(d) + ': ' + d.note));
  }
  if (!(c.decisions || []).length) {
    list.append(el('li', 'No analyst has ruled on this case yet.'));
  }

  const label = $('#label');
  label.replaceChildren(...LABELS.filter((l) => l !== c.verdict.label)
    .map((l) => { const o = el('option', l); o.value = l; return o; }));
  const mayDecide = me && (me.role === 'analyst' || me.role === 'admin');
  $('#decide fieldset').disabled = !mayDecide;
  $('#decide-msg').textContent = mayDecide ? ''
    : 'Confirming or overturning needs an analyst token.';

  const html = await (await api('/api/v1/cases/' + encodeURIComponent(id) +
    '?format=html')).text();
  $('#report').srcdoc = html;
}

// fitReport grows the report frame to its page, so the page scrolls as one.
function fitReport() {
  const d = $('#report').contentDocument;
  if (d && d.documentElement) {
    $('#report').style.height = (d.documentElement.scrollHeight + 20) + 'px';
  }
}

async function decide(ev) {
  ev.preventDefault();
  const id = $('#case').dataset.id;
  const action = new FormData($('#decide')).get('action');
  const body = { action, note: $('#note').value };
  if (action === 'overturn') body.label = $('#label').value;
  try {
    await api('/api/v1/cases/' + encodeURIComponent(id) + '/decisions', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    $('#note').value = '';
    await loadCase(id);
    $('#decide-msg').textContent = 'Decision recorded.';
  } catch (e) {
    $('#decide-msg').textContent = e.message;
  }
}

async function route() {
  if (!sessionStorage.getItem(TOKEN)) {
    show('login');
    return;
  }
  try {
    await whoami();
    const m = location.hash.match(/^#\/cases\/(.+)$/);
    if (m) await loadCase(decodeURIComponent(m[1]));
    else await loadQueue();
  } catch (e) {
    const msg = $('#login').hidden ? '#queue-msg' : '#login-msg';
    $(msg).textContent = e.message;
  }
}

document.addEventListener('DOMContentLoaded', () => {
  $('#login-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    sessionStorage.setItem(TOKEN, $('#token').value.trim());
    $('#token').value = '';
    me = null;
    route();
  });
  $('#logout').addEventListener('click', () => {
    sessionStorage.removeItem(TOKEN);
    me = null;
    $('#who').textContent = '';
    show('login');
  });
  $('#filters').addEventListener('submit', (ev) => { ev.preventDefault(); loadQueue(); });
  $('#decide').addEventListener('submit', decide);
  for (const r of document.querySelectorAll('#decide input[name=action]')) {
    r.addEventListener('change', () => {
      $('#label').disabled = r.value !== 'overturn' || !r.checked;
    });
  }
  $('#report').addEventListener('load', fitReport);
  window.addEventListener('hashchange', route);
  route();
});
