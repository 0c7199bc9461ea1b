//! The delivery path Discord and Slack share, driven through an outbox that records what it is asked
//! to send and fails when told to: the drip runner, post references, replies to a question's post,
//! button clicks and answer forms. Instants are chosen by each test.

#[path = "support/engine.rs"]
mod test_engine;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, TimeZone as _, Utc};
use interview_bot::core::command::{Action, Actor, ChannelRef, Command, Platform};
use interview_bot::core::grammar::Grammar;
use interview_bot::core::reply::{Audience, Button, Reply, ReplyBody};
use interview_bot::deliver::{self, Click, DirectError, Outbox};
use interview_bot::engine::Engine;
use interview_bot::store::Store;
use test_engine::engine_with_deck;

const DECK: &str = "---\nid: test\ntitle: Test deck\n---\n\n\
## What is the difference between `select_related()` and `prefetch_related()`?\n\n\
id: select-vs-prefetch | tags: orm | difficulty: medium\n\n\
- `select_related()` uses a SQL join\n\
- `prefetch_related()` runs a second query\n\n\
## How does Django protect against CSRF?\n\n\
id: csrf | tags: security | difficulty: medium\n\n\
- a secret token in every form\n\
- the middleware checks the token on unsafe methods\n";

/// What the outbox was asked to send.
#[derive(Debug, Clone, PartialEq)]
enum Sent {
    /// A post: what kind of reply, the post it answered, and the reference it was given.
    Post {
        kind: &'static str,
        reply_to: Option<String>,
        post: String,
    },
    Private {
        kind: &'static str,
        user: String,
    },
    /// A direct message (a practice reminder).
    Direct {
        user: String,
    },
}

#[derive(Default)]
struct RecordingOutbox {
    sent: Mutex<Vec<Sent>>,
    /// Posts fail while this is set, as during an outage.
    down: Mutex<bool>,
    /// While this is set the platform takes each post but its answer is lost (a timeout, or the
    /// process stopping), so the bot never learns the post's reference.
    answers_lost: Mutex<bool>,
    /// The post key of each post the platform took, with its reference.
    keys: Mutex<Vec<(String, String)>>,
    /// Posts to this channel never get an answer while it is set.
    hung_channel: Mutex<Option<String>>,
    /// Users who do not take direct messages from the bot.
    dms_closed: Mutex<Vec<String>>,
}

fn kind(reply: &Reply) -> &'static str {
    match reply.body {
        ReplyBody::QuestionCard(_) => "question",
        ReplyBody::Reveal(_) => "reveal",
        ReplyBody::OwnResult(_) => "result",
        _ => "other",
    }
}

impl RecordingOutbox {
    fn sent(&self) -> Vec<Sent> {
        self.sent.lock().expect("sent").clone()
    }

    fn set_down(&self, down: bool) {
        *self.down.lock().expect("down") = down;
    }

    fn set_answers_lost(&self, lost: bool) {
        *self.answers_lost.lock().expect("lost") = lost;
    }
}

impl Outbox for RecordingOutbox {
    const PLATFORM: Platform = Platform::Discord;
    const CALL_TIMEOUT: Duration = Duration::from_millis(200);

    async fn post(&self, reply: &Reply, reply_to: Option<String>) -> anyhow::Result<String> {
        let hung = self.hung_channel.lock().expect("hung").clone();
        if hung.as_ref() == Some(&reply.channel.channel) {
            std::future::pending::<()>().await;
        }
        if *self.down.lock().expect("down") {
            anyhow::bail!("the platform is down");
        }
        let mut sent = self.sent.lock().expect("sent");
        let post = format!("post-{}", sent.len() + 1);
        sent.push(Sent::Post {
            kind: kind(reply),
            reply_to,
            post: post.clone(),
        });
        if let Some(key) = reply.post_key() {
            self.keys.lock().expect("keys").push((key, post.clone()));
        }
        if *self.answers_lost.lock().expect("lost") {
            anyhow::bail!("the platform's answer was lost");
        }
        Ok(post)
    }

    async fn find_post(
        &self,
        reply: &Reply,
        _reply_to: Option<&str>,
    ) -> anyhow::Result<Option<String>> {
        let keys = self.keys.lock().expect("keys");
        Ok(reply.post_key().and_then(|wanted| {
            keys.iter()
                .find(|(key, _)| *key == wanted)
                .map(|(_, post)| post.clone())
        }))
    }

    async fn send_private(&self, reply: &Reply, user: &str) -> anyhow::Result<()> {
        self.sent.lock().expect("sent").push(Sent::Private {
            kind: kind(reply),
            user: user.to_string(),
        });
        Ok(())
    }

    async fn send_direct(&self, _reply: &Reply, user: &str) -> Result<(), DirectError> {
        if self
            .dms_closed
            .lock()
            .expect("closed")
            .iter()
            .any(|u| u == user)
        {
            return Err(DirectError::Refused);
        }
        if *self.down.lock().expect("down") {
            return Err(DirectError::Failed(anyhow::anyhow!("the platform is down")));
        }
        self.sent.lock().expect("sent").push(Sent::Direct {
            user: user.to_string(),
        });
        Ok(())
    }
}

struct Setup {
    engine: Arc<Engine>,
    store: Arc<Store>,
    outbox: RecordingOutbox,
    _dir: tempfile::TempDir,
}

async fn setup() -> Setup {
    let dir = tempfile::tempdir().expect("temp dir");
    let (engine, store) = engine_with_deck(dir.path(), DECK, "deliver.db").await;
    Setup {
        engine,
        store,
        outbox: RecordingOutbox::default(),
        _dir: dir,
    }
}

fn channel(platform: Platform) -> ChannelRef {
    ChannelRef {
        platform,
        workspace: "guild-1".into(),
        channel: "100".into(),
    }
}

fn member(name: &str) -> Actor {
    Actor {
        user: format!("id-{name}"),
        display_name: name.into(),
        is_admin: false,
    }
}

fn at(h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, h, min, 0)
        .single()
        .expect("valid instant")
}

/// Sets a daily schedule at 09:00 UTC with a one-hour window in the channel of `platform`.
async fn schedule_daily(setup: &Setup, platform: Platform) {
    let action = Grammar::of(platform)
        .schedule(&["set", "09:00", "UTC", "daily", "1h"])
        .expect("a schedule");
    let command = Command {
        channel: channel(platform),
        actor: Actor {
            is_admin: true,
            ..member("admin")
        },
        action: Action::Schedule(action),
    };
    setup.engine.handle(&command, at(8, 0)).await;
}

fn posts_of(sent: &[Sent], wanted: &str) -> Vec<(Option<String>, String)> {
    sent.iter()
        .filter_map(|s| match s {
            Sent::Post {
                kind,
                reply_to,
                post,
            } if *kind == wanted => Some((reply_to.clone(), post.clone())),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn the_drip_posts_the_question_and_its_reveal_answers_that_post() {
    let setup = setup().await;
    schedule_daily(&setup, Platform::Discord).await;
    deliver::drip_once(&setup.engine, &setup.outbox, at(9, 0)).await;
    let questions = posts_of(&setup.outbox.sent(), "question");
    assert_eq!(questions.len(), 1, "{:?}", setup.outbox.sent());
    let question_post = questions[0].1.clone();

    let answer = Command {
        channel: channel(Platform::Discord),
        actor: member("ann"),
        action: Grammar::of(Platform::Discord)
            .parse("answer select_related uses a SQL join")
            .expect("parses")
            .expect("an action"),
    };
    setup.engine.handle(&answer, at(9, 10)).await;
    deliver::drip_once(&setup.engine, &setup.outbox, at(10, 0)).await;
    let sent = setup.outbox.sent();
    assert_eq!(
        posts_of(&sent, "reveal"),
        vec![(Some(question_post), "post-2".to_string())],
        "the reveal replies to the question's post"
    );
    assert!(
        sent.contains(&Sent::Private {
            kind: "result",
            user: "id-ann".into()
        }),
        "the answerer's result goes privately: {sent:?}"
    );
    deliver::drip_once(&setup.engine, &setup.outbox, at(10, 5)).await;
    assert_eq!(
        setup.outbox.sent().len(),
        sent.len(),
        "nothing is sent twice"
    );
}

#[tokio::test]
async fn a_question_whose_post_failed_is_posted_on_a_later_tick() {
    let setup = setup().await;
    schedule_daily(&setup, Platform::Discord).await;
    setup.outbox.set_down(true);
    deliver::drip_once(&setup.engine, &setup.outbox, at(9, 0)).await;
    assert!(setup.outbox.sent().is_empty());
    setup.outbox.set_down(false);
    deliver::drip_once(&setup.engine, &setup.outbox, at(9, 2)).await;
    assert_eq!(posts_of(&setup.outbox.sent(), "question").len(), 1);
    deliver::drip_once(&setup.engine, &setup.outbox, at(9, 4)).await;
    assert_eq!(
        posts_of(&setup.outbox.sent(), "question").len(),
        1,
        "once recorded, the post is not repeated"
    );
}

#[tokio::test]
async fn a_question_the_platform_took_but_whose_answer_was_lost_is_found_not_posted_twice() {
    let setup = setup().await;
    schedule_daily(&setup, Platform::Discord).await;
    setup.outbox.set_answers_lost(true);
    deliver::drip_once(&setup.engine, &setup.outbox, at(9, 0)).await;
    setup.outbox.set_answers_lost(false);
    for minute in [2, 4, 9] {
        deliver::drip_once(&setup.engine, &setup.outbox, at(9, minute)).await;
    }
    let questions = posts_of(&setup.outbox.sent(), "question");
    assert_eq!(questions.len(), 1, "{:?}", setup.outbox.sent());
    let round = recorded_rounds(&setup).await;
    assert_eq!(
        setup.engine.post_of(round).await.expect("reads"),
        Some(questions[0].1.clone()),
        "the post found in the channel is adopted as the question's post"
    );
}

#[tokio::test]
async fn a_reveal_whose_post_failed_is_posted_again_on_a_later_tick_and_only_once() {
    let setup = setup().await;
    schedule_daily(&setup, Platform::Discord).await;
    deliver::drip_once(&setup.engine, &setup.outbox, at(9, 0)).await;
    let question_post = posts_of(&setup.outbox.sent(), "question")[0].1.clone();
    setup.outbox.set_down(true);
    deliver::drip_once(&setup.engine, &setup.outbox, at(10, 0)).await;
    assert!(posts_of(&setup.outbox.sent(), "reveal").is_empty());
    setup.outbox.set_down(false);
    for minute in [2, 5, 10] {
        deliver::drip_once(&setup.engine, &setup.outbox, at(10, minute)).await;
    }
    let reveals = posts_of(&setup.outbox.sent(), "reveal");
    assert_eq!(
        reveals.iter().map(|(to, _)| to.clone()).collect::<Vec<_>>(),
        vec![Some(question_post)],
        "one reveal, answering the question's post"
    );
}

#[tokio::test]
async fn a_reveal_that_could_not_be_posted_for_a_day_is_no_longer_tried() {
    let setup = setup().await;
    schedule_daily(&setup, Platform::Discord).await;
    deliver::drip_once(&setup.engine, &setup.outbox, at(9, 0)).await;
    setup.outbox.set_down(true);
    deliver::drip_once(&setup.engine, &setup.outbox, at(10, 0)).await;
    setup.outbox.set_down(false);
    let a_day_later = at(10, 5) + chrono::Duration::days(1);
    deliver::drip_once(&setup.engine, &setup.outbox, a_day_later).await;
    assert!(
        posts_of(&setup.outbox.sent(), "reveal").is_empty(),
        "{:?}",
        setup.outbox.sent()
    );
    assert_eq!(
        posts_of(&setup.outbox.sent(), "question").len(),
        2,
        "the next day's question still goes out"
    );
}

#[tokio::test]
async fn a_reveal_the_platform_took_but_whose_answer_was_lost_is_not_posted_twice() {
    let setup = setup().await;
    schedule_daily(&setup, Platform::Discord).await;
    deliver::drip_once(&setup.engine, &setup.outbox, at(9, 0)).await;
    setup.outbox.set_answers_lost(true);
    deliver::drip_once(&setup.engine, &setup.outbox, at(10, 0)).await;
    setup.outbox.set_answers_lost(false);
    for minute in [2, 5] {
        deliver::drip_once(&setup.engine, &setup.outbox, at(10, minute)).await;
    }
    assert_eq!(posts_of(&setup.outbox.sent(), "reveal").len(), 1);
    let pending: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM rounds WHERE reveal_pending = 1")
        .fetch_one(setup.store.pool())
        .await
        .expect("counts");
    assert_eq!(pending, 0, "the found reveal post is recorded");
}

#[tokio::test]
async fn an_early_reveal_by_an_admin_is_not_posted_again_by_the_drip() {
    let setup = setup().await;
    schedule_daily(&setup, Platform::Discord).await;
    deliver::drip_once(&setup.engine, &setup.outbox, at(9, 0)).await;
    let reveal = Command {
        channel: channel(Platform::Discord),
        actor: Actor {
            is_admin: true,
            ..member("admin")
        },
        action: Grammar::of(Platform::Discord)
            .parse("reveal")
            .expect("parses")
            .expect("an action"),
    };
    let replies = setup.engine.handle(&reveal, at(9, 30)).await;
    assert!(
        replies
            .iter()
            .any(|r| matches!(r.body, ReplyBody::Reveal(_))),
        "the admin's command answers with the reveal"
    );
    deliver::drip_once(&setup.engine, &setup.outbox, at(9, 40)).await;
    assert!(posts_of(&setup.outbox.sent(), "reveal").is_empty());
}

#[tokio::test]
async fn a_hung_platform_call_delays_only_its_own_channel() {
    let setup = setup().await;
    schedule_daily(&setup, Platform::Discord).await;
    let mut quiet = channel(Platform::Discord);
    quiet.channel = "200".into();
    let action = Grammar::of(Platform::Discord)
        .schedule(&["set", "09:00", "UTC", "daily", "1h"])
        .expect("a schedule");
    let admin = Actor {
        is_admin: true,
        ..member("admin")
    };
    let command = Command {
        channel: quiet,
        actor: admin,
        action: Action::Schedule(action),
    };
    setup.engine.handle(&command, at(8, 0)).await;
    *setup.outbox.hung_channel.lock().expect("hung") = Some("100".into());

    let started = std::time::Instant::now();
    deliver::drip_once(&setup.engine, &setup.outbox, at(9, 0)).await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        posts_of(&setup.outbox.sent(), "question").len(),
        1,
        "the other channel's question went out"
    );
    *setup.outbox.hung_channel.lock().expect("hung") = None;
    deliver::drip_once(&setup.engine, &setup.outbox, at(9, 2)).await;
    deliver::drip_once(&setup.engine, &setup.outbox, at(9, 4)).await;
    assert_eq!(
        posts_of(&setup.outbox.sent(), "question").len(),
        2,
        "the hung channel's question went out once it answered"
    );
}

/// The same database and decks opened again, as after a restart of the process.
async fn restarted(setup: &Setup) -> Arc<Engine> {
    let db = setup._dir.path().join("deliver.db");
    let store = Store::open(db.to_str().expect("utf-8 path"))
        .await
        .expect("the database opens again");
    let bank_dir = setup._dir.path().join("content");
    let bank = interview_bot::core::bank::Bank::load(&bank_dir).expect("the decks load");
    Arc::new(Engine::new(Arc::new(store), bank, bank_dir))
}

#[tokio::test]
async fn restarts_around_the_post_time_give_each_day_exactly_one_question() {
    let setup = setup().await;
    schedule_daily(&setup, Platform::Discord).await;
    let days = 6;
    for day in 0..days {
        let nine = at(9, 0) + chrono::Duration::days(day);
        if day % 2 == 0 {
            // The process opens the day's round and stops before posting it.
            setup
                .engine
                .run_due_on(nine, Some(Platform::Discord))
                .await
                .expect("the drip runs");
        } else {
            // The platform takes the post, and the process stops before recording it.
            setup.outbox.set_answers_lost(true);
            deliver::drip_once(&setup.engine, &setup.outbox, nine).await;
            setup.outbox.set_answers_lost(false);
        }
        let engine = restarted(&setup).await;
        for seconds in [30, 90, 300, 600] {
            let tick = nine + chrono::Duration::seconds(seconds);
            deliver::drip_once(&engine, &setup.outbox, tick).await;
        }
    }
    assert_eq!(
        posts_of(&setup.outbox.sent(), "question").len(),
        days as usize,
        "{:?}",
        setup.outbox.sent()
    );
    let dates: i64 = sqlx::query_scalar(
        "SELECT COUNT(DISTINCT local_date) FROM rounds WHERE origin = 'daily' AND post_ref IS NOT NULL",
    )
    .fetch_one(setup.store.pool())
    .await
    .expect("counts");
    assert_eq!(
        dates, days,
        "one posted question for every date, none missed"
    );
}

/// The id of the one round in the database.
async fn recorded_rounds(setup: &Setup) -> i64 {
    sqlx::query_scalar("SELECT id FROM rounds")
        .fetch_one(setup.store.pool())
        .await
        .expect("one round")
}

#[tokio::test]
async fn replies_of_another_platform_are_left_to_its_own_front_door() {
    let setup = setup().await;
    schedule_daily(&setup, Platform::Slack).await;
    let replies = setup.engine.run_due(at(9, 0)).await.expect("the drip runs");
    assert_eq!(replies.len(), 1, "Slack's question of the day");
    deliver::deliver(&setup.engine, &setup.outbox, replies).await;
    deliver::drip_once(&setup.engine, &setup.outbox, at(9, 5)).await;
    assert!(setup.outbox.sent().is_empty(), "{:?}", setup.outbox.sent());
}

#[tokio::test]
async fn the_answer_button_opens_the_form_and_my_result_shows_only_the_clickers_own() {
    let setup = setup().await;
    let discord = channel(Platform::Discord);
    let ask = Command {
        channel: discord.clone(),
        actor: member("ann"),
        action: Action::Ask {
            topic: None,
            difficulty: None,
        },
    };
    let asked = setup.engine.handle(&ask, at(9, 0)).await;
    let round = match &asked[0].body {
        ReplyBody::QuestionCard(card) => card.round,
        other => panic!("a question, not {other:?}"),
    };
    let opened = deliver::click(
        &setup.engine,
        Button::Answer { round },
        discord.clone(),
        member("bob"),
        at(9, 1),
    )
    .await;
    assert_eq!(opened, Click::OpenAnswerForm(Button::Answer { round }));

    for (who, text) in [("ann", "select_related uses a SQL join"), ("bob", "a join")] {
        let replies = deliver::submit_answer_form(
            &setup.engine,
            discord.clone(),
            member(who),
            Some(Button::Answer { round }),
            text,
            at(9, 2),
        )
        .await;
        assert!(matches!(replies[0].body, ReplyBody::AnswerRecorded { .. }));
    }
    let reveal = Command {
        action: Action::Reveal,
        ..ask
    };
    setup.engine.handle(&reveal, at(9, 5)).await;
    let Click::Replies { mine: shown, .. } = deliver::click(
        &setup.engine,
        Button::MyResult { round },
        discord,
        member("bob"),
        at(9, 6),
    )
    .await
    else {
        panic!("My result shows replies");
    };
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0].audience, Audience::User("id-bob".into()));
    assert!(matches!(shown[0].body, ReplyBody::OwnResult(_)));
}

#[tokio::test]
async fn a_bad_or_stale_answer_form_is_explained_privately_and_stores_nothing() {
    let setup = setup().await;
    let discord = channel(Platform::Discord);
    let round_1 = Some(Button::Answer { round: 1 });
    for (form, text, expected) in [
        (None, "a join", "no longer valid"),
        (round_1, "   ", "Your answer is empty"),
        (round_1, "bell \u{7}", "control characters"),
    ] {
        let replies = deliver::submit_answer_form(
            &setup.engine,
            discord.clone(),
            member("ann"),
            form,
            text,
            at(9, 0),
        )
        .await;
        assert_eq!(replies.len(), 1);
        assert_eq!(replies[0].audience, Audience::User("id-ann".into()));
        match &replies[0].body {
            ReplyBody::Problem(problem) => assert!(problem.contains(expected), "{problem}"),
            other => panic!("a problem, not {other:?}"),
        }
    }
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM answers")
        .fetch_one(setup.store.pool())
        .await
        .expect("count");
    assert_eq!(count, 0);
}

#[tokio::test]
async fn a_form_for_a_round_that_is_no_longer_open_is_not_moved_to_the_next_question() {
    let setup = setup().await;
    let discord = channel(Platform::Discord);
    let command = |action: Action| Command {
        channel: discord.clone(),
        actor: Actor {
            is_admin: true,
            ..member("admin")
        },
        action,
    };
    let ask = || {
        command(Action::Ask {
            topic: None,
            difficulty: None,
        })
    };
    let first = match &setup.engine.handle(&ask(), at(9, 0)).await[0].body {
        ReplyBody::QuestionCard(card) => card.round,
        other => panic!("a question, not {other:?}"),
    };
    setup
        .engine
        .handle(&command(Action::Reveal), at(9, 5))
        .await;
    let second = setup.engine.handle(&ask(), at(9, 6)).await;
    assert!(
        matches!(second[0].body, ReplyBody::QuestionCard(_)),
        "{second:?}"
    );

    let replies = deliver::submit_answer_form(
        &setup.engine,
        discord.clone(),
        member("ann"),
        Some(Button::Answer { round: first }),
        "select_related uses a SQL join",
        at(9, 7),
    )
    .await;
    assert!(
        matches!(&replies[0].body, ReplyBody::Problem(p) if p.contains("already been revealed")),
        "{replies:?}"
    );
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM answers")
        .fetch_one(setup.store.pool())
        .await
        .expect("count");
    assert_eq!(
        stored, 0,
        "the answer was not filed under the newer question"
    );
}

/// Starts a two-question mock in the Discord channel, `ann` interviewing `bob`, and asks question 1.
async fn mock_on_question_1(setup: &Setup) -> i64 {
    let discord = channel(Platform::Discord);
    let start = Grammar::of(Platform::Discord)
        .parse("mock start questions 2 with id-bob")
        .expect("parses")
        .expect("an action");
    let command = |action| Command {
        channel: discord.clone(),
        actor: member("ann"),
        action,
    };
    let started = setup.engine.handle(&command(start), at(9, 0)).await;
    let ReplyBody::Mock(interview_bot::core::mock::MockReply::Lineup(lineup)) = &started[0].body
    else {
        panic!("a lineup, not {started:?}");
    };
    let session = lineup.session;
    let next = deliver::click(
        &setup.engine,
        Button::MockNext { session, at: 0 },
        discord,
        member("ann"),
        at(9, 1),
    )
    .await;
    assert!(matches!(next, Click::Replies { .. }));
    session
}

#[tokio::test]
async fn buttons_left_on_an_earlier_question_say_the_mock_moved_on_and_change_nothing() {
    let setup = setup().await;
    let session = mock_on_question_1(&setup).await;
    let discord = channel(Platform::Discord);
    let tick = |at| Button::MockTick {
        session,
        at,
        key_point: 0,
        ticked: false,
    };
    let Click::Replies { mine, .. } = deliver::click(
        &setup.engine,
        tick(1),
        discord.clone(),
        member("ann"),
        at(9, 2),
    )
    .await
    else {
        panic!("a rubric");
    };
    assert!(matches!(&mine[0].body, ReplyBody::Mock(_)), "{mine:?}");
    // ann moves on from question 1's own Next button; pressing it again refuses.
    for expected_moved_on in [false, true] {
        let Click::Replies { mine, .. } = deliver::click(
            &setup.engine,
            Button::MockNext { session, at: 1 },
            discord.clone(),
            member("ann"),
            at(9, 3),
        )
        .await
        else {
            panic!("replies");
        };
        let refused = mine
            .iter()
            .any(|r| matches!(&r.body, ReplyBody::Problem(p) if p.contains("moved on") || p.contains("on question 2 now")));
        assert_eq!(refused, expected_moved_on, "{mine:?}");
    }
    let Click::Replies { mine, .. } = deliver::click(
        &setup.engine,
        tick(1),
        discord.clone(),
        member("ann"),
        at(9, 4),
    )
    .await
    else {
        panic!("replies");
    };
    assert!(
        matches!(&mine[0].body, ReplyBody::Problem(p) if p.contains("on question 2 now")),
        "{mine:?}"
    );
    let answered = deliver::submit_answer_form(
        &setup.engine,
        discord,
        member("bob"),
        Some(Button::MockAnswer { session, at: 1 }),
        "select_related uses a SQL join",
        at(9, 5),
    )
    .await;
    assert!(
        matches!(&answered[0].body, ReplyBody::Problem(p) if p.contains("on question 2 now")),
        "{answered:?}"
    );
    let stored: (String, Option<String>) =
        sqlx::query_as("SELECT ticks, answer_body FROM mock_questions WHERE number = 1")
            .fetch_one(setup.store.pool())
            .await
            .expect("question 2");
    assert_eq!(stored, ("[]".to_string(), None), "question 2 is untouched");
}

#[tokio::test]
async fn my_result_on_a_mock_report_shows_the_clicker_their_own_part_only() {
    let setup = setup().await;
    let session = mock_on_question_1(&setup).await;
    let discord = channel(Platform::Discord);
    let my_part = |who: &str| {
        deliver::click(
            &setup.engine,
            Button::MockMyPart { session },
            discord.clone(),
            member(who),
            at(9, 9),
        )
    };
    let Click::Replies { mine, .. } = my_part("bob").await else {
        panic!("replies");
    };
    assert!(
        matches!(&mine[0].body, ReplyBody::Problem(p) if p.contains("once the mock interview has ended")),
        "{mine:?}"
    );
    let end = Command {
        channel: discord.clone(),
        actor: member("ann"),
        action: Grammar::of(Platform::Discord)
            .parse("mock end")
            .expect("parses")
            .expect("an action"),
    };
    let ended = setup.engine.handle(&end, at(9, 8)).await;
    assert!(ended.iter().any(|r| matches!(
        &r.body,
        ReplyBody::Mock(interview_bot::core::mock::MockReply::Report(_))
    )));
    let Click::Replies { mine, .. } = my_part("bob").await else {
        panic!("replies");
    };
    assert_eq!(mine[0].audience, Audience::User("id-bob".into()));
    assert!(
        matches!(
            &mine[0].body,
            ReplyBody::Mock(interview_bot::core::mock::MockReply::OwnDetail(_))
        ),
        "{mine:?}"
    );
    let Click::Replies { mine, .. } = my_part("ann").await else {
        panic!("replies");
    };
    assert!(
        matches!(&mine[0].body, ReplyBody::Problem(p) if p.contains("answered no question")),
        "{mine:?}"
    );
}
