// The microphone, the same on both recorders (speeches: recorder.js, readings: pronunciation.js):
// asking for it, the level meter, the clock, one take with MediaRecorder, and what we tell the
// student when something is wrong. The meter's markup is _macros/recorder.html's mic_level().

export const MESSAGES = {
  unsupported: "This browser can't record sound here. Please upload a recording below instead.",
  refused: 'The microphone is blocked, so we cannot record. Allow the microphone for this site (the icon in the '
    + 'address bar) and reload — or upload a recording below.',
  missing: "We couldn't find a working microphone. Plug one in and reload — or upload a recording below.",
  working: 'Your microphone is working.',
  silent: "We can't hear anything yet — is your microphone muted?",
  quiet: "We could hardly hear anything. Listen back: if it's silent, check your microphone and record again.",
};

// Levels are the RMS of the signal in dBFS (0 is the loudest a microphone can send). A voice at
// arm's length sits around -30 to -15; a quiet room stays below -50.
export const HEARD_DB = -45; // louder than this, at least once, and we know the microphone works
export const QUIET_DB = -48; // a take that never got louder than this was probably not heard
const SILENT_WARNING_MS = 4000;
const ARIA_EVERY_MS = 500; // screen readers are told the level twice a second, not sixty times

export class MicrophoneError extends Error {
  constructor(kind) {
    super(MESSAGES[kind]);
    this.kind = kind; // 'unsupported', 'refused' or 'missing'
  }
}

export const canRecord = () => Boolean(navigator.mediaDevices && navigator.mediaDevices.getUserMedia
  && window.MediaRecorder);

export const formatClock = (seconds) => {
  const whole = Math.max(0, Math.floor(seconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
};

export function rmsDbfs(samples, floorDb) {
  let sum = 0;
  for (let i = 0; i < samples.length; i += 1) sum += samples[i] * samples[i];
  const rms = Math.sqrt(sum / samples.length);
  return rms > 0 ? Math.max(floorDb, 20 * Math.log10(rms)) : floorDb;
}

// Draws the level of a live stream into mic_level()'s markup and says whether the student is heard.
class LevelMeter {
  constructor(root, stream) {
    this.root = root;
    this.meter = root.querySelector('[role="meter"]');
    this.bar = this.meter.firstElementChild;
    this.note = root.querySelector('.level-note');
    this.floorDb = Number(this.meter.getAttribute('aria-valuemin'));
    this.peakDb = this.floorDb;
    this.context = new (window.AudioContext || window.webkitAudioContext)();
    this.analyser = this.context.createAnalyser();
    this.analyser.fftSize = 2048;
    this.context.createMediaStreamSource(stream).connect(this.analyser);
    this.samples = new Float32Array(this.analyser.fftSize);
    this.openedAt = performance.now();
    this.lastAria = 0;
    this.heard = false;
    this.root.hidden = false;
    this.frame = requestAnimationFrame((now) => this.draw(now));
  }

  draw(now) {
    this.analyser.getFloatTimeDomainData(this.samples);
    const db = rmsDbfs(this.samples, this.floorDb);
    this.peakDb = Math.max(this.peakDb, db);
    this.bar.style.width = `${(100 * (db - this.floorDb)) / -this.floorDb}%`;
    if (now - this.lastAria > ARIA_EVERY_MS) {
      this.meter.setAttribute('aria-valuenow', String(Math.round(db)));
      this.meter.setAttribute('aria-valuetext', db > this.floorDb ? `${Math.round(db)} dB` : 'silent');
      this.lastAria = now;
    }
    if (!this.heard && db > HEARD_DB) { this.heard = true; this.note.textContent = MESSAGES.working; }
    if (!this.heard && now - this.openedAt > SILENT_WARNING_MS) this.note.textContent = MESSAGES.silent;
    this.frame = requestAnimationFrame((later) => this.draw(later));
  }

  stop() {
    cancelAnimationFrame(this.frame);
    this.context.close().catch(() => {});
    this.bar.style.width = '0%';
    this.meter.setAttribute('aria-valuenow', String(this.floorDb));
    this.meter.setAttribute('aria-valuetext', 'silent');
    this.root.hidden = true;
  }
}

const MIME_TYPES = ['audio/webm;codecs=opus', 'audio/webm', 'audio/ogg;codecs=opus', 'audio/mp4'];
const pickMime = () => MIME_TYPES.find((m) => MediaRecorder.isTypeSupported(m)) || '';
const extensionFor = (mime) => (mime.includes('ogg') ? 'ogg' : mime.includes('mp4') ? 'm4a' : 'webm');

// One recording. Every `partMillis` the newest piece goes to `onPart` (the upload queue), and
// stop() resolves with the whole take once the last piece is out.
class Take {
  constructor(stream, { partMillis, onPart }) {
    this.mime = pickMime();
    this.extension = extensionFor(this.mime);
    this.chunks = [];
    this.recorder = new MediaRecorder(stream, this.mime ? { mimeType: this.mime } : undefined);
    this.recorder.addEventListener('dataavailable', (event) => {
      if (!event.data || !event.data.size) return;
      this.chunks.push(event.data);
      onPart(event.data);
    });
    this.stopped = new Promise((resolve) => this.recorder.addEventListener('stop', () => resolve(this.blob())));
    this.recorder.start(partMillis);
    this.startedAt = performance.now();
    this.endedAt = null;
  }

  get seconds() { return ((this.endedAt || performance.now()) - this.startedAt) / 1000; }

  get recording() { return this.recorder.state === 'recording'; }

  blob() { return new Blob(this.chunks, { type: this.recorder.mimeType || this.mime || 'audio/webm' }); }

  stop() {
    if (this.recording) {
      this.endedAt = performance.now();
      this.recorder.stop();
    }
    return this.stopped;
  }
}

// The open microphone: its stream, its meter, and takes recorded from it. close() lets it go,
// so the browser's "microphone in use" light is on only while the student is recording.
export class Microphone {
  static async open(levelRoot) {
    if (!canRecord()) throw new MicrophoneError('unsupported');
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: true } });
    } catch (error) {
      const refused = error && (error.name === 'NotAllowedError' || error.name === 'SecurityError');
      throw new MicrophoneError(refused ? 'refused' : 'missing');
    }
    return new Microphone(stream, levelRoot);
  }

  constructor(stream, levelRoot) {
    this.stream = stream;
    this.meter = new LevelMeter(levelRoot, stream);
  }

  record(options) {
    this.meter.peakDb = this.meter.floorDb;
    return new Take(this.stream, options);
  }

  // The loudest moment since the take began: below QUIET_DB the student should listen back.
  get peakDb() { return this.meter.peakDb; }

  close() {
    this.meter.stop();
    for (const track of this.stream.getTracks()) track.stop();
  }
}

// Calls onTick(seconds) four times a second from start() until stop().
export class Clock {
  constructor(onTick) { this.onTick = onTick; }

  start() {
    this.startedAt = performance.now();
    this.onTick(0);
    this.timer = setInterval(() => this.onTick(this.seconds), 250);
  }

  get seconds() { return (performance.now() - this.startedAt) / 1000; }

  stop() { clearInterval(this.timer); }
}
