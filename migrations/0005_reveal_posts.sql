-- A reveal the drip made is recorded before it is posted (reveal_pending = 1) and stays pending until
-- the platform's id of its post is saved, so a reveal whose post failed is posted again.
ALTER TABLE rounds ADD COLUMN reveal_pending INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rounds ADD COLUMN reveal_post_ref TEXT;
CREATE INDEX rounds_reveal_pending ON rounds (revealed_at) WHERE reveal_pending = 1;
