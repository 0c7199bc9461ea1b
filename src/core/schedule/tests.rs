//! Unit tests for schedules: parsing and display, daylight-saving changes, due posts and next posts.

use super::*;

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

fn date(y: i32, mo: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, mo, d).unwrap()
}

fn schedule(time: &str, zone: &str, weekdays: &str) -> Schedule {
    Schedule {
        time: LocalTime::parse(time).unwrap(),
        zone: TimeZone::parse(zone).unwrap(),
        weekdays: Weekdays::parse(weekdays).unwrap(),
        window: AnswerWindow::default(),
        paused: false,
        active_since: utc(2000, 1, 1, 0, 0),
        focus: Focus::default(),
    }
}

// --- Times of day ---

#[test]
fn times_of_day_parse_with_one_or_two_hour_digits() {
    assert_eq!(LocalTime::parse("9:00"), Ok(LocalTime::new(9, 0).unwrap()));
    assert_eq!(LocalTime::parse("09:00"), Ok(LocalTime::new(9, 0).unwrap()));
    assert_eq!(
        LocalTime::parse(" 21:30 "),
        Ok(LocalTime::new(21, 30).unwrap())
    );
    assert_eq!(LocalTime::parse("00:00"), Ok(LocalTime::new(0, 0).unwrap()));
    assert_eq!(
        LocalTime::parse("23:59"),
        Ok(LocalTime::new(23, 59).unwrap())
    );
}

#[test]
fn malformed_or_impossible_times_are_refused() {
    for raw in [
        "25:00", "24:00", "9", "9:5", "09:60", "", "noon", "9:00am", "09:00:00", "+9:00",
    ] {
        assert_eq!(
            LocalTime::parse(raw),
            Err(ScheduleError::BadTime(raw.trim().to_string())),
            "{raw:?}"
        );
    }
    assert_eq!(LocalTime::new(24, 0), None);
}

#[test]
fn a_time_displays_as_zero_padded_hh_mm() {
    assert_eq!(LocalTime::parse("9:05").unwrap().to_string(), "09:05");
    assert_eq!(LocalTime::new(17, 30).unwrap().to_string(), "17:30");
}

#[test]
fn a_bad_time_is_explained_politely() {
    assert_eq!(
        LocalTime::parse("25:00").unwrap_err().to_string(),
        "`25:00` is not a time of day: use 24-hour HH:MM, such as 09:00 or 17:30."
    );
    assert_eq!(
        LocalTime::parse("  ").unwrap_err().to_string(),
        "No time given: use 24-hour HH:MM, such as 09:00 or 17:30."
    );
}

// --- Time zones ---

#[test]
fn time_zones_parse_by_iana_name_in_any_case() {
    assert_eq!(
        TimeZone::parse("Europe/Berlin").unwrap().tz(),
        Tz::Europe__Berlin
    );
    assert_eq!(
        TimeZone::parse("europe/berlin").unwrap().name(),
        "Europe/Berlin"
    );
    assert_eq!(
        TimeZone::parse(" AMERICA/NEW_YORK ").unwrap().to_string(),
        "America/New_York"
    );
    assert_eq!(TimeZone::parse("UTC"), Ok(TimeZone::utc()));
    assert_eq!(TimeZone::utc().to_string(), "UTC");
}

#[test]
fn unknown_time_zones_are_refused_politely() {
    assert_eq!(
        TimeZone::parse("Mars/Olympus"),
        Err(ScheduleError::UnknownTimeZone("Mars/Olympus".to_string()))
    );
    assert_eq!(
        TimeZone::parse("Mars/Olympus").unwrap_err().to_string(),
        "`Mars/Olympus` is not a time zone I know: use an IANA name such as Europe/Berlin or \
             America/New_York."
    );
    assert_eq!(
        TimeZone::parse("").unwrap_err().to_string(),
        "No time zone given: use an IANA name such as Europe/Berlin or America/New_York."
    );
}

// --- Answer windows ---

#[test]
fn answer_windows_parse_hours_minutes_and_both() {
    let minutes = |raw: &str| AnswerWindow::parse(raw).unwrap().minutes();
    assert_eq!(minutes("8h"), 480);
    assert_eq!(minutes("90m"), 90);
    assert_eq!(minutes("1h30m"), 90);
    assert_eq!(minutes("1h 30m"), 90);
    assert_eq!(minutes("45min"), 45);
    assert_eq!(minutes("2 hours"), 120);
    assert_eq!(minutes("1 hour 15 minutes"), 75);
    assert_eq!(minutes("5m"), 5);
    assert_eq!(minutes("23h"), 23 * 60);
}

#[test]
fn answer_windows_outside_five_minutes_to_23_hours_or_malformed_are_refused() {
    for raw in [
        "0m",
        "4m",
        "24h",
        "23h1m",
        "",
        "8",
        "h",
        "1.5h",
        "30m1h",
        "1h1h",
        "8 days",
        "99999999999999999999h",
    ] {
        assert_eq!(
            AnswerWindow::parse(raw),
            Err(ScheduleError::BadWindow(raw.to_string())),
            "{raw:?}"
        );
    }
    assert_eq!(
        AnswerWindow::parse("0m").unwrap_err().to_string(),
        "`0m` is not an answer window: use a duration from 5m to 23h, such as 8h or 90m."
    );
    assert_eq!(AnswerWindow::from_minutes(4), None);
    assert_eq!(AnswerWindow::from_minutes(23 * 60 + 1), None);
}

#[test]
fn answer_windows_display_in_the_shortest_form() {
    let shown = |raw: &str| AnswerWindow::parse(raw).unwrap().to_string();
    assert_eq!(shown("8h"), "8h");
    assert_eq!(shown("90m"), "1h30m");
    assert_eq!(shown("45min"), "45m");
    assert_eq!(shown("120m"), "2h");
}

#[test]
fn the_default_answer_window_is_eight_hours() {
    assert_eq!(
        AnswerWindow::default().minutes(),
        AnswerWindow::DEFAULT_MINUTES
    );
    assert_eq!(AnswerWindow::default().duration(), Duration::hours(8));
}

// --- Post times and daylight saving ---

#[test]
fn a_berlin_morning_post_follows_daylight_saving_in_spring() {
    let berlin = schedule("09:00", "Europe/Berlin", "daily");
    assert_eq!(
        berlin.post_time_on(date(2026, 3, 28)),
        Some(utc(2026, 3, 28, 8, 0))
    );
    assert_eq!(
        berlin.post_time_on(date(2026, 3, 29)),
        Some(utc(2026, 3, 29, 7, 0))
    );
}

#[test]
fn a_berlin_morning_post_follows_daylight_saving_in_autumn() {
    let berlin = schedule("09:00", "Europe/Berlin", "daily");
    assert_eq!(
        berlin.post_time_on(date(2026, 10, 24)),
        Some(utc(2026, 10, 24, 7, 0))
    );
    assert_eq!(
        berlin.post_time_on(date(2026, 10, 25)),
        Some(utc(2026, 10, 25, 8, 0))
    );
}

#[test]
fn a_time_skipped_by_spring_forward_posts_when_the_gap_ends() {
    let berlin = schedule("02:30", "Europe/Berlin", "daily");
    let post = berlin.post_time_on(date(2026, 3, 29)).unwrap();
    assert_eq!(post, utc(2026, 3, 29, 1, 0));
    assert_eq!(
        post.with_timezone(&Tz::Europe__Berlin).time(),
        NaiveTime::from_hms_opt(3, 0, 0).unwrap()
    );
}

#[test]
fn a_time_repeated_by_fall_back_posts_at_the_earlier_instant() {
    let berlin = schedule("02:30", "Europe/Berlin", "daily");
    assert_eq!(
        berlin.post_time_on(date(2026, 10, 25)),
        Some(utc(2026, 10, 25, 0, 30))
    );
}

#[test]
fn a_whole_skipped_day_posts_when_the_next_day_begins() {
    // Samoa moved across the date line and 2011-12-30 never happened there.
    let apia = schedule("09:00", "Pacific/Apia", "daily");
    assert_eq!(
        apia.post_time_on(date(2011, 12, 30)),
        Some(utc(2011, 12, 30, 10, 0))
    );
}

#[test]
fn unscheduled_weekdays_have_no_post() {
    let weekdays = schedule("09:00", "Europe/Berlin", "mon-fri");
    assert!(weekdays.post_time_on(date(2026, 1, 9)).is_some()); // Friday
    assert_eq!(weekdays.post_time_on(date(2026, 1, 10)), None); // Saturday
    assert_eq!(weekdays.post_time_on(date(2026, 1, 11)), None); // Sunday
    assert!(weekdays.post_time_on(date(2026, 1, 12)).is_some()); // Monday
}

// --- Local dates ---

#[test]
fn the_local_date_trails_the_utc_date_in_los_angeles_evenings() {
    let la = schedule("18:00", "America/Los_Angeles", "daily");
    // 03:00 UTC on the 6th is 19:00 on the 5th in Los Angeles.
    assert_eq!(la.local_date(utc(2026, 1, 6, 3, 0)), date(2026, 1, 5));
    assert_eq!(
        la.due_at(utc(2026, 1, 6, 2, 30)),
        Some((date(2026, 1, 5), utc(2026, 1, 6, 2, 0)))
    );
}

#[test]
fn the_local_date_leads_the_utc_date_in_auckland_mornings() {
    let auckland = schedule("09:00", "Pacific/Auckland", "daily");
    // 12:00 UTC on the 5th is 01:00 on the 6th in Auckland (summer, UTC+13).
    assert_eq!(
        auckland.local_date(utc(2026, 1, 5, 12, 0)),
        date(2026, 1, 6)
    );
    assert_eq!(
        auckland.post_time_on(date(2026, 1, 6)),
        Some(utc(2026, 1, 5, 20, 0))
    );
}

// --- Due posts ---

// 2026-01-05 is a Monday; Berlin is on UTC+1, so a 09:00 post is at 08:00 UTC.

#[test]
fn a_post_is_not_due_before_its_time() {
    let berlin = schedule("09:00", "Europe/Berlin", "mon-fri");
    assert_eq!(berlin.due_at(utc(2026, 1, 5, 7, 59)), None);
}

#[test]
fn a_post_is_due_at_its_time_and_for_the_rest_of_the_local_day() {
    let berlin = schedule("09:00", "Europe/Berlin", "mon-fri");
    let monday_post = Some((date(2026, 1, 5), utc(2026, 1, 5, 8, 0)));
    assert_eq!(berlin.due_at(utc(2026, 1, 5, 8, 0)), monday_post);
    assert_eq!(berlin.due_at(utc(2026, 1, 5, 20, 0)), monday_post);
    assert_eq!(berlin.due_at(utc(2026, 1, 5, 22, 59)), monday_post);
}

#[test]
fn yesterdays_post_is_never_due_the_next_day() {
    let berlin = schedule("09:00", "Europe/Berlin", "mon-fri");
    // 23:30 UTC on Monday is already Tuesday 00:30 in Berlin.
    assert_eq!(berlin.due_at(utc(2026, 1, 5, 23, 30)), None);
    assert_eq!(berlin.due_at(utc(2026, 1, 6, 7, 0)), None);
    // Once Tuesday's time has passed, Tuesday's post is due instead.
    assert_eq!(
        berlin.due_at(utc(2026, 1, 6, 8, 30)),
        Some((date(2026, 1, 6), utc(2026, 1, 6, 8, 0)))
    );
}

#[test]
fn nothing_is_due_on_an_unscheduled_day() {
    let berlin = schedule("09:00", "Europe/Berlin", "mon-fri");
    assert_eq!(berlin.due_at(utc(2026, 1, 10, 12, 0)), None); // Saturday
}

#[test]
fn a_post_before_the_schedule_became_active_is_not_due() {
    let mut berlin = schedule("09:00", "Europe/Berlin", "mon-fri");
    berlin.active_since = utc(2026, 1, 5, 10, 0);
    assert_eq!(berlin.due_at(utc(2026, 1, 5, 12, 0)), None);
    assert_eq!(
        berlin.due_at(utc(2026, 1, 6, 8, 0)),
        Some((date(2026, 1, 6), utc(2026, 1, 6, 8, 0)))
    );
    // Set exactly at the post time, that post still counts.
    berlin.active_since = utc(2026, 1, 5, 8, 0);
    assert!(berlin.due_at(utc(2026, 1, 5, 12, 0)).is_some());
}

#[test]
fn nothing_is_due_while_paused() {
    let mut berlin = schedule("09:00", "Europe/Berlin", "mon-fri");
    berlin.paused = true;
    assert_eq!(berlin.due_at(utc(2026, 1, 5, 12, 0)), None);
}

// --- Upcoming posts ---

#[test]
fn the_next_five_posts_increase_and_skip_unscheduled_days() {
    let berlin = schedule("09:00", "Europe/Berlin", "mon-fri");
    // From Thursday noon: Friday, then Monday to Thursday of the next week.
    let posts = berlin.next_posts(utc(2026, 1, 8, 12, 0), 5);
    assert_eq!(
        posts,
        vec![
            utc(2026, 1, 9, 8, 0),
            utc(2026, 1, 12, 8, 0),
            utc(2026, 1, 13, 8, 0),
            utc(2026, 1, 14, 8, 0),
            utc(2026, 1, 15, 8, 0),
        ]
    );
    assert!(posts.windows(2).all(|pair| pair[0] < pair[1]));
}

#[test]
fn the_next_posts_are_strictly_after_the_given_instant_and_ignore_pausing() {
    let mut berlin = schedule("09:00", "Europe/Berlin", "daily");
    berlin.paused = true;
    berlin.active_since = utc(2030, 1, 1, 0, 0);
    assert_eq!(
        berlin.next_posts(utc(2026, 3, 28, 8, 0), 2),
        vec![utc(2026, 3, 29, 7, 0), utc(2026, 3, 30, 7, 0)]
    );
    assert!(berlin.next_posts(utc(2026, 3, 28, 8, 0), 0).is_empty());
}

#[test]
fn the_next_posts_include_a_post_pushed_past_midnight_by_a_gap() {
    let apia = schedule("09:00", "Pacific/Apia", "daily");
    // At 23:00 on the 29th local, the skipped 30th's post lies at the coming midnight (when
    // the 31st begins), followed by the 31st's own post.
    assert_eq!(
        apia.next_posts(utc(2011, 12, 30, 9, 0), 2),
        vec![utc(2011, 12, 30, 10, 0), utc(2011, 12, 30, 19, 0)]
    );
}

#[test]
fn posts_near_either_end_of_the_calendar_are_computed_without_a_crash() {
    for zone in [
        "Antarctica/Casey",
        "Pacific/Kiritimati",
        "Pacific/Pago_Pago",
        "UTC",
    ] {
        let schedule = schedule("10:00", zone, "daily");
        for instant in [DateTime::<Utc>::MAX_UTC, DateTime::<Utc>::MIN_UTC] {
            let date = schedule.local_date(instant);
            let days_from_utc = date.signed_duration_since(instant.date_naive()).num_days();
            assert!(days_from_utc.abs() <= 1, "{zone}: {date} for {instant}");
            let _ = schedule.due_at(instant);
            let _ = schedule.post_time_on(date);
            assert!(schedule
                .next_posts(instant, 5)
                .iter()
                .all(|post| *post > instant));
        }
    }
}
