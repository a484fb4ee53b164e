-- A challenge's impact metrics (SPEC §4, Metrics) count comments by author and day. With
-- those columns in the index the comments of a challenge are read from the index alone:
-- at 70,000 comments on one challenge, reading each row (body and all) took most of the
-- request's 110 ms. Comment lists use the same index, ordered by id as before.
DROP INDEX comments_by_idea;
CREATE INDEX comments_by_idea ON comments(idea_id, id, state, author_id, created_at);
