//! A channel's daily schedule: when the question of the day is posted, in the channel's own time
//! zone, and which local date a post belongs to. Pure: the clock is always passed in.

use std::fmt;

// `chrono::TimeZone` is only needed for its methods; the name belongs to our own `TimeZone`.
use chrono::TimeZone as _;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Offset, Utc};
use chrono_tz::Tz;

mod weekdays;
pub use weekdays::Weekdays;

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
    /// Which question the day's post prefers.
    pub focus: Focus,
}

/// What a channel's question of the day prefers: the question asked least often there, or the one
/// the channel knows least (`focus weak`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Focus {
    #[default]
    LeastAsked,
    Weak,
}

impl Focus {
    /// `weak` or `least-asked` (also `least asked`, `new`).
    pub fn parse(raw: &str) -> Option<Focus> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "weak" | "weakest" | "weak-spots" => Some(Focus::Weak),
            "least-asked" | "least asked" | "new" | "rotation" => Some(Focus::LeastAsked),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Focus::LeastAsked => "least-asked",
            Focus::Weak => "weak",
        }
    }
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

    /// The local date an instant falls on in the schedule's zone; within hours of either end of the
    /// calendar, where that date may lie beyond it, the UTC date.
    pub fn local_date(&self, instant: DateTime<Utc>) -> NaiveDate {
        local_reading(self.zone.tz(), instant).map_or_else(|| instant.date_naive(), |l| l.date())
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

    /// The instant the drip should next look at this schedule, seen at `now` with nothing of
    /// today posted: today's post when it is due now, otherwise the first post after `now`. None
    /// while paused. Stored when a schedule is set or resumed, or turns out not to be due.
    pub fn next_post_at(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match self.due_at(now) {
            Some((_, post)) => Some(post),
            None => self.post_after(now),
        }
    }

    /// The first post strictly after `instant` that counts (not before `active_since`), or None
    /// while paused. After a day's post, made or found made, `post_after(post)` is the next day's.
    pub fn post_after(&self, instant: DateTime<Utc>) -> Option<DateTime<Utc>> {
        if self.paused {
            return None;
        }
        // Posts from `active_since` on count, so start just before it when `instant` is earlier.
        let after = match self
            .active_since
            .checked_sub_signed(Duration::nanoseconds(1))
        {
            Some(just_before) if just_before > instant => just_before,
            _ => instant,
        };
        self.next_posts(after, 1).into_iter().next()
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

/// The wall-clock reading of `instant` in `tz`, or None where it lies beyond either end of the
/// calendar (chrono's own conversion panics there).
fn local_reading(tz: Tz, instant: DateTime<Utc>) -> Option<NaiveDateTime> {
    let utc = instant.naive_utc();
    utc.checked_add_offset(tz.offset_from_utc_datetime(&utc).fix())
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
            .and_then(|instant| local_reading(tz, instant))
            .is_some_and(|reading| reading > local)
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
mod next_post_tests;
#[cfg(test)]
mod tests;
