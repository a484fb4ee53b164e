-- Rankings (top, discussed, trending) read what they rank by from the ideas' standings,
-- kept in memory (store/idea_standings.hpp), so the list index no longer holds a score or
-- a comment count. With them in it, every vote rewrote the idea's entry in the index, a
-- WAL page of its own: 0.88 of the 2.79 pages a vote wrote on the benchmark's data.
-- The index still serves the newest-first list and loads a challenge's standings.
DROP INDEX ideas_listed;
CREATE INDEX ideas_listed ON ideas(challenge_id, id DESC, status, hidden);
