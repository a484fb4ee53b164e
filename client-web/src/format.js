// Plain words for the values the API uses, and dates people can read.

export const PROFESSIONS = [
  ['medical', 'Medical (doctors)'],
  ['nursing', 'Nursing'],
  ['midwifery', 'Midwifery'],
  ['allied_health', 'Allied health (for example physiotherapy, occupational therapy)'],
  ['pharmacy', 'Pharmacy'],
  ['dental', 'Dental'],
  ['optometry', 'Optometry (eye care)'],
  ['healthcare_science', 'Healthcare science'],
  ['psychology', 'Psychology'],
  ['paramedic', 'Paramedic'],
  ['social_work', 'Social work'],
  ['social_care', 'Social care'],
  ['public_health', 'Public health'],
  ['management', 'Management'],
  ['other', 'Other'],
];
const PROFESSION_SHORT = Object.fromEntries(PROFESSIONS.map(([k, v]) => [k, v.replace(/ \(.*\)$/, '')]));
export function professionLabel(p) {
  if (!p) return 'Unknown';
  return PROFESSION_SHORT[p] || String(p).replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
}

export const IDEA_STATUSES = ['new', 'under_review', 'shortlisted', 'forwarded', 'adopted', 'not_progressed', 'merged'];
const IDEA_STATUS = {
  new: ['New', 'nhsuk-tag--blue'],
  under_review: ['Being looked at', 'nhsuk-tag--purple'],
  shortlisted: ['Shortlisted', 'nhsuk-tag--aqua-green'],
  forwarded: ['Sent to a workshop', 'nhsuk-tag--yellow'],
  adopted: ['Taken forward', 'nhsuk-tag--green'],
  not_progressed: ['Not taken forward', 'nhsuk-tag--grey'],
  merged: ['Joined with another idea', 'nhsuk-tag--white'],
};
export function ideaStatusLabel(s) { return (IDEA_STATUS[s] || [String(s || '')])[0]; }
export function ideaStatusClass(s) { return (IDEA_STATUS[s] || [null, 'nhsuk-tag--grey'])[1]; }

const CHALLENGE_STATUS = {
  draft: ['Draft (not published)', 'nhsuk-tag--grey'],
  open: ['Open for ideas', 'nhsuk-tag--green'],
  closed: ['Closed', 'nhsuk-tag--orange'],
  archived: ['Archived', 'nhsuk-tag--grey'],
};
export function challengeStatusLabel(s) { return (CHALLENGE_STATUS[s] || [String(s || '')])[0]; }
export function challengeStatusClass(s) { return (CHALLENGE_STATUS[s] || [null, 'nhsuk-tag--grey'])[1]; }

const ITEM_STATE = { queued: 'Waiting to be discussed', discussed: 'Discussed', actioned: 'Outcome recorded', parked: 'Parked for later' };
export function itemStateLabel(s) { return ITEM_STATE[s] || String(s || ''); }
export const ITEM_STATES = Object.keys(ITEM_STATE);

const WORKSHOP_STATUS = { planned: 'Planned', running: 'Happening now', done: 'Finished' };
export function workshopStatusLabel(s) { return WORKSHOP_STATUS[s] || String(s || ''); }

const dateFmt = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric' });
const dateTimeFmt = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', hour: 'numeric', minute: '2-digit' });

function parse(ts) {
  if (!ts) return null;
  const d = new Date(ts);
  return Number.isNaN(d.getTime()) ? null : d;
}
export function formatDate(ts) { const d = parse(ts); return d ? dateFmt.format(d) : ''; }
export function formatDateTime(ts) { const d = parse(ts); return d ? dateTimeFmt.format(d) : ''; }

/** "3 minutes ago" style, falling back to the date after a week. */
export function formatRelative(ts, now = Date.now()) {
  const d = parse(ts);
  if (!d) return '';
  const s = Math.round((now - d.getTime()) / 1000);
  if (s < 45) return 'just now';
  const m = Math.round(s / 60);
  if (m < 60) return `${m} minute${m === 1 ? '' : 's'} ago`;
  const hr = Math.round(m / 60);
  if (hr < 24) return `${hr} hour${hr === 1 ? '' : 's'} ago`;
  const days = Math.round(hr / 24);
  if (days < 7) return `${days} day${days === 1 ? '' : 's'} ago`;
  return `on ${dateFmt.format(d)}`;
}

export function plural(n, one, many) {
  const num = Number(n) || 0;
  return `${num} ${num === 1 ? one : (many || `${one}s`)}`;
}

/** A <time> element with a readable date and the machine form in datetime. */
export function timeEl(h, ts, { relative = false } = {}) {
  const d = parse(ts);
  if (!d) return '';
  return h('time', { datetime: d.toISOString(), title: dateTimeFmt.format(d) }, relative ? formatRelative(ts) : dateTimeFmt.format(d));
}

export function authorName(author, anonymous) {
  if (author && author.display_name) {
    return anonymous ? `${author.display_name} (shared anonymously)` : author.display_name;
  }
  return 'Anonymous';
}
