// Workshops where the design group discusses the ideas sent to it.
import { h, add } from '../dom.js';
import * as api from '../api.js';
import * as ui from '../ui.js';
import * as fmt from '../format.js';
import * as session from '../session.js';
import { flashBanner, excerpt } from '../common.js';

export async function render(ctx) {
  ctx.setTitle('Workshops');
  const list = await api.getAll('/workshops');
  list.sort((a, b) => String(b.scheduled_at || '').localeCompare(String(a.scheduled_at || '')));
  add(ctx.page, flashBanner(), h('div', { class: 'nhsuk-grid-row' }, h('div', { class: 'nhsuk-grid-column-two-thirds' },
    ui.pageHeading('Workshops'),
    ui.para('The design group meets in workshops to discuss the ideas sent to it. Here you can see each workshop\'s list of ideas and what was decided.'),
    session.isDesignGroup() ? ui.linkButton('/workshops/new', 'Create a workshop', { secondary: true }) : null,
    list.length ? h('ul', { class: 'nhsuk-list cc-card-list' }, list.map((w) => h('li', { class: 'cc-card-list__item' },
      h('div', { class: 'nhsuk-card nhsuk-card--clickable cc-card' }, h('div', { class: 'nhsuk-card__content' },
        h('h2', { class: 'nhsuk-card__heading nhsuk-heading-s' }, h('a', { class: 'nhsuk-card__link', href: `/workshops/${w.id}` }, w.title)),
        h('p', { class: 'nhsuk-body-s cc-meta' }, fmt.workshopStatusLabel(w.status), w.scheduled_at ? ['. ', fmt.timeEl(h, w.scheduled_at)] : null),
        w.description ? h('p', { class: 'nhsuk-card__description' }, excerpt(w.description, 200)) : null)))))
      : ui.para('There are no workshops yet.'))));
}
