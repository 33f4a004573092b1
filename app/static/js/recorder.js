// The impromptu recorder: get ready, record with a level meter and timer, listen back, submit.
// Opening the page opens a session (teachers see it live); parts go up every few
// seconds while the student speaks; leaving without submitting marks it abandoned.
import { beacon, postJson } from './http.js';
import { Clock, formatClock, MESSAGES, Microphone, QUIET_DB } from './mic.js';
import { PartUploader, sendFinal, submittedSession } from './upload-queue.js';

const config = JSON.parse(document.getElementById('recorder-config').textContent);
const $ = (id) => document.getElementById(id);
const steps = ['step-ready', 'step-prep', 'step-recording', 'step-review'];
const state = { session: null, submitted: false, mic: null, take: null };

function say(text, kind = '') {
  const box = $('rec-message');
  box.hidden = !text;
  box.textContent = text || '';
  box.className = `notice${kind ? ` notice-${kind}` : ''}`;
}

function show(step, focusId) {
  for (const id of steps) $(id).hidden = id !== step;
  if (focusId) $(focusId).focus();
}

const uploader = new PartUploader({
  url: config.urls.upload,
  onChange: (u) => {
    $('upload-state').textContent = u.problem || (u.next ? `${u.saved} of ${u.next} parts saved on the server.` : '');
  },
  onFatal: (problem) => say(problem.message, 'error'),
});

const sessionUrl = (action, id = state.session) => `${config.urls.sessions}/${id}/${action}`;

async function openSession() {
  const payload = config.topicId ? { topic_id: config.topicId } : { prompt_key: config.promptKey };
  const { ok, data } = await postJson(config.urls.start, payload).catch(() => ({ ok: false, data: {} }));
  if (!ok) {
    say(`We couldn't connect to Podium (${data.message || 'network error'}). Check your internet and reload the page.`,
      'error');
    return;
  }
  state.session = data.id;
  uploader.sessionId = data.id;
  uploader.reset(data.upload_id);
}

// The page opens its session as it loads; a Start pressed before that answer arrives waits for the same
// request instead of sending a second one (which opened a second session: the teacher saw the student twice).
let opening = null;
function ensureSession() {
  if (state.session) return Promise.resolve();
  if (!opening) opening = openSession().finally(() => { opening = null; });
  return opening;
}

function heartbeat() {
  if (state.session && !state.submitted) postJson(sessionUrl('heartbeat')).catch(() => {});
}

function showFallback(message) {
  const box = $('fallback-message');
  box.textContent = message;
  box.hidden = false;
  $('fallback').open = true;
  say(message, 'warning');
}

async function begin() {
  say('');
  await ensureSession();
  if (!state.session) return;
  try {
    state.mic = state.mic || await Microphone.open($('mic-level'));
  } catch (error) {
    showFallback(error.message);
    return;
  }
  if ($('use-prep').checked && config.prepSeconds > 0) prepare();
  else record();
}

function prepare() {
  show('step-prep', 'btn-skip-prep');
  let left = config.prepSeconds;
  $('prep-left').textContent = left;
  state.prepTimer = setInterval(() => {
    left -= 1;
    $('prep-left').textContent = Math.max(0, left);
    if (left > 0 && left % 10 === 0) $('prep-sr').textContent = `${left} seconds left to get ready.`;
    if (left <= 0) record();
  }, 1000);
}

const clock = new Clock((elapsed) => {
  const total = config.speakingSeconds;
  $('elapsed').textContent = formatClock(Math.min(elapsed, total));
  $('remaining').textContent = formatClock(total - elapsed);
  $('time-bar').value = Math.min(100, (elapsed / total) * 100);
  if (elapsed >= total) stop();
});

function record() {
  clearInterval(state.prepTimer);
  state.take = state.mic.record({ partMillis: config.partMillis, onPart: (blob) => uploader.add(blob) });
  uploader.extension = state.take.extension;
  show('step-recording', 'btn-stop');
  clock.start();
}

async function stop() {
  clock.stop();
  if (!state.take || !state.take.recording) return;
  const blob = await state.take.stop();
  const { peakDb } = state.mic;
  state.mic.close();
  state.mic = null;
  review(blob, peakDb);
}

function review(blob, peakDb) {
  $('playback').src = URL.createObjectURL(blob);
  const tooShort = state.take.seconds < config.minSeconds;
  $('btn-submit').hidden = tooShort;
  show('step-review', tooShort ? 'btn-rerecord' : 'btn-submit');
  if (tooShort) {
    say(`That was very short — less than ${config.minSeconds} seconds. Press "Record again" and keep talking a `
      + 'little longer.', 'warning');
  } else if (peakDb < QUIET_DB) say(MESSAGES.quiet, 'warning');
  else say('Listen back if you like, then submit it — or record again.');
}

async function rerecord() {
  const { ok, data } = await uploader.newTake((id) => sessionUrl('retake', id));
  if (!ok) { say(data.message || "We couldn't start a new recording. Check your internet and try again.", 'error'); return; }
  $('playback').removeAttribute('src');
  say('');
  show('step-ready', 'btn-start');
}

function setBusy(busy) {
  $('btn-submit').disabled = busy;
  $('btn-rerecord').disabled = busy;
}

async function submitRecording(force = false) {
  setBusy(true);
  if (!force && !(await uploader.drained(20000))) {
    say('Some parts have not reached us yet. We keep trying — or submit what arrived.', 'warning');
    $('btn-send-arrived').hidden = false;
    setBusy(false);
    return;
  }
  say('Sending… your report will be ready soon.');
  if (!(await finish({ upload_id: uploader.uploadId, final: '1' }))) setBusy(false);
}

// Sends the final request and opens the report; false (with the reason shown) when that failed.
async function finish(fields, onError = (m) => say(m, 'error')) {
  const result = await sendFinal(config.urls.upload, fields, {
    onRetry: (attempt) => say(`Connection problem — trying again (${attempt})…`, 'warning'),
  });
  const sessionId = submittedSession(result);
  if (sessionId) {
    state.submitted = true;
    window.location.assign(`${config.urls.reports}${sessionId}`);
    return true;
  }
  onError(result.data.message || "We couldn't reach Podium. Check your internet and try again.");
  return false;
}

async function uploadFile(event) {
  event.preventDefault();
  const file = $('audio-file').files[0];
  const problem = (m) => { $('fallback-message').textContent = m; $('fallback-message').hidden = false; };
  if (!file) { problem('Choose a sound file first.'); $('audio-file').focus(); return; }
  if (file.size > config.maxBytes) {
    problem(`That file is too big — the limit is ${Math.floor(config.maxBytes / 1048576)} MB.`);
    return;
  }
  $('btn-upload').disabled = true;
  await ensureSession();
  if (state.session && uploader.next > 0) await rerecord();
  const fields = state.session
    ? { upload_id: uploader.uploadId, part: '0', final: '1', audio: [file, file.name] }
    : { topic_id: config.topicId, prompt_key: config.promptKey, audio: [file, file.name] };
  problem('Uploading…');
  if (!(await finish(fields, problem))) $('btn-upload').disabled = false;
}

$('btn-start').addEventListener('click', begin);
$('btn-skip-prep').addEventListener('click', record);
$('btn-stop').addEventListener('click', stop);
$('btn-rerecord').addEventListener('click', rerecord);
$('btn-submit').addEventListener('click', () => submitRecording(false));
$('btn-send-arrived').addEventListener('click', () => submitRecording(true));
$('upload-form').addEventListener('submit', uploadFile);

window.addEventListener('pagehide', () => {
  if (state.session && !state.submitted) beacon(sessionUrl('abandon'));
});
window.addEventListener('pageshow', (event) => { if (event.persisted) heartbeat(); });
setInterval(heartbeat, config.heartbeatMillis);
ensureSession();
