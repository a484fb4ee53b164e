-- Every vote appends an event on its challenge's topic and its idea's. The idea's row in
-- event_topics, keyed by ('idea:<id>', seq), went to a random page of that index: about
-- one page of the WAL a vote, a quarter of what a vote wrote. An idea's events now name
-- the idea in their own row, which is appended anyway, and are found through their
-- challenge's topic (store/events_repo.cpp). event_topics keeps every other topic, and
-- the idea rows written before this migration, which are still read.
ALTER TABLE events ADD COLUMN idea_id INTEGER;
