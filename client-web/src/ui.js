// NHS.UK frontend components built as DOM (markup follows nhsuk-frontend's templates).
import { h, svg, uid, clear, focusElement } from './dom.js';
import { ApiError } from './api.js';

/* ---------- text and layout ---------- */

export function pageHeading(text, { caption, size = 'l' } = {}) {
  return h('h1', { class: `nhsuk-heading-${size}`, id: 'page-heading' },
    caption ? h('span', { class: 'nhsuk-caption-l' }, caption, h('span', { class: 'nhsuk-u-visually-hidden' }, ' - ')) : null,
    text);
}

export function para(...children) { return h('p', { class: 'nhsuk-body' }, ...children); }

export function link(href, text, attrs = {}) { return h('a', { href, class: 'nhsuk-link', ...attrs }, text); }

export function tag(text, cls) { return h('strong', { class: ['nhsuk-tag', cls] }, text); }

export function backLink(href, text = 'Back') {
  return h('a', { class: 'nhsuk-back-link', href }, text);
}

export function breadcrumbs(items) {
  // items: [[href, text], ...]; the last is the parent for the mobile back link.
  const last = items[items.length - 1];
  return h('nav', { class: 'nhsuk-breadcrumb', 'aria-label': 'Breadcrumb' },
    h('ol', { class: 'nhsuk-breadcrumb__list' },
      items.map(([href, text]) => h('li', { class: 'nhsuk-breadcrumb__list-item' }, h('a', { class: 'nhsuk-breadcrumb__link', href }, text)))),
    last ? h('a', { class: 'nhsuk-back-link', href: last[0] }, h('span', { class: 'nhsuk-u-visually-hidden' }, 'Back to '), last[1]) : null);
}

export function insetText(...children) {
  return h('div', { class: 'nhsuk-inset-text' }, h('span', { class: 'nhsuk-u-visually-hidden' }, 'Information: '), ...children);
}

export function warningCallout(heading, ...children) {
  return h('div', { class: 'nhsuk-card nhsuk-card--warning' },
    h('div', { class: 'nhsuk-card__content' },
      h('h2', { class: 'nhsuk-card__heading' }, heading),
      ...children));
}

export function notificationBanner(title, content, { success = false, role } = {}) {
  const id = uid('banner-title');
  return h('div', {
    class: ['nhsuk-notification-banner', success && 'nhsuk-notification-banner--success'],
    role: role || (success ? 'alert' : 'region'), 'aria-labelledby': id,
  },
  h('div', { class: 'nhsuk-notification-banner__header' }, h('h2', { class: 'nhsuk-notification-banner__title', id }, title)),
  h('div', { class: 'nhsuk-notification-banner__content' }, content));
}

export function summaryList(rows) {
  return h('dl', { class: 'nhsuk-summary-list' },
    rows.filter(Boolean).map(([key, value]) => h('div', { class: 'nhsuk-summary-list__row' },
      h('dt', { class: 'nhsuk-summary-list__key' }, key),
      h('dd', { class: 'nhsuk-summary-list__value' }, value))));
}

export function table({ caption, head, rows, numericCols = [], captionSize = 'm', className, captionHidden = false }) {
  return h('div', { class: 'cc-table-scroll', tabindex: '0', role: 'region', 'aria-label': caption || 'Table' },
    h('table', { class: ['nhsuk-table', className] },
      caption ? h('caption', { class: captionHidden ? 'nhsuk-u-visually-hidden' : `nhsuk-table__caption nhsuk-table__caption--${captionSize}` }, caption) : null,
      h('thead', { class: 'nhsuk-table__head' }, h('tr', { class: 'nhsuk-table__row' },
        head.map((t, i) => h('th', { class: ['nhsuk-table__header', numericCols.includes(i) && 'nhsuk-table__header--numeric'], scope: 'col' }, t)))),
      h('tbody', { class: 'nhsuk-table__body' }, rows.map((r) => h('tr', { class: 'nhsuk-table__row' },
        r.map((c, i) => (i === 0
          ? h('th', { class: 'nhsuk-table__header', scope: 'row' }, c)
          : h('td', { class: ['nhsuk-table__cell', numericCols.includes(i) && 'nhsuk-table__cell--numeric'] }, c))))))));
}

export function loading(text = 'Loading') {
  return h('p', { class: 'nhsuk-body cc-loading', role: 'status' }, `${text}…`);
}

/* ---------- buttons ---------- */

export function button(text, { secondary = false, reverse = false, warning = false, small = false, type = 'button', onClick, attrs = {} } = {}) {
  return h('button', {
    class: ['nhsuk-button', secondary && 'nhsuk-button--secondary', reverse && 'nhsuk-button--reverse',
      warning && 'nhsuk-button--warning', small && 'nhsuk-button--small'],
    'data-module': 'nhsuk-button', type, onClick, ...attrs,
  }, text);
}

export function linkButton(href, text, { secondary = false, small = false } = {}) {
  return h('a', {
    class: ['nhsuk-button', secondary && 'nhsuk-button--secondary', small && 'nhsuk-button--small'],
    href, role: 'button', draggable: 'false', 'data-module': 'nhsuk-button',
  }, text);
}

/** Disables a button while an async action runs, so it cannot be sent twice. */
export async function busy(btn, fn) {
  if (btn.disabled) return undefined;
  btn.disabled = true;
  btn.setAttribute('aria-disabled', 'true');
  try { return await fn(); } finally { btn.disabled = false; btn.removeAttribute('aria-disabled'); }
}

/* ---------- form fields ---------- */

function errorMessage(id, text) {
  return h('span', { class: 'nhsuk-error-message', id }, h('span', { class: 'nhsuk-u-visually-hidden' }, 'Error: '), text);
}

class Field {
  constructor(group, control, id, describedBy, controlClass) {
    this.group = group; this.input = control; this.id = id; this.describedBy = describedBy; this.controlClass = controlClass;
    this.errorEl = null;
  }
  setError(text) {
    this.clearError();
    const errId = `${this.id}-error`;
    this.errorEl = errorMessage(errId, text);
    this.group.classList.add('nhsuk-form-group--error');
    const anchor = this.group.querySelector('.nhsuk-radios, .nhsuk-checkboxes') || this.input;
    const describedHost = this.group.querySelector('fieldset') || this.input;
    anchor.parentNode.insertBefore(this.errorEl, anchor);
    if (this.controlClass && this.input.classList) this.input.classList.add(`${this.controlClass}--error`);
    describedHost.setAttribute('aria-describedby', [errId, this.describedBy].filter(Boolean).join(' '));
  }
  clearError() {
    if (!this.errorEl) return;
    this.errorEl.remove();
    this.errorEl = null;
    this.group.classList.remove('nhsuk-form-group--error');
    if (this.controlClass && this.input.classList) this.input.classList.remove(`${this.controlClass}--error`);
    const describedHost = this.group.querySelector('fieldset') || this.input;
    if (this.describedBy) describedHost.setAttribute('aria-describedby', this.describedBy);
    else describedHost.removeAttribute('aria-describedby');
  }
  get value() { return this.input.value; }
  set value(v) { this.input.value = v; }
  /** The element an error summary link should point at. */
  get targetId() { return this.input.id; }
}

/** Text input or textarea with label, hint and error message. */
export function textField({ name, label, hint, type = 'text', value = '', textarea = false, rows = 5, width,
  autocomplete, maxlength, spellcheck, inputmode, labelClass, labelIsHeading = false, id, required = false }) {
  id = id || uid(name);
  const hintId = hint ? `${id}-hint` : null;
  const controlClass = textarea ? 'nhsuk-textarea' : 'nhsuk-input';
  const control = textarea
    ? h('textarea', { class: controlClass, id, name, rows, autocomplete, maxlength, spellcheck })
    : h('input', { class: [controlClass, width && `nhsuk-input--width-${width}`], id, name, type, autocomplete, maxlength, spellcheck, inputmode });
  control.value = value == null ? '' : String(value);
  if (required) control.setAttribute('aria-required', 'true');
  if (hintId) control.setAttribute('aria-describedby', hintId);
  const labelEl = h('label', { class: ['nhsuk-label', labelClass], for: id }, label);
  const group = h('div', { class: 'nhsuk-form-group' },
    labelIsHeading ? h('h1', { class: 'nhsuk-label-wrapper' }, labelEl) : labelEl,
    hint ? h('div', { class: 'nhsuk-hint', id: hintId }, hint) : null,
    control);
  return new Field(group, control, id, hintId, controlClass);
}

export function selectField({ name, label, options, value, hint, id }) {
  id = id || uid(name);
  const hintId = hint ? `${id}-hint` : null;
  const control = h('select', { class: 'nhsuk-select', id, name, 'aria-describedby': hintId },
    options.map(([v, t]) => h('option', { value: v, selected: String(v) === String(value ?? '') }, t)));
  const group = h('div', { class: 'nhsuk-form-group' },
    h('label', { class: 'nhsuk-label', for: id }, label),
    hint ? h('div', { class: 'nhsuk-hint', id: hintId }, hint) : null,
    control);
  return new Field(group, control, id, hintId, 'nhsuk-select');
}

class ChoiceField extends Field {
  constructor(group, container, id, describedBy, inputs, multiple) {
    super(group, container, id, describedBy, null);
    this.inputs = inputs; this.multiple = multiple;
  }
  get value() {
    if (this.multiple) return this.inputs.filter((i) => i.checked).map((i) => i.value);
    const c = this.inputs.find((i) => i.checked);
    return c ? c.value : null;
  }
  set value(v) {
    const set = new Set((Array.isArray(v) ? v : [v]).map(String));
    for (const i of this.inputs) i.checked = set.has(i.value);
  }
  get targetId() { return this.inputs[0] ? this.inputs[0].id : this.id; }
}

/** Radios or checkboxes in a fieldset with a legend. items: [{value, label, hint}] */
export function choiceField({ name, legend, hint, items, value, multiple = false, inline = false, small = false, legendClass, id }) {
  id = id || uid(name);
  const kind = multiple ? 'checkboxes' : 'radios';
  const hintId = hint ? `${id}-hint` : null;
  const selected = new Set((Array.isArray(value) ? value : [value]).filter((v) => v !== undefined && v !== null).map(String));
  const inputs = [];
  const itemEls = items.map((item, idx) => {
    const inputId = idx === 0 ? id : `${id}-${idx + 1}`;
    const itemHintId = item.hint ? `${inputId}-item-hint` : null;
    const input = h('input', {
      class: `nhsuk-${kind}__input`, id: inputId, name, type: multiple ? 'checkbox' : 'radio', value: String(item.value),
      checked: selected.has(String(item.value)), 'aria-describedby': itemHintId,
    });
    inputs.push(input);
    return h('div', { class: `nhsuk-${kind}__item` }, input,
      h('label', { class: `nhsuk-label nhsuk-${kind}__label`, for: inputId }, item.label),
      item.hint ? h('div', { class: `nhsuk-hint nhsuk-${kind}__hint`, id: itemHintId }, item.hint) : null);
  });
  const container = h('div', { class: [`nhsuk-${kind}`, inline && `nhsuk-${kind}--inline`, small && `nhsuk-${kind}--small`] }, itemEls);
  const fieldset = h('fieldset', { class: 'nhsuk-fieldset', 'aria-describedby': hintId },
    h('legend', { class: ['nhsuk-fieldset__legend', legendClass || 'nhsuk-fieldset__legend--s'] }, legend),
    hint ? h('div', { class: 'nhsuk-hint', id: hintId }, hint) : null,
    container);
  const group = h('div', { class: 'nhsuk-form-group' }, fieldset);
  return new ChoiceField(group, container, id, hintId, inputs, multiple);
}

/* ---------- errors: the NHS.UK error summary pattern ---------- */

/**
 * Manages an error summary at the top of a page plus the inline messages of a form.
 * fields: { apiFieldName: Field }.
 */
export class FormErrors {
  constructor(slot, fields = {}) {
    this.slot = slot; this.summary = null;
    this.fields = Object.fromEntries(Object.entries(fields).filter(([, f]) => f));
  }
  clear() {
    for (const f of Object.values(this.fields)) f.clearError();
    if (this.summary) { this.summary.remove(); this.summary = null; }
    if (document.title.startsWith('Error: ')) document.title = document.title.slice(7);
  }
  /** errors: [{field, message}] where field is a key of fields (or null). */
  show(errors) {
    this.clear();
    const items = [];
    for (const e of errors) {
      const f = e.field && this.fields[e.field];
      if (f) f.setError(e.message);
      items.push({ message: e.message, target: f ? f.targetId : null });
    }
    this.summary = errorSummary(items);
    this.slot.prepend(this.summary);
    if (!document.title.startsWith('Error: ')) document.title = `Error: ${document.title}`;
    focusElement(this.summary);
    return this.summary;
  }
  /** Shows an ApiError (or any error) from the server. Returns true if shown. */
  showApiError(err, { messages = {} } = {}) {
    if (err && err.name === 'AbortError') return false;
    if (!(err instanceof ApiError)) {
      console.warn(err);
      this.show([{ field: null, message: 'Something went wrong in this page. Reload it and try again.' }]);
      return true;
    }
    const message = messages[err.code] || friendlyMessage(err);
    const field = err.field && this.fields[err.field] ? err.field : null;
    this.show([{ field, message }]);
    return true;
  }
}

export function friendlyMessage(err) {
  if (!(err instanceof ApiError)) return 'Something went wrong. Try again.';
  if (err.code === 'csrf') return 'Your session needs refreshing. Reload the page and try again.';
  if (err.code === 'rate_limited') return `You are doing that too often. Wait ${err.retryAfter ? `${err.retryAfter} seconds` : 'a moment'} and try again.`;
  if (err.status >= 500) return 'Something went wrong on our side. Try again in a few minutes.';
  if (err.message) {
    const m = String(err.message);
    return m.charAt(0).toUpperCase() + m.slice(1);
  }
  return 'Something went wrong. Try again.';
}

export function errorSummary(items, heading = 'There is a problem') {
  return h('div', { class: 'nhsuk-error-summary', tabindex: '-1' },
    h('div', { role: 'alert' },
      h('h2', { class: 'nhsuk-error-summary__heading' }, heading),
      h('div', { class: 'nhsuk-error-summary__body' },
        h('ul', { class: 'nhsuk-list nhsuk-error-summary__list' },
          items.map((it) => h('li', null, it.target
            ? h('a', {
              href: `#${it.target}`,
              onClick: (ev) => {
                ev.preventDefault();
                const target = document.getElementById(it.target);
                if (target) { target.focus(); target.scrollIntoView({ block: 'center' }); }
              },
            }, it.message)
            : it.message))))));
}

/** A small, inline message for errors of actions that are not a form (vote, reorder…). */
export function inlineError(slot, err) {
  clear(slot);
  if (!err) return;
  const msg = typeof err === 'string' ? err : friendlyMessage(err);
  slot.appendChild(errorMessage(uid('inline-error'), msg));
}

/* ---------- icons ---------- */

export function icon(name) {
  const paths = {
    up: 'M12 4 4 14h5v6h6v-6h5z',
    down: 'M12 20 4 10h5V4h6v6h5z',
    comment: 'M4 4h16v12H8l-4 4z',
    search: 'm20.7 18.9-4.1-4.1a7 7 0 1 0-1.4 1.4l4 4.1a1 1 0 0 0 1.5 0c.4-.4.4-1 0-1.4ZM6 10.6a5 5 0 1 1 10 0 5 5 0 0 1-10 0Z',
    user: 'M12 1a11 11 0 1 1 0 22 11 11 0 0 1 0-22Zm0 2a9 9 0 0 0-5 16.5V18a4 4 0 0 1 4-4h2a4 4 0 0 1 4 4v1.5A9 9 0 0 0 12 3Zm0 3a3.5 3.5 0 1 1-3.5 3.5A3.4 3.4 0 0 1 12 6Z',
  };
  return svg('svg', { class: `cc-icon cc-icon--${name}`, xmlns: 'http://www.w3.org/2000/svg', viewBox: '0 0 24 24', width: 16, height: 16, focusable: 'false', 'aria-hidden': 'true' },
    svg('path', { d: paths[name] || '' }));
}
