//! Personal practice's commands through the engine, with instants chosen by each test: a card, an
//! answer graded at once, the player's own rating, retention, status, and a channel's question of
//! the day that focuses on what the channel knows least.

#[path = "support/engine.rs"]
mod test_engine;

use chrono::{DateTime, Duration, TimeZone as _, Utc};
use interview_bot::core::command::{Actor, ChannelRef, Command, Platform};
use interview_bot::core::grammar::Grammar;
use interview_bot::core::practice::{PracticeReply, Rating};
use interview_bot::core::reply::{Audience, Reply, ReplyBody};
use interview_bot::core::schedule::Focus;
use interview_bot::engine::Engine;
use test_engine::engine_with_deck;

const DECK: &str = "---\nid: test\ntitle: Test deck\n---\n\n\
## What is the difference between `select_related()` and `prefetch_related()`?\n\n\
id: select-vs-prefetch | tags: orm | difficulty: medium\n\n\
- `select_related()` uses a SQL join\n\
- `prefetch_related()` runs a second query\n\n\
## How does Django protect against CSRF?\n\n\
id: csrf | tags: security | difficulty: medium\n\n\
- a secret token in every form\n\
- the middleware checks the token on unsafe methods\n\n\
## How are passwords stored?\n\n\
id: passwords | tags: security | difficulty: easy\n\n\
- salted hashes\n";

const ORM_ANSWER: &str = "select_related uses a SQL join, prefetch_related runs a second query";

fn at(day: i64, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, h, 0, 0)
        .single()
        .expect("valid instant")
        + Duration::days(day)
}

fn command(user: &str, text: &str) -> Command {
    Command {
        channel: ChannelRef {
            platform: Platform::Console,
            workspace: "local".into(),
            channel: "study".into(),
        },
        actor: Actor {
            user: user.into(),
            display_name: user.into(),
            is_admin: true,
        },
        action: Grammar::of(Platform::Console)
            .parse(text)
            .expect("parses")
            .expect("an action"),
    }
}

async fn say(engine: &Engine, user: &str, text: &str, now: DateTime<Utc>) -> Vec<Reply> {
    engine.handle(&command(user, text), now).await
}

/// The one practice reply of a step, checked to be private to `user`.
async fn practise(engine: &Engine, user: &str, text: &str, now: DateTime<Utc>) -> PracticeReply {
    let replies = say(engine, user, text, now).await;
    assert!(
        replies
            .iter()
            .all(|r| r.audience == Audience::User(user.into())),
        "practice is private: {replies:?}"
    );
    match replies.into_iter().next().map(|r| r.body) {
        Some(ReplyBody::Practice(reply)) => reply,
        other => panic!("`{text}` gave {other:?}"),
    }
}

fn problem_of(replies: &[Reply]) -> String {
    match replies.first().map(|r| &r.body) {
        Some(ReplyBody::Problem(problem)) => problem.clone(),
        other => panic!("expected a problem, got {other:?}"),
    }
}

/// Asks for a card and answers it; returns (question prompt, score, rating, due).
async fn practise_once(
    engine: &Engine,
    user: &str,
    topic: &str,
    answer: &str,
    now: DateTime<Utc>,
) -> (String, u8, Rating, DateTime<Utc>) {
    let PracticeReply::Card(card) = practise(engine, user, &format!("practice {topic}"), now).await
    else {
        panic!("no card");
    };
    match practise(engine, user, &format!("practice answer {answer}"), now).await {
        PracticeReply::Result(result) => {
            assert_eq!(result.card, card.card);
            (card.prompt, result.score, result.rating, result.due_at)
        }
        other => panic!("no result: {other:?}"),
    }
}

#[tokio::test]
async fn a_practice_answer_is_graded_at_once_and_never_reaches_the_leaderboard() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (engine, store) = engine_with_deck(dir.path(), DECK, "practice.db").await;
    let (prompt, score, rating, due_at) =
        practise_once(&engine, "ann", "orm", ORM_ANSWER, at(0, 9)).await;
    assert!(prompt.contains("select_related"), "{prompt}");
    assert!(score >= 90, "{score}");
    assert_eq!(rating, Rating::Easy);
    assert!(
        due_at >= at(3, 9),
        "a well-answered question stays away for days: {due_at}"
    );

    let board = say(&engine, "ann", "leaderboard all", at(0, 10)).await;
    assert!(
        matches!(&board[0].body, ReplyBody::Board(b) if b.entries.is_empty()),
        "{board:?}"
    );
    let answers: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM answers")
        .fetch_one(store.pool())
        .await
        .expect("counts");
    assert_eq!(answers, 0, "no round answer was stored");
    let again = say(
        &engine,
        "ann",
        &format!("practice answer {ORM_ANSWER}"),
        at(0, 9),
    )
    .await;
    assert!(problem_of(&again).contains("practice first"), "{again:?}");
}

#[tokio::test]
async fn a_missed_practice_question_comes_back_the_next_day_and_a_known_one_days_later() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (engine, _store) = engine_with_deck(dir.path(), DECK, "practice.db").await;
    let (_, _, missed_rating, missed_due) =
        practise_once(&engine, "ann", "security", "no idea at all", at(0, 9)).await;
    assert_eq!(missed_rating, Rating::Again);
    assert_eq!(missed_due, at(1, 9), "back within a day");
    let (_, _, _, known_due) = practise_once(&engine, "ann", "orm", ORM_ANSWER, at(0, 9)).await;
    assert!(known_due > at(2, 9));

    let PracticeReply::Card(card) = practise(&engine, "ann", "practice", at(1, 10)).await else {
        panic!("a card");
    };
    assert!(card.due_since.is_some(), "the missed one, due: {card:?}");
    assert!(card.prompt.contains("CSRF") || card.prompt.contains("passwords"));
}

#[tokio::test]
async fn intervals_grow_while_practice_answers_stay_good() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (engine, _store) = engine_with_deck(dir.path(), DECK, "practice.db").await;
    let mut now = at(0, 9);
    let mut intervals = Vec::new();
    for _ in 0..4 {
        let (_, _, _, due) = practise_once(&engine, "ann", "orm", ORM_ANSWER, now).await;
        intervals.push((due - now).num_days());
        now = due;
    }
    assert!(intervals.windows(2).all(|w| w[1] > w[0]), "{intervals:?}");
}

#[tokio::test]
async fn the_players_own_rating_replaces_the_earned_one_and_moves_the_due_date() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (engine, store) = engine_with_deck(dir.path(), DECK, "practice.db").await;
    let (_, _, rating, earned_due) =
        practise_once(&engine, "ann", "orm", ORM_ANSWER, at(0, 9)).await;
    assert_eq!(rating, Rating::Easy);
    let PracticeReply::Rated { rating, due_at, .. } =
        practise(&engine, "ann", "practice rate again", at(0, 9)).await
    else {
        panic!("rated");
    };
    assert_eq!(rating, Rating::Again);
    assert_eq!(due_at, at(1, 9), "after Again it comes back the next day");
    assert!(due_at < earned_due);
    // The review log says so too, so a rebuild keeps the player's rating.
    engine.rebuild_memories().await.expect("rebuilds");
    let id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE external_id = 'ann'")
        .fetch_one(store.pool())
        .await
        .expect("ann");
    let rebuilt = store
        .memory_of(id, "select-vs-prefetch")
        .await
        .expect("reads")
        .expect("a memory");
    assert_eq!(rebuilt.due_at, due_at);

    let nothing = say(&engine, "bob", "practice rate good", at(0, 9)).await;
    assert!(
        problem_of(&nothing).contains("none answered"),
        "{nothing:?}"
    );
}

#[tokio::test]
async fn a_higher_desired_retention_brings_questions_back_sooner() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (engine, _store) = engine_with_deck(dir.path(), DECK, "practice.db").await;
    say(&engine, "ann", "practice retention 0.97", at(0, 8)).await;
    say(&engine, "bob", "practice retention 0.70", at(0, 8)).await;
    let bad = Grammar::of(Platform::Console).parse("practice retention 0.5");
    assert!(bad.is_err_and(|problem| problem.contains("0.70")));
    let mut due = Vec::new();
    for user in ["ann", "bob"] {
        let (_, _, _, first) = practise_once(&engine, user, "orm", ORM_ANSWER, at(0, 9)).await;
        let (_, _, _, second) = practise_once(&engine, user, "orm", ORM_ANSWER, first).await;
        due.push(second - first);
    }
    assert!(due[0] < due[1], "{due:?}");
}

#[tokio::test]
async fn the_channels_open_question_is_neither_offered_nor_graded_in_practice() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (engine, store) = engine_with_deck(dir.path(), DECK, "practice.db").await;
    let PracticeReply::Card(card) = practise(&engine, "ann", "practice orm", at(0, 9)).await else {
        panic!("a card");
    };
    assert!(card.prompt.contains("select_related"));
    say(&engine, "bob", "question orm", at(0, 9)).await;
    let refused = say(
        &engine,
        "ann",
        &format!("practice answer {ORM_ANSWER}"),
        at(0, 10),
    )
    .await;
    assert!(
        problem_of(&refused).contains("open in a channel"),
        "{refused:?}"
    );
    let reviews: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM reviews")
        .fetch_one(store.pool())
        .await
        .expect("counts");
    assert_eq!(reviews, 0, "nothing was graded");
    let PracticeReply::AllDone { topic, .. } =
        practise(&engine, "ann", "practice orm", at(0, 10)).await
    else {
        panic!("the only ORM question is open, so nothing is offered");
    };
    assert_eq!(topic.as_deref(), Some("orm"));
    let unknown = say(&engine, "ann", "practice astronomy", at(0, 10)).await;
    assert!(problem_of(&unknown).contains("astronomy"), "{unknown:?}");
}

#[tokio::test]
async fn the_status_counts_what_is_due_and_names_the_weakest_topic_and_stats_show_it_in_a_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (engine, _store) = engine_with_deck(dir.path(), DECK, "practice.db").await;
    practise_once(&engine, "ann", "orm", ORM_ANSWER, at(0, 9)).await;
    practise_once(&engine, "ann", "security", "no idea", at(0, 9)).await;
    let PracticeReply::Status(status) =
        practise(&engine, "ann", "practice status", at(1, 10)).await
    else {
        panic!("a status");
    };
    assert_eq!(
        (status.due_now, status.questions, status.reviews),
        (1, 2, 2)
    );
    assert!(status.due_this_week >= 1);
    assert_eq!(
        status.weakest.first().map(|t| t.0.as_str()),
        Some("security")
    );
    assert!(status
        .estimated_retention
        .is_some_and(|r| r > 0.0 && r < 1.0));
    assert_eq!(status.desired_retention, 0.9);

    let stats = say(&engine, "ann", "stats", at(1, 10)).await;
    let ReplyBody::Stats(own) = &stats[0].body else {
        panic!("stats: {stats:?}");
    };
    assert_eq!(own.practice.as_ref().map(|p| p.due_now), Some(1));
    let theirs = say(&engine, "bob", "stats ann", at(1, 10)).await;
    assert!(
        matches!(&theirs[0].body, ReplyBody::Stats(s) if s.practice.is_none()),
        "another player's practice stays theirs"
    );
}

#[tokio::test]
async fn a_focus_weak_schedule_posts_what_the_channel_remembers_least() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (engine, _store) = engine_with_deck(dir.path(), DECK, "practice.db").await;
    // The channel knows the ORM question well and misses the CSRF one; nobody met the passwords one.
    // A week on (a question asked in the last seven days rests), the weak focus picks CSRF.
    for (topic, answer) in [("orm", ORM_ANSWER), ("security medium", "no idea")] {
        say(&engine, "ann", &format!("question {topic}"), at(0, 9)).await;
        say(&engine, "ann", &format!("answer {answer}"), at(0, 9)).await;
        say(&engine, "ann", "reveal", at(0, 9)).await;
    }
    let set = say(
        &engine,
        "ann",
        "schedule set 09:00 UTC every day focus weak",
        at(8, 8),
    )
    .await;
    let ReplyBody::ScheduleInfo(info) = &set[0].body else {
        panic!("{set:?}");
    };
    assert_eq!(info.focus, Some(Focus::Weak), "{info:?}");
    let posted = engine.run_due(at(8, 9)).await.expect("drip runs");
    let question = posted.iter().find_map(|r| match &r.body {
        ReplyBody::QuestionCard(card) => Some(card.question.clone()),
        _ => None,
    });
    assert_eq!(
        question.as_deref(),
        Some("csrf"),
        "the weakest, not the never-asked one"
    );

    // The same channel without the focus posts the question asked least.
    say(&engine, "ann", "reveal", at(8, 10)).await;
    say(
        &engine,
        "ann",
        "schedule set 09:00 UTC every day",
        at(8, 11),
    )
    .await;
    let posted = engine.run_due(at(9, 9)).await.expect("drip runs");
    let question = posted.iter().find_map(|r| match &r.body {
        ReplyBody::QuestionCard(card) => Some(card.question.clone()),
        _ => None,
    });
    assert_eq!(question.as_deref(), Some("passwords"));
    let show = say(&engine, "ann", "schedule show", at(9, 10)).await;
    assert!(
        matches!(&show[0].body, ReplyBody::ScheduleInfo(i) if i.focus == Some(Focus::LeastAsked)),
        "{show:?}"
    );
}

#[tokio::test]
async fn two_processes_answering_for_one_player_lose_no_review_and_a_restart_moves_no_due_date() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (first, store) = engine_with_deck(dir.path(), DECK, "shared.db").await;
    let (second, _) = engine_with_deck(dir.path(), DECK, "shared.db").await;
    // Each process offers Ann the ORM card and grades her answer at the same instants; rating it
    // `again` brings it back the next day, except after the last answers. Both act on the same day
    // before either moves on.
    let rounds = 12;
    let same_day = std::sync::Arc::new(tokio::sync::Barrier::new(2));
    let work = |engine: std::sync::Arc<Engine>| {
        let same_day = std::sync::Arc::clone(&same_day);
        async move {
            for i in 0..rounds {
                same_day.wait().await;
                let now = at(i, 9);
                say(&engine, "ann", "practice orm", now).await;
                say(
                    &engine,
                    "ann",
                    &format!("practice answer {ORM_ANSWER}"),
                    now,
                )
                .await;
                if i + 1 < rounds {
                    say(&engine, "ann", "practice rate again", now).await;
                }
            }
        }
    };
    tokio::join!(work(first.clone()), work(second.clone()));
    let (reviews, memory_reviews): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM reviews), (SELECT COALESCE(SUM(reviews), 0) FROM memories)",
    )
    .fetch_one(store.pool())
    .await
    .expect("counts");
    assert!(reviews >= rounds, "{reviews}");
    assert_eq!(memory_reviews, reviews, "every review moved the memory on");

    let before = sqlx::query_as::<_, (String, i64)>("SELECT question_id, due_at FROM memories")
        .fetch_all(store.pool())
        .await
        .expect("memories");
    drop((first, second));
    let (restarted, reopened) = engine_with_deck(dir.path(), DECK, "shared.db").await;
    restarted.rebuild_memories().await.expect("rebuilds");
    let after = sqlx::query_as::<_, (String, i64)>("SELECT question_id, due_at FROM memories")
        .fetch_all(reopened.pool())
        .await
        .expect("memories");
    assert_eq!(before, after);
}

/// Every stored memory, as (user, question, due, reviews).
async fn memories(store: &interview_bot::store::Store) -> Vec<(i64, String, i64, i64)> {
    sqlx::query_as("SELECT user_id, question_id, due_at, reviews FROM memories ORDER BY 1, 2")
        .fetch_all(store.pool())
        .await
        .expect("memories")
}

#[tokio::test]
async fn memories_stay_what_a_rebuild_makes_when_reviews_come_out_of_order_or_retention_changes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (engine, store) = engine_with_deck(dir.path(), DECK, "practice.db").await;
    // Ann answers the ORM question in another team's channel on day 0; it is revealed on day 3,
    // after she practised it here on day 2, so its review (dated day 0) arrives last.
    let elsewhere = |text: &str| Command {
        channel: ChannelRef {
            platform: Platform::Console,
            workspace: "other-team".into(),
            channel: "general".into(),
        },
        ..command("ann", text)
    };
    engine.handle(&elsewhere("question orm"), at(0, 9)).await;
    engine
        .handle(&elsewhere(&format!("answer {ORM_ANSWER}")), at(0, 9))
        .await;
    practise_once(&engine, "ann", "orm", "a join I think", at(2, 9)).await;
    engine.handle(&elsewhere("reveal"), at(3, 9)).await;
    // Then she wants to remember more, and rates a new answer herself.
    say(&engine, "ann", "practice retention 0.97", at(3, 10)).await;
    practise_once(&engine, "ann", "security", "no idea", at(3, 10)).await;
    say(&engine, "ann", "practice rate hard", at(3, 10)).await;

    let kept = memories(&store).await;
    assert_eq!(kept.iter().map(|m| m.3).sum::<i64>(), 3, "{kept:?}");
    engine.rebuild_memories().await.expect("rebuilds");
    assert_eq!(memories(&store).await, kept);
}

#[tokio::test]
async fn asking_twice_offers_the_same_card_and_only_the_latest_answer_can_be_rated() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (engine, _store) = engine_with_deck(dir.path(), DECK, "practice.db").await;
    let card = |reply: PracticeReply| match reply {
        PracticeReply::Card(card) => card.card,
        other => panic!("{other:?}"),
    };
    let first = card(practise(&engine, "ann", "practice orm", at(0, 9)).await);
    let again = card(practise(&engine, "ann", "practice orm", at(0, 9)).await);
    assert_eq!(first, again, "one open card per question");
    practise(
        &engine,
        "ann",
        &format!("practice answer {ORM_ANSWER}"),
        at(0, 9),
    )
    .await;
    let second_answer = say(
        &engine,
        "ann",
        &format!("practice answer {ORM_ANSWER}"),
        at(0, 9),
    )
    .await;
    assert!(
        problem_of(&second_answer).contains("practice first"),
        "{second_answer:?}"
    );

    // Ann answers it again twenty days on; the first card's rating buttons no longer act.
    practise_once(&engine, "ann", "orm", ORM_ANSWER, at(20, 9)).await;
    let mut old_click = command("ann", "practice rate again");
    old_click.action = interview_bot::core::command::Action::Practice(
        interview_bot::core::practice::PracticeAction::Rate {
            card: Some(first),
            rating: Rating::Again,
        },
    );
    let refused = engine.handle(&old_click, at(20, 10)).await;
    assert!(problem_of(&refused).contains("latest"), "{refused:?}");
}

#[tokio::test]
async fn a_question_open_in_another_channel_of_the_workspace_is_not_offered_in_practice() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (engine, _store) = engine_with_deck(dir.path(), DECK, "practice.db").await;
    let next_door = |text: &str| Command {
        channel: ChannelRef {
            channel: "next-door".into(),
            ..command("bob", text).channel
        },
        ..command("bob", text)
    };
    engine.handle(&next_door("question orm"), at(0, 9)).await;
    let PracticeReply::AllDone { .. } = practise(&engine, "ann", "practice orm", at(0, 9)).await
    else {
        panic!("the ORM question is open next door");
    };
    engine.handle(&next_door("reveal"), at(0, 10)).await;
    let PracticeReply::Card(card) = practise(&engine, "ann", "practice orm", at(0, 10)).await
    else {
        panic!("revealed, it may be practised");
    };
    assert!(card.prompt.contains("select_related"));
}
