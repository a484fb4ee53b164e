// Tiny DOM builder. Every piece of text goes in through textContent / createTextNode,
// never innerHTML, so user text is always shown as text (CSP forbids inline code anyway).

const SVG_NS = 'http://www.w3.org/2000/svg';

function append(el, child) {
  if (child === null || child === undefined || child === false || child === true) return;
  if (Array.isArray(child)) { for (const c of child) append(el, c); return; }
  if (child instanceof Node) { el.appendChild(child); return; }
  el.appendChild(document.createTextNode(String(child)));
}

function setAttrs(el, attrs) {
  if (!attrs) return;
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') { el.setAttribute('class', Array.isArray(value) ? value.filter(Boolean).join(' ') : value); continue; }
    if (key === 'dataset') { for (const [k, v] of Object.entries(value)) if (v !== undefined && v !== null) el.dataset[k] = String(v); continue; }
    if (key.startsWith('on') && typeof value === 'function') { el.addEventListener(key.slice(2).toLowerCase(), value); continue; }
    if (key === 'value' && 'value' in el) { el.value = value; continue; }
    if (key === 'checked' || key === 'selected' || key === 'disabled') { el[key] = Boolean(value); if (value) el.setAttribute(key, ''); continue; }
    if (key === 'text') { el.textContent = String(value); continue; }
    el.setAttribute(key, value === true ? '' : String(value));
  }
}

/** h('p', {class: 'x'}, 'text', child, [more]) */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs && (typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs))) {
    children.unshift(attrs);
  } else {
    setAttrs(el, attrs);
  }
  append(el, children);
  return el;
}

/** svg('rect', {...}) */
export function svg(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.setAttribute('class', v);
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export function replaceChildren(el, ...children) {
  clear(el);
  append(el, children);
  return el;
}

let idCounter = 0;
export function uid(prefix = 'id') {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

/** Puts keyboard focus on an element that is not normally focusable (headings, summaries). */
export function focusElement(el) {
  if (!el) return;
  if (!el.hasAttribute('tabindex')) {
    el.setAttribute('tabindex', '-1');
    el.addEventListener('blur', () => el.removeAttribute('tabindex'), { once: true });
  }
  el.focus({ preventScroll: false });
}

/** Appends children to el, skipping null/undefined/false (Element.append would print "null"). */
export function add(el, ...children) {
  append(el, children);
  return el;
}
