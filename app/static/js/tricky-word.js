// Saying one tricky word: record a short take through the shared microphone (mic.js), send it to
// the word's page (http.js adds the CSRF token) and show the result by reloading the page. The
// upload form under it works without this script.
import { Microphone, MicrophoneError, canRecord } from './mic.js';
import { postForm } from './http.js';

const box = document.getElementById('word-recorder');
const form = document.getElementById('word-form');
const start = document.getElementById('word-start');
const stop = document.getElementById('word-stop');
const state = document.getElementById('word-state');
const MAX_SECONDS = 6; // one word: a longer take is stopped for the student

if (box && canRecord()) {
  box.hidden = false;
  let mic = null;
  let take = null;
  let timer = null;

  const finish = async () => {
    clearTimeout(timer);
    stop.disabled = true;
    const blob = await take.stop();
    mic.close();
    state.textContent = 'Checking…';
    const answer = await postForm(form.action, { audio: [blob, `word.${take.extension}`] });
    if (answer.ok) {
      window.location.assign(answer.data.url);
    } else {
      state.textContent = (answer.data && answer.data.message) || 'That did not work. Please try again.';
      start.disabled = false;
    }
  };

  start.addEventListener('click', async () => {
    start.disabled = true;
    try {
      mic = await Microphone.open(document.getElementById('mic-level'));
    } catch (error) {
      state.textContent = error instanceof MicrophoneError ? error.message : String(error);
      start.disabled = false;
      return;
    }
    take = mic.record({ partMillis: 1000, onPart: () => {} });
    state.textContent = 'Recording… say the word, then press Stop.';
    stop.disabled = false;
    timer = setTimeout(finish, MAX_SECONDS * 1000);
  });
  stop.addEventListener('click', finish);
}
