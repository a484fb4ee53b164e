-- CareCrowd schema, version 1. Applied in one transaction with PRAGMA user_version.
-- Times are RFC 3339 UTC text ("2026-11-22T09:30:00Z"), which sorts as time does;
-- *_ts columns hold epoch seconds where arithmetic needs them.

CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  email         TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  display_name  TEXT NOT NULL,
  profession    TEXT NOT NULL,
  organisation  TEXT NOT NULL,
  place         TEXT,
  role          TEXT NOT NULL CHECK (role IN ('staff', 'design_group', 'admin')),
  status        TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  created_at    TEXT NOT NULL
);

-- Only a hash of the session token is stored: a copy of the database opens no session.
CREATE TABLE sessions (
  id           INTEGER PRIMARY KEY,
  token_hash   BLOB NOT NULL UNIQUE,
  user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token   TEXT NOT NULL,
  created_ts   INTEGER NOT NULL,
  last_seen_ts INTEGER NOT NULL,
  expires_ts   INTEGER NOT NULL,
  revoked      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sessions_by_user ON sessions(user_id);

CREATE TABLE settings (
  key        TEXT PRIMARY KEY,
  value      TEXT NOT NULL,
  updated_at TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE principles (
  id      INTEGER PRIMARY KEY,
  code    TEXT NOT NULL UNIQUE,
  title   TEXT NOT NULL,
  summary TEXT NOT NULL
);

CREATE TABLE workshops (
  id           INTEGER PRIMARY KEY,
  title        TEXT NOT NULL,
  description  TEXT NOT NULL DEFAULT '',
  scheduled_at TEXT,
  status       TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'running', 'done')),
  created_by   INTEGER REFERENCES users(id),
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL
);

CREATE TABLE challenges (
  id                  INTEGER PRIMARY KEY,
  title               TEXT NOT NULL,
  brief               TEXT NOT NULL DEFAULT '',
  status              TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'closed', 'archived')),
  opens_at            TEXT,
  closes_at           TEXT,
  voting_model        TEXT NOT NULL DEFAULT 'up' CHECK (voting_model IN ('up', 'updown')),
  votes_per_user      INTEGER,
  forward_top_n       INTEGER,
  forward_min_votes   INTEGER,
  forward_workshop_id INTEGER REFERENCES workshops(id),
  parent_idea_id      INTEGER,
  created_by          INTEGER REFERENCES users(id),
  created_at          TEXT NOT NULL,
  updated_at          TEXT NOT NULL,
  -- Counters kept in the same transaction as the rows they count.
  idea_count          INTEGER NOT NULL DEFAULT 0,
  comment_count       INTEGER NOT NULL DEFAULT 0,
  vote_count          INTEGER NOT NULL DEFAULT 0,
  participant_count   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX challenges_by_status ON challenges(status, id DESC);
-- Open challenges with a closing time, for the closer.
CREATE INDEX challenges_closing ON challenges(closes_at) WHERE status = 'open' AND closes_at IS NOT NULL;
CREATE INDEX challenges_opening ON challenges(opens_at) WHERE status = 'draft' AND opens_at IS NOT NULL;

CREATE TABLE challenge_principles (
  challenge_id INTEGER NOT NULL REFERENCES challenges(id) ON DELETE CASCADE,
  principle_id INTEGER NOT NULL REFERENCES principles(id),
  PRIMARY KEY (challenge_id, principle_id)
) WITHOUT ROWID;
CREATE INDEX challenge_principles_by_principle ON challenge_principles(principle_id, challenge_id);

CREATE TABLE ideas (
  id             INTEGER PRIMARY KEY,
  challenge_id   INTEGER NOT NULL REFERENCES challenges(id),
  author_id      INTEGER NOT NULL REFERENCES users(id),
  title          TEXT NOT NULL,
  body           TEXT NOT NULL,
  tags           TEXT NOT NULL DEFAULT '[]',   -- JSON array of strings
  tags_text      TEXT NOT NULL DEFAULT '',     -- the tags joined by spaces, for search
  anonymous      INTEGER NOT NULL DEFAULT 0,
  status         TEXT NOT NULL DEFAULT 'new' CHECK (status IN
                   ('new', 'under_review', 'shortlisted', 'forwarded', 'adopted', 'not_progressed', 'merged')),
  status_note    TEXT,
  merged_into_id INTEGER REFERENCES ideas(id),
  hidden         INTEGER NOT NULL DEFAULT 0,   -- hidden by moderation: only the design group sees it
  hidden_reason  TEXT,
  up_votes       INTEGER NOT NULL DEFAULT 0,
  down_votes     INTEGER NOT NULL DEFAULT 0,
  score          INTEGER NOT NULL DEFAULT 0,
  comment_count  INTEGER NOT NULL DEFAULT 0,
  created_ts     INTEGER NOT NULL,
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  first_status_change_ts INTEGER
);
CREATE INDEX ideas_top ON ideas(challenge_id, score DESC, id DESC);
CREATE INDEX ideas_new ON ideas(challenge_id, id DESC);
CREATE INDEX ideas_discussed ON ideas(challenge_id, comment_count DESC, id DESC);
CREATE INDEX ideas_by_author ON ideas(author_id, id DESC);
CREATE INDEX ideas_by_status ON ideas(challenge_id, status);
CREATE INDEX ideas_merged_into ON ideas(merged_into_id) WHERE merged_into_id IS NOT NULL;

-- Each status change of an idea, with its public note: the idea's journey.
CREATE TABLE idea_history (
  id         INTEGER PRIMARY KEY,
  idea_id    INTEGER NOT NULL REFERENCES ideas(id),
  status     TEXT NOT NULL,
  note       TEXT NOT NULL DEFAULT '',
  by_user_id INTEGER REFERENCES users(id),
  at         TEXT NOT NULL
);
CREATE INDEX idea_history_by_idea ON idea_history(idea_id, id);

CREATE TABLE votes (
  user_id      INTEGER NOT NULL REFERENCES users(id),
  idea_id      INTEGER NOT NULL REFERENCES ideas(id),
  challenge_id INTEGER NOT NULL REFERENCES challenges(id),
  value        INTEGER NOT NULL CHECK (value IN (-1, 1)),
  -- When a merge moved this vote, the idea it was cast on (so unmerge can move it back).
  moved_from_idea_id INTEGER REFERENCES ideas(id),
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL,
  PRIMARY KEY (user_id, idea_id)
) WITHOUT ROWID;
CREATE INDEX votes_by_idea ON votes(idea_id);
CREATE INDEX votes_by_user_challenge ON votes(user_id, challenge_id);
CREATE INDEX votes_moved ON votes(moved_from_idea_id) WHERE moved_from_idea_id IS NOT NULL;

-- Votes a merge set aside because the voter had also voted on the surviving idea.
CREATE TABLE merged_votes (
  user_id   INTEGER NOT NULL,
  idea_id   INTEGER NOT NULL,  -- the merged idea the vote was cast on
  value     INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (user_id, idea_id)
) WITHOUT ROWID;

CREATE TABLE comments (
  id            INTEGER PRIMARY KEY,
  idea_id       INTEGER NOT NULL REFERENCES ideas(id),
  original_idea_id INTEGER,     -- set while a merge has moved the comment
  author_id     INTEGER NOT NULL REFERENCES users(id),
  parent_id     INTEGER REFERENCES comments(id),
  body          TEXT NOT NULL,
  state         TEXT NOT NULL DEFAULT 'visible' CHECK (state IN ('visible', 'deleted', 'hidden')),
  hidden_reason TEXT,
  created_at    TEXT NOT NULL,
  edited_at     TEXT
);
CREATE INDEX comments_by_idea ON comments(idea_id, id);
CREATE INDEX comments_by_author ON comments(author_id);
CREATE INDEX comments_moved ON comments(original_idea_id) WHERE original_idea_id IS NOT NULL;

CREATE TABLE flags (
  id          INTEGER PRIMARY KEY,
  target_type TEXT NOT NULL CHECK (target_type IN ('idea', 'comment')),
  target_id   INTEGER NOT NULL,
  reason      TEXT NOT NULL,
  reporter_id INTEGER NOT NULL REFERENCES users(id),
  state       TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'resolved')),
  action      TEXT CHECK (action IN ('hide', 'none')),
  note        TEXT,
  resolved_by INTEGER REFERENCES users(id),
  created_at  TEXT NOT NULL,
  resolved_at TEXT
);
CREATE INDEX flags_by_state ON flags(state, id);

-- Who follows what. A row with active = 0 records an explicit unfollow, so touching the
-- idea again (a vote, a comment) does not silently follow it again.
CREATE TABLE follows (
  user_id     INTEGER NOT NULL REFERENCES users(id),
  target_type TEXT NOT NULL CHECK (target_type IN ('challenge', 'idea')),
  target_id   INTEGER NOT NULL,
  active      INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY (user_id, target_type, target_id)
) WITHOUT ROWID;
CREATE INDEX follows_by_target ON follows(target_type, target_id, user_id) WHERE active = 1;

-- Everyone who has contributed to a challenge (idea, comment or vote), with when they
-- first did: participants, by profession and by day, without scanning every row.
CREATE TABLE challenge_participants (
  challenge_id INTEGER NOT NULL REFERENCES challenges(id),
  user_id      INTEGER NOT NULL REFERENCES users(id),
  first_at     TEXT NOT NULL,
  PRIMARY KEY (challenge_id, user_id)
) WITHOUT ROWID;

CREATE TABLE notifications (
  id         INTEGER PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users(id),
  type       TEXT NOT NULL,
  data       TEXT NOT NULL,  -- JSON
  created_at TEXT NOT NULL,
  read_at    TEXT
);
CREATE INDEX notifications_by_user ON notifications(user_id, id DESC);
CREATE INDEX notifications_unread ON notifications(user_id, id DESC) WHERE read_at IS NULL;

CREATE TABLE workshop_items (
  id            INTEGER PRIMARY KEY,
  workshop_id   INTEGER NOT NULL REFERENCES workshops(id),
  idea_id       INTEGER NOT NULL REFERENCES ideas(id),
  position      INTEGER NOT NULL,
  state         TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'discussed', 'actioned', 'parked')),
  reason        TEXT NOT NULL CHECK (reason IN ('top_n', 'manual')),
  note          TEXT,
  forwarded_by  INTEGER REFERENCES users(id),
  forwarded_at  TEXT NOT NULL,
  outcome_note  TEXT,
  updated_at    TEXT NOT NULL,
  UNIQUE (workshop_id, idea_id)
);
CREATE INDEX workshop_items_by_position ON workshop_items(workshop_id, position);
CREATE INDEX workshop_items_by_idea ON workshop_items(idea_id);

-- The event log: one row per change, in the transaction of the change (SPEC §3).
-- AUTOINCREMENT keeps seq increasing even if old rows are pruned.
CREATE TABLE events (
  seq             INTEGER PRIMARY KEY AUTOINCREMENT,
  type            TEXT NOT NULL,
  audience        INTEGER NOT NULL DEFAULT 0,  -- 0 everyone, 1 design_group and admin, 2 owner only
  owner_id        INTEGER NOT NULL DEFAULT 0,
  data            TEXT NOT NULL,
  data_privileged TEXT,
  created_at      TEXT NOT NULL
);
CREATE TABLE event_topics (
  topic TEXT NOT NULL,
  seq   INTEGER NOT NULL REFERENCES events(seq),
  PRIMARY KEY (topic, seq)
) WITHOUT ROWID;

-- Full-text search over ideas, kept in step by triggers.
CREATE VIRTUAL TABLE ideas_fts USING fts5(
  title, body, tags_text, content='ideas', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2');
CREATE TRIGGER ideas_fts_insert AFTER INSERT ON ideas BEGIN
  INSERT INTO ideas_fts(rowid, title, body, tags_text) VALUES (new.id, new.title, new.body, new.tags_text);
END;
CREATE TRIGGER ideas_fts_delete AFTER DELETE ON ideas BEGIN
  INSERT INTO ideas_fts(ideas_fts, rowid, title, body, tags_text) VALUES ('delete', old.id, old.title, old.body, old.tags_text);
END;
CREATE TRIGGER ideas_fts_update AFTER UPDATE OF title, body, tags_text ON ideas BEGIN
  INSERT INTO ideas_fts(ideas_fts, rowid, title, body, tags_text) VALUES ('delete', old.id, old.title, old.body, old.tags_text);
  INSERT INTO ideas_fts(rowid, title, body, tags_text) VALUES (new.id, new.title, new.body, new.tags_text);
END;

-- The five principles of clinical and care professional leadership (NHS England, 2021).
INSERT INTO principles (id, code, title, summary) VALUES
 (1, 'P1', 'Leaders in decision-making at every level',
  'Ensure that the full range of clinical and professional leaders from diverse backgrounds are integrated into system decision-making at all levels, supporting this with a flow of communications and opportunities for dialogue.'),
 (2, 'P2', 'Shared learning, collaboration and innovation',
  'Nurture a culture that systematically embraces shared learning, supporting clinical and care professional leaders to collaborate and innovate with a wide range of partners, including patients and local communities.'),
 (3, 'P3', 'Time, support and infrastructure to take part',
  'Support clinical and care professional leaders throughout the system to be involved and invested in ICS planning and delivery, with appropriate protected time, support and infrastructure to carry out this work.'),
 (4, 'P4', 'A support offer for leaders at all levels',
  'Create a support offer for clinical and care professional leaders at all levels of the system, one which enables them to learn and develop alongside non-clinical leaders (eg managers and other non-clinical professionals in local government and the VCSE sector), and provides training and development opportunities that recognise the different kind of leadership skills required when working effectively across organisational and professional boundaries and at the different levels of the system (particularly at place).'),
 (5, 'P5', 'Fair recruitment and a diverse talent pipeline',
  'Adopt a transparent approach to identifying and recruiting leaders which promotes equity of opportunity and creates a professionally and demographically diverse talent pipeline that reflects the community served and ensures that appointments are based on ability and skillset to perform the intended function.');

-- The five rows always exist: they may be edited, never removed.
CREATE TRIGGER principles_keep BEFORE DELETE ON principles BEGIN
  SELECT RAISE(ABORT, 'the five principles cannot be removed');
END;

INSERT INTO settings (key, value, updated_at) VALUES
 ('registration.open', 'true', '1970-01-01T00:00:00Z'),
 ('registration.allowed_domains', '', '1970-01-01T00:00:00Z');
