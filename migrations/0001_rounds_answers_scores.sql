-- Workspaces (a Discord guild, a Slack team, the local console), their channels, and users.
CREATE TABLE workspaces (
    id          INTEGER PRIMARY KEY,
    platform    TEXT NOT NULL,
    external_id TEXT NOT NULL,
    UNIQUE (platform, external_id)
);

CREATE TABLE channels (
    id           INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id),
    external_id  TEXT NOT NULL,
    UNIQUE (workspace_id, external_id)
);

CREATE TABLE users (
    id           INTEGER PRIMARY KEY,
    platform     TEXT NOT NULL,
    external_id  TEXT NOT NULL,
    display_name TEXT NOT NULL,
    UNIQUE (platform, external_id)
);

-- A question posted in a channel. Times are Unix milliseconds (UTC).
CREATE TABLE rounds (
    id          INTEGER PRIMARY KEY,
    channel_id  INTEGER NOT NULL REFERENCES channels (id),
    question_id TEXT NOT NULL,
    origin      TEXT NOT NULL CHECK (origin IN ('daily', 'adhoc')),
    local_date  TEXT, -- the channel's local date (YYYY-MM-DD) of a daily round
    opened_at   INTEGER NOT NULL,
    closes_at   INTEGER NOT NULL,
    revealed_at INTEGER
);

-- Exactly one daily round per channel per local date, whichever process or restart tries to post it.
CREATE UNIQUE INDEX rounds_one_daily_per_date ON rounds (channel_id, local_date) WHERE origin = 'daily';
CREATE INDEX rounds_open_in_channel ON rounds (channel_id) WHERE revealed_at IS NULL;
CREATE INDEX rounds_waiting_for_reveal ON rounds (closes_at) WHERE revealed_at IS NULL;
CREATE INDEX rounds_by_channel_question ON rounds (channel_id, question_id);

-- One answer per user per round, replaced until the reveal; points are set at the reveal.
CREATE TABLE answers (
    round_id     INTEGER NOT NULL REFERENCES rounds (id),
    user_id      INTEGER NOT NULL REFERENCES users (id),
    origin       TEXT NOT NULL,
    body         TEXT NOT NULL,
    score        INTEGER NOT NULL,
    checklist    TEXT NOT NULL, -- JSON: [{"text", "covered", "matched"}]
    hints_used   INTEGER NOT NULL DEFAULT 0,
    points       INTEGER,
    submitted_at INTEGER NOT NULL,
    revision     INTEGER NOT NULL DEFAULT 1, -- 2 and up: the answer was replaced
    PRIMARY KEY (round_id, user_id)
) WITHOUT ROWID;

CREATE INDEX answers_by_user ON answers (user_id);

-- Key points revealed to a user as hints in a round (JSON array of key point indices).
CREATE TABLE hints (
    round_id   INTEGER NOT NULL REFERENCES rounds (id),
    user_id    INTEGER NOT NULL REFERENCES users (id),
    key_points TEXT NOT NULL,
    PRIMARY KEY (round_id, user_id)
) WITHOUT ROWID;

-- Points per user, added when a round is revealed, so a leaderboard is one index range scan.
-- scope: 'c<channel id>' or 'w<workspace id>'; period: 'all', 'w<ISO year>-<week>', 'm<year>-<month>'
-- or 'd<date>' (UTC; days serve the last-30-days board).
CREATE TABLE score_totals (
    scope     TEXT NOT NULL,
    period    TEXT NOT NULL,
    user_id   INTEGER NOT NULL REFERENCES users (id),
    points    INTEGER NOT NULL,
    rounds    INTEGER NOT NULL,
    score_sum INTEGER NOT NULL,
    PRIMARY KEY (scope, period, user_id)
) WITHOUT ROWID;

CREATE INDEX score_totals_board ON score_totals (scope, period, points DESC);

-- A channel's daily schedule.
CREATE TABLE schedules (
    channel_id     INTEGER PRIMARY KEY REFERENCES channels (id),
    local_time     TEXT NOT NULL, -- HH:MM
    zone           TEXT NOT NULL, -- IANA name
    weekdays       INTEGER NOT NULL, -- bit 0 = Monday
    window_minutes INTEGER NOT NULL,
    paused         INTEGER NOT NULL DEFAULT 0,
    active_since   INTEGER NOT NULL
);
