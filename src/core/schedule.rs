//! A channel's daily schedule: when the question of the day is posted, in the channel's own time
//! zone, and which local date a post belongs to. Pure: the clock is always passed in.

use std::fmt;

// `chrono::TimeZone` is only needed for its methods; the name belongs to our own `TimeZone`.
use chrono::TimeZone as _;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc, Weekday};
use chrono_tz::Tz;

/// A user-facing problem with schedule input; Display is a polite, complete sentence shown to the
/// user. Each variant carries the (trimmed) input that was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    BadTime(String),
    UnknownTimeZone(String),
    NoWeekdays(String),
    BadWindow(String),
}

impl fmt::Display for ScheduleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (raw, noun, what, hint) = match self {
            ScheduleError::BadTime(raw) => (
                raw,
                "time",
                "a time of day",
                "use 24-hour HH:MM, such as 09:00 or 17:30.",
            ),
            ScheduleError::UnknownTimeZone(raw) => (
                raw,
                "time zone",
                "a time zone I know",
                "use an IANA name such as Europe/Berlin or America/New_York.",
            ),
            ScheduleError::NoWeekdays(raw) => (
                raw,
                "weekdays",
                "a set of weekdays",
                "use mon-fri, daily, weekends, or a list such as mon,wed,fri.",
            ),
            ScheduleError::BadWindow(raw) => (
                raw,
                "answer window",
                "an answer window",
                "use a duration from 5m to 23h, such as 8h or 90m.",
            ),
        };
        // Quoting an empty input would read as "`` is not …", so say what was missing instead.
        if raw.trim().is_empty() {
            write!(f, "No {noun} given: {hint}")
        } else {
            write!(f, "`{raw}` is not {what}: {hint}")
        }
    }
}

/// A wall-clock time of day, to the minute, in whatever zone the schedule uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalTime(NaiveTime);

impl LocalTime {
    /// Parses 24-hour `H:MM` or `HH:MM`. Minutes must have two digits so that `9:5` is not guessed
    /// to mean 09:05 or 09:50.
    pub fn parse(raw: &str) -> Result<LocalTime, ScheduleError> {
        let trimmed = raw.trim();
        let parsed = trimmed.split_once(':').and_then(|(hour, minute)| {
            let all_digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
            let well_formed = (1..=2).contains(&hour.len())
                && minute.len() == 2
                && all_digits(hour)
                && all_digits(minute);
            if !well_formed {
                return None;
            }
            LocalTime::new(hour.parse().ok()?, minute.parse().ok()?)
        });
        parsed.ok_or_else(|| ScheduleError::BadTime(trimmed.to_string()))
    }

    pub fn new(hour: u32, minute: u32) -> Option<LocalTime> {
        NaiveTime::from_hms_opt(hour, minute, 0).map(LocalTime)
    }

    pub fn time(self) -> NaiveTime {
        self.0
    }
}

impl fmt::Display for LocalTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%H:%M"))
    }
}

/// An IANA time zone, such as `Europe/Berlin`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeZone(Tz);

impl TimeZone {
    /// Accepts an IANA name exactly or in any letter case, since users type `europe/berlin` too.
    pub fn parse(raw: &str) -> Result<TimeZone, ScheduleError> {
        let trimmed = raw.trim();
        trimmed
            .parse::<Tz>()
            .ok()
            .or_else(|| {
                chrono_tz::TZ_VARIANTS
                    .iter()
                    .copied()
                    .find(|tz| tz.name().eq_ignore_ascii_case(trimmed))
            })
            .map(TimeZone)
            .ok_or_else(|| ScheduleError::UnknownTimeZone(trimmed.to_string()))
    }

    pub fn utc() -> TimeZone {
        TimeZone(Tz::UTC)
    }

    pub fn tz(self) -> Tz {
        self.0
    }

    pub fn name(self) -> &'static str {
        self.0.name()
    }
}

impl fmt::Display for TimeZone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A non-empty set of days of the week: bit 0 is Monday, bit 6 is Sunday.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Weekdays(u8);

const ALL_DAYS: u8 = 0b111_1111;
const MONDAY_TO_FRIDAY: u8 = 0b001_1111;
const SATURDAY_AND_SUNDAY: u8 = 0b110_0000;

/// Days in bit order, with the full name (any prefix of three letters or more is accepted) and
/// the short name used for display.
const DAY_NAMES: [(Weekday, &str, &str); 7] = [
    (Weekday::Mon, "monday", "Mon"),
    (Weekday::Tue, "tuesday", "Tue"),
    (Weekday::Wed, "wednesday", "Wed"),
    (Weekday::Thu, "thursday", "Thu"),
    (Weekday::Fri, "friday", "Fri"),
    (Weekday::Sat, "saturday", "Sat"),
    (Weekday::Sun, "sunday", "Sun"),
];

impl Weekdays {
    /// Parses keywords (`daily`, `every day`, `weekdays`, `weekends`), day names, ranges that may
    /// wrap past Sunday (`fri-mon`), and comma- or space-separated lists of those.
    pub fn parse(raw: &str) -> Result<Weekdays, ScheduleError> {
        let trimmed = raw.trim();
        parse_weekday_bits(trimmed)
            .and_then(Weekdays::from_bits)
            .ok_or_else(|| ScheduleError::NoWeekdays(trimmed.to_string()))
    }

    pub fn from_bits(bits: u8) -> Option<Weekdays> {
        (bits != 0 && bits <= ALL_DAYS).then_some(Weekdays(bits))
    }

    pub fn bits(self) -> u8 {
        self.0
    }

    pub fn contains(self, day: Weekday) -> bool {
        self.0 & day_bit(day) != 0
    }

    pub fn every_day() -> Weekdays {
        Weekdays(ALL_DAYS)
    }
}

fn day_bit(day: Weekday) -> u8 {
    1 << day.num_days_from_monday()
}

fn parse_day(word: &str) -> Option<Weekday> {
    DAY_NAMES
        .iter()
        .find(|(_, full, _)| word.len() >= 3 && full.starts_with(word))
        .map(|&(day, _, _)| day)
}

/// The union of every item in the list, or None if any item is not understood (a typo should be
/// reported, not silently dropped).
fn parse_weekday_bits(raw: &str) -> Option<u8> {
    let lower = raw.to_lowercase().replace(['–', '—'], "-");
    // Spaces around a dash belong to the range ("mon - fri"), and "every day" is a single keyword,
    // so both are glued together before spaces are treated as list separators.
    let glued = lower
        .split('-')
        .map(str::trim)
        .collect::<Vec<_>>()
        .join("-");
    let glued = glued
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace("every day", "everyday");

    let mut bits = 0;
    for item in glued.split([',', ' ']).filter(|item| !item.is_empty()) {
        bits |= match item {
            "daily" | "everyday" => ALL_DAYS,
            "weekdays" => MONDAY_TO_FRIDAY,
            "weekend" | "weekends" => SATURDAY_AND_SUNDAY,
            _ => match item.split_once('-') {
                Some((first, last)) => day_range_bits(parse_day(first)?, parse_day(last)?),
                None => day_bit(parse_day(item)?),
            },
        };
    }
    Some(bits)
}

/// The days from `first` through `last`, wrapping past Sunday when `last` comes earlier.
fn day_range_bits(first: Weekday, last: Weekday) -> u8 {
    let mut bits = day_bit(first);
    let mut day = first;
    while day != last {
        day = day.succ();
        bits |= day_bit(day);
    }
    bits
}

impl fmt::Display for Weekdays {
    /// Written so that the output parses back to the same set.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 == ALL_DAYS {
            return f.write_str("every day");
        }
        let short = |day: Weekday| DAY_NAMES[day.num_days_from_monday() as usize].2;
        let days: Vec<Weekday> = DAY_NAMES
            .iter()
            .map(|&(day, _, _)| day)
            .filter(|&day| self.contains(day))
            .collect();
        // A set is one contiguous run (possibly wrapping past Sunday) exactly when a single day
        // in it has its predecessor missing.
        let run_starts: Vec<Weekday> = days
            .iter()
            .copied()
            .filter(|day| !self.contains(day.pred()))
            .collect();
        if let ([start], true) = (run_starts.as_slice(), days.len() >= 2) {
            let mut end = *start;
            while self.contains(end.succ()) {
                end = end.succ();
            }
            return write!(f, "{}–{}", short(*start), short(end));
        }
        let names: Vec<&str> = days.into_iter().map(short).collect();
        f.write_str(&names.join(", "))
    }
}

/// How long a posted question stays open for answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnswerWindow(Duration);

const MIN_WINDOW_MINUTES: i64 = 5;
const MAX_WINDOW_MINUTES: i64 = 23 * 60;

impl AnswerWindow {
    pub const DEFAULT_MINUTES: i64 = 480;

    /// Parses hours and/or minutes, such as `8h`, `90m`, `1h30m`, `45min` or `2 hours`. Bare
    /// numbers are refused: `90` could mean either unit.
    pub fn parse(raw: &str) -> Result<AnswerWindow, ScheduleError> {
        let trimmed = raw.trim();
        parse_window_minutes(trimmed)
            .and_then(AnswerWindow::from_minutes)
            .ok_or_else(|| ScheduleError::BadWindow(trimmed.to_string()))
    }

    /// A window of `m` minutes, or None outside 5 minutes ..= 23 hours: shorter leaves no time to
    /// answer, and a day or more would overlap the next day's question.
    pub fn from_minutes(m: i64) -> Option<AnswerWindow> {
        (MIN_WINDOW_MINUTES..=MAX_WINDOW_MINUTES)
            .contains(&m)
            .then(|| AnswerWindow(Duration::minutes(m)))
    }

    pub fn minutes(self) -> i64 {
        self.0.num_minutes()
    }

    pub fn duration(self) -> Duration {
        self.0
    }
}

impl Default for AnswerWindow {
    fn default() -> Self {
        AnswerWindow(Duration::minutes(Self::DEFAULT_MINUTES))
    }
}

/// Total minutes of `<number><unit>` parts, hours before minutes and each at most once.
fn parse_window_minutes(raw: &str) -> Option<i64> {
    let compact: String = raw
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if compact.is_empty() {
        return None;
    }
    let mut rest = compact.as_str();
    let mut total: i64 = 0;
    // Index of the last unit seen (0 = hours, 1 = minutes), to refuse `30m1h` and `1h1h`.
    let mut last_unit: Option<u8> = None;
    while !rest.is_empty() {
        let digits_end = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        // Only digits are left in the slice, so this fails only on overflow.
        let number: i64 = rest[..digits_end].parse().ok()?;
        rest = &rest[digits_end..];
        let unit_end = rest
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(rest.len());
        let (unit, minutes_per_unit) = match &rest[..unit_end] {
            "h" | "hr" | "hrs" | "hour" | "hours" => (0, 60),
            "m" | "min" | "mins" | "minute" | "minutes" => (1, 1),
            _ => return None,
        };
        rest = &rest[unit_end..];
        if last_unit.is_some_and(|last| last >= unit) {
            return None;
        }
        last_unit = Some(unit);
        total = total.checked_add(number.checked_mul(minutes_per_unit)?)?;
    }
    Some(total)
}

impl fmt::Display for AnswerWindow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (hours, minutes) = (self.minutes() / 60, self.minutes() % 60);
        match (hours, minutes) {
            (0, m) => write!(f, "{m}m"),
            (h, 0) => write!(f, "{h}h"),
            (h, m) => write!(f, "{h}h{m}m"),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    pub time: LocalTime,
    pub zone: TimeZone,
    pub weekdays: Weekdays,
    pub window: AnswerWindow,
    pub paused: bool,
    /// Posts before this instant are never due (when the schedule was set or resumed).
    pub active_since: DateTime<Utc>,
}

impl Schedule {
    /// The instant of the post on a local `date`, or None when that weekday is not scheduled.
    ///
    /// A local time that does not exist that day (spring-forward gap) posts at the first instant
    /// after the gap (02:30 Europe/Berlin on the last Sunday of March -> 03:00 local = 01:00 UTC);
    /// a local time that occurs twice (fall-back) posts at the earlier of the two. Deterministic.
    pub fn post_time_on(&self, date: NaiveDate) -> Option<DateTime<Utc>> {
        if !self.weekdays.contains(date.weekday()) {
            return None;
        }
        let local = date.and_time(self.time.time());
        let tz = self.zone.tz();
        match tz.from_local_datetime(&local).earliest() {
            Some(instant) => Some(instant.with_timezone(&Utc)),
            None => end_of_gap(tz, local),
        }
    }

    /// The local date an instant falls on in the schedule's zone.
    pub fn local_date(&self, instant: DateTime<Utc>) -> NaiveDate {
        instant.with_timezone(&self.zone.tz()).date_naive()
    }

    /// The post due at `now`, as (local date, post instant): today's (local) post if today is
    /// scheduled, its post time is <= now, it is not before `active_since`, and the schedule is
    /// not paused. A missed post is thus due late, the same local day; past days are never due.
    pub fn due_at(&self, now: DateTime<Utc>) -> Option<(NaiveDate, DateTime<Utc>)> {
        if self.paused {
            return None;
        }
        let today = self.local_date(now);
        let post = self.post_time_on(today)?;
        (post <= now && post >= self.active_since).then_some((today, post))
    }

    /// The next `n` post instants strictly after `after` (ignores `paused`/`active_since`), in
    /// order.
    pub fn next_posts(&self, after: DateTime<Utc>, n: usize) -> Vec<DateTime<Utc>> {
        let mut posts: Vec<DateTime<Utc>> = Vec::with_capacity(n);
        // Start a day early: a post pushed forward by a gap that crosses midnight lands on the
        // following local date, so yesterday's post can still lie ahead.
        let mut date = self.local_date(after).pred_opt();
        // `Weekdays` is never empty, so every week adds posts and the loop ends; running out of
        // representable dates ends it too.
        while let Some(day) = date {
            if posts.len() >= n {
                break;
            }
            if let Some(post) = self.post_time_on(day) {
                // Keeping only later instants guarantees strict order even if two local dates
                // resolve to the same instant around a gap.
                if post > after && posts.last().is_none_or(|&last| post > last) {
                    posts.push(post);
                }
            }
            date = day.succ_opt();
        }
        posts
    }
}

/// The first instant after the spring-forward gap that swallows the wall-clock time `local`: the
/// moment the clock jumps from before `local` to after it.
fn end_of_gap(tz: Tz, local: NaiveDateTime) -> Option<DateTime<Utc>> {
    // UTC offsets lie within -12h..=+14h, so 15 hours before the wall-clock reading (taken as
    // UTC) the zone's clock is still earlier than `local`, and 13 hours after it already later.
    let reading = local.and_utc().timestamp();
    let mut before = reading - 15 * 3600;
    let mut after = reading + 13 * 3600;
    let clock_passed = |seconds: i64| {
        DateTime::from_timestamp(seconds, 0)
            .is_some_and(|instant| instant.with_timezone(&tz).naive_local() > local)
    };
    // Offsets change on whole seconds, so bisecting whole seconds finds the transition exactly.
    while after - before > 1 {
        let middle = before + (after - before) / 2;
        if clock_passed(middle) {
            after = middle;
        } else {
            before = middle;
        }
    }
    DateTime::from_timestamp(after, 0)
}

#[cfg(test)]
mod tests {
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

    // --- Weekdays ---

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
        assert_eq!(Weekdays::from_bits(127), Some(Weekdays::every_day()));
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
}
