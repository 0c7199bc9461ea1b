//! Unit tests for the instant the drip next looks at a schedule: after setting, after a post, on
//! unscheduled weekdays, across daylight-saving changes, and while paused.

use super::*;

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

fn schedule(time: &str, zone: &str, weekdays: &str, active_since: DateTime<Utc>) -> Schedule {
    Schedule {
        time: LocalTime::parse(time).unwrap(),
        zone: TimeZone::parse(zone).unwrap(),
        weekdays: Weekdays::parse(weekdays).unwrap(),
        window: AnswerWindow::default(),
        paused: false,
        active_since,
        focus: Focus::default(),
    }
}

// 2026-01-05 is a Monday; Berlin is on UTC+1 in January, New York on UTC-5.

#[test]
fn a_schedule_set_before_todays_post_is_next_looked_at_when_that_post_is_due() {
    let set = utc(2026, 1, 5, 6, 0);
    let berlin = schedule("09:00", "Europe/Berlin", "mon-fri", set);
    assert_eq!(berlin.next_post_at(set), Some(utc(2026, 1, 5, 8, 0)));
}

#[test]
fn a_schedule_set_at_the_minute_of_its_post_is_due_at_once() {
    let set = utc(2026, 1, 5, 8, 0);
    let berlin = schedule("09:00", "Europe/Berlin", "mon-fri", set);
    assert_eq!(berlin.next_post_at(set), Some(set));
}

#[test]
fn a_schedule_set_after_todays_post_waits_for_tomorrows() {
    let set = utc(2026, 1, 5, 10, 0);
    let berlin = schedule("09:00", "Europe/Berlin", "mon-fri", set);
    assert_eq!(berlin.next_post_at(set), Some(utc(2026, 1, 6, 8, 0)));
}

#[test]
fn a_post_made_late_is_still_followed_by_the_next_days_post() {
    let berlin = schedule("09:00", "Europe/Berlin", "daily", utc(2026, 1, 1, 0, 0));
    // Due since 08:00 UTC and looked at at 15:00: today's post is the one due now.
    assert_eq!(
        berlin.next_post_at(utc(2026, 1, 5, 15, 0)),
        Some(utc(2026, 1, 5, 8, 0))
    );
    assert_eq!(
        berlin.post_after(utc(2026, 1, 5, 8, 0)),
        Some(utc(2026, 1, 6, 8, 0))
    );
}

#[test]
fn after_fridays_post_a_weekday_schedule_next_posts_on_monday() {
    let berlin = schedule("09:00", "Europe/Berlin", "mon-fri", utc(2026, 1, 1, 0, 0));
    assert_eq!(
        berlin.post_after(utc(2026, 1, 9, 8, 0)),
        Some(utc(2026, 1, 12, 8, 0))
    );
    // Looked at on Saturday, nothing is due before Monday either.
    assert_eq!(
        berlin.next_post_at(utc(2026, 1, 10, 12, 0)),
        Some(utc(2026, 1, 12, 8, 0))
    );
}

#[test]
fn a_new_york_morning_post_moves_an_hour_earlier_in_utc_when_clocks_spring_forward() {
    // Clocks go from 02:00 EST to 03:00 EDT on Sunday 8 March 2026.
    let new_york = schedule("09:00", "America/New_York", "daily", utc(2026, 3, 1, 0, 0));
    assert_eq!(
        new_york.post_after(utc(2026, 3, 7, 14, 0)),
        Some(utc(2026, 3, 8, 13, 0))
    );
}

#[test]
fn a_new_york_morning_post_moves_an_hour_later_in_utc_when_clocks_fall_back() {
    // Clocks go from 02:00 EDT back to 01:00 EST on Sunday 1 November 2026.
    let new_york = schedule("09:00", "America/New_York", "daily", utc(2026, 10, 1, 0, 0));
    assert_eq!(
        new_york.post_after(utc(2026, 10, 31, 13, 0)),
        Some(utc(2026, 11, 1, 14, 0))
    );
}

#[test]
fn a_new_york_time_in_the_spring_gap_posts_when_the_gap_ends_then_returns_to_its_time() {
    let new_york = schedule("02:30", "America/New_York", "daily", utc(2026, 3, 1, 0, 0));
    // Saturday 02:30 EST is 07:30 UTC; Sunday has no 02:30, so 03:00 EDT (07:00 UTC); Monday
    // 02:30 EDT is 06:30 UTC.
    let sunday = new_york.post_after(utc(2026, 3, 7, 7, 30));
    assert_eq!(sunday, Some(utc(2026, 3, 8, 7, 0)));
    assert_eq!(
        sunday.and_then(|post| new_york.post_after(post)),
        Some(utc(2026, 3, 9, 6, 30))
    );
}

#[test]
fn a_berlin_time_repeated_by_fall_back_posts_once_at_the_first_and_next_the_following_day() {
    let berlin = schedule("02:30", "Europe/Berlin", "daily", utc(2026, 10, 1, 0, 0));
    // 02:30 happens at 00:30 UTC (CEST) and again at 01:30 UTC (CET) on 25 October.
    let first = berlin.post_after(utc(2026, 10, 24, 0, 30));
    assert_eq!(first, Some(utc(2026, 10, 25, 0, 30)));
    assert_eq!(
        first.and_then(|post| berlin.post_after(post)),
        Some(utc(2026, 10, 26, 1, 30))
    );
}

#[test]
fn a_berlin_time_in_the_spring_gap_is_next_looked_at_when_the_gap_ends() {
    let set = utc(2026, 3, 28, 12, 0);
    let berlin = schedule("02:30", "Europe/Berlin", "daily", set);
    assert_eq!(berlin.next_post_at(set), Some(utc(2026, 3, 29, 1, 0)));
}

#[test]
fn posts_before_the_schedule_became_active_are_never_next() {
    let berlin = schedule("09:00", "Europe/Berlin", "daily", utc(2026, 1, 5, 10, 0));
    assert_eq!(
        berlin.post_after(utc(2026, 1, 4, 12, 0)),
        Some(utc(2026, 1, 6, 8, 0))
    );
}

#[test]
fn a_paused_schedule_has_no_next_post() {
    let mut berlin = schedule("09:00", "Europe/Berlin", "daily", utc(2026, 1, 1, 0, 0));
    berlin.paused = true;
    assert_eq!(berlin.next_post_at(utc(2026, 1, 5, 6, 0)), None);
    assert_eq!(berlin.post_after(utc(2026, 1, 5, 8, 0)), None);
}
