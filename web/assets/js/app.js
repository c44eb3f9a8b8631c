// Progressive enhancement only: every page works without this script.
import { initAll as initGovuk } from '/assets/govuk/govuk-frontend.min.js';
import { initAll as initMoj } from '/assets/moj/moj-frontend.min.js';

initGovuk();
initMoj();

// Countdowns keep counting while a page stays open (the server wrote the first value).
const span = (ms) => {
  const minutes = Math.round(Math.abs(ms) / 60000);
  if (minutes < 60) return `${Math.max(minutes, 1)} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} hour${hours === 1 ? '' : 's'}`;
  const days = Math.round(hours / 24);
  return `${days} day${days === 1 ? '' : 's'}`;
};
const tick = () => {
  for (const el of document.querySelectorAll('[data-due]')) {
    const ms = Date.parse(el.dataset.due) - Date.now();
    el.textContent = ms < 0 ? `Overdue by ${span(ms)}` : `Due in ${span(ms)}`;
    el.classList.toggle('app-countdown--overdue', ms < 0);
    el.classList.toggle('app-countdown--soon', ms >= 0 && ms < 2 * 86400000);
  }
};
setInterval(tick, 30000);
