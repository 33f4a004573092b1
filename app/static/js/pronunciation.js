// The reading recorder: read the passage aloud with a level meter and clock, listen back, send.
// Parts go up every few seconds while the student reads, through the same retrying queue as
// speeches, so a network blip loses nothing; the first part to arrive opens the session with
// the passage named by the form's hidden fields. Without this script the form posts the file.
import { beacon } from './http.js';
import { canRecord, Clock, formatClock, MESSAGES, Microphone, QUIET_DB } from './mic.js';
import { newUploadId, PartUploader, sendFinal, submittedSession } from './upload-queue.js';

const $ = (id) => document.getElementById(id);
const form = $('pron-form');
const config = form && JSON.parse($('reading-config').textContent);
const REFERENCE_FIELDS = ['topic_id', 'passage_id', 'reference_text', 'title'];
const state = { mic: null, take: null, blob: null, submitted: false, fileTried: false };

const say = (text) => { $('pron-status').textContent = text; };
const sessionUrl = (action, id) => `${config.urls.sessions}/${id}/${action}`;

function referenceFields() {
  const data = new FormData(form);
  return Object.fromEntries(REFERENCE_FIELDS.filter((name) => data.has(name)).map((name) => [name, data.get(name)]));
}

const uploader = form && new PartUploader({
  url: config.urls.upload,
  fields: referenceFields(),
  onChange: (u) => {
    $('upload-state').textContent = u.problem || (u.next ? `${u.saved} of ${u.next} parts saved on the server.` : '');
  },
  onFatal: (problem) => say(problem.message),
});

function setBusy(busy) {
  for (const button of form.querySelectorAll('button')) button.disabled = busy;
  if (!busy) $('rec-stop').disabled = !(state.take && state.take.recording);
}

const clock = new Clock((seconds) => { $('rec-time').textContent = formatClock(seconds); });

async function start() {
  say('');
  try {
    state.mic = await Microphone.open($('mic-level'));
  } catch (error) {
    say(error.message);
    return;
  }
  if (uploader.next > 0) {
    const { ok, data } = await uploader.newTake((id) => sessionUrl('retake', id));
    if (!ok) {
      state.mic.close();
      say(data.message || "We couldn't start a new recording. Check your internet and try again.");
      return;
    }
  }
  state.take = state.mic.record({ partMillis: config.partMillis, onPart: (blob) => uploader.add(blob) });
  uploader.extension = state.take.extension;
  clock.start();
  $('rec-start').disabled = true;
  $('rec-stop').disabled = false;
  $('rec-send').hidden = true;
  $('rec-send-arrived').hidden = true;
  $('rec-preview').hidden = true;
  say('Recording… read the passage out loud, then press Stop.');
  $('rec-stop').focus();
}

async function stop() {
  $('rec-stop').disabled = true;
  clock.stop();
  state.blob = await state.take.stop();
  const { peakDb } = state.mic;
  state.mic.close();
  $('rec-preview').src = URL.createObjectURL(state.blob);
  $('rec-preview').hidden = false;
  $('rec-start').disabled = false;
  $('rec-start').textContent = '● Record again';
  const tooShort = state.take.seconds < config.minSeconds;
  $('rec-send').hidden = tooShort;
  if (tooShort) say(`That was very short — less than ${config.minSeconds} seconds. Press "Record again" and read the passage.`);
  else if (peakDb < QUIET_DB) say(MESSAGES.quiet);
  else say(`Recorded ${formatClock(state.take.seconds)}. Listen back, then send it — or record again.`);
  (tooShort ? $('rec-start') : $('rec-send')).focus();
}

async function send(force = false) {
  setBusy(true);
  if (!force && !(await uploader.drained(20000))) {
    say('Some parts of your reading have not reached us yet. We keep trying — or send what arrived.');
    $('rec-send-arrived').hidden = false;
    setBusy(false);
    return;
  }
  say('Sending your reading… scoring can take a little while.');
  if (!(await finish({ ...referenceFields(), upload_id: uploader.uploadId, final: '1' }))) setBusy(false);
}

// Sends the final request and opens the result; false (with the reason shown) when that failed.
async function finish(fields) {
  const result = await sendFinal(config.urls.upload, fields, {
    onRetry: (attempt) => say(`Connection problem — trying again (${attempt})…`),
  });
  const sessionId = submittedSession(result);
  if (sessionId) {
    state.submitted = true;
    window.location.assign(`${config.urls.reports}${sessionId}`);
    return true;
  }
  say(result.data.message || "We couldn't reach Podium. Check your internet and try again.");
  return false;
}

// The file field: one request with the whole file as part 0 of a take, so a retry cannot make two readings.
async function uploadFile(event) {
  event.preventDefault();
  const file = $('audio').files[0];
  if (!file) { say('Choose a sound file to upload first, or use the recorder.'); return; }
  if (file.size > config.maxBytes) {
    say(`That file is too big — the limit is ${Math.floor(config.maxBytes / 1048576)} MB.`);
    return;
  }
  setBusy(true);
  // A take already sent (or a file tried before) owns this upload id: the file starts a new take.
  if (uploader.next > 0 || state.fileTried) {
    const { ok, data } = await uploader.newTake((id) => sessionUrl('retake', id));
    if (!ok) {
      say(data.message || "We couldn't reach Podium. Check your internet and try again.");
      setBusy(false);
      return;
    }
  }
  state.fileTried = true;
  say('Sending your reading… scoring can take a little while.');
  const fields = { ...referenceFields(), upload_id: uploader.uploadId, part: '0', final: '1', audio: [file, file.name] };
  if (!(await finish(fields))) setBusy(false);
}

if (form) {
  uploader.reset(newUploadId());
  if (canRecord()) {
    $('recorder').hidden = false;
    $('no-recorder').hidden = true;
  }
  $('rec-start').addEventListener('click', start);
  $('rec-stop').addEventListener('click', stop);
  $('rec-send').addEventListener('click', () => send(false));
  $('rec-send-arrived').addEventListener('click', () => send(true));
  form.addEventListener('submit', uploadFile);
  window.addEventListener('pagehide', () => {
    if (uploader.sessionId && !state.submitted) beacon(sessionUrl('abandon', uploader.sessionId));
  });
}
