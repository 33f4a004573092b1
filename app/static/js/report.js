// The report page: words, pauses and quotes jump the recording to their moment, and
// while the analysis runs the page polls its status and swaps the report in when it is ready.
import './feedback-seen.js';  // marks the teacher's feedback on this page as seen
import { poll } from './poll.js';

function playerFor(element) {
  const holder = element.closest('[data-player]');
  return holder ? document.getElementById(holder.dataset.player) : null;
}

document.addEventListener('click', (event) => {
  const target = event.target.closest('[data-seek]');
  if (!target) return;
  const player = playerFor(target);
  if (!player) return;
  player.currentTime = Math.max(0, parseFloat(target.dataset.seek) - 0.15);
  player.play().catch(() => { /* autoplay refused: the position is still set */ });
});

// Marks the word being heard, so the student can follow the transcript while listening.
function followPlayback(root) {
  for (const transcript of root.querySelectorAll('.transcript[data-player]')) {
    const player = document.getElementById(transcript.dataset.player);
    if (!player) continue;
    const words = [...transcript.querySelectorAll('[data-seek]')];
    let current = null;
    player.addEventListener('timeupdate', () => {
      const t = player.currentTime;
      const word = words.find((w) => t >= parseFloat(w.dataset.seek) && t < parseFloat(w.dataset.end || w.dataset.seek) + 0.05);
      if (word === current) return;
      if (current) current.classList.remove('playing');
      if (word) word.classList.add('playing');
      current = word || null;
    });
  }
}

function pollStatus() {
  const panel = document.getElementById('analysis-status');
  if (!panel) return;
  poll(panel.dataset.statusUrl, {
    everyMs: 1500,
    maxDelayMs: 15000, // offline for a moment: ask less often, keep going
    onData: async (status) => {
      document.getElementById('stage-text').textContent = status.stage;
      panel.querySelector('progress').value = status.percent;
      return status.finished && swapInReport(panel.dataset.bodyUrl);
    },
  });
}

// True once the finished report is on the page; false (ask again) when it could not be fetched.
async function swapInReport(url) {
  const response = await fetch(url, { credentials: 'same-origin' }).catch(() => null);
  if (!response || !response.ok) return false;
  const body = document.getElementById('report-body');
  body.innerHTML = await response.text();
  followPlayback(body);
  const heading = document.getElementById('report-title');
  if (heading) heading.focus();
  pollStatus();
  return true;
}

followPlayback(document);
pollStatus();
