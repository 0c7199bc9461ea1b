-- Personal practice's moving parts. A card is a question offered to a player in practice; it is
-- answered once (its review), and the player may then change the rating the grade earned.
CREATE TABLE practice_cards (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id),
    question_id TEXT NOT NULL,
    channel_id  INTEGER NOT NULL REFERENCES channels (id), -- where it was asked for
    offered_at  INTEGER NOT NULL,
    review_id   INTEGER REFERENCES reviews (id) -- set when answered
);

CREATE INDEX practice_cards_of_player ON practice_cards (user_id, id);

-- A player's practice reminder: one private message on each scheduled local day when something is
-- due, at a local time in the player's zone. The channel where it was set names the platform and
-- workspace to send it on. A reminder whose message was refused stops (`refused_at`), and the
-- player is told once (`refusal_told`).
CREATE TABLE practice_reminders (
    user_id      INTEGER PRIMARY KEY REFERENCES users (id),
    channel_id   INTEGER NOT NULL REFERENCES channels (id),
    local_time   TEXT NOT NULL,
    zone         TEXT NOT NULL,
    weekdays     INTEGER NOT NULL,
    active_since INTEGER NOT NULL,
    next_at      INTEGER,
    refused_at   INTEGER,
    refusal_told INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX practice_reminders_due ON practice_reminders (next_at) WHERE next_at IS NOT NULL;

-- One reminder per player and local date, claimed before it is sent: a second tick or process
-- finds the day taken. `sent_at` is set once the platform took it.
CREATE TABLE reminder_sends (
    user_id    INTEGER NOT NULL REFERENCES users (id),
    local_date TEXT NOT NULL,
    due        INTEGER NOT NULL,
    claimed_at INTEGER NOT NULL,
    sent_at    INTEGER,
    PRIMARY KEY (user_id, local_date)
);

CREATE INDEX reminder_sends_unsent ON reminder_sends (claimed_at) WHERE sent_at IS NULL;

-- What a channel's question of the day prefers: `least-asked` or `weak`.
ALTER TABLE schedules ADD COLUMN focus TEXT NOT NULL DEFAULT 'least-asked';
