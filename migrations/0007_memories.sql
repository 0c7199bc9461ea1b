-- Personal practice. Every graded answer whose result is final is a review of its question by its
-- player: the log keeps each one (so memories can be rebuilt exactly), and memories keep each
-- player's FSRS state of each question and when it is due again.
CREATE TABLE reviews (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id),
    question_id TEXT NOT NULL,
    rating      TEXT NOT NULL CHECK (rating IN ('again', 'hard', 'good', 'easy')),
    score       INTEGER NOT NULL,
    reviewed_at INTEGER NOT NULL,
    round_id    INTEGER REFERENCES rounds (id) -- the round the answer was given in, if any
);

CREATE INDEX reviews_by_player_question ON reviews (user_id, question_id, reviewed_at);

CREATE TABLE memories (
    user_id     INTEGER NOT NULL REFERENCES users (id),
    question_id TEXT NOT NULL,
    stability   REAL NOT NULL,
    difficulty  REAL NOT NULL,
    reviewed_at INTEGER NOT NULL,
    due_at      INTEGER NOT NULL,
    reviews     INTEGER NOT NULL,
    lapses      INTEGER NOT NULL, -- reviews rated again
    PRIMARY KEY (user_id, question_id)
);

CREATE INDEX memories_due ON memories (user_id, due_at);

-- A player's practice settings; a player without a row uses the defaults.
CREATE TABLE practice_settings (
    user_id   INTEGER PRIMARY KEY REFERENCES users (id),
    retention REAL NOT NULL
);
