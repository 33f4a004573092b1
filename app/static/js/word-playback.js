// A scored reading (the student's result page and the teacher's review): "Hear how you said it"
// plays the student's own recording of one word. Decoding the whole recording once lets any word
// play exactly from its offset for its duration, even in recorder WebM files browsers cannot seek in.
const reading = document.querySelector('.reading[data-audio]');
const status = document.getElementById('play-status');
const say = (text) => { if (status) status.textContent = text; };
let context = null;
let decoded = null;

function load() {
  if (decoded) return decoded;
  context = new (window.AudioContext || window.webkitAudioContext)();
  decoded = fetch(reading.dataset.audio, { credentials: 'same-origin' })
    .then((response) => { if (!response.ok) throw new Error('missing'); return response.arrayBuffer(); })
    .then((bytes) => context.decodeAudioData(bytes));
  decoded.catch(() => { decoded = null; });
  return decoded;
}

function play(button) {
  const start = parseFloat(button.dataset.start);
  const duration = parseFloat(button.dataset.duration);
  say('Playing…');
  button.dataset.state = 'loading';
  load().then((buffer) => {
    const source = context.createBufferSource();
    source.buffer = buffer;
    source.connect(context.destination);
    source.onended = () => { say(''); button.dataset.state = 'played'; };
    source.start(0, Math.max(0, start - 0.05), duration + 0.1); // a little air either side: no clipped word
  }).catch(() => {
    say("Sorry, we couldn't play your recording.");
    button.dataset.state = 'failed';
  });
}

if (reading) {
  reading.addEventListener('click', (event) => {
    const button = event.target.closest('.play-word');
    if (button) play(button);
  });
}
