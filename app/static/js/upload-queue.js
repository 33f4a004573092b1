// Sends the parts of one recording in order, while the student is still speaking or reading.
// A part that fails to send stays in memory and is retried with backoff, so a network drop
// loses nothing; a part the server already has is simply stored once. Both recorders use it,
// through POST /api/analyze-chunked.
import { postForm, postJson } from './http.js';

// 408, 429 and 5xx are worth another try; other 4xx answers will not change.
const retryable = (status) => status === 0 || status === 408 || status === 429 || status >= 500;
const networkDown = { status: 0, ok: false, data: {} };
const sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

// A fresh upload id in the server's alphabet (letters, digits, '-' and '_'), even outside HTTPS.
export function newUploadId() {
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_');
}

// `fields` go with every part: the server opens the session from whichever part arrives first
// (a reading's passage: topic_id, passage_id or reference_text and title).
export class PartUploader {
  constructor({ url, fields = {}, onChange, onFatal }) {
    Object.assign(this, { url, fields, onChange, onFatal });
    this.sessionId = null;
    this.extension = 'webm';
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
      const result = await postForm(this.url, {
        ...this.fields, upload_id: item.uploadId, part: String(item.part), final: '0',
        audio: [item.blob, `part-${item.part}.${this.extension}`],
      }).catch(() => networkDown);
      if (result.ok) {
        this.pending.shift();
        this.saved += 1;
        this.attempt = 0;
        this.problem = '';
        this.sessionId = result.data.session_id || this.sessionId;
      } else if (retryable(result.status)) {
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

  // "Record again": drops the parts of the take being replaced and starts a new take, on the same
  // session (`retakeUrl(sessionId)` names a fresh upload id) once one is open, else on a new id.
  async newTake(retakeUrl) {
    this.pending = [];
    await this.drained(15000);
    if (!this.sessionId) {
      this.reset(newUploadId());
      return { ok: true, data: {} };
    }
    const result = await postJson(retakeUrl(this.sessionId)).catch(() => networkDown);
    if (result.ok) this.reset(result.data.upload_id);
    return result;
  }
}

// Sends the request that ends an upload (the final part, or a whole file in part 0), trying again
// while the network or the server fails. Answers the last try's result.
export async function sendFinal(url, fields, { tries = 6, onRetry = () => {} } = {}) {
  let result = networkDown;
  for (let attempt = 0; attempt < tries; attempt += 1) {
    result = await postForm(url, fields).catch(() => networkDown);
    if (!retryable(result.status) || attempt === tries - 1) break;
    onRetry(attempt + 1);
    await sleep(1000 * 2 ** attempt);
  }
  return result;
}

// The session whose report to open after sendFinal, or null when the upload was refused.
// 422 is a recording we could not analyse (its page says why); 409 one that was already submitted.
export function submittedSession(result) {
  const sessionId = result.data.session_id || result.data.id;
  const submitted = [201, 202, 422].includes(result.status) || (result.status === 409 && sessionId);
  return submitted ? sessionId : null;
}
