-- Answers are about 1 KB each (the text and its checklist). Kept in a rowid table, a new answer is
-- appended at the end and only the small (round, user) key index is updated; in a WITHOUT ROWID
-- table keyed by (round, user) every new answer split pages of the whole tree (measured: about five
-- times slower for an answer storm of new rows).
CREATE TABLE answers_by_row (
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
);

INSERT INTO answers_by_row (round_id, user_id, origin, body, score, checklist, hints_used, points,
                            submitted_at, revision)
SELECT round_id, user_id, origin, body, score, checklist, hints_used, points, submitted_at, revision
FROM answers;

DROP TABLE answers;
ALTER TABLE answers_by_row RENAME TO answers;
CREATE INDEX answers_by_user ON answers (user_id);
