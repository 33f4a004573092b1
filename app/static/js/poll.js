// Asking the server the same question again and again until the answer says we are done.
// A failed request is not the end: the wait doubles (up to maxDelayMs) and the page keeps asking.
// A hidden tab is not polled; it is asked at once when it is shown again.
import { getJson } from './http.js';

// onData(data) is called with each good answer and returns true when polling should stop;
// onError(result) hears about each failed one ({ status: 0 } when the network is down).
export function poll(url, { everyMs, maxDelayMs = everyMs * 10, immediate = false, onData, onError = () => {} }) {
  let delay = everyMs;
  let timer = null;
  let stopped = false;
  let asking = false;

  const schedule = (ms) => {
    clearTimeout(timer);
    if (!stopped) timer = setTimeout(ask, ms);
  };

  async function ask() {
    if (stopped || document.hidden) return;
    asking = true;
    const result = await getJson(url).catch(() => ({ ok: false, status: 0, data: {} }));
    asking = false;
    if (stopped) return;
    if (result.ok) {
      delay = everyMs;
      if (await onData(result.data)) { stop(); return; }
    } else {
      delay = Math.min(delay * 2, maxDelayMs);
      onError(result);
    }
    schedule(delay);
  }

  function onVisibility() { if (!document.hidden && !asking) schedule(0); }

  function stop() {
    stopped = true;
    clearTimeout(timer);
    document.removeEventListener('visibilitychange', onVisibility);
  }

  document.addEventListener('visibilitychange', onVisibility);
  schedule(immediate ? 0 : everyMs);
  return { stop };
}
