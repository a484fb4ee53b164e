-- Every request resolves its session: a row of sessions and its user's. The server keeps
-- the rows it has read until this number moves (store/users_repo.cpp, find_session),
-- rather than reading them again after every commit; with votes committing all the time,
-- that read was a fifth of the network threads' work. The triggers move it in the same
-- transaction as any change a session's answer depends on, whichever program writes it
-- (the server, carecrowd-admin, or an operator's sqlite3): a revoked or deleted session,
-- a new expiry, and any change to a user. A session's last activity is not among them:
-- the server keeps that in memory (service/session_activity.hpp) and writes it in batches.
CREATE TABLE auth_epoch (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  n  INTEGER NOT NULL
);
INSERT INTO auth_epoch(id, n) VALUES (1, 0);

CREATE TRIGGER auth_epoch_session_update AFTER UPDATE OF token_hash, user_id, csrf_token, created_ts, expires_ts, revoked
ON sessions BEGIN
  UPDATE auth_epoch SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER auth_epoch_session_delete AFTER DELETE ON sessions BEGIN
  UPDATE auth_epoch SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER auth_epoch_user_update AFTER UPDATE ON users BEGIN
  UPDATE auth_epoch SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER auth_epoch_user_delete AFTER DELETE ON users BEGIN
  UPDATE auth_epoch SET n = n + 1 WHERE id = 1;
END;
