-- The instant (Unix ms, UTC) each schedule's next post is due, so a run of the drip reads only the
-- schedules whose moment has come; NULL while paused. The instant depends on the zone's rules, which
-- SQL does not know, so existing schedules start at `active_since`, a moment already past: the first
-- run looks at each of them once, posts whatever is due exactly as before (the unique daily key still
-- refuses a second round for a date), and stores the real next instant.
ALTER TABLE schedules ADD COLUMN next_post_at INTEGER;
UPDATE schedules SET next_post_at = CASE WHEN paused = 0 THEN active_since END;
CREATE INDEX schedules_next_post ON schedules (next_post_at);
