//! Unit tests for the text grammar: commands, schedules, mocks, and messages named for the caller.

use super::*;

fn console() -> Grammar {
    Grammar::of(Platform::Console)
}

fn slack() -> Grammar {
    Grammar::of(Platform::Slack)
}

#[test]
fn questions_take_a_topic_and_a_difficulty_in_any_order() {
    assert_eq!(
        console().parse("question drf hard"),
        Ok(Some(Action::Ask {
            topic: Some("drf".into()),
            difficulty: Some(Difficulty::Hard)
        }))
    );
    assert_eq!(
        console().parse("q easy"),
        Ok(Some(Action::Ask {
            topic: None,
            difficulty: Some(Difficulty::Easy)
        }))
    );
}

#[test]
fn an_answer_keeps_its_whole_text() {
    let Ok(Some(Action::Answer(text))) = console().parse("answer  It uses a JOIN; one query. ")
    else {
        panic!("an answer");
    };
    assert_eq!(text.as_str(), "It uses a JOIN; one query.");
    assert!(console().parse("answer").is_err());
}

#[test]
fn leaderboards_take_a_period_and_a_scope() {
    assert_eq!(
        console().parse("leaderboard all server"),
        Ok(Some(Action::Leaderboard {
            period: Period::AllTime,
            scope: BoardScope::Workspace
        }))
    );
    assert!(console().parse("leaderboard forever").is_err());
}

#[test]
fn an_empty_line_asks_for_nothing() {
    assert_eq!(console().parse("   "), Ok(None));
}

#[test]
fn messages_name_commands_the_way_the_caller_types_them() {
    let unknown = console().parse("dance").expect_err("no such command");
    assert!(
        unknown.contains("`/dance`") && unknown.contains("`/help`"),
        "{unknown}"
    );
    let unknown = slack().parse("dance").expect_err("no such command");
    assert!(
        unknown.contains("`/interview dance`") && unknown.contains("`/interview help`"),
        "{unknown}"
    );
    let usage = slack().parse("schedule later").expect_err("usage");
    assert!(usage.contains("`/interview schedule set HH:MM"), "{usage}");
    assert!(!usage.contains("`schedule"), "{usage}");
    let usage = console().parse("bank").expect_err("usage");
    assert!(usage.contains("`/bank reload`"), "{usage}");
}

#[test]
fn schedules_read_multi_word_days_and_windows() {
    let set = |text: &str| match console().parse(text) {
        Ok(Some(Action::Schedule(ScheduleAction::Set {
            weekdays, window, ..
        }))) => (weekdays.to_string(), window.minutes()),
        other => panic!("`{text}` gave {other:?}"),
    };
    assert_eq!(
        set("schedule set 09:00 Europe/Berlin every day"),
        ("every day".to_string(), 480)
    );
    assert_eq!(
        set("schedule set 09:00 Europe/Berlin mon - fri 2 hours"),
        set("schedule set 09:00 Europe/Berlin mon-fri 2h")
    );
    assert_eq!(
        set("schedule set 09:00 Europe/Berlin mon-fri 2 hours").1,
        120
    );
    assert_eq!(set("schedule set 09:00 Europe/Berlin every day 90m").1, 90);
}

#[test]
fn separate_fields_keep_the_days_and_the_window_apart() {
    let grammar = Grammar::of(Platform::Discord);
    let set = grammar
        .schedule_set("09:00", "Europe/Berlin", "mon - fri", Some("2 hours"), None)
        .expect("valid");
    assert!(matches!(set, ScheduleAction::Set { window, .. } if window.minutes() == 120));
    let problem = grammar
        .schedule_set("09:00", "Europe/Berlin", "mon", Some("fri"), None)
        .expect_err("`fri` is no window");
    assert!(problem.contains("fri"), "{problem}");
}

#[test]
fn a_mock_start_reads_its_settings_in_any_order_and_its_candidates() {
    let Ok(Some(Action::Mock {
        action: MockAction::Start(start),
        ..
    })) = slack().parse("mock start orm hard questions 2 minutes 5 with <@U1|bob> <@U2>")
    else {
        panic!("a mock start");
    };
    assert_eq!(start.topic.as_deref(), Some("orm"));
    assert_eq!(start.difficulty, Some(Difficulty::Hard));
    assert_eq!((start.questions, start.minutes), (2, 5));
    let users: Vec<&str> = start.candidates.iter().map(|c| c.user.as_str()).collect();
    assert_eq!(users, ["U1", "U2"]);
    assert_eq!(start.candidates[0].display_name.as_deref(), Some("bob"));
    assert_eq!(start.candidates[1].display_name, None);
    let Ok(Some(Action::Mock {
        action: MockAction::Start(start),
        ..
    })) = console().parse("mock start with bob,cat")
    else {
        panic!("a mock start");
    };
    assert_eq!((start.questions, start.minutes), (3, 8));
    assert_eq!(start.candidates.len(), 2);
}

#[test]
fn bad_mock_input_says_what_is_allowed() {
    let problem = |text: &str| console().parse(text).expect_err("refused");
    assert!(problem("mock start questions 50 with bob").contains("1 to 10"));
    assert!(problem("mock start questions 0 with bob").contains("1 to 10"));
    assert!(problem("mock start minutes 1 with bob").contains("2 to 30"));
    assert!(problem("mock start orm").contains("with NAME"));
    assert!(problem("mock start with").contains("at least one"));
    assert!(problem("mock tick x").contains("`/mock tick 1 3`"));
    assert!(problem("mock dance").contains("`/mock start"));
    assert!(problem("mock note").contains("empty"));
}

#[test]
fn a_bad_schedule_names_the_part_that_is_wrong() {
    let problem = |text: &str| console().parse(text).expect_err("refused");
    assert!(problem("schedule set 25:00 Europe/Berlin mon-fri").contains("25:00"));
    assert!(problem("schedule set 09:00 Mars/Base mon-fri").contains("Mars/Base"));
    assert!(problem("schedule set 09:00 Europe/Berlin someday").contains("someday"));
    assert!(problem("schedule set 09:00 Europe/Berlin mon-fri forever").contains("forever"));
    assert!(problem("schedule set 09:00").contains("schedule set HH:MM"));
}

#[test]
fn a_schedule_may_end_with_its_focus() {
    let focus = |text: &str| match console().parse(text) {
        Ok(Some(Action::Schedule(ScheduleAction::Set { focus, window, .. }))) => {
            Ok((focus, window.minutes()))
        }
        Ok(other) => panic!("`{text}` gave {other:?}"),
        Err(problem) => Err(problem),
    };
    assert_eq!(
        focus("schedule set 09:00 Europe/Berlin mon-fri 2h focus weak"),
        Ok((Focus::Weak, 120))
    );
    assert_eq!(
        focus("schedule set 09:00 Europe/Berlin mon-fri"),
        Ok((Focus::LeastAsked, 480))
    );
    let problem =
        focus("schedule set 09:00 Europe/Berlin mon-fri focus hardest").expect_err("no such focus");
    assert!(problem.contains("hardest"), "{problem}");
    assert!(console().parse("schedule show focus weak").is_err());
}
