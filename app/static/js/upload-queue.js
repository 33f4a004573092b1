// Sends the parts of one recording in order, while the student is still speaking.
// A part that fails to send stays in memory and is retried with backoff, so a
// network drop loses nothing; a part the server already has is simply stored once.

const csrfToken = () => document.querySelector('meta[name="csrf-token"]').content;

export async function postForm(url, fields) {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    if (value === null || value === undefined) continue;
    if (Array.isArray(value)) body.append(name, value[0], value[1]);
    else body.append(name, value);
  }
  const response = await fetch(url, {
    method: 'POST', body, credentials: 'same-origin',
    headers: { 'X-CSRFToken': csrfToken(), Accept: 'application/json' },
  });
  let data = {};
  try { data = await response.json(); } catch (_) { /* an HTML error page: keep the status */ }
  return { status: response.status, ok: response.ok, data };
}

export async function postJson(url, payload = {}) {
  const response = await fetch(url, {
    method: 'POST', credentials: 'same-origin', body: JSON.stringify(payload),
    headers: { 'X-CSRFToken': csrfToken(), 'Content-Type': 'application/json', Accept: 'application/json' },
  });
  let data = {};
  try { data = await response.json(); } catch (_) { /* keep the status */ }
  return { status: response.status, ok: response.ok, data };
}

// 408, 429 and 5xx are worth another try; other 4xx answers will not change.
const retryable = (status) => status === 408 || status === 429 || status >= 500;

export class PartUploader {
  constructor({ url, extension, onChange, onFatal }) {
    Object.assign(this, { url, extension, onChange, onFatal });
    this.reset(null);
    window.addEventListener('online', () => this.wake());
  }

  reset(uploadId) {
    this.uploadId = uploadId;
    this.pending = [];
    this.saved = 0;
    this.next = 0;
    this.attempt = 0;
    this.problem = '';
    this.fatal = null;
    this.changed();
  }

  add(blob) {
    if (!blob || !blob.size) return;
    this.pending.push({ part: this.next, blob, uploadId: this.uploadId });
    this.next += 1;
    this.changed();
    this.pump();
  }

  get idle() { return !this.running && this.pending.length === 0; }

  changed() { if (this.onChange) this.onChange(this); }

  wake() { if (this.wakeUp) this.wakeUp(); }

  async pump() {
    if (this.running || this.fatal) return;
    this.running = true;
    while (this.pending.length && !this.fatal) {
      const item = this.pending[0];
      if (item.uploadId !== this.uploadId) { this.pending.shift(); continue; }
      let result;
      try {
        result = await postForm(this.url, {
          upload_id: item.uploadId, part: String(item.part), final: '0',
          audio: [item.blob, `part-${item.part}.${this.extension}`],
        });
      } catch (_) {
        result = { status: 0, data: {} };
      }
      if (result.ok) {
        this.pending.shift();
        this.saved += 1;
        this.attempt = 0;
        this.problem = '';
      } else if (result.status === 0 || retryable(result.status)) {
        await this.backoff();
      } else {
        this.fatal = { status: result.status, message: result.data.message || 'The recording could not be saved.' };
        if (this.onFatal) this.onFatal(this.fatal);
      }
      this.changed();
    }
    this.running = false;
    this.changed();
    if (this.whenIdle && this.idle) this.whenIdle();
  }

  backoff() {
    const seconds = Math.min(30, 2 ** this.attempt);
    this.attempt += 1;
    this.problem = `Connection problem — trying again in ${seconds} s. Your recording is kept on this device.`;
    this.changed();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, seconds * 1000);
      this.wakeUp = () => { clearTimeout(timer); this.wakeUp = null; resolve(); };
    });
  }

  // Resolves true when every part is on the server, false after `ms` if some are not.
  drained(ms) {
    if (this.idle) return Promise.resolve(true);
    if (this.fatal) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => { this.whenIdle = null; resolve(false); }, ms);
      this.whenIdle = () => { clearTimeout(timer); this.whenIdle = null; resolve(true); };
    });
  }
}
