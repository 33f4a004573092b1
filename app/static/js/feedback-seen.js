// The teacher's feedback is on screen: the dashboard stops marking it as new.
// A page shows it in an element with data-feedback-seen-url; GETs never write, so this POSTs.
import { postForm } from './http.js';

export function markFeedbackSeen(root) {
  for (const review of root.querySelectorAll('[data-feedback-seen-url]')) {
    postForm(review.dataset.feedbackSeenUrl, {}).catch(() => { /* offline: it stays marked, nothing lost */ });
    review.removeAttribute('data-feedback-seen-url');
  }
}

markFeedbackSeen(document);
