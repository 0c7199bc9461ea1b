//! Whatever users type never crashes the parsers of typed input, and each input is read in bounded
//! time: the text grammar of every platform, console lines, and schedules (their parts, and when
//! posts are due at any instant the calendar can hold). Decks and the grader are in
//! `deck_properties.rs`.

#[path = "support/properties.rs"]
mod properties;

use chrono::{DateTime, Utc};
use interview_bot::console::parse::parse_line;
use interview_bot::core::command::Platform;
use interview_bot::core::grammar::Grammar;
use interview_bot::core::schedule::{AnswerWindow, Focus, LocalTime, Schedule, TimeZone, Weekdays};
use proptest::prelude::*;
use proptest::sample::select;

use properties::{config, phrase, text, within_time_limit};

const PLATFORMS: [Platform; 3] = [Platform::Console, Platform::Discord, Platform::Slack];

/// Words the grammar knows, so generated lines reach past the command name.
const COMMAND_WORDS: &[&str] = &[
    "question",
    "q",
    "ask",
    "answer",
    "a",
    "hint",
    "reveal",
    "leaderboard",
    "board",
    "top",
    "stats",
    "topics",
    "help",
    "schedule",
    "set",
    "show",
    "pause",
    "resume",
    "off",
    "bank",
    "reload",
    "mock",
    "start",
    "join",
    "next",
    "rubric",
    "tick",
    "untick",
    "note",
    "end",
    "history",
    "with",
    "questions",
    "minutes",
    "week",
    "month",
    "all",
    "30d",
    "channel",
    "server",
    "easy",
    "medium",
    "hard",
    "orm",
    "09:00",
    "25:61",
    "Europe/Berlin",
    "europe/berlin",
    "UTC",
    "Mars/Olympus",
    "mon-fri",
    "mon",
    "-",
    "–",
    "fri",
    "daily",
    "every",
    "day",
    "weekends",
    "mon,wed,fri",
    "8h",
    "90m",
    "1h30m",
    "2",
    "hours",
    "0",
    "-1",
    "99999999999999999999",
    "<@U1>",
    "<@!123>",
    "@ann",
    "ann,bob",
    ",",
    "/",
    "user",
    "wait",
    "clock",
    "quit",
    "1d",
    "+30m",
];

/// Words of schedules, for the schedule parser.
const SCHEDULE_WORDS: &[&str] = &[
    "09:00",
    "9:05",
    "24:00",
    "23:59",
    "0:00",
    "mon",
    "tue",
    "wed",
    "thu",
    "fri",
    "sat",
    "sun",
    "-",
    "–",
    ",",
    "daily",
    "weekdays",
    "weekends",
    "every",
    "day",
    "h",
    "m",
    "min",
    "hours",
    "minutes",
    "1",
    "5",
    "23",
    "1380",
    "99999999999999999999",
    "Europe/Berlin",
    "Asia/Kolkata",
    "America/St_Johns",
    "utc",
];

/// A line as a user might type it: command words and arbitrary text, in any mix.
fn command_line() -> impl Strategy<Value = String> {
    prop_oneof![text(3000), phrase(COMMAND_WORDS, 40)]
}

/// Any instant the calendar can hold, often within a week of either end of it.
fn any_instant() -> impl Strategy<Value = DateTime<Utc>> {
    const WEEK: i64 = 7 * 24 * 3600;
    let first = DateTime::<Utc>::MIN_UTC.timestamp();
    let last = DateTime::<Utc>::MAX_UTC.timestamp();
    let seconds = prop_oneof![first..=last, first..=first + WEEK, last - WEEK..=last];
    (seconds, 0..1_000_000_000u32).prop_map(|(seconds, nanos)| {
        DateTime::from_timestamp(seconds, nanos).unwrap_or(DateTime::<Utc>::MAX_UTC)
    })
}

fn any_schedule() -> impl Strategy<Value = Schedule> {
    let zones: Vec<&'static str> = chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name()).collect();
    (
        0..24u32,
        0..60u32,
        select(zones),
        1..=127u8,
        5..=1380i64,
        any::<bool>(),
        any_instant(),
    )
        .prop_filter_map(
            "a valid schedule",
            |(hour, minute, zone, days, window, paused, active_since)| {
                Some(Schedule {
                    time: LocalTime::new(hour, minute)?,
                    zone: TimeZone::parse(zone).ok()?,
                    weekdays: Weekdays::from_bits(days)?,
                    window: AnswerWindow::from_minutes(window)?,
                    paused,
                    active_since,
                    focus: Focus::default(),
                })
            },
        )
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn the_grammar_of_every_platform_reads_any_line_without_a_crash(line in command_line()) {
        for platform in PLATFORMS {
            let grammar = Grammar::of(platform);
            within_time_limit("parsing a command", || {
                let _ = grammar.parse(&line);
                let _ = grammar.mock(&line);
                let words: Vec<&str> = line.split_whitespace().collect();
                let _ = grammar.schedule(&words);
            });
        }
    }

    #[test]
    fn an_error_from_the_grammar_is_a_sentence_naming_the_platforms_commands(
        line in phrase(COMMAND_WORDS, 12),
    ) {
        for platform in PLATFORMS {
            if let Err(message) = Grammar::of(platform).parse(&line) {
                prop_assert!(!message.trim().is_empty(), "an empty message for `{line}`");
            }
        }
    }

    #[test]
    fn the_console_reads_any_line_without_a_crash(line in command_line()) {
        within_time_limit("parsing a console line", || {
            let _ = parse_line(&line);
            let _ = parse_line(&format!("/{line}"));
            let _ = parse_line(&format!("/wait {line}"));
        });
    }

    #[test]
    fn schedule_parts_parse_any_text_without_a_crash(
        raw in prop_oneof![text(3000), phrase(SCHEDULE_WORDS, 30)],
    ) {
        within_time_limit("parsing schedule parts", || {
            let _ = LocalTime::parse(&raw).map(|t| t.to_string());
            let _ = TimeZone::parse(&raw).map(|z| z.to_string());
            let _ = Weekdays::parse(&raw).map(|w| w.to_string());
            let _ = AnswerWindow::parse(&raw).map(|w| w.to_string());
        });
    }

    #[test]
    fn an_answer_window_that_parses_lies_within_its_limits_and_reads_back(
        raw in phrase(SCHEDULE_WORDS, 6),
    ) {
        if let Ok(window) = AnswerWindow::parse(&raw) {
            prop_assert!((5..=23 * 60).contains(&window.minutes()), "{raw} -> {window}");
            prop_assert_eq!(AnswerWindow::parse(&window.to_string()), Ok(window));
        }
    }

    #[test]
    fn posts_are_due_at_any_instant_without_a_crash(
        schedule in any_schedule(),
        now in any_instant(),
    ) {
        let posts = within_time_limit("computing posts", || {
            let _ = schedule.due_at(now);
            let date = schedule.local_date(now);
            let _ = schedule.post_time_on(date);
            schedule.next_posts(now, 5)
        });
        prop_assert!(posts.windows(2).all(|pair| pair[0] < pair[1]), "{posts:?}");
        prop_assert!(posts.iter().all(|post| *post > now), "{posts:?} after {now}");
    }
}
