//! Unit tests for weekdays: keywords, names, lists and ranges, and how they read back.

use super::*;
use chrono::Weekday;

fn bits_of(raw: &str) -> u8 {
    Weekdays::parse(raw).unwrap().bits()
}

#[test]
fn weekday_ranges_parse_with_hyphens_or_en_dashes_and_may_wrap() {
    assert_eq!(bits_of("mon-fri"), 0b001_1111);
    assert_eq!(bits_of("Mon–Fri"), 0b001_1111);
    assert_eq!(bits_of("mon - fri"), 0b001_1111);
    assert_eq!(bits_of("monday-friday"), 0b001_1111);
    assert_eq!(bits_of("sat-sun"), 0b110_0000);
    assert_eq!(bits_of("fri-mon"), 0b111_0001);
    assert_eq!(bits_of("wed-wed"), 0b000_0100);
}

#[test]
fn weekday_lists_names_and_keywords_parse() {
    assert_eq!(bits_of("mon,wed,fri"), 0b001_0101);
    assert_eq!(bits_of("mon, wed"), 0b000_0101);
    assert_eq!(bits_of("MON WED"), 0b000_0101);
    assert_eq!(bits_of("tuesday"), 0b000_0010);
    assert_eq!(bits_of("tues, thurs"), 0b000_1010);
    assert_eq!(bits_of("sun"), 0b100_0000);
    assert_eq!(bits_of(" daily "), 0b111_1111);
    assert_eq!(bits_of("everyday"), 0b111_1111);
    assert_eq!(bits_of("Every Day"), 0b111_1111);
    assert_eq!(bits_of("weekdays"), 0b001_1111);
    assert_eq!(bits_of("weekends"), 0b110_0000);
}

#[test]
fn an_empty_or_unknown_weekday_set_is_refused() {
    assert_eq!(
        Weekdays::parse(""),
        Err(ScheduleError::NoWeekdays(String::new()))
    );
    assert_eq!(
        Weekdays::parse("").unwrap_err().to_string(),
        "No weekdays given: use mon-fri, daily, weekends, or a list such as mon,wed,fri."
    );
    assert_eq!(
        Weekdays::parse("xyz").unwrap_err().to_string(),
        "`xyz` is not a set of weekdays: use mon-fri, daily, weekends, or a list such as \
             mon,wed,fri."
    );
    for raw in [
        ",",
        "mo",
        "mon,funday",
        "mon-",
        "mon-tue-wed",
        "-fri",
        "every",
    ] {
        assert!(Weekdays::parse(raw).is_err(), "{raw:?}");
    }
}

#[test]
fn weekday_bits_must_name_at_least_one_real_day() {
    assert_eq!(Weekdays::from_bits(0), None);
    assert_eq!(Weekdays::from_bits(128), None);
    assert_eq!(Weekdays::from_bits(127), Weekdays::parse("daily").ok());
    let monday = Weekdays::from_bits(1).unwrap();
    assert!(monday.contains(Weekday::Mon));
    assert!(!monday.contains(Weekday::Sun));
}

#[test]
fn weekdays_display_as_a_range_a_list_or_every_day_and_parse_back() {
    let cases = [
        ("mon-fri", "Mon–Fri"),
        ("sat,sun", "Sat–Sun"),
        ("fri-mon", "Fri–Mon"),
        ("mon,wed,fri", "Mon, Wed, Fri"),
        ("sun,mon,wed", "Mon, Wed, Sun"),
        ("thu", "Thu"),
        ("daily", "every day"),
    ];
    for (raw, shown) in cases {
        let weekdays = Weekdays::parse(raw).unwrap();
        assert_eq!(weekdays.to_string(), shown);
        assert_eq!(Weekdays::parse(shown), Ok(weekdays));
    }
}
