// Progressive enhancement only: every page works without this script.
import { initAll as initGovuk } from '/assets/govuk/govuk-frontend.min.js';
import { initAll as initMoj } from '/assets/moj/moj-frontend.min.js';

initGovuk();
initMoj();

// Countdowns keep counting while a page stays open (the server wrote the first value).
const span = (ms) => {
  const minutes = Math.round(Math.abs(ms) / 60000);
  const plural = (n, unit) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (minutes < 60) return plural(Math.max(minutes, 1), 'minute');
  // Within two days, hours and minutes (as the server writes them): the detention clocks count in them.
  if (minutes < 48 * 60) return minutes % 60 ? `${plural(Math.floor(minutes / 60), 'hour')} ${plural(minutes % 60, 'minute')}` : plural(minutes / 60, 'hour');
  return plural(Math.round(minutes / 1440), 'day');
};
const tick = () => {
  for (const el of document.querySelectorAll('[data-due]')) {
    const ms = Date.parse(el.dataset.due) - Date.now();
    el.textContent = ms < 0 ? `Overdue by ${span(ms)}` : `Due in ${span(ms)}`;
    el.classList.toggle('app-countdown--overdue', ms < 0);
    el.classList.toggle('app-countdown--soon', ms >= 0 && ms < 2 * 86400000);
  }
};
// Every 20 s: a countdown in minutes must not lag a minute behind.
setInterval(tick, 20000);
