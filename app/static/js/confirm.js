// A form with data-confirm="question" asks before it is sent (removing a student, a new join
// code): the page's CSP allows no inline onsubmit, so every page loads this one listener.
document.addEventListener('submit', (event) => {
  const question = event.target.dataset && event.target.dataset.confirm;
  if (question && !window.confirm(question)) event.preventDefault();
});
