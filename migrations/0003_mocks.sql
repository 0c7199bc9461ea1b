-- Group mock interviews. A mock gathers its candidates, then asks its questions one by one; every
-- step is a row, so a restart or a second process carries on where the last one stopped.
CREATE TABLE mocks (
    id               INTEGER PRIMARY KEY,
    channel_id       INTEGER NOT NULL REFERENCES channels (id),
    starter_id       INTEGER NOT NULL REFERENCES users (id),
    topic            TEXT,
    difficulty       TEXT,
    questions        INTEGER NOT NULL,
    minutes          INTEGER NOT NULL,
    state            TEXT NOT NULL CHECK (state IN ('gathering', 'running', 'ended')),
    thread_ref       TEXT, -- the platform's thread (a Discord thread's channel, a Slack message ts)
    started_at       INTEGER NOT NULL,
    last_activity_at INTEGER NOT NULL,
    ended_at         INTEGER
);

CREATE INDEX mocks_live_in_channel ON mocks (channel_id) WHERE state <> 'ended';

-- Who takes part: the starter (seat 0) and the candidates in the order they answer.
CREATE TABLE mock_members (
    mock_id INTEGER NOT NULL REFERENCES mocks (id),
    user_id INTEGER NOT NULL REFERENCES users (id),
    seat    INTEGER NOT NULL,
    PRIMARY KEY (mock_id, user_id),
    UNIQUE (mock_id, seat)
) WITHOUT ROWID;

CREATE INDEX mock_members_by_user ON mock_members (user_id);

-- One question of a mock: who interviewed whom, the ticks, the written answer and its grade, the
-- note, and when it was asked, is due and finished. Scores are final when the question finishes.
CREATE TABLE mock_questions (
    id               INTEGER PRIMARY KEY,
    mock_id          INTEGER NOT NULL REFERENCES mocks (id),
    number           INTEGER NOT NULL, -- 0-based
    question_id      TEXT NOT NULL,
    interviewer_id   INTEGER NOT NULL REFERENCES users (id),
    candidate_id     INTEGER NOT NULL REFERENCES users (id),
    ticks            TEXT NOT NULL DEFAULT '[]', -- JSON array of key point indices
    answer_body      TEXT,
    answer_checklist TEXT, -- JSON, as in answers
    answer_score     INTEGER,
    note             TEXT,
    score            INTEGER, -- the verdict, set when the question finishes
    asked_at         INTEGER NOT NULL,
    deadline_at      INTEGER NOT NULL,
    finished_at      INTEGER,
    UNIQUE (mock_id, number)
);

CREATE INDEX mock_questions_due ON mock_questions (deadline_at) WHERE finished_at IS NULL;
CREATE INDEX mock_questions_by_candidate ON mock_questions (candidate_id);
