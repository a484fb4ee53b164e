-- Every vote appended an event_topics row for its challenge's topic: a B-tree insert at
-- one of as many places as there are challenges (so a batch of votes wrote a WAL page
-- for about every third vote), plus its entry in event_topics_by_seq. An event now names
-- its challenge in its own row, which is appended anyway, as 0006_event_idea_column.sql
-- did for ideas; a topic kept in a row is found by reading the log forward from the
-- replay's start (store/events_repo.cpp). Side by side under votes: 1.19 x, and 98 ->
-- 82 us of server CPU a vote. event_topics keeps every other topic, and the challenge
-- rows written before this migration, which are still read.
ALTER TABLE events ADD COLUMN challenge_id INTEGER;
