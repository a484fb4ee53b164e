-- A challenge's ideas are ranked (top, discussed, trending) from one list index, sorted in
-- memory, instead of read in order from an index per ranking (sql/0004).
-- A vote changes its idea's score. With the score leading ideas_top's order, every vote
-- moved the idea's entry from its score's group to the next, often to another page: of
-- the 3.2 WAL pages a vote wrote on the benchmark's data, 1.5 were ideas_top's. Here the
-- entry keeps its place (challenge, id) and is rewritten where it is; a comment's count
-- alike; and a new idea enters one list index instead of three. Rankings cost more this
-- way, and are reused for a moment while votes come in (service/list_snapshots.hpp).
DROP INDEX ideas_top;
DROP INDEX ideas_discussed;
DROP INDEX ideas_new;
CREATE INDEX ideas_listed ON ideas(challenge_id, id DESC, status, hidden, score, comment_count, created_ts);
