//! Weekdays of a schedule: a non-empty set of days, parsed from keywords (`daily`, `every day`,
//! `weekdays`, `weekends`), day names, lists and ranges (`mon-fri`, `mon - fri`, `fri-mon`).

use std::fmt;

use chrono::Weekday;

use super::ScheduleError;

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

#[cfg(test)]
mod tests;
