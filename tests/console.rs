//! The terminal console end to end: the real binary, commands piped on standard input, a fresh
//! database, the shipped decks, and a simulated clock started at a fixed instant.

#[path = "support/console.rs"]
mod test_console;

use test_console::{assert_in_order, binary, piped};

fn console_session(db: &std::path::Path, input: &str) -> (bool, String, String) {
    console_session_at("2026-11-24T08:00:00Z", db, input)
}

/// A session whose simulated clock starts at `clock`, with `input` (text, or any bytes) piped in.
fn console_session_at(
    clock: &str,
    db: &std::path::Path,
    input: impl AsRef<[u8]>,
) -> (bool, String, String) {
    let mut command = binary();
    command
        .args(["console", "--user", "ann", "--clock", clock, "--db"])
        .arg(db)
        // `console` is the console even where platform tokens are set, and says nothing of them.
        .env("DISCORD_TOKEN", "unused-token")
        .env("SLACK_BOT_TOKEN", "xoxb-unused");
    let run = piped(command, input);
    (run.ok, run.stdout, run.stderr)
}

#[test]
fn a_piped_session_plays_a_whole_round() {
    let dir = tempfile::tempdir().expect("temp dir");
    let session = "\
/question caching
/answer I configure CACHES with Redis as the backend, cache whole views with cache_page, template fragments with the cache tag, and use cache.get and cache.set with timeouts, deleting stale keys on writes.
/user bob
/answer no idea, sorry
/answer you cache things in Redis
/hint
/reveal
/leaderboard all
/stats ann
/dance
/answer
/quit
";
    let (ok, out, err) = console_session(&dir.path().join("console.db"), session);
    assert!(ok, "{err}");
    assert!(
        !err.contains("token is set"),
        "the console was chosen, not a fallback: {err}"
    );
    let expect = [
        "Question (#1, performance, medium):",
        "How do you implement caching in Django APIs?",
        "[private to ann] Answer recorded. Your score and the key points come with the reveal.",
        "You are now bob.",
        "[private to bob] Answer recorded: it replaced your earlier one.",
        "[private to bob] Hint: ",
        "Reveal (#1): How do you implement caching in Django APIs?",
        "Notes: notes/django-drf-python.md#how-do-you-implement-caching-in-django-apis",
        "2 answered.",
        "1. ann — 100 points",
        "50% missed: delete stale keys on writes and set timeouts",
        "[private to ann] Your result: 100/100, 0 hint(s), 100 points.",
        "[private to ann] [x] template fragment caching (you said:",
        "[private to bob] Your result: 20/100, 1 hint(s), 10 points.",
        "Leaderboard — all time, this channel:",
        "ann: 1 round(s) answered, average 100, 100 points",
        "Sorry: There is no `/dance` command",
        "Sorry: Your answer is empty",
    ];
    assert_in_order(&out, &expect);
    assert!(!out.contains("[private to bob] Your result: 100"), "{out}");
}

#[test]
fn waiting_a_day_runs_the_daily_drip_and_bad_schedules_change_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let session = "\
/schedule set 10:00 Europe/Berlin mon-fri 2h
/schedule set 25:00 Europe/Berlin mon-fri
/schedule set 10:00 Mars/Olympus mon-fri
/schedule set 10:00 Europe/Berlin
/schedule show
/wait 2h
/wait 2h
/clock
";
    let (ok, out, err) = console_session(&dir.path().join("drip.db"), session);
    assert!(ok, "{err}");
    let expect = [
        "Question of the day: 10:00 Europe/Berlin on Mon–Fri, answers open for 2h.",
        "Tue 2026-11-24 10:00 CET",
        "Sorry: `25:00` is not a time of day",
        "Sorry: `Mars/Olympus` is not a time zone I know",
        "Sorry: Use `/schedule set HH:MM Area/City WEEKDAYS [WINDOW]`",
        "Question of the day: 10:00 Europe/Berlin on Mon–Fri, answers open for 2h.",
        "Question of the day (#1,",
        "Simulated clock: Tue 2026-11-24 10:00 UTC",
        "Reveal (#1):",
        "Nobody answered this one.",
        "Simulated clock: Tue 2026-11-24 12:00 UTC",
    ];
    assert_in_order(&out, &expect);
    assert_eq!(out.matches("Question of the day (#").count(), 1, "{out}");
}

#[test]
fn schedules_typed_with_multi_word_days_and_windows_are_understood() {
    let dir = tempfile::tempdir().expect("temp dir");
    let session = "\
/schedule set 10:00 Europe/Berlin every day 2 hours
/schedule set 10:00 Europe/Berlin mon - fri 90 minutes
/schedule show
";
    let (ok, out, err) = console_session(&dir.path().join("words.db"), session);
    assert!(ok, "{err}");
    assert_in_order(
        &out,
        &[
            "Question of the day: 10:00 Europe/Berlin on every day, answers open for 2h.",
            "Question of the day: 10:00 Europe/Berlin on Mon–Fri, answers open for 1h30m.",
            "Question of the day: 10:00 Europe/Berlin on Mon–Fri, answers open for 1h30m.",
        ],
    );
    assert!(!out.contains("Sorry"), "{out}");
}

/// The binary run with no subcommand, as `cargo run --release` runs it.
fn bare_session(env: &[(&str, &std::ffi::OsStr)]) -> (bool, String) {
    let mut command = binary();
    command
        .env_remove("DISCORD_TOKEN")
        .env_remove("SLACK_BOT_TOKEN")
        .env_remove("SLACK_APP_TOKEN")
        .env("USER", "ann");
    for (name, value) in env {
        command.env(name, value);
    }
    let run = piped(command, "/question\n/quit\n");
    (run.ok, run.stderr)
}

#[test]
fn the_bare_command_honours_database_url_and_says_why_it_is_the_console() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("from-env.db");
    let (ok, err) = bare_session(&[("DATABASE_URL", db.as_os_str())]);
    assert!(ok, "{err}");
    assert!(
        err.contains("No Discord or Slack token is set, so this is the terminal console"),
        "{err}"
    );
    assert!(db.exists(), "the database named by DATABASE_URL was used");
}

#[test]
fn a_line_that_is_not_utf8_or_far_too_long_gets_a_polite_message_and_the_session_goes_on() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut session = b"/question caching\n/answer caf\xe9 au lait with Redis\n".to_vec();
    session.extend_from_slice(format!("/answer {}\n", "cache ".repeat(20_000)).as_bytes());
    session.extend_from_slice(b"/answer cache whole views with cache_page in Redis\n/clock\n");
    let (ok, out, err) = console_session_at(
        "2026-11-24T08:00:00Z",
        &dir.path().join("bytes.db"),
        session,
    );
    assert!(ok, "{err}");
    assert_in_order(
        &out,
        &[
            "Question (#1, performance, medium):",
            "Sorry: That line is not UTF-8 text, so I skipped it.",
            "Sorry: That line is longer than 64 KiB, so I skipped it.",
            "[private to ann] Answer recorded.",
            "Simulated clock: Tue 2026-11-24 08:00 UTC",
        ],
    );
    assert_eq!(out.matches("Answer recorded").count(), 1, "{out}");
}

#[test]
fn an_absurd_clock_is_refused_with_a_clear_message_not_a_panic() {
    let dir = tempfile::tempdir().expect("temp dir");
    for clock in [
        "99999-01-01T00:00:00Z",
        "+262142-12-31T23:30:00Z",
        "1900-01-01T00:00:00Z",
        "2026-13-01T00:00:00Z",
    ] {
        let (ok, _, err) =
            console_session_at(clock, &dir.path().join("clock.db"), "/question\n/wait 1d\n");
        assert!(!ok, "{clock} was accepted");
        assert!(
            err.contains("is not an instant the simulated clock can start at: use RFC 3339 from 1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z"),
            "{clock}: {err}"
        );
        assert!(!err.contains("panicked"), "{clock}: {err}");
    }
}

#[test]
fn the_simulated_clock_stops_at_the_end_of_9999_and_absurd_waits_are_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let session = "\
/question
/wait 100000000d
/wait 99999999999999999999h
/wait 1d
/wait 1d
/clock
";
    let (ok, out, err) =
        console_session_at("9999-12-31T22:00:00Z", &dir.path().join("end.db"), session);
    assert!(ok, "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_in_order(
        &out,
        &[
            "Question (#1,",
            "Sorry: `100000000d` is not a time to wait: use 5m to 23h, or 1d to 366d",
            "Sorry: `99999999999999999999h` is not a time to wait",
            "Reveal (#1):",
            "Sorry: the simulated clock stops at 9999-12-31 23:59 UTC.",
            "Simulated clock: Fri 9999-12-31 23:59 UTC",
            "Sorry: the simulated clock stops at 9999-12-31 23:59 UTC.",
            "Simulated clock: Fri 9999-12-31 23:59 UTC",
        ],
    );
}

#[test]
fn practice_at_the_console_grades_at_once_and_the_simulated_clock_brings_questions_back() {
    let dir = tempfile::tempdir().expect("temp dir");
    let session = "\
/practice status
/practice
/practice answer no idea
/practice rate good
/practice rate brilliant
/practice retention 0.99
/wait 3d
/practice
/practice remind 09:00 UTC
/wait 1d
/stats
";
    let (ok, out, err) = console_session(&dir.path().join("practice.db"), session);
    assert!(ok, "{err}");
    let expect = [
        "[private to ann] Your practice",
        "[private to ann] Practice: 0 due now",
        "[private to ann] Practice — ",
        ", new",
        "[private to ann] Your practice answer: 0/100 (rated again).",
        "It comes back on Wed 2026-11-25 08:00 UTC.",
        "[private to ann] Rated good: it comes back on",
        "Sorry: Use `/practice rate again`",
        "Sorry: The desired retention is a share between 0.70 and 0.97",
        "Simulated clock: Fri 2026-11-27 08:00 UTC",
        "[private to ann] Practice — ",
        "due since",
        "[private to ann] Reminders on: 09:00 UTC",
        "[private to ann] One question is waiting for practice.",
        "Simulated clock: Sat 2026-11-28 08:00 UTC",
        "Practice: 1 due now",
    ];
    assert_in_order(&out, &expect);
    assert_eq!(out.matches("waiting for practice").count(), 1, "{out}");
}
