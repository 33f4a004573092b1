// "Practising now": ticks each timer every second from the session's start and asks the server
// who is practising every 5 s, so the panel stays current without a reload. Names are set with
// textContent, never as HTML.
import { poll } from './poll.js';

const POLL_MS = 5000;
const panel = document.getElementById('live');
const list = document.getElementById('live-list');
let clockOffset = 0; // server time minus browser time, so a wrong PC clock does not skew the timers

function duration(seconds) {
  const whole = Math.max(0, Math.floor(seconds));
  const minutes = Math.floor(whole / 60);
  const rest = whole % 60;
  return minutes ? `${minutes} min ${String(rest).padStart(2, '0')} s` : `${rest} s`;
}

function tick() {
  const now = Date.now() + clockOffset;
  for (const item of list.querySelectorAll('.live-item')) {
    // Each state has its own timer, from when it began; only a recording or an analysis can look stuck.
    const elapsed = (now - Date.parse(item.dataset.since)) / 1000;
    item.querySelector('.elapsed').textContent = duration(elapsed);
    const stuck = item.dataset.stuckAfter !== '' && elapsed > Number(item.dataset.stuckAfter);
    item.classList.toggle('is-stuck', stuck);
    item.querySelector('.live-stuck').hidden = !stuck;
  }
}

function span(className, text) {
  const el = document.createElement('span');
  el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

function buildItem(entry) {
  const item = document.createElement('li');
  item.className = 'live-item is-new';
  item.dataset.sessionId = entry.session_id;
  const name = document.createElement('a');
  name.className = 'live-name';
  name.href = entry.progress_url;
  name.textContent = entry.student.name;
  const timer = span('live-timer');
  timer.append(span('live-state'), ' for ', span('elapsed'));
  const badge = span('badge badge-bad live-stuck', '⚠ May be stuck');
  badge.hidden = true;
  item.append(name, ' ', span('muted live-topic', entry.topic || 'Free practice'), ' ', timer, ' ', badge);
  return item;
}

function render(data) {
  clockOffset = Date.parse(data.now) - Date.now();
  const existing = new Map([...list.querySelectorAll('.live-item')].map((item) => [item.dataset.sessionId, item]));
  const fresh = data.sessions.map((entry) => {
    const item = existing.get(String(entry.session_id)) || buildItem(entry);
    item.dataset.since = entry.since;
    item.dataset.stuckAfter = entry.stuck_after_seconds === null ? '' : entry.stuck_after_seconds;
    item.className = `live-item live-${entry.state}${item.classList.contains('is-new') ? ' is-new' : ''}`;
    item.querySelector('.live-state').textContent = entry.state_words;
    return item;
  });
  list.replaceChildren(...fresh);
  document.getElementById('live-count').textContent = String(fresh.length);
  document.getElementById('live-empty').hidden = fresh.length > 0;
  tick();
}

const status = (text) => { document.getElementById('live-status').textContent = text; };

if (panel) {
  tick();
  setInterval(tick, 1000);
  poll(panel.dataset.liveUrl, {
    everyMs: POLL_MS,
    maxDelayMs: 4 * POLL_MS,
    onData: (data) => {
      render(data);
      status(`Updated ${new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' })}.`);
      return false;
    },
    onError: () => status("Can't reach the server just now; trying again."),
  });
}
