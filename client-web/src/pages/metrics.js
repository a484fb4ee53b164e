// Design group: who is taking part in a challenge, with simple SVG charts, each followed by
// a table of the same figures, and the CSV download.
import { h, svg, add } from '../dom.js';
import * as api from '../api.js';
import * as ui from '../ui.js';
import * as fmt from '../format.js';
import { csvLink } from '../common.js';

const pct = (x) => (typeof x === 'number' && Number.isFinite(x) ? `${Math.round(x * 1000) / 10}%` : '–');
const num = (x) => (typeof x === 'number' && Number.isFinite(x) ? String(Math.round(x * 100) / 100) : '–');

/** Horizontal bars; rows: [{label, values: [number...]}], series: [{name, cls}] */
function hBarChart({ rows, series, max, format = (v) => String(v) }) {
  const rowH = 14 * series.length + 14;
  const labelW = 170;
  const width = 640;
  const barW = width - labelW - 70;
  const top = 8 + series.length * 18;
  const height = top + rows.length * rowH + 6;
  const m = max || Math.max(1e-9, ...rows.flatMap((r) => r.values.map((v) => v || 0)));
  const chart = svg('svg', { class: 'cc-chart', viewBox: `0 0 ${width} ${height}`, 'aria-hidden': 'true', focusable: 'false', preserveAspectRatio: 'xMinYMin meet' });
  // legend
  series.forEach((s, i) => {
    chart.append(svg('rect', { x: labelW, y: 4 + i * 18, width: 12, height: 12, class: s.cls }));
    chart.append(svg('text', { x: labelW + 18, y: 14 + i * 18, class: 'cc-chart__text' }, s.name));
  });
  rows.forEach((r, i) => {
    const y = top + i * rowH;
    chart.append(svg('text', { x: labelW - 8, y: y + rowH / 2 + 2, class: 'cc-chart__text', 'text-anchor': 'end' }, r.label.length > 26 ? `${r.label.slice(0, 25)}…` : r.label));
    r.values.forEach((v, j) => {
      const w = Math.max(v ? 1 : 0, Math.round(((v || 0) / m) * barW));
      const by = y + 6 + j * 14;
      chart.append(svg('rect', { x: labelW, y: by, width: w, height: 11, class: series[j].cls }));
      chart.append(svg('text', { x: labelW + w + 4, y: by + 10, class: 'cc-chart__text cc-chart__text--small' }, format(v)));
    });
  });
  return chart;
}

/** Vertical grouped bars for daily activity. */
function dailyChart(days, series) {
  const width = 640; const height = 220; const left = 34; const bottom = 40; const top = 24;
  const m = Math.max(1, ...days.flatMap((d) => series.map((s) => d[s.key] || 0)));
  const slot = (width - left - 10) / Math.max(1, days.length);
  const bw = Math.max(2, Math.min(14, (slot - 4) / series.length));
  const plotH = height - top - bottom;
  const chart = svg('svg', { class: 'cc-chart', viewBox: `0 0 ${width} ${height}`, 'aria-hidden': 'true', focusable: 'false' });
  series.forEach((s, i) => {
    chart.append(svg('rect', { x: left + i * 130, y: 4, width: 12, height: 12, class: s.cls }));
    chart.append(svg('text', { x: left + i * 130 + 18, y: 14, class: 'cc-chart__text' }, s.name));
  });
  chart.append(svg('line', { x1: left, x2: width - 6, y1: top + plotH, y2: top + plotH, class: 'cc-chart__axis' }));
  chart.append(svg('text', { x: left - 4, y: top + 8, class: 'cc-chart__text cc-chart__text--small', 'text-anchor': 'end' }, String(m)));
  chart.append(svg('text', { x: left - 4, y: top + plotH, class: 'cc-chart__text cc-chart__text--small', 'text-anchor': 'end' }, '0'));
  days.forEach((d, i) => {
    const x0 = left + i * slot + 2;
    series.forEach((s, j) => {
      const v = d[s.key] || 0;
      const bh = Math.round((v / m) * plotH);
      chart.append(svg('rect', { x: x0 + j * bw, y: top + plotH - bh, width: bw - 1, height: bh, class: s.cls }));
    });
    if (days.length <= 14 || i % Math.ceil(days.length / 10) === 0) {
      chart.append(svg('text', { x: x0, y: top + plotH + 14, class: 'cc-chart__text cc-chart__text--small' }, String(d.date || '').slice(5)));
    }
  });
  return chart;
}

function figure(id, title, description, chart, tableEl) {
  return h('section', { class: 'cc-section cc-figure', 'aria-labelledby': id },
    h('h2', { class: 'nhsuk-heading-m', id }, title),
    description ? h('p', { class: 'nhsuk-body-s' }, description) : null,
    chart ? h('div', { class: 'cc-chart-wrap' }, chart) : null,
    tableEl);
}

export async function render(ctx) {
  const id = ctx.params.id;
  const [{ challenge }, m] = await Promise.all([api.get(`/challenges/${id}`), api.get(`/metrics/challenges/${id}`)]);
  ctx.setTitle(`Metrics: ${challenge.title}`);
  ctx.setBefore(ui.breadcrumbs([['/', 'Challenges'], [`/challenges/${id}`, challenge.title]]));

  const byProf = Object.entries(m.by_profession || {}).map(([k, v]) => ({ key: k, label: fmt.professionLabel(k), ...v }))
    .sort((a, b) => (b.participants || 0) - (a.participants || 0));
  const under = new Set((m.diversity && m.diversity.under_represented) || []);
  const daily = (m.daily || []).slice(-30);
  const funnelEntries = Array.isArray(m.funnel)
    ? m.funnel.map((f) => [f.status, f.count ?? f.ideas ?? 0])
    : fmt.IDEA_STATUSES.filter((s) => m.funnel && m.funnel[s] !== undefined).map((s) => [s, m.funnel[s]]);
  const byOrg = Object.entries(m.by_organisation || {}).map(([k, v]) => ({ label: k, ...(typeof v === 'object' ? v : { participants: v }) }))
    .sort((a, b) => (b.participants || 0) - (a.participants || 0));

  const totals = ui.summaryList([
    ['People taking part', String(m.participants ?? 0)],
    ['Ideas', String(m.ideas ?? 0)],
    ['Comments', String(m.comments ?? 0)],
    ['Votes', String(m.votes ?? 0)],
    m.diversity ? ['Professions taking part', String(m.diversity.professions ?? '–')] : null,
    m.diversity ? ['Evenness across professions', `${num(m.diversity.evenness)} (0 means one profession only, 1 means perfectly even)`] : null,
    under.size ? ['Under-represented professions', [...under].map(fmt.professionLabel).join(', ')] : null,
  ]);

  const profChart = byProf.length ? hBarChart({
    rows: byProf.map((p) => ({ label: p.label, values: [p.share || 0, p.baseline_share || 0] })),
    series: [{ name: 'Share of people taking part', cls: 'cc-bar cc-bar--a' }, { name: 'Share of the workforce', cls: 'cc-bar cc-bar--outline' }],
    format: pct,
  }) : null;
  const profTable = ui.table({
    caption: 'Taking part by profession', captionHidden: true,
    head: ['Profession', 'People', 'Ideas', 'Comments', 'Votes', 'Share', 'Workforce share', 'Representation'],
    numericCols: [1, 2, 3, 4, 5, 6, 7],
    rows: byProf.map((p) => [p.label, String(p.participants ?? 0), String(p.ideas ?? 0), String(p.comments ?? 0), String(p.votes ?? 0), pct(p.share), pct(p.baseline_share),
      [num(p.representation), under.has(p.key) ? h('span', null, ' ', ui.tag('Under-represented', 'nhsuk-tag--orange')) : null]]),
  });

  const series = [{ key: 'ideas', name: 'Ideas', cls: 'cc-bar cc-bar--a' }, { key: 'comments', name: 'Comments', cls: 'cc-bar cc-bar--b' }, { key: 'votes', name: 'Votes', cls: 'cc-bar cc-bar--c' }];
  const dailyTable = ui.table({
    caption: 'Activity by day', captionHidden: true, head: ['Date', 'Ideas', 'Comments', 'Votes', 'People'], numericCols: [1, 2, 3, 4],
    rows: daily.map((d) => [fmt.formatDate(d.date) || d.date, String(d.ideas ?? 0), String(d.comments ?? 0), String(d.votes ?? 0), String(d.participants ?? 0)]),
  });
  const funnelChart = funnelEntries.length ? hBarChart({
    rows: funnelEntries.map(([s, n]) => ({ label: fmt.ideaStatusLabel(s), values: [n] })),
    series: [{ name: 'Ideas', cls: 'cc-bar cc-bar--a' }],
  }) : null;
  const funnelTable = ui.table({ caption: 'Ideas by status', captionHidden: true, head: ['Status', 'Ideas'], numericCols: [1], rows: funnelEntries.map(([s, n]) => [fmt.ideaStatusLabel(s), String(n)]) });

  add(ctx.page, 
    ui.pageHeading('Who is taking part', { caption: challenge.title }),
    h('p', { class: 'nhsuk-body' }, csvLink(id)),
    h('section', { class: 'cc-section', 'aria-labelledby': 'totals-heading' }, h('h2', { class: 'nhsuk-heading-m', id: 'totals-heading' }, 'Totals'), totals),
    figure('prof-heading', 'Taking part by profession, against the workforce', 'Each profession\'s share of the people taking part (solid bar) next to its share of the workforce (outlined bar). Representation is the first divided by the second: below 0.5 counts as under-represented.', profChart, byProf.length ? profTable : ui.para('No one has taken part yet.')),
    figure('daily-heading', 'Activity by day', daily.length > 30 ? 'The last 30 days.' : null, daily.length ? dailyChart(daily, series) : null, daily.length ? dailyTable : ui.para('No activity yet.')),
    figure('funnel-heading', 'Where the ideas are', 'How many ideas are at each stage.', funnelChart, funnelEntries.length ? funnelTable : ui.para('No ideas yet.')),
    byOrg.length ? figure('org-heading', 'Taking part by organisation', null, null, ui.table({ caption: 'Organisations', captionHidden: true, head: ['Organisation', 'People', 'Ideas', 'Comments', 'Votes'], numericCols: [1, 2, 3, 4],
      rows: byOrg.map((o) => [o.label, String(o.participants ?? 0), String(o.ideas ?? '–'), String(o.comments ?? '–'), String(o.votes ?? '–')]) })) : null,
  );
}
