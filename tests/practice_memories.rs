//! The practice pick of an engine that keeps players' memories between picks: it must offer what an
//! engine reading everything afresh offers, whoever changed the memories meanwhile (another process
//! on the same database, adding a memory or moving one on; a rebuild from the review log after
//! reviews were removed by hand).

#[path = "support/engine.rs"]
mod test_engine;
#[path = "support/practice.rs"]
mod test_practice;

use chrono::{DateTime, Utc};
use interview_bot::engine::Engine;
use test_engine::engine_with_deck;
use test_practice::{at, command_of, say, TWO_TOPICS};

async fn next_for(
    engine: &Engine,
    topic: Option<&str>,
    now: DateTime<Utc>,
) -> Option<(String, bool)> {
    engine
        .next_practice_card(&command_of("ann"), topic, now)
        .await
        .expect("picks")
        .map(|card| (card.question, card.due_since.is_some()))
}

/// Ann's next card from `kept` (an engine that picked for her before), checked against an engine
/// that reads her memories for the first time, for every topic.
async fn next_checked(
    kept: &Engine,
    fresh: impl Fn() -> Engine,
    now: DateTime<Utc>,
) -> Option<(String, bool)> {
    for topic in [Some("orm"), Some("security")] {
        assert_eq!(
            next_for(kept, topic, now).await,
            next_for(&fresh(), topic, now).await,
            "in {topic:?} at {now}"
        );
    }
    let next = next_for(kept, None, now).await;
    assert_eq!(next, next_for(&fresh(), None, now).await, "at {now}");
    next
}

#[tokio::test]
async fn the_pick_sees_memories_changed_by_another_process_a_rebuild_and_removed_reviews() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (engine, store) = engine_with_deck(dir.path(), TWO_TOPICS, "practice.db").await;
    let (other_process, other_store) =
        engine_with_deck(dir.path(), TWO_TOPICS, "practice.db").await;
    let fresh = || {
        Engine::new(
            store.clone(),
            engine.bank().as_ref().clone(),
            dir.path().into(),
        )
    };

    say(&engine, "ann", "question orm medium", at(0, 9)).await;
    say(
        &engine,
        "ann",
        "answer select_related uses a SQL join, prefetch_related runs a second query",
        at(0, 9),
    )
    .await;
    say(&engine, "ann", "reveal", at(0, 10)).await;
    assert_eq!(
        next_checked(&engine, fresh, at(0, 13)).await,
        Some(("n-plus-one".into(), false)),
        "nothing due: a new question from orm, the only topic met"
    );

    say(&other_process, "ann", "question security medium", at(0, 11)).await;
    say(&other_process, "ann", "answer no idea", at(0, 11)).await;
    say(&other_process, "ann", "reveal", at(0, 12)).await;
    assert_eq!(
        next_checked(&engine, fresh, at(1, 12)).await,
        Some(("csrf".into(), true)),
        "the question missed in the other process is due"
    );

    say(&other_process, "ann", "question security medium", at(1, 13)).await;
    say(
        &other_process,
        "ann",
        "answer a secret token in every form",
        at(1, 13),
    )
    .await;
    say(&other_process, "ann", "reveal", at(1, 13)).await;
    assert_eq!(
        next_checked(&engine, fresh, at(1, 14)).await,
        Some(("n-plus-one".into(), false)),
        "the question known in the other process is no longer due"
    );

    sqlx::query("DELETE FROM reviews WHERE question_id = 'csrf'")
        .execute(other_store.pool())
        .await
        .expect("removes the reviews");
    other_store.rebuild_memories().await.expect("rebuilds");
    assert_eq!(
        next_checked(&engine, fresh, at(1, 12)).await,
        Some(("n-plus-one".into(), false)),
        "a memory no longer in the database is forgotten"
    );
}
