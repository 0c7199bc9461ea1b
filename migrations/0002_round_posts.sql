-- The platform's id of the message that posted a round, so its reveal can reply to it.
ALTER TABLE rounds ADD COLUMN post_ref TEXT;
