//! The console's simulated clock: where it may start and how far it may run. It stays within RFC
//! 3339's four-digit years, from the Unix epoch on, so adding an answer window, a mock's minutes or
//! a day's wait to it never leaves the calendar the engine can count in.

use chrono::{DateTime, Duration, Utc};

/// 9999-12-31T23:59:59Z, in seconds since the Unix epoch.
const LATEST_SECONDS: i64 = 253_402_300_799;

/// The earliest instant the simulated clock shows.
pub fn earliest() -> DateTime<Utc> {
    DateTime::UNIX_EPOCH
}

/// The latest instant the simulated clock shows: it stops there.
pub fn latest() -> DateTime<Utc> {
    DateTime::from_timestamp(LATEST_SECONDS, 0).unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// Reads `--clock`: an RFC 3339 instant from [`earliest`] to [`latest`], or a sentence saying what
/// is wanted.
pub fn parse_start(raw: &str) -> Result<DateTime<Utc>, String> {
    raw.trim()
        .parse::<DateTime<Utc>>()
        .ok()
        .filter(|instant| (earliest()..=latest()).contains(instant))
        .ok_or_else(|| {
            format!(
                "`{raw}` is not an instant the simulated clock can start at: use RFC 3339 from \
                 {} to {}, such as 2026-11-24T08:00:00Z",
                earliest().format("%Y-%m-%dT%H:%M:%SZ"),
                latest().format("%Y-%m-%dT%H:%M:%SZ")
            )
        })
}

/// Where a wait of `duration` from `now` ends, and whether the clock stopped early at [`latest`].
pub fn wait_until(now: DateTime<Utc>, duration: Duration) -> (DateTime<Utc>, bool) {
    match now.checked_add_signed(duration) {
        Some(end) if end <= latest() => (end, false),
        _ => (latest().max(now), true),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_starts_at_any_rfc3339_instant_of_four_digit_years_after_the_epoch() {
        assert_eq!(
            parse_start("2026-11-24T08:00:00Z").map(|t| t.to_rfc3339()),
            Ok("2026-11-24T08:00:00+00:00".to_string())
        );
        assert_eq!(parse_start("9999-12-31T23:59:59Z"), Ok(latest()));
        assert_eq!(parse_start("1970-01-01T00:00:00Z"), Ok(earliest()));
        for absurd in [
            "99999-01-01T00:00:00Z",
            "+262142-12-31T23:00:00Z",
            "-0001-01-01T00:00:00Z",
            "1969-12-31T23:59:59Z",
            "tomorrow",
            "",
        ] {
            assert!(
                parse_start(absurd).is_err_and(|m| m.contains("9999-12-31T23:59:59Z")),
                "{absurd}"
            );
        }
    }

    #[test]
    fn a_wait_past_the_latest_instant_stops_there() {
        let late = latest() - Duration::hours(1);
        assert_eq!(wait_until(late, Duration::days(1)), (latest(), true));
        assert_eq!(
            wait_until(late, Duration::minutes(30)),
            (late + Duration::minutes(30), false)
        );
        assert_eq!(wait_until(latest(), Duration::MAX), (latest(), true));
    }
}
