-- Impact measurement (SPEC §4, Metrics): a challenge's votes by the time they were cast.
-- The metrics count each day's votes as a range of this index (no table access), so a
-- challenge with 100,000 votes answers its daily series quickly.
CREATE INDEX votes_by_challenge_time ON votes(challenge_id, created_at);
