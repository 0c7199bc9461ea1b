//! The engine's use cases against a fresh SQLite file per test, with a small deck whose grading is
//! known, and instants chosen by each test (nothing sleeps).

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, Duration, TimeZone as _, Utc};
use interview_bot::core::bank::Bank;
use interview_bot::core::command::{
    Action, Actor, AnswerText, BoardScope, ChannelRef, Command, Period, Platform, ScheduleAction,
};
use interview_bot::core::grammar::Grammar;
use interview_bot::core::reply::{Audience, Reply, ReplyBody};
use interview_bot::core::round::Origin;
use interview_bot::engine::Engine;
use interview_bot::store::Store;

const DECK: &str = "---\nid: test\ntitle: Test deck\nnotes: notes.md\n---\n\n\
## What is the difference between `select_related()` and `prefetch_related()`?\n\n\
id: select-vs-prefetch | tags: orm | difficulty: medium | section: ORM\n\n\
- `select_related()` uses a SQL join\n\
- `prefetch_related()` runs a second query\n\
- `prefetch_related()` handles many-to-many relations\n\n\
## How does Python manage memory?\n\n\
id: python-memory | tags: python | difficulty: easy | section: Memory\n\n\
- objects live on a private heap\n\
- reference counting frees objects\n\n\
## What is the GIL?\n\n\
id: gil | tags: python, concurrency | difficulty: hard | section: Threads\n\n\
- one thread runs Python bytecode at a time\n\
- use multiprocessing for CPU-bound work\n";

struct TestApp {
    engine: Arc<Engine>,
    /// The engine's database, for counting what it stored.
    store: Arc<Store>,
    channel: ChannelRef,
    _dir: tempfile::TempDir,
    db: PathBuf,
    bank_dir: PathBuf,
}

async fn spawn_app() -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let bank_dir = dir.path().join("content");
    std::fs::create_dir(&bank_dir).expect("bank dir");
    std::fs::write(bank_dir.join("test.md"), DECK).expect("deck");
    let db = dir.path().join("test.db");
    let (engine, store) = engine_and_store(&db, &bank_dir).await;
    TestApp {
        engine,
        store,
        channel: channel("study"),
        db,
        bank_dir,
        _dir: dir,
    }
}

/// Another engine on the same database and bank, as a restarted or second process would be.
async fn engine_on(db: &std::path::Path, bank_dir: &std::path::Path) -> Arc<Engine> {
    engine_and_store(db, bank_dir).await.0
}

async fn engine_and_store(
    db: &std::path::Path,
    bank_dir: &std::path::Path,
) -> (Arc<Engine>, Arc<Store>) {
    let store = Arc::new(
        Store::open(db.to_str().expect("utf-8 path"))
            .await
            .expect("database opens"),
    );
    let bank = Bank::load(bank_dir).expect("valid deck");
    let engine = Engine::new(Arc::clone(&store), bank, bank_dir.to_path_buf());
    (Arc::new(engine), store)
}

fn channel(name: &str) -> ChannelRef {
    ChannelRef {
        platform: Platform::Discord,
        workspace: "guild-1".into(),
        channel: name.into(),
    }
}

fn user(name: &str) -> Actor {
    Actor {
        user: format!("id-{name}"),
        display_name: name.into(),
        is_admin: false,
    }
}

fn admin(name: &str) -> Actor {
    Actor {
        is_admin: true,
        ..user(name)
    }
}

fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0)
        .single()
        .expect("valid instant")
}

impl TestApp {
    async fn send(&self, actor: Actor, action: Action, now: DateTime<Utc>) -> Vec<Reply> {
        self.send_in(&self.channel, actor, action, now).await
    }

    async fn send_in(
        &self,
        channel: &ChannelRef,
        actor: Actor,
        action: Action,
        now: DateTime<Utc>,
    ) -> Vec<Reply> {
        let command = Command {
            channel: channel.clone(),
            actor,
            action,
        };
        self.engine.handle(&command, now).await
    }

    async fn ask(&self, topic: Option<&str>, now: DateTime<Utc>) -> String {
        let replies = self
            .send(
                user("asker"),
                Action::Ask {
                    topic: topic.map(str::to_string),
                    difficulty: None,
                },
                now,
            )
            .await;
        match &replies[0].body {
            ReplyBody::QuestionCard(card) => card.question.clone(),
            other => panic!("expected a question card, got {other:?}"),
        }
    }

    async fn answer(&self, who: &str, text: &str, now: DateTime<Utc>) -> Reply {
        let action = Action::Answer(AnswerText::parse(text).expect("valid answer"));
        let mut replies = self.send(user(who), action, now).await;
        assert_eq!(replies.len(), 1);
        replies.remove(0)
    }

    async fn set_schedule(&self, words: &str, now: DateTime<Utc>) -> Vec<Reply> {
        let words: Vec<&str> = words.split_whitespace().collect();
        let action = Grammar::of(Platform::Discord)
            .schedule(&words)
            .expect("valid schedule");
        self.send(admin("admin"), Action::Schedule(action), now)
            .await
    }

    async fn reveal(&self, now: DateTime<Utc>) -> Vec<Reply> {
        self.send(admin("admin"), Action::Reveal, now).await
    }

    /// How many questions the drip posts at `now`.
    async fn posts_at(&self, now: DateTime<Utc>) -> usize {
        cards(&self.engine.run_due(now).await.expect("the drip runs")).len()
    }

    /// A number the test reads from the database.
    async fn count(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sql)
            .fetch_one(self.store.pool())
            .await
            .expect("a count")
    }

    async fn daily_rounds(&self) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM rounds WHERE origin = 'daily'")
            .fetch_one(self.store.pool())
            .await
            .expect("count")
    }
}

fn problem(replies: &[Reply]) -> String {
    match replies.first().map(|r| &r.body) {
        Some(ReplyBody::Problem(text)) => text.clone(),
        other => panic!("expected a problem, got {other:?}"),
    }
}

fn cards(replies: &[Reply]) -> Vec<&interview_bot::core::reply::QuestionCard> {
    replies
        .iter()
        .filter_map(|r| match &r.body {
            ReplyBody::QuestionCard(card) => Some(card),
            _ => None,
        })
        .collect()
}

fn reveal_of(replies: &[Reply]) -> &interview_bot::core::reply::Reveal {
    replies
        .iter()
        .find_map(|r| match &r.body {
            ReplyBody::Reveal(reveal) => Some(reveal),
            _ => None,
        })
        .expect("a reveal")
}

// --- answers ---------------------------------------------------------------------------------

#[tokio::test]
async fn an_answer_is_confirmed_privately_and_keeps_its_score_and_the_key_points_sealed() {
    let app = spawn_app().await;
    let now = at(2026, 11, 24, 10, 0);
    app.ask(Some("orm"), now).await;
    let reply = app
        .answer("ann", "select_related does a SQL join", now)
        .await;
    assert_eq!(reply.audience, Audience::User("id-ann".into()));
    assert_eq!(
        reply.body,
        ReplyBody::AnswerRecorded {
            replacements: 0,
            replacements_left: 3
        }
    );
}

#[tokio::test]
async fn a_second_answer_replaces_the_first_and_its_score_comes_with_the_reveal() {
    let app = spawn_app().await;
    let now = at(2026, 11, 24, 10, 0);
    app.ask(Some("orm"), now).await;
    app.answer("ann", "no idea", now).await;
    let second = app
        .answer(
            "ann",
            "select_related does a SQL join, prefetch_related runs a second query",
            now,
        )
        .await;
    assert_eq!(
        second.body,
        ReplyBody::AnswerRecorded {
            replacements: 1,
            replacements_left: 2
        }
    );
    let reveal = app.reveal(now + Duration::minutes(5)).await;
    assert_eq!(reveal_of(&reveal).answered, 1);
    assert_eq!(reveal_of(&reveal).top, [("ann".to_string(), 86)]);
    assert!(reveal.iter().any(|r| matches!(
        &r.body,
        ReplyBody::OwnResult(result) if result.score == 86
    ) && r.is_private_to("id-ann")));
}

#[tokio::test]
async fn an_answer_can_be_replaced_three_times_and_the_fourth_replacement_is_refused() {
    let app = spawn_app().await;
    let now = at(2026, 11, 24, 10, 0);
    app.ask(Some("orm"), now).await;
    for (attempt, text) in [
        "no idea",
        "a join",
        "a SQL join",
        "select_related does a SQL join",
    ]
    .iter()
    .enumerate()
    {
        let reply = app.answer("ann", text, now).await;
        assert!(
            matches!(reply.body, ReplyBody::AnswerRecorded { replacements, .. } if replacements as usize == attempt),
            "{attempt}: {reply:?}"
        );
    }
    let refused = app
        .answer(
            "ann",
            "select_related does a SQL join, prefetch_related runs a second query",
            now,
        )
        .await;
    assert!(
        matches!(&refused.body, ReplyBody::Problem(p) if p.contains("3 times")),
        "{refused:?}"
    );
    let reveal = app.reveal(now + Duration::minutes(5)).await;
    assert_eq!(
        reveal_of(&reveal).top,
        [("ann".to_string(), 61)],
        "the last accepted answer stands"
    );
}

#[tokio::test]
async fn an_answer_after_the_reveal_is_refused_and_stores_nothing() {
    let app = spawn_app().await;
    let now = at(2026, 11, 24, 10, 0);
    app.ask(Some("orm"), now).await;
    app.reveal(now).await;
    let replies = app
        .send(
            user("late"),
            Action::Answer(AnswerText::parse("a join").expect("valid")),
            now,
        )
        .await;
    assert!(problem(&replies).contains("no open question"));
    let answers = app.count("SELECT COUNT(*) FROM answers").await;
    assert_eq!(answers, 0);
}

#[tokio::test]
async fn an_answer_with_no_open_question_gets_a_message() {
    let app = spawn_app().await;
    let replies = app
        .send(
            user("ann"),
            Action::Answer(AnswerText::parse("hello").expect("valid")),
            at(2026, 1, 1, 0, 0),
        )
        .await;
    assert!(problem(&replies).contains("/question"));
}

#[tokio::test]
async fn many_users_answering_at_once_lose_no_answer_and_no_point() {
    let app = spawn_app().await;
    let now = at(2026, 11, 24, 10, 0);
    app.ask(Some("orm"), now).await;
    let answers = [
        ("select_related does a SQL join", 61),
        (
            "select_related does a SQL join, prefetch_related runs a second query",
            86,
        ),
        ("no clue at all", 0),
    ];
    let mut tasks = Vec::new();
    for i in 0..200 {
        let engine = Arc::clone(&app.engine);
        let channel = app.channel.clone();
        let (text, _) = answers[i % answers.len()];
        tasks.push(tokio::spawn(async move {
            let command = Command {
                channel,
                actor: user(&format!("u{i:03}")),
                action: Action::Answer(AnswerText::parse(text).expect("valid")),
            };
            engine.handle(&command, now).await
        }));
    }
    for task in tasks {
        let replies = task.await.expect("task ran");
        assert!(
            matches!(replies[0].body, ReplyBody::AnswerRecorded { .. }),
            "{replies:?}"
        );
    }
    let expected: u32 = (0..200).map(|i| answers[i % answers.len()].1).sum();
    let reveal = app.reveal(now + Duration::minutes(1)).await;
    assert_eq!(reveal_of(&reveal).answered, 200);
    let own_results = reveal
        .iter()
        .filter(|r| matches!(r.body, ReplyBody::OwnResult(_)))
        .count();
    assert_eq!(own_results, 200);
    let total: i64 = sqlx::query_scalar(
        "SELECT SUM(points) FROM score_totals WHERE period = 'all' AND scope LIKE 'c%'",
    )
    .fetch_one(app.store.pool())
    .await
    .expect("sum");
    assert_eq!(total, i64::from(expected));
}

// --- hints and reveals -------------------------------------------------------------------------

#[tokio::test]
async fn a_hint_shows_an_uncovered_key_point_and_costs_points() {
    let app = spawn_app().await;
    let now = at(2026, 11, 24, 10, 0);
    app.ask(Some("orm"), now).await;
    app.answer(
        "ann",
        "select_related does a SQL join, prefetch_related runs a second query",
        now,
    )
    .await;
    let hint = app.send(user("ann"), Action::Hint, now).await;
    let ReplyBody::Hint {
        key_point, penalty, ..
    } = &hint[0].body
    else {
        panic!("expected a hint, got {hint:?}");
    };
    assert_eq!(
        key_point,
        "`prefetch_related()` handles many-to-many relations"
    );
    assert_eq!(*penalty, 10);
    assert_eq!(hint[0].audience, Audience::User("id-ann".into()));
    let reveal = app.reveal(now).await;
    assert_eq!(
        reveal_of(&reveal).top,
        [("ann".to_string(), 76)],
        "86 less one hint"
    );
}

#[tokio::test]
async fn the_reveal_reports_how_many_missed_each_key_point() {
    let app = spawn_app().await;
    let now = at(2026, 11, 24, 10, 0);
    app.ask(Some("orm"), now).await;
    app.answer("ann", "select_related does a SQL join", now)
        .await;
    app.answer(
        "bob",
        "select_related does a SQL join, prefetch_related runs a second query",
        now,
    )
    .await;
    app.answer(
        "cat",
        "prefetch_related runs a second query and handles many-to-many relations",
        now,
    )
    .await;
    app.answer("dan", "no idea", now).await;
    let replies = app.reveal(now).await;
    let reveal = reveal_of(&replies);
    let missed: Vec<(usize, u32)> = reveal
        .gaps
        .iter()
        .map(|g| (g.missed, g.missed_percent()))
        .collect();
    assert_eq!(missed, [(2, 50), (2, 50), (3, 75)]);
    assert_eq!(reveal.notes_link.as_deref(), Some("notes.md#orm"));
    let own: Vec<&Reply> = replies
        .iter()
        .filter(|r| matches!(r.body, ReplyBody::OwnResult(_)))
        .collect();
    assert_eq!(own.len(), 4);
    assert!(own.iter().all(|r| matches!(&r.audience, Audience::User(_))));
}

#[tokio::test]
async fn a_round_is_revealed_once_even_when_asked_twice() {
    let app = spawn_app().await;
    let now = at(2026, 11, 24, 10, 0);
    app.ask(Some("orm"), now).await;
    app.answer("ann", "select_related does a SQL join", now)
        .await;
    assert!(!app.reveal(now).await.is_empty());
    assert!(problem(&app.reveal(now).await).contains("Nothing to reveal"));
    let rounds: i64 =
        sqlx::query_scalar("SELECT SUM(rounds) FROM score_totals WHERE period = 'all'")
            .fetch_one(app.store.pool())
            .await
            .expect("sum");
    assert_eq!(rounds, 2, "one channel total and one workspace total");
}

#[tokio::test]
async fn questions_do_not_repeat_in_a_channel_until_the_bank_is_exhausted() {
    let app = spawn_app().await;
    let mut now = at(2026, 11, 24, 10, 0);
    let mut asked = Vec::new();
    for _ in 0..3 {
        asked.push(app.ask(None, now).await);
        app.reveal(now).await;
        now += Duration::minutes(1);
    }
    asked.sort();
    asked.dedup();
    assert_eq!(asked.len(), 3, "three different questions");
    app.ask(None, now).await;
}

#[tokio::test]
async fn an_unknown_topic_gets_a_message() {
    let app = spawn_app().await;
    let replies = app
        .send(
            user("ann"),
            Action::Ask {
                topic: Some("cooking".into()),
                difficulty: None,
            },
            at(2026, 1, 1, 0, 0),
        )
        .await;
    assert!(problem(&replies).contains("/topics"));
}

// --- leaderboards and stats ------------------------------------------------------------------

#[tokio::test]
async fn equal_points_share_a_rank_on_the_leaderboard() {
    let app = spawn_app().await;
    let now = at(2026, 11, 24, 10, 0);
    app.ask(Some("orm"), now).await;
    app.answer(
        "ann",
        "select_related does a SQL join, prefetch_related runs a second query",
        now,
    )
    .await;
    app.answer(
        "bob",
        "select_related does a SQL join, prefetch_related runs a second query",
        now,
    )
    .await;
    app.answer("cat", "select_related does a SQL join", now)
        .await;
    app.reveal(now).await;
    let replies = app
        .send(
            user("ann"),
            Action::Leaderboard {
                period: Period::Week,
                scope: BoardScope::Channel,
            },
            now,
        )
        .await;
    let ReplyBody::Board(board) = &replies[0].body else {
        panic!("expected a board, got {replies:?}");
    };
    let lines: Vec<(usize, &str, u32, u32)> = board
        .entries
        .iter()
        .map(|e| (e.rank, e.display_name.as_str(), e.points, e.rounds))
        .collect();
    assert_eq!(
        lines,
        [(1, "ann", 86, 1), (1, "bob", 86, 1), (3, "cat", 61, 1)]
    );
}

#[tokio::test]
async fn the_workspace_board_adds_up_every_channel() {
    let app = spawn_app().await;
    let now = at(2026, 11, 24, 10, 0);
    let other = channel("other");
    for place in [&app.channel, &other] {
        app.send_in(
            place,
            user("asker"),
            Action::Ask {
                topic: Some("orm".into()),
                difficulty: None,
            },
            now,
        )
        .await;
        let answer = AnswerText::parse("select_related does a SQL join").expect("valid");
        app.send_in(place, user("ann"), Action::Answer(answer), now)
            .await;
        app.send_in(place, admin("admin"), Action::Reveal, now)
            .await;
    }
    let board = |scope| {
        app.send(
            user("ann"),
            Action::Leaderboard {
                period: Period::AllTime,
                scope,
            },
            now,
        )
    };
    let (channel_board, workspace_board) = (
        board(BoardScope::Channel).await,
        board(BoardScope::Workspace).await,
    );
    let points = |replies: &[Reply]| match &replies[0].body {
        ReplyBody::Board(b) => b.entries[0].points,
        other => panic!("expected a board, got {other:?}"),
    };
    assert_eq!(
        (points(&channel_board), points(&workspace_board)),
        (61, 122)
    );
}

#[tokio::test]
async fn this_weeks_board_leaves_out_last_weeks_points() {
    let app = spawn_app().await;
    let last_week = at(2026, 11, 17, 10, 0);
    app.ask(Some("orm"), last_week).await;
    app.answer("ann", "select_related does a SQL join", last_week)
        .await;
    app.reveal(last_week).await;
    let now = at(2026, 11, 24, 10, 0);
    let week = app
        .send(
            user("ann"),
            Action::Leaderboard {
                period: Period::Week,
                scope: BoardScope::Channel,
            },
            now,
        )
        .await;
    let month = app
        .send(
            user("ann"),
            Action::Leaderboard {
                period: Period::Month,
                scope: BoardScope::Channel,
            },
            now,
        )
        .await;
    let entries = |replies: &[Reply]| match &replies[0].body {
        ReplyBody::Board(b) => b.entries.len(),
        other => panic!("expected a board, got {other:?}"),
    };
    assert_eq!((entries(&week), entries(&month)), (0, 1));
}

// --- the daily drip --------------------------------------------------------------------------

#[tokio::test]
async fn the_drip_posts_exactly_once_per_local_day_even_when_run_twice_or_restarted() {
    let app = spawn_app().await;
    app.set_schedule("set 09:00 Europe/Berlin mon-fri", at(2026, 11, 23, 12, 0))
        .await;
    let nine_berlin = at(2026, 11, 24, 8, 0);
    assert_eq!(app.posts_at(nine_berlin - Duration::minutes(1)).await, 0);
    let first = app.engine.run_due(nine_berlin).await.expect("runs");
    assert_eq!(cards(&first).len(), 1);
    assert_eq!(cards(&first)[0].origin, Origin::Daily);
    assert_eq!(app.posts_at(nine_berlin).await, 0);
    let restarted = engine_on(&app.db, &app.bank_dir).await;
    assert!(cards(
        &restarted
            .run_due(nine_berlin + Duration::minutes(30))
            .await
            .expect("runs")
    )
    .is_empty());
    assert_eq!(app.daily_rounds().await, 1);
}

#[tokio::test]
async fn two_processes_racing_the_same_post_make_one_round() {
    let app = spawn_app().await;
    app.set_schedule("set 09:00 Europe/Berlin daily", at(2026, 11, 23, 12, 0))
        .await;
    let other = engine_on(&app.db, &app.bank_dir).await;
    let now = at(2026, 11, 24, 8, 0);
    let (a, b) = tokio::join!(app.engine.run_due(now), other.run_due(now));
    let posted = cards(&a.expect("runs")).len() + cards(&b.expect("runs")).len();
    assert_eq!(posted, 1);
    assert_eq!(app.daily_rounds().await, 1);
}

#[tokio::test]
async fn a_missed_post_is_made_once_late_the_same_day_and_past_days_are_skipped() {
    let app = spawn_app().await;
    app.set_schedule("set 09:00 Europe/Berlin daily", at(2026, 11, 20, 12, 0))
        .await;
    // Down from before Saturday's post until Tuesday 15:00 Berlin time.
    let back = at(2026, 11, 24, 14, 0);
    let replies = app.engine.run_due(back).await.expect("runs");
    assert_eq!(cards(&replies).len(), 1, "only today's post, late");
    assert_eq!(app.daily_rounds().await, 1);
    let local_date: String = sqlx::query_scalar("SELECT local_date FROM rounds")
        .fetch_one(app.store.pool())
        .await
        .expect("date");
    assert_eq!(local_date, "2026-11-24");
    assert_eq!(app.posts_at(back + Duration::hours(1)).await, 0);
}

#[tokio::test]
async fn a_nine_oclock_berlin_schedule_posts_at_nine_local_on_both_sides_of_a_dst_change() {
    let app = spawn_app().await;
    app.set_schedule("set 09:00 Europe/Berlin daily 1h", at(2026, 3, 27, 12, 0))
        .await;
    // Saturday before the change: CET, 09:00 local = 08:00 UTC.
    assert_eq!(app.posts_at(at(2026, 3, 28, 7, 59)).await, 0);
    assert_eq!(app.posts_at(at(2026, 3, 28, 8, 0)).await, 1);
    // Sunday after the change: CEST, 09:00 local = 07:00 UTC.
    assert_eq!(app.posts_at(at(2026, 3, 29, 6, 59)).await, 0);
    assert_eq!(app.posts_at(at(2026, 3, 29, 7, 0)).await, 1);
}

#[tokio::test]
async fn a_daily_round_is_revealed_when_its_window_closes() {
    let app = spawn_app().await;
    app.set_schedule("set 09:00 UTC daily 2h", at(2026, 11, 23, 12, 0))
        .await;
    app.engine
        .run_due(at(2026, 11, 24, 9, 0))
        .await
        .expect("runs");
    app.answer(
        "ann",
        "select_related does a SQL join",
        at(2026, 11, 24, 9, 30),
    )
    .await;
    assert!(app
        .engine
        .run_due(at(2026, 11, 24, 10, 59))
        .await
        .expect("runs")
        .is_empty());
    let replies = app
        .engine
        .run_due(at(2026, 11, 24, 11, 0))
        .await
        .expect("runs");
    assert_eq!(reveal_of(&replies).answered, 1);
    assert!(problem(&app.reveal(at(2026, 11, 24, 11, 1)).await).contains("Nothing to reveal"));
}

#[tokio::test]
async fn a_streak_counts_daily_rounds_answered_across_a_dst_change() {
    let app = spawn_app().await;
    app.set_schedule("set 09:00 Europe/Berlin daily 2h", at(2026, 3, 25, 12, 0))
        .await;
    // Thursday 26 March to Tuesday 31 March, across the change on Sunday 29 March.
    for day in 26..=31 {
        let post = if day < 29 {
            at(2026, 3, day, 8, 0)
        } else {
            at(2026, 3, day, 7, 0)
        };
        app.engine.run_due(post).await.expect("runs");
        if day != 27 {
            app.answer(
                "ann",
                "select_related does a SQL join",
                post + Duration::minutes(10),
            )
            .await;
        }
        app.engine
            .run_due(post + Duration::hours(2))
            .await
            .expect("runs");
    }
    let replies = app
        .send(
            user("ann"),
            Action::Stats { user: None },
            at(2026, 3, 31, 12, 0),
        )
        .await;
    let ReplyBody::Stats(stats) = &replies[0].body else {
        panic!("expected stats, got {replies:?}");
    };
    assert_eq!(
        (
            stats.current_streak,
            stats.best_streak,
            stats.rounds_answered
        ),
        (4, 4, 5)
    );
}

// --- schedules and admin -----------------------------------------------------------------------

#[tokio::test]
async fn bad_schedule_input_gets_a_message_and_changes_nothing() {
    let app = spawn_app().await;
    let now = at(2026, 11, 24, 10, 0);
    app.set_schedule("set 09:00 Europe/Berlin mon-fri", now)
        .await;
    for bad in [
        "set 25:00 Europe/Berlin mon-fri",
        "set 09:00 Mars/Olympus mon-fri",
        "set 09:00 Europe/Berlin nope",
    ] {
        let words: Vec<&str> = bad.split_whitespace().collect();
        let message = Grammar::of(Platform::Discord)
            .schedule(&words)
            .expect_err("refused");
        assert!(
            message.contains("25:00")
                || message.contains("Mars/Olympus")
                || message.contains("nope"),
            "{message}"
        );
    }
    let shown = app
        .send(user("ann"), Action::Schedule(ScheduleAction::Show), now)
        .await;
    let ReplyBody::ScheduleInfo(info) = &shown[0].body else {
        panic!("expected the schedule, got {shown:?}");
    };
    assert_eq!(
        info.summary.as_deref(),
        Some("09:00 Europe/Berlin on Mon–Fri, answers open for 8h")
    );
    assert_eq!(info.next_posts.len(), 5);
}

#[tokio::test]
async fn only_admins_change_the_schedule() {
    let app = spawn_app().await;
    let replies = app
        .send(
            user("ann"),
            Action::Schedule(ScheduleAction::Off),
            at(2026, 11, 24, 10, 0),
        )
        .await;
    assert!(problem(&replies).contains("Only admins"));
}

#[tokio::test]
async fn a_paused_schedule_posts_nothing_until_resumed() {
    let app = spawn_app().await;
    app.set_schedule("set 09:00 UTC daily", at(2026, 11, 23, 12, 0))
        .await;
    app.send(
        admin("admin"),
        Action::Schedule(ScheduleAction::Pause),
        at(2026, 11, 23, 13, 0),
    )
    .await;
    assert_eq!(app.posts_at(at(2026, 11, 24, 9, 0)).await, 0);
    app.send(
        admin("admin"),
        Action::Schedule(ScheduleAction::Resume),
        at(2026, 11, 24, 12, 0),
    )
    .await;
    assert_eq!(
        app.posts_at(at(2026, 11, 24, 13, 0)).await,
        0,
        "today's post was before the resume"
    );
    assert_eq!(app.posts_at(at(2026, 11, 25, 9, 0)).await, 1);
}

#[tokio::test]
async fn a_bank_with_errors_is_refused_and_the_old_one_keeps_serving() {
    let app = spawn_app().await;
    std::fs::write(
        app.bank_dir.join("broken.md"),
        "---\nid: broken\ntitle: Broken\n---\n\n## Q?\n\nid: q | difficulty: brutal\n\n- x\n",
    )
    .expect("write");
    let replies = app
        .send(admin("admin"), Action::ReloadBank, at(2026, 11, 24, 10, 0))
        .await;
    assert!(problem(&replies).contains("current bank keeps serving"));
    assert_eq!(app.engine.bank().questions().len(), 3);
    std::fs::remove_file(app.bank_dir.join("broken.md")).expect("remove");
    let replies = app
        .send(admin("admin"), Action::ReloadBank, at(2026, 11, 24, 10, 0))
        .await;
    assert!(matches!(&replies[0].body, ReplyBody::Notice(text) if text.contains("3 questions")));
}

// --- races, stale forms and broken rows ----------------------------------------------------------

#[tokio::test]
async fn two_processes_revealing_at_once_count_the_round_once() {
    let app = spawn_app().await;
    let now = at(2026, 11, 24, 10, 0);
    app.ask(Some("orm"), now).await;
    app.answer("ann", "select_related does a SQL join", now)
        .await;
    let other = engine_on(&app.db, &app.bank_dir).await;
    let reveal = |engine: Arc<Engine>, channel: ChannelRef| async move {
        let command = Command {
            channel,
            actor: admin("admin"),
            action: Action::Reveal,
        };
        engine.handle(&command, now).await
    };
    let (a, b) = tokio::join!(
        reveal(Arc::clone(&app.engine), app.channel.clone()),
        reveal(other, app.channel.clone())
    );
    let reveals = [a, b]
        .iter()
        .filter(|replies| {
            replies
                .iter()
                .any(|r| matches!(r.body, ReplyBody::Reveal(_)))
        })
        .count();
    assert_eq!(reveals, 1);
    let rounds: i64 =
        sqlx::query_scalar("SELECT SUM(rounds) FROM score_totals WHERE period = 'all'")
            .fetch_one(app.store.pool())
            .await
            .expect("sum");
    assert_eq!(rounds, 2, "one channel total and one workspace total");
}

#[tokio::test]
async fn an_answer_written_for_a_revealed_question_is_not_moved_to_the_next_one() {
    let app = spawn_app().await;
    let now = at(2026, 11, 24, 10, 0);
    app.ask(Some("orm"), now).await;
    let first_round = app.count("SELECT id FROM rounds").await;
    app.reveal(now).await;
    app.ask(Some("python"), now).await;
    let stale = Action::AnswerRound {
        round: first_round,
        text: AnswerText::parse("select_related does a SQL join").expect("valid"),
    };
    let replies = app.send(user("ann"), stale, now).await;
    assert!(problem(&replies).contains("already been revealed"));
    let answers = app.count("SELECT COUNT(*) FROM answers").await;
    assert_eq!(answers, 0);
}

#[tokio::test]
async fn one_broken_round_does_not_stop_the_drip_in_other_channels() {
    let app = spawn_app().await;
    let now = at(2026, 11, 24, 10, 0);
    let broken = channel("broken");
    app.send_in(
        &broken,
        user("asker"),
        Action::Ask {
            topic: None,
            difficulty: None,
        },
        now,
    )
    .await;
    let answer = AnswerText::parse("select_related does a SQL join").expect("valid");
    app.send_in(&broken, user("ann"), Action::Answer(answer), now)
        .await;
    sqlx::query("UPDATE answers SET checklist = 'not json'")
        .execute(app.store.pool())
        .await
        .expect("corrupt a row");
    app.set_schedule("set 11:00 UTC daily", now).await;
    let replies = app
        .engine
        .run_due(at(2026, 11, 24, 11, 0))
        .await
        .expect("the drip runs");
    assert_eq!(
        cards(&replies).len(),
        1,
        "the healthy channel still gets its question"
    );
}

#[tokio::test]
async fn a_question_of_the_day_whose_post_failed_is_offered_again() {
    let app = spawn_app().await;
    app.set_schedule("set 09:00 UTC daily", at(2026, 11, 23, 12, 0))
        .await;
    let posted = app
        .engine
        .run_due(at(2026, 11, 24, 9, 0))
        .await
        .expect("runs");
    let round = cards(&posted)[0].round;
    let later = at(2026, 11, 24, 9, 5);
    let again = app
        .engine
        .unposted_questions(Platform::Discord, later)
        .await
        .expect("runs");
    assert_eq!(
        cards(&again).len(),
        1,
        "no post was recorded, so it is posted again"
    );
    app.engine.record_post(round, "12345").await.expect("saved");
    let none = app
        .engine
        .unposted_questions(Platform::Discord, later)
        .await
        .expect("runs");
    assert!(none.is_empty());
}

#[tokio::test]
async fn two_processes_asking_at_once_open_one_question() {
    let app = spawn_app().await;
    let now = at(2026, 11, 24, 10, 0);
    let other = engine_on(&app.db, &app.bank_dir).await;
    let ask = |engine: Arc<Engine>, channel: ChannelRef| async move {
        let command = Command {
            channel,
            actor: user("asker"),
            action: Action::Ask {
                topic: None,
                difficulty: None,
            },
        };
        engine.handle(&command, now).await
    };
    let (a, b) = tokio::join!(
        ask(Arc::clone(&app.engine), app.channel.clone()),
        ask(other, app.channel.clone())
    );
    assert_eq!(cards(&a).len() + cards(&b).len(), 1);
    let open = app
        .count("SELECT COUNT(*) FROM rounds WHERE revealed_at IS NULL")
        .await;
    assert_eq!(open, 1);
}

#[tokio::test]
async fn no_hint_is_sold_after_the_answer_window_closed() {
    let app = spawn_app().await;
    let now = at(2026, 11, 24, 10, 0);
    app.ask(Some("orm"), now).await;
    let replies = app
        .send(user("ann"), Action::Hint, now + Duration::hours(2))
        .await;
    assert!(problem(&replies).contains("window for this question has closed"));
}

// --- mock interviews -------------------------------------------------------------------------

#[tokio::test]
async fn a_bot_cannot_be_a_mock_candidate_and_nothing_starts() {
    use interview_bot::core::command::{Candidate, MockAction, MockStart};
    let app = spawn_app().await;
    let now = at(2026, 11, 24, 9, 0);
    let start = |is_bot| Action::Mock {
        session: None,
        at: None,
        action: MockAction::Start(MockStart {
            topic: None,
            difficulty: None,
            questions: 2,
            minutes: 5,
            candidates: vec![Candidate {
                user: "id-robo".into(),
                display_name: Some("robo".into()),
                is_bot,
            }],
        }),
    };
    let refused = app.send(user("ann"), start(true), now).await;
    assert!(
        problem(&refused).contains("Bots cannot answer"),
        "{refused:?}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM mocks").await, 0);
    let started = app.send(user("ann"), start(false), now).await;
    assert_eq!(started[0].audience, Audience::Channel, "{started:?}");
    assert_eq!(app.count("SELECT COUNT(*) FROM mocks").await, 1);
    let again = app.send(user("ann"), start(false), now).await;
    assert!(
        problem(&again).contains("already in a mock interview here"),
        "{again:?}"
    );
}

#[tokio::test]
async fn a_mock_never_asks_the_channels_open_question_of_the_day() {
    use interview_bot::core::command::MockAction;
    let app = spawn_app().await;
    let now = at(2026, 11, 24, 9, 0);
    app.set_schedule("set 09:00 UTC daily", now - Duration::hours(1))
        .await;
    let posted = app.engine.run_due(now).await.expect("the drip runs");
    let daily = cards(&posted)[0].question.clone();
    start_mock_with_bob(&app, 3, now).await;
    for minute in 1..=3 {
        app.send(
            user("ann"),
            mock_step(MockAction::Next),
            now + Duration::minutes(minute),
        )
        .await;
    }
    let asked: Vec<String> = sqlx::query_scalar("SELECT question_id FROM mock_questions")
        .fetch_all(app.store.pool())
        .await
        .expect("asked");
    assert_eq!(asked.len(), 2, "the bank's other two questions: {asked:?}");
    assert!(
        !asked.contains(&daily),
        "{daily} was the question of the day"
    );
}

#[tokio::test]
async fn a_mock_left_between_two_questions_by_a_stopped_process_goes_on_at_the_next_tick() {
    use interview_bot::core::command::MockAction;
    let app = spawn_app().await;
    let now = at(2026, 11, 24, 9, 0);
    start_mock_with_bob(&app, 2, now).await;
    app.send(user("ann"), mock_step(MockAction::Next), now)
        .await;
    // The first question finished, and the process stopped before it asked the second.
    sqlx::query("UPDATE mock_questions SET finished_at = ?1, score = 0")
        .bind((now + Duration::minutes(1)).timestamp_millis())
        .execute(app.store.pool())
        .await
        .expect("finished");
    let ticked = app
        .engine
        .run_due(now + Duration::minutes(2))
        .await
        .expect("the drip runs");
    assert!(
        ticked.iter().any(|r| matches!(
            &r.body,
            ReplyBody::Mock(interview_bot::core::mock::MockReply::Question(card)) if card.number == 2
        )),
        "{ticked:?}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM mock_questions").await, 2);
}

/// A step of the actor's mock in the test channel, as typed (no button).
fn mock_step(action: interview_bot::core::command::MockAction) -> Action {
    Action::Mock {
        session: None,
        at: None,
        action,
    }
}

/// `ann` starts a mock of `questions` questions, five minutes each, with `bob` answering.
async fn start_mock_with_bob(app: &TestApp, questions: u8, now: DateTime<Utc>) {
    use interview_bot::core::command::{Candidate, MockAction, MockStart};
    let start = MockStart {
        topic: None,
        difficulty: None,
        questions,
        minutes: 5,
        candidates: vec![Candidate {
            user: "id-bob".into(),
            display_name: Some("bob".into()),
            is_bot: false,
        }],
    };
    app.send(user("ann"), mock_step(MockAction::Start(start)), now)
        .await;
}
