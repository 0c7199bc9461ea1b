-- The desired retention each review was scheduled for, so a replay schedules it the same way
-- after the player changed theirs (NULL for reviews logged before: the player's setting).
ALTER TABLE reviews ADD COLUMN retention REAL;
