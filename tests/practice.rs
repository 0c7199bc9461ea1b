//! Personal practice through the engine, with instants chosen by each test: every answer whose
//! result is final moves its player's memory of the question on.

#[path = "support/engine.rs"]
mod test_engine;
#[path = "support/practice.rs"]
mod test_practice;

use chrono::{DateTime, Utc};
use interview_bot::engine::Engine;
use interview_bot::store::Store;
use test_engine::engine_with_deck;
use test_practice::{at, command_of, say, TWO_TOPICS};

const DECK: &str = "---\nid: test\ntitle: Test deck\n---\n\n\
## What is the difference between `select_related()` and `prefetch_related()`?\n\n\
id: select-vs-prefetch | tags: orm | difficulty: medium\n\n\
- `select_related()` uses a SQL join\n\
- `prefetch_related()` runs a second query\n";

/// An answer that covers both key points of the ORM question.
const FULL_ANSWER: &str =
    "answer select_related uses a SQL join, prefetch_related runs a second query";

/// When `user`'s memory of the deck's question is due again.
async fn due_of(store: &Store, user: &str) -> Option<DateTime<Utc>> {
    let id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE external_id = ?1")
        .bind(user)
        .fetch_one(store.pool())
        .await
        .expect("the player exists");
    store
        .memory_of(id, "select-vs-prefetch")
        .await
        .expect("reads")
        .map(|m| m.due_at)
}

#[tokio::test]
async fn a_revealed_round_brings_a_missed_question_back_within_a_day_and_a_known_one_later() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (engine, store) = engine_with_deck(dir.path(), DECK, "practice.db").await;
    say(&engine, "ann", "question", at(0, 9)).await;
    say(&engine, "ann", FULL_ANSWER, at(0, 9)).await;
    say(&engine, "bob", "answer no idea", at(0, 9)).await;
    assert_eq!(
        due_of(&store, "ann").await,
        None,
        "nothing is final before the reveal"
    );
    say(&engine, "ann", "reveal", at(0, 10)).await;

    let missed = due_of(&store, "bob").await.expect("bob's memory");
    assert_eq!(
        missed,
        at(1, 9),
        "the missed question comes back the next day"
    );
    let known = due_of(&store, "ann").await.expect("ann's memory");
    assert!(known >= at(3, 9), "a well-answered one waits days: {known}");
    let logged: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM reviews")
        .fetch_one(store.pool())
        .await
        .expect("counts");
    assert_eq!(logged, 2, "each final answer is one review");
}

#[tokio::test]
async fn answering_the_same_question_well_again_pushes_it_further_away() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (engine, store) = engine_with_deck(dir.path(), DECK, "practice.db").await;
    let mut gaps = Vec::new();
    let mut day = 0;
    for _ in 0..3 {
        say(&engine, "ann", "question", at(day, 9)).await;
        say(&engine, "ann", FULL_ANSWER, at(day, 9)).await;
        say(&engine, "ann", "reveal", at(day, 10)).await;
        let due = due_of(&store, "ann").await.expect("a memory");
        gaps.push((due - at(day, 9)).num_days());
        day = (due - at(0, 9)).num_days();
    }
    assert!(gaps.windows(2).all(|w| w[1] > w[0]), "{gaps:?}");
}

#[tokio::test]
async fn memories_rebuilt_from_the_review_log_are_exactly_the_ones_kept() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (engine, store) = engine_with_deck(dir.path(), DECK, "practice.db").await;
    for (day, text) in [
        (0, "answer a join"),
        (1, "answer no idea"),
        (3, "answer a SQL join and a second query"),
    ] {
        say(&engine, "ann", "question", at(day, 9)).await;
        say(&engine, "ann", text, at(day, 9)).await;
        say(
            &engine,
            "bob",
            "answer prefetch_related runs a second query",
            at(day, 9),
        )
        .await;
        say(&engine, "ann", "reveal", at(day, 10)).await;
    }
    let read_all = || async {
        sqlx::query_as::<_, (i64, String, f64, f64, i64, i64, i64, i64)>(
            "SELECT user_id, question_id, stability, difficulty, reviewed_at, due_at, reviews,
                    lapses FROM memories ORDER BY user_id, question_id",
        )
        .fetch_all(store.pool())
        .await
        .expect("memories")
    };
    let kept = read_all().await;
    assert_eq!(kept.len(), 2);
    assert_eq!(store.rebuild_memories().await.expect("rebuilds"), 2);
    assert_eq!(read_all().await, kept, "a rebuild changes no due date");
}

#[tokio::test]
async fn a_mock_question_finished_with_a_verdict_is_a_review_for_its_candidate() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (engine, store) = engine_with_deck(dir.path(), DECK, "practice.db").await;
    say(
        &engine,
        "ann",
        "mock start orm questions 1 with bob",
        at(0, 9),
    )
    .await;
    say(&engine, "bob", "question", at(0, 9)).await; // bob becomes a known player
    say(&engine, "ann", "mock next", at(0, 9)).await;
    say(&engine, "ann", "mock tick 1 2", at(0, 9)).await;
    say(&engine, "ann", "mock next", at(0, 9)).await;
    let due = due_of(&store, "bob")
        .await
        .expect("bob's memory of the mock question");
    assert!(due >= at(3, 9), "a full verdict waits days: {due}");
    assert_eq!(
        due_of(&store, "ann").await,
        None,
        "the interviewer was not reviewed"
    );
}

async fn next_for(engine: &Engine, user: &str, now: DateTime<Utc>) -> Option<(String, bool)> {
    engine
        .next_practice_card(&command_of(user), None, now)
        .await
        .expect("picks")
        .map(|card| (card.question, card.due_since.is_some()))
}

#[tokio::test]
async fn practice_offers_the_overdue_question_first_then_a_new_one_from_the_weakest_topic() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (engine, _store) = engine_with_deck(dir.path(), TWO_TOPICS, "practice.db").await;
    // Ann knows the ORM question and misses the CSRF one.
    say(&engine, "ann", "question orm medium", at(0, 9)).await;
    say(&engine, "ann", FULL_ANSWER, at(0, 9)).await;
    say(&engine, "ann", "reveal", at(0, 10)).await;
    say(&engine, "ann", "question security medium", at(0, 11)).await;
    say(&engine, "ann", "answer no idea", at(0, 11)).await;
    say(&engine, "ann", "reveal", at(0, 12)).await;

    assert_eq!(
        next_for(&engine, "ann", at(1, 12)).await,
        Some(("csrf".into(), true)),
        "the missed question, due again"
    );
    assert_eq!(
        next_for(&engine, "ann", at(0, 13)).await,
        Some(("passwords".into(), false)),
        "nothing due yet: a new question from security, the weaker topic (not the first new one)"
    );
}

#[tokio::test]
async fn practice_never_offers_the_channels_open_question() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (engine, _store) = engine_with_deck(dir.path(), DECK, "practice.db").await;
    assert_eq!(
        next_for(&engine, "ann", at(0, 8)).await,
        Some(("select-vs-prefetch".into(), false))
    );
    say(&engine, "bob", "question", at(0, 9)).await;
    assert_eq!(next_for(&engine, "ann", at(0, 9)).await, None);
}
