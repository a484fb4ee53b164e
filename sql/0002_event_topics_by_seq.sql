-- Replaying an event needs its topics, looked up by seq: without this index every
-- replayed event scanned the whole event_topics table (its key is topic, seq).
CREATE INDEX event_topics_by_seq ON event_topics(seq);
