-- Every write of a player's memory of a question is numbered from one counter shared by all
-- players, whichever statement or process made it, so a process that keeps a player's memories in
-- memory (the practice pick) can read only the rows written since the highest number it holds.
-- Rows from before this migration keep number 0.
ALTER TABLE memories ADD COLUMN change_no INTEGER NOT NULL DEFAULT 0;

CREATE INDEX memories_by_change ON memories (user_id, change_no);

CREATE TABLE memory_change_counter (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    last INTEGER NOT NULL
);

INSERT INTO memory_change_counter (id, last) VALUES (1, 0);

CREATE TRIGGER memories_numbered_on_insert AFTER INSERT ON memories
BEGIN
    UPDATE memory_change_counter SET last = last + 1 WHERE id = 1;
    UPDATE memories SET change_no = (SELECT last FROM memory_change_counter WHERE id = 1)
    WHERE rowid = NEW.rowid;
END;

-- The number itself is not in the list, so numbering a row does not fire this trigger again.
CREATE TRIGGER memories_numbered_on_update
AFTER UPDATE OF user_id, question_id, stability, difficulty, reviewed_at, due_at, reviews, lapses
ON memories
BEGIN
    UPDATE memory_change_counter SET last = last + 1 WHERE id = 1;
    UPDATE memories SET change_no = (SELECT last FROM memory_change_counter WHERE id = 1)
    WHERE rowid = NEW.rowid;
END;
