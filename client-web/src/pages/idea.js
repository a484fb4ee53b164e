// One idea: its text, votes, comments with one level of replies (live), and its journey
// (status history, workshops, outcome). Design group tools: status, workshop, merge.
import { h, replaceChildren, focusElement, uid, add } from '../dom.js';
import * as api from '../api.js';
import * as ui from '../ui.js';
import * as fmt from '../format.js';
import * as live from '../live.js';
import * as session from '../session.js';
import {
  statusTag, flashBanner, textBlock, tagList, voteControl, ideaFromEvent, commentFromEvent,
} from '../common.js';
import { patientDataMessage, confirmBox } from './idea-form.js';
import { containsNhsNumber } from '../patient-data.js';

const LOCKED = new Set(['forwarded', 'adopted', 'not_progressed', 'merged']);
const isDeleted = (c) => c.state === 'deleted' || !!c.deleted || !!c.deleted_at;
const isHidden = (c) => c.state === 'hidden' || c.hidden === true;

/** A "Report this" disclosure that posts a flag. */
function flagForm(target, targetId, what) {
  const reason = ui.textField({ name: 'reason', label: `Why are you reporting this ${what}?`, textarea: true, rows: 3, hint: 'For example, it includes personal details, or it is offensive. The design group will look at it.' });
  const msg = h('div', { role: 'status', class: 'cc-status-msg' });
  const send = ui.button('Send report', { type: 'submit', secondary: true, small: true });
  const form = h('form', { novalidate: true }, reason.group, send, msg);
  const details = h('details', { class: 'nhsuk-details cc-flag' },
    h('summary', { class: 'nhsuk-details__summary' }, h('span', { class: 'nhsuk-details__summary-text' }, `Report this ${what}`)),
    h('div', { class: 'nhsuk-details__text' }, form));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    reason.clearError();
    if (!reason.value.trim()) { reason.setError('Tell us why you are reporting this'); reason.input.focus(); return; }
    await ui.busy(send, async () => {
      try {
        await api.post('/flags', { target, id: targetId, reason: reason.value.trim() });
        reason.value = '';
        msg.textContent = 'Thank you. The design group will look at your report.';
      } catch (e) { reason.setError(ui.friendlyMessage(e)); reason.input.focus(); }
    });
  });
  return details;
}

export async function render(ctx) {
  const id = ctx.params.id;
  const me = session.currentUser();
  const dg = session.isDesignGroup();
  let { idea } = await api.get(`/ideas/${id}`);
  const { challenge } = await api.get(`/challenges/${idea.challenge_id}`);
  ctx.setTitle(idea.title);
  ctx.setBefore(ui.breadcrumbs([['/', 'Challenges'], [`/challenges/${challenge.id}`, challenge.title]]));
  const isAuthor = () => idea.mine === true || !!(idea.author && me && idea.author.id === me.id);

  /* ----- the idea ----- */
  const titleEl = h('span', null, idea.title);
  const statusSlot = h('p', { class: 'cc-status-line' });
  const bodySlot = h('div');
  const tagsSlot = h('div');
  const byline = h('p', { class: 'nhsuk-body-s cc-meta' });
  const outcomeSlot = h('div');
  const editSlot = h('div');
  const mergedSlot = h('div');
  const vote = voteControl(idea, challenge, { onChange: (res) => { if (res && res.my_vote) { following = true; renderFollow(); } } });

  function renderIdea() {
    titleEl.textContent = idea.title;
    replaceChildren(statusSlot, statusTag(idea.status));
    replaceChildren(bodySlot, textBlock(idea.body));
    replaceChildren(tagsSlot, tagList(idea.tags));
    replaceChildren(byline, `Shared by ${fmt.authorName(idea.author, idea.anonymous)}`,
      idea.author && idea.author.profession ? ` (${fmt.professionLabel(idea.author.profession)})` : '',
      ' on ', fmt.timeEl(h, idea.created_at), idea.updated_at && idea.updated_at !== idea.created_at ? ['. Last changed ', fmt.timeEl(h, idea.updated_at, { relative: true })] : null, '.');
    const decided = idea.status === 'adopted' || idea.status === 'not_progressed';
    replaceChildren(outcomeSlot, idea.status_note ? h('div', { class: ['nhsuk-card', decided ? 'nhsuk-card--feature' : '', 'cc-outcome'] },
      h('div', { class: 'nhsuk-card__content' },
        h(decided ? 'h2' : 'h2', { class: 'nhsuk-card__heading nhsuk-heading-m' }, decided ? `Outcome: ${fmt.ideaStatusLabel(idea.status)}` : 'Latest update from the design group'),
        textBlock(idea.status_note, 'nhsuk-card__description'))) : null);
    replaceChildren(mergedSlot, idea.status === 'merged' && idea.merged_into_id
      ? ui.insetText(h('p', null, 'This idea was joined with a similar one, and its votes and comments moved there. ', ui.link(`/ideas/${idea.merged_into_id}`, 'Read the idea it joined'), '.'))
      : null);
    replaceChildren(editSlot, isAuthor() && !LOCKED.has(idea.status)
      ? h('p', { class: 'nhsuk-body' }, ui.link(`/ideas/${id}/edit`, 'Edit your idea'), ' (you can change it until it is sent to a workshop)') : null);
    vote.setOpen(challenge.status === 'open' && idea.status !== 'merged');
  }

  /* ----- follow ----- */
  let following = idea.following ?? (isAuthor() || (idea.my_vote || 0) !== 0 ? true : null);
  const followBtn = ui.button('', { secondary: true, small: true });
  const followMsg = h('span', { role: 'status', class: 'cc-follow-msg' });
  const renderFollow = () => {
    followBtn.textContent = following ? 'Stop following this idea' : 'Follow this idea';
    followBtn.setAttribute('aria-pressed', following ? 'true' : 'false');
  };
  followBtn.addEventListener('click', () => ui.busy(followBtn, async () => {
    try {
      const res = await api.put(`/ideas/${id}/follow`, { follow: !following });
      following = !!res.following;
      renderFollow();
      followMsg.textContent = following ? 'We will tell you when this idea changes.' : 'You will no longer be told about this idea.';
    } catch (e) { followMsg.textContent = ui.friendlyMessage(e); }
  }));
  renderFollow();

  /* ----- journey ----- */
  const journey = h('div', { id: 'journey' });
  function renderJourney() {
    const steps = [h('li', { class: 'cc-journey__step' },
      h('h3', { class: 'nhsuk-heading-xs' }, 'Shared'),
      h('p', { class: 'nhsuk-body-s' }, `By ${fmt.authorName(idea.author, idea.anonymous)}, `, fmt.timeEl(h, idea.created_at), '.'))];
    for (const step of idea.history || []) {
      // The creation record repeats "Shared" above (and must not name an anonymous author).
      if (step.status === 'new' && !step.note && steps.length === 1) continue;
      const by = step.by && step.by.display_name && !(idea.anonymous && step.status === 'new' && !dg) ? step.by.display_name : null;
      steps.push(h('li', { class: 'cc-journey__step' },
        h('h3', { class: 'nhsuk-heading-xs' }, fmt.ideaStatusLabel(step.status)),
        step.note ? textBlock(step.note, 'nhsuk-body-s') : null,
        h('p', { class: 'nhsuk-body-s cc-meta' }, by ? `By ${by}, ` : '', fmt.timeEl(h, step.at), '.')));
    }
    const ws = idea.workshops || [];
    replaceChildren(journey,
      h('ol', { class: 'cc-journey' }, steps),
      ws.length ? [h('h3', { class: 'nhsuk-heading-s' }, 'Workshops'),
        h('ul', { class: 'nhsuk-list' }, ws.map((w) => h('li', null, ui.link(`/workshops/${w.id}`, w.title), `: ${fmt.itemStateLabel(w.item_state)}`)))]
        : h('p', { class: 'nhsuk-body-s' }, 'This idea has not been taken to a workshop yet.'));
  }

  async function refreshIdea(announceChange) {
    const before = idea.status;
    try {
      const res = await api.get(`/ideas/${id}`);
      idea = res.idea;
      renderIdea(); renderJourney(); renderDg();
      if (announceChange && before !== idea.status) ctx.announce(`This idea is now: ${fmt.ideaStatusLabel(idea.status)}.`);
    } catch (e) { if (!(e instanceof api.ApiError)) console.warn(e); }
  }

  /* ----- design group tools ----- */
  const dgSlot = h('div');
  // Kept across re-renders of the panel, so a confirmation stays visible.
  const dgMsg = h('div', { role: 'status', class: 'cc-status-msg' });
  let workshopsCache = null;
  function renderDg() {
    if (!dg) return;
    // Change status with a note.
    const statusF = ui.choiceField({
      name: 'status', legend: 'New status', small: true, value: idea.status,
      items: ['new', 'under_review', 'shortlisted', 'forwarded', 'adopted', 'not_progressed'].map((s) => ({ value: s, label: fmt.ideaStatusLabel(s) })),
    });
    const noteF = ui.textField({ name: 'status_note', label: 'Note for everyone', textarea: true, rows: 3, hint: 'Say what has been decided and why. Everyone who follows this idea will see it.' });
    const statusSave = ui.button('Change status', { type: 'submit', small: true });
    const statusForm = h('form', { novalidate: true, class: 'cc-dg-form' }, h('h3', { class: 'nhsuk-heading-s' }, 'Change the status'), statusF.group, noteF.group, statusSave);
    const statusErrors = new ui.FormErrors(statusForm, { status: statusF, status_note: noteF });
    statusForm.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const problems = [];
      if (!statusF.value) problems.push({ field: 'status', message: 'Choose a status' });
      if (!noteF.value.trim()) problems.push({ field: 'status_note', message: 'Write a note explaining the change' });
      if (problems.length) { statusErrors.show(problems); return; }
      await ui.busy(statusSave, async () => {
        try {
          const res = await api.patch(`/ideas/${id}`, { status: statusF.value, status_note: noteF.value.trim() });
          statusErrors.clear();
          idea = { ...idea, ...(res.idea || res) };
          await refreshIdea(false);
          ctx.announce(`Status changed to ${fmt.ideaStatusLabel(idea.status)}.`);
          focusElement(document.getElementById('page-heading'));
        } catch (e) { statusErrors.showApiError(e); }
      });
    });

    // Send to a workshop.
    const wsSlot = h('div');
    const loadWorkshops = async () => {
      if (!workshopsCache) workshopsCache = await api.getAll('/workshops').catch(() => []);
      const open = workshopsCache.filter((w) => w.status !== 'done');
      if (!open.length) { replaceChildren(wsSlot, h('p', { class: 'nhsuk-body-s' }, 'There are no planned workshops. ', ui.link('/workshops/new', 'Create a workshop'), '.')); return; }
      const wsF = ui.selectField({ name: 'workshop', label: 'Workshop', options: open.map((w) => [w.id, `${w.title}${w.scheduled_at ? ` (${fmt.formatDate(w.scheduled_at)})` : ''}`]) });
      const wsNote = ui.textField({ name: 'note', label: 'Note for the workshop (optional)', textarea: true, rows: 2 });
      const send = ui.button('Send to workshop', { type: 'submit', small: true, secondary: true });
      const msg = h('div', { role: 'status', class: 'cc-status-msg' });
      const f = h('form', { novalidate: true }, wsF.group, wsNote.group, send, msg);
      f.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        await ui.busy(send, async () => {
          try {
            const body = { idea_id: idea.id };
            if (wsNote.value.trim()) body.note = wsNote.value.trim();
            await api.post(`/workshops/${wsF.value}/queue`, body);
            await refreshIdea(false);
            dgMsg.textContent = 'The idea is in the workshop queue.';
          } catch (e) { msg.textContent = ui.friendlyMessage(e); }
        });
      });
      replaceChildren(wsSlot, f);
    };
    loadWorkshops();

    // Merge or unmerge.
    const mergeSlot = h('div');
    if (idea.status === 'merged') {
      const un = ui.button('Undo the merge', { secondary: true, small: true });
      un.addEventListener('click', () => ui.busy(un, async () => {
        try { await api.post(`/ideas/${id}/unmerge`, {}); await refreshIdea(false); dgMsg.textContent = 'The merge has been undone. Both ideas are back as they were.'; focusElement(dgMsg); }
        catch (e) { dgMsg.textContent = ui.friendlyMessage(e); }
      }));
      replaceChildren(mergeSlot, h('p', { class: 'nhsuk-body-s' }, 'This idea was joined with another. Undoing restores its votes and comments.'), un);
    } else {
      // Choose the surviving idea from the same challenge (loaded when the panel opens).
      const pick = h('div', null, h('p', { class: 'nhsuk-body-s' }, 'Loading the other ideas in this challenge…'));
      const go = ui.button('Merge into the chosen idea', { type: 'submit', small: true, secondary: true });
      const f = h('form', { novalidate: true }, h('p', { class: 'nhsuk-body-s' }, 'Use this for duplicates. Votes and comments move to the chosen idea; one vote per person is kept. It can be undone.'), pick, go);
      let intoF = null;
      const errs = new ui.FormErrors(f, {});
      api.getAll(`/challenges/${idea.challenge_id}/ideas`, { sort: 'top' }, { max: 300 }).then((others) => {
        const options = others.filter((o) => o.id !== idea.id && o.status !== 'merged').map((o) => [o.id, `${o.title} (idea ${o.id})`]);
        if (!options.length) { replaceChildren(pick, h('p', { class: 'nhsuk-body-s' }, 'There are no other ideas in this challenge to merge with.')); go.hidden = true; return; }
        intoF = ui.selectField({ name: 'into_id', label: 'Join this idea into', options: [['', 'Choose an idea'], ...options] });
        errs.fields.into_id = intoF;
        replaceChildren(pick, intoF.group);
      }).catch((e) => replaceChildren(pick, h('p', { class: 'nhsuk-body-s' }, ui.friendlyMessage(e))));
      f.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        const into = intoF ? Number(intoF.value) : 0;
        if (!into) { errs.show([{ field: 'into_id', message: 'Choose the idea to join this one into' }]); return; }
        await ui.busy(go, async () => {
          try {
            const res = await api.post(`/ideas/${id}/merge`, { into_id: into });
            const survivor = res.idea || res;
            ctx.navigate(`/ideas/${survivor.id || into}`);
          } catch (e) { errs.showApiError(e); }
        });
      });
      replaceChildren(mergeSlot, f);
    }

    replaceChildren(dgSlot, h('section', { class: 'nhsuk-card cc-dg-panel', 'aria-labelledby': 'dg-idea-heading' },
      h('div', { class: 'nhsuk-card__content' },
        h('h2', { class: 'nhsuk-card__heading nhsuk-heading-m', id: 'dg-idea-heading' }, 'Design group'),
        dgMsg,
        statusForm,
        h('h3', { class: 'nhsuk-heading-s' }, 'Send to a workshop'), wsSlot,
        h('h3', { class: 'nhsuk-heading-s' }, 'Duplicates'), mergeSlot)));
  }

  /* ----- comments ----- */
  const commentList = h('ul', { class: 'cc-comments', id: 'comment-list', 'aria-label': 'Comments' });
  const commentCount = h('span');
  const noComments = h('p', { class: 'nhsuk-body', hidden: true }, 'No comments yet.');
  const comments = new Map(); // id -> {comment, el, bodyEl, replies}

  function commentBody(c) {
    if (isHidden(c)) {
      const note = h('p', { class: 'nhsuk-body-s cc-removed' }, `This comment was hidden by the design group${c.hidden_reason ? `: ${c.hidden_reason}` : '.'}`);
      // The design group still sees what was hidden.
      return dg && c.body ? [note, textBlock(c.body, 'nhsuk-body-s cc-hidden-text')] : note;
    }
    if (isDeleted(c)) return h('p', { class: 'nhsuk-body-s cc-removed' }, 'This comment was deleted by its author.');
    return textBlock(c.body, 'nhsuk-body-s');
  }

  function updateCount() {
    const n = [...comments.values()].length;
    commentCount.textContent = ` (${n})`;
    noComments.hidden = n > 0;
  }

  function commentEl(c) {
    const mine = !!(c.author && me && c.author.id === me.id);
    const bodyEl = h('div', { class: 'cc-comment__body' }, commentBody(c));
    const meta = h('p', { class: 'nhsuk-body-s cc-meta' },
      h('strong', null, c.author ? c.author.display_name : isDeleted(c) ? 'Deleted comment' : 'Someone'),
      c.author && c.author.profession ? ` (${fmt.professionLabel(c.author.profession)})` : '', ', ',
      fmt.timeEl(h, c.created_at, { relative: true }),
      h('span', { class: 'cc-edited' }, c.edited_at ? ' (edited)' : ''));
    const tools = h('div', { class: 'cc-comment__tools' });
    const replies = c.parent_id ? null : h('ul', { class: 'cc-comments cc-comments--replies', 'aria-label': 'Replies' });
    const formSlot = h('div');
    const li = h('li', { class: ['cc-comment', c.parent_id && 'cc-comment--reply'], id: `comment-${c.id}`, 'data-comment-id': c.id },
      h('article', { 'aria-label': `Comment by ${c.author ? c.author.display_name : 'someone'}` }, meta, bodyEl, tools, formSlot), replies);
    const entry = { comment: c, el: li, bodyEl, meta, tools, replies, formSlot };
    comments.set(c.id, entry);
    renderTools(entry, mine);
    return li;
  }

  function renderTools(entry, mine) {
    const c = entry.comment;
    const gone = isDeleted(c) || isHidden(c);
    const items = [];
    if (!c.parent_id && !gone) {
      const reply = h('button', { type: 'button', class: 'cc-link-button', 'data-key': `reply-${c.id}` }, 'Reply', h('span', { class: 'nhsuk-u-visually-hidden' }, ` to ${c.author ? c.author.display_name : 'this comment'}`));
      reply.addEventListener('click', () => {
        replaceChildren(entry.formSlot, commentForm({ parent: c, onDone: () => { replaceChildren(entry.formSlot); reply.focus(); } }));
        entry.formSlot.querySelector('textarea').focus();
      });
      items.push(reply);
    }
    if ((mine || dg) && !gone) {
      const edit = h('button', { type: 'button', class: 'cc-link-button' }, 'Edit', h('span', { class: 'nhsuk-u-visually-hidden' }, ' your comment'));
      edit.addEventListener('click', () => {
        replaceChildren(entry.formSlot, commentForm({ existing: c, onDone: () => { replaceChildren(entry.formSlot); edit.focus(); } }));
        entry.formSlot.querySelector('textarea').focus();
      });
      const del = h('button', { type: 'button', class: 'cc-link-button' }, 'Delete', h('span', { class: 'nhsuk-u-visually-hidden' }, ' this comment'));
      del.addEventListener('click', () => {
        replaceChildren(entry.formSlot, h('div', { class: 'cc-confirm-delete' },
          h('p', { class: 'nhsuk-body-s' }, 'Delete this comment? Replies will stay.'),
          ui.button('Yes, delete it', { small: true, warning: true, onClick: async (ev) => {
            await ui.busy(ev.currentTarget, async () => {
              try {
                await api.del(`/comments/${c.id}`);
                applyComment({ ...c, state: 'deleted', author: null });
                replaceChildren(entry.formSlot);
                ctx.announce('Comment deleted.');
                focusElement(entry.bodyEl);
              } catch (e) { ui.inlineError(entry.formSlot, e); }
            });
          } }),
          ' ',
          ui.button('Keep it', { small: true, secondary: true, onClick: () => { replaceChildren(entry.formSlot); del.focus(); } })));
        entry.formSlot.querySelector('button').focus();
      });
      items.push(edit, del);
    }
    if (!gone && !mine) items.push(flagForm('comment', c.id, 'comment'));
    replaceChildren(entry.tools, items);
  }

  function addComment(c, { live: isLive = false } = {}) {
    if (comments.has(c.id)) return false;
    const el = commentEl(c);
    if (c.parent_id && comments.has(c.parent_id)) comments.get(c.parent_id).replies.append(el);
    else commentList.append(el);
    if (isLive) el.classList.add('cc-comment--fresh');
    updateCount();
    return true;
  }

  function applyComment(c) {
    const entry = comments.get(c.id);
    if (!entry) return;
    entry.comment = { ...entry.comment, ...c };
    replaceChildren(entry.bodyEl, commentBody(entry.comment));
    entry.meta.querySelector('.cc-edited').textContent = entry.comment.edited_at ? ' (edited)' : '';
    renderTools(entry, entry.comment.author && me && entry.comment.author.id === me.id);
  }

  /** Form to add a comment, reply, or edit. */
  function commentForm({ parent = null, existing = null, onDone = null } = {}) {
    const label = existing ? 'Edit your comment' : parent ? `Reply to ${parent.author ? parent.author.display_name : 'this comment'}` : 'Add a comment';
    const bodyF = ui.textField({ name: 'body', label, textarea: true, rows: parent || existing ? 3 : 4, hint: existing ? null : 'Up to 2,000 characters. Do not include details about patients.', value: existing ? existing.body : '', labelClass: parent || existing ? null : 'nhsuk-label--s' });
    const confirm = confirmBox(`confirm-${uid('c')}`);
    const send = ui.button(existing ? 'Save comment' : parent ? 'Post reply' : 'Post comment', { type: 'submit', small: !!(parent || existing) });
    const cancel = parent || existing ? ui.button('Cancel', { secondary: true, small: true, onClick: () => onDone && onDone() }) : null;
    const form = h('form', { novalidate: true, class: 'cc-comment-form' }, bodyF.group, confirm.group, h('div', { class: 'cc-button-row' }, send, cancel));
    const errors = new ui.FormErrors(form, { body: bodyF, confirm_no_patient_data: confirm });
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const text = bodyF.value;
      if (!text.trim()) { errors.show([{ field: 'body', message: 'Write your comment' }]); return; }
      if (text.length > 2000) { errors.show([{ field: 'body', message: 'Your comment must be 2,000 characters or fewer' }]); return; }
      const payload = { body: text };
      if (parent) payload.parent_id = parent.id;
      const confirmed = !confirm.group.hidden && confirm.value.includes('yes');
      if (confirmed) payload.confirm_no_patient_data = true;
      await ui.busy(send, async () => {
        try {
          if (existing) {
            const res = await api.patch(`/comments/${existing.id}`, payload);
            applyComment(res && (res.comment || res).id ? (res.comment || res) : { id: existing.id, body: text, edited_at: new Date().toISOString() });
            ctx.announce('Comment saved.');
          } else {
            const res = await api.post(`/ideas/${id}/comments`, payload);
            const c = res.comment || res;
            addComment(c);
            bodyF.value = '';
            following = true; renderFollow();
            ctx.announce(parent ? 'Reply posted.' : 'Comment posted.');
          }
          errors.clear();
          confirm.group.hidden = true;
          if (onDone) onDone();
        } catch (err) {
          if (err instanceof api.ApiError && err.code === 'possible_patient_data') {
            const nhs = confirmed || containsNhsNumber(text);
            confirm.group.hidden = nhs;
            errors.show([{ field: 'body', message: patientDataMessage('comment', nhs) }]);
            return;
          }
          errors.showApiError(err);
        }
      });
    });
    return form;
  }

  const all = await api.getAll(`/ideas/${id}/comments`, {}, { max: 2000 });
  const tops = all.filter((c) => !c.parent_id);
  const replies = all.filter((c) => c.parent_id);
  for (const c of tops) addComment(c);
  for (const c of replies) addComment(c);
  updateCount();
  if (following === null && all.some((c) => c.author && me && c.author.id === me.id)) { following = true; renderFollow(); }

  /* ----- live ----- */
  const stop = live.subscribe([`idea:${id}`], (ev) => {
    const d = ev.data || {};
    switch (ev.type) {
      case 'comment.created': {
        const c = commentFromEvent(d);
        if (c && addComment(c, { live: true })) ctx.announce(`New ${c.parent_id ? 'reply' : 'comment'} from ${c.author ? c.author.display_name : 'someone'}.`);
        break;
      }
      case 'comment.updated': { const c = commentFromEvent(d); if (c) applyComment(c); break; }
      case 'comment.deleted': {
        const c = commentFromEvent(d) || { id: d.comment_id };
        if (c && comments.has(c.id)) applyComment({ ...c, state: 'deleted' });
        break;
      }
      case 'vote.changed': {
        if (d.idea_id !== undefined && d.idea_id !== id) break;
        const before = vote.state.votes || {};
        if (!d.votes || (d.votes.up === before.up && d.votes.down === before.down)) break; // nothing new (a replay)
        vote.update({ votes: d.votes, score: d.score });
        ctx.announce(`Votes changed: ${vote.el.querySelector('[data-role=vote-count]').textContent}.`);
        break;
      }
      case 'idea.updated':
      case 'idea.status_changed':
      case 'idea.merged': {
        const i = ideaFromEvent(d);
        if (i && i.id === id) { idea = { ...idea, ...i }; renderIdea(); }
        refreshIdea(true);
        break;
      }
      default:
    }
  });
  ctx.onCleanup(stop);

  renderIdea(); renderJourney(); renderDg();
  add(ctx.page, 
    flashBanner(),
    h('div', { class: 'nhsuk-grid-row' },
      h('div', { class: 'nhsuk-grid-column-two-thirds' },
        h('h1', { class: 'nhsuk-heading-l', id: 'page-heading' },
          h('span', { class: 'nhsuk-caption-l' }, `Idea ${idea.id} in ${challenge.title}`, h('span', { class: 'nhsuk-u-visually-hidden' }, ' - ')), titleEl),
        statusSlot, byline, mergedSlot, outcomeSlot, bodySlot, tagsSlot, editSlot,
        h('div', { class: 'cc-idea-actions' }, vote.el, h('div', { class: 'cc-follow' }, followBtn, followMsg)),
        isAuthor() ? null : flagForm('idea', idea.id, 'idea'),
        h('section', { 'aria-labelledby': 'journey-heading', class: 'cc-section' },
          h('h2', { class: 'nhsuk-heading-m', id: 'journey-heading' }, 'What has happened to this idea'),
          journey),
        h('section', { 'aria-labelledby': 'comments-heading', class: 'cc-section', id: 'comments' },
          h('h2', { class: 'nhsuk-heading-m', id: 'comments-heading' }, 'Comments', commentCount),
          noComments, commentList,
          commentForm())),
      h('div', { class: 'nhsuk-grid-column-one-third' }, dgSlot)),
  );
}
