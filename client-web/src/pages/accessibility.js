// The accessibility statement.
import { h, add } from '../dom.js';
import * as ui from '../ui.js';

export async function render(ctx) {
  ctx.setTitle('Accessibility statement');
  const p = ui.para;
  add(ctx.page, h('div', { class: 'nhsuk-grid-row' }, h('div', { class: 'nhsuk-grid-column-two-thirds' },
    ui.pageHeading('Accessibility statement for CareCrowd'),
    p('CareCrowd is for everyone who works in health and social care. We want as many people as possible to be able to use it. You should be able to:'),
    h('ul', { class: 'nhsuk-list nhsuk-list--bullet' },
      h('li', null, 'use it on a phone, tablet or computer, down to a screen 320 pixels wide, without scrolling sideways'),
      h('li', null, 'zoom in up to 400% without the text spilling off the screen'),
      h('li', null, 'get around it using just a keyboard'),
      h('li', null, 'use it with a screen reader (including NVDA, JAWS and VoiceOver) and with speech recognition'),
      h('li', null, 'hear about changes that happen while you are on a page, such as new ideas, votes and comments, without losing your place')),
    h('h2', { class: 'nhsuk-heading-m' }, 'How we built it'),
    p('CareCrowd uses the NHS.UK design system, which is tested with people who use assistive technology. Every page has a skip link, headings in order, labelled form fields, and error messages that say what went wrong and link to the field to fix. Charts have a table with the same figures.'),
    p('Live updates are announced politely, so a screen reader finishes what it is saying first. Lists are updated in place rather than redrawn, so your keyboard focus stays where it was.'),
    h('h2', { class: 'nhsuk-heading-m' }, 'How accessible this service is'),
    p('We aim to meet the Web Content Accessibility Guidelines (WCAG) version 2.2 to level AA. We check every page with automated tests, and by hand with a keyboard and a screen reader. Automated tests cannot find every problem.'),
    h('h3', { class: 'nhsuk-heading-s' }, 'Known issues'),
    h('ul', { class: 'nhsuk-list nhsuk-list--bullet' },
      h('li', null, 'The workshop queue\'s order is changed with "Move up" and "Move down" buttons. There is no drag and drop, on purpose.'),
      h('li', null, 'Downloaded spreadsheets (CSV files) have no formatting, so column headings are plain text.')),
    h('h2', { class: 'nhsuk-heading-m' }, 'Reporting problems'),
    p('If you find a problem with accessibility, or you need information in a different format, tell the design group or your local digital team. We will reply within 5 working days.'),
    h('h2', { class: 'nhsuk-heading-m' }, 'Enforcement'),
    p('The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018. If you are not happy with how we respond to your complaint, contact the Equality Advisory and Support Service (EASS).'),
    h('h2', { class: 'nhsuk-heading-m' }, 'Preparation of this statement'),
    p('This statement was prepared when CareCrowd was built. It is reviewed with every release.'))));
}
