// The impromptu recorder: get ready, record with a level meter and timer, listen back, submit.
// Opening the page opens a session (teachers see it live); parts go up every few
// seconds while the student speaks; leaving without submitting marks it abandoned.
import { PartUploader, postForm, postJson } from './upload-queue.js';

const config = JSON.parse(document.getElementById('recorder-config').textContent);
const $ = (id) => document.getElementById(id);
const steps = ['step-ready', 'step-prep', 'step-recording', 'step-review'];
const state = { session: null, uploadId: null, submitted: false, chunks: [], stream: null, recorder: null,
  startedAt: 0, elapsedMs: 0, peak: 0, mime: '', audioCtx: null };

const clock = (seconds) => `${Math.floor(seconds / 60)}:${String(Math.floor(seconds % 60)).padStart(2, '0')}`;

function say(text, kind = '') {
  const box = $('rec-message');
  box.hidden = !text;
  box.textContent = text || '';
  box.className = `notice${kind ? ` notice-${kind}` : ''}`;
}

function show(step, focusId) {
  for (const id of steps) $(id).hidden = id !== step;
  $('level-box').hidden = !(state.audioCtx && (step === 'step-prep' || step === 'step-recording'));
  if (focusId) $(focusId).focus();
}

function pickMime() {
  const options = ['audio/webm;codecs=opus', 'audio/webm', 'audio/ogg;codecs=opus', 'audio/mp4'];
  return options.find((m) => window.MediaRecorder && MediaRecorder.isTypeSupported(m)) || '';
}

const extensionFor = (mime) => (mime.includes('ogg') ? 'ogg' : mime.includes('mp4') ? 'm4a' : 'webm');

const uploader = new PartUploader({
  url: config.urls.upload,
  extension: 'webm',
  onChange: (u) => {
    const total = u.next;
    $('upload-state').textContent = u.problem || (total ? `${u.saved} of ${total} parts saved on the server.` : '');
  },
  onFatal: (problem) => say(problem.message, 'error'),
});

async function openSession() {
  const payload = config.topicId ? { topic_id: config.topicId } : { prompt_key: config.promptKey };
  try {
    const { ok, data } = await postJson(config.urls.start, payload);
    if (!ok) throw new Error(data.message);
    state.session = data.id;
    state.uploadId = data.upload_id;
    uploader.reset(state.uploadId);
  } catch (error) {
    say(`We couldn't connect to Podium (${error.message || 'network error'}). Check your internet and reload the page.`, 'error');
  }
}

const sessionUrl = (action) => `${config.urls.sessions}/${state.session}/${action}`;

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

async function getMicrophone() {
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !window.MediaRecorder) {
    showFallback("This browser can't record sound here. Please upload a recording below instead.");
    return null;
  }
  try {
    return await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: true } });
  } catch (error) {
    const refused = error && (error.name === 'NotAllowedError' || error.name === 'SecurityError');
    showFallback(refused
      ? 'The microphone is blocked, so we cannot record. Allow the microphone for this site (the icon in the address bar) and reload — or upload a recording below.'
      : "We couldn't find a working microphone. Plug one in and reload — or upload a recording below.");
    return null;
  }
}

function startMeter(stream) {
  state.audioCtx = new (window.AudioContext || window.webkitAudioContext)();
  const analyser = state.audioCtx.createAnalyser();
  analyser.fftSize = 1024;
  state.audioCtx.createMediaStreamSource(stream).connect(analyser);
  const samples = new Float32Array(analyser.fftSize);
  const bar = $('level').firstElementChild;
  const openedAt = performance.now();
  let heard = false;
  let lastAria = 0;
  const tick = (now) => {
    analyser.getFloatTimeDomainData(samples);
    const rms = Math.sqrt(samples.reduce((sum, x) => sum + x * x, 0) / samples.length);
    const level = Math.max(0, Math.min(100, ((20 * Math.log10(rms + 1e-9)) + 60) * (100 / 60)));
    bar.style.width = `${level}%`;
    if (state.recorder && state.recorder.state === 'recording') state.peak = Math.max(state.peak, level);
    if (now - lastAria > 500) { $('level').setAttribute('aria-valuenow', String(Math.round(level))); lastAria = now; }
    if (!heard && level > 25) { heard = true; $('level-note').textContent = 'Your microphone is working.'; }
    if (!heard && now - openedAt > 4000) $('level-note').textContent = "We can't hear anything yet — is your microphone muted?";
    if (state.stream) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

async function begin() {
  say('');
  if (!state.session) await openSession();
  if (!state.session) return;
  state.stream = state.stream || await getMicrophone();
  if (!state.stream) return;
  if (!state.audioCtx) startMeter(state.stream);
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

function record() {
  clearInterval(state.prepTimer);
  state.mime = pickMime();
  uploader.extension = extensionFor(state.mime);
  state.chunks = [];
  state.peak = 0;
  state.recorder = new MediaRecorder(state.stream, state.mime ? { mimeType: state.mime } : undefined);
  state.recorder.addEventListener('dataavailable', (event) => {
    if (!event.data || !event.data.size) return;
    state.chunks.push(event.data);
    uploader.add(event.data);
  });
  state.recorder.addEventListener('stop', review);
  state.recorder.start(config.partMillis);
  state.startedAt = performance.now();
  show('step-recording', 'btn-stop');
  state.timer = setInterval(updateTimer, 250);
}

function updateTimer() {
  const elapsed = (performance.now() - state.startedAt) / 1000;
  const total = config.speakingSeconds;
  $('elapsed').textContent = clock(Math.min(elapsed, total));
  $('remaining').textContent = clock(Math.max(0, total - elapsed));
  const percent = Math.min(100, (elapsed / total) * 100);
  $('time-bar').firstElementChild.style.width = `${percent}%`;
  $('time-bar').setAttribute('aria-valuenow', String(Math.round(percent)));
  if (elapsed >= total) stop();
}

function stop() {
  clearInterval(state.timer);
  state.elapsedMs = performance.now() - state.startedAt;
  if (state.recorder && state.recorder.state === 'recording') state.recorder.stop();
}

function review() {
  const blob = new Blob(state.chunks, { type: state.recorder.mimeType || state.mime || 'audio/webm' });
  $('playback').src = URL.createObjectURL(blob);
  const tooShort = state.elapsedMs < config.minSeconds * 1000;
  $('btn-submit').hidden = tooShort;
  show('step-review', tooShort ? 'btn-rerecord' : 'btn-submit');
  if (tooShort) say(`That was very short — less than ${config.minSeconds} seconds. Press "Record again" and keep talking a little longer.`, 'warning');
  else if (state.peak < 20) say("We could hardly hear anything. Listen back: if it's silent, check your microphone and record again.", 'warning');
  else say('Listen back if you like, then submit it — or record again.');
}

async function rerecord() {
  uploader.pending = [];
  await uploader.drained(15000);
  const { ok, data } = await postJson(sessionUrl('retake')).catch(() => ({ ok: false, data: {} }));
  if (!ok) { say(data.message || "We couldn't start a new recording. Check your internet and try again.", 'error'); return; }
  state.uploadId = data.upload_id;
  uploader.reset(state.uploadId);
  $('playback').removeAttribute('src');
  say('');
  show('step-ready', 'btn-start');
}

async function submitRecording(force = false) {
  $('btn-submit').disabled = true;
  $('btn-rerecord').disabled = true;
  if (!force && !(await uploader.drained(20000))) {
    say('Some parts have not reached us yet. We keep trying — or submit what arrived.', 'warning');
    $('btn-send-arrived').hidden = false;
    $('btn-submit').disabled = false;
    $('btn-rerecord').disabled = false;
    return;
  }
  say('Sending… your report will be ready soon.');
  await finish({ upload_id: state.uploadId, final: '1' });
}

// Sends the final request (retrying when the network fails) and opens the report.
async function finish(fields, onError = (m) => say(m, 'error')) {
  for (let attempt = 0; attempt < 6; attempt += 1) {
    let result;
    try { result = await postForm(config.urls.upload, fields); } catch (_) { result = { status: 0, data: {} }; }
    const sessionId = result.data.session_id || result.data.id;
    if ([201, 202, 422].includes(result.status) || (result.status === 409 && sessionId)) {
      state.submitted = true;
      window.location.assign(`${config.urls.reports}${sessionId}`);
      return true;
    }
    if (result.status && result.status < 500 && result.status !== 429) {
      onError(result.data.message || 'That did not work. Please try again.');
      break;
    }
    say(`Connection problem — trying again (${attempt + 1})…`, 'warning');
    await new Promise((r) => setTimeout(r, 1000 * 2 ** attempt));
  }
  $('btn-submit').disabled = false;
  $('btn-rerecord').disabled = false;
  return false;
}

async function uploadFile(event) {
  event.preventDefault();
  const file = $('audio-file').files[0];
  const problem = (m) => { $('fallback-message').textContent = m; $('fallback-message').hidden = false; };
  if (!file) { problem('Choose a sound file first.'); $('audio-file').focus(); return; }
  if (file.size > config.maxBytes) { problem(`That file is too big — the limit is ${Math.floor(config.maxBytes / 1048576)} MB.`); return; }
  $('btn-upload').disabled = true;
  if (!state.session) await openSession();
  if (state.session && uploader.next > 0) await rerecord();
  const fields = state.session
    ? { upload_id: state.uploadId, part: '0', final: '1', audio: [file, file.name] }
    : { topic_id: config.topicId, prompt_key: config.promptKey, audio: [file, file.name] };
  problem('Uploading…');
  const done = await finish(fields, problem);
  if (!done) $('btn-upload').disabled = false;
}

$('btn-start').addEventListener('click', begin);
$('btn-skip-prep').addEventListener('click', record);
$('btn-stop').addEventListener('click', stop);
$('btn-rerecord').addEventListener('click', rerecord);
$('btn-submit').addEventListener('click', () => submitRecording(false));
$('btn-send-arrived').addEventListener('click', () => submitRecording(true));
$('upload-form').addEventListener('submit', uploadFile);

window.addEventListener('pagehide', () => {
  if (!state.session || state.submitted) return;
  const body = new FormData();
  body.append('csrf_token', document.querySelector('meta[name="csrf-token"]').content);
  navigator.sendBeacon(sessionUrl('abandon'), body);
});
window.addEventListener('pageshow', (event) => { if (event.persisted) heartbeat(); });
setInterval(heartbeat, config.heartbeatMillis);
openSession();
