//! The keys of `score_totals`: which board a total counts on ([`BoardKey`]: a channel's or a
//! workspace's) and which period ([`PeriodKey`]: all time, an ISO week, a month, a day). Reveals write
//! them and leaderboards read them, so both build them here and nowhere else.

use std::fmt;

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use super::ChannelIds;
use crate::core::command::{BoardScope, Period};

/// The board a total counts on: `c<channel row>` or `w<workspace row>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoardKey {
    Channel(i64),
    Workspace(i64),
}

impl BoardKey {
    /// The board of a channel (or of its workspace) that a leaderboard of `scope` reads.
    pub fn of(scope: BoardScope, ids: ChannelIds) -> BoardKey {
        match scope {
            BoardScope::Channel => BoardKey::Channel(ids.channel),
            BoardScope::Workspace => BoardKey::Workspace(ids.workspace),
        }
    }

    /// Both boards an answer in the channel counts on.
    pub fn both(ids: ChannelIds) -> [BoardKey; 2] {
        [
            BoardKey::Channel(ids.channel),
            BoardKey::Workspace(ids.workspace),
        ]
    }
}

impl fmt::Display for BoardKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BoardKey::Channel(id) => write!(f, "c{id}"),
            BoardKey::Workspace(id) => write!(f, "w{id}"),
        }
    }
}

/// The period a total covers. Keys of one kind sort by date, so a range of days is a range scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodKey {
    AllTime,
    /// The ISO week of a date.
    Week(NaiveDate),
    /// The month of a date.
    Month(NaiveDate),
    Day(NaiveDate),
}

impl PeriodKey {
    /// Every period a round counts in, by the UTC date it opened.
    pub fn all_of(opened_at: DateTime<Utc>) -> [PeriodKey; 4] {
        let date = opened_at.date_naive();
        [
            PeriodKey::AllTime,
            PeriodKey::Week(date),
            PeriodKey::Month(date),
            PeriodKey::Day(date),
        ]
    }
}

/// The totals a leaderboard of a period adds up: one period's, or a range of days'.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodSpan {
    One(PeriodKey),
    /// Every day from the first through the last, both included.
    Days(PeriodKey, PeriodKey),
}

impl PeriodSpan {
    /// The span of a leaderboard of `period` on the UTC date `today`.
    pub fn of(period: Period, today: NaiveDate) -> PeriodSpan {
        match period {
            Period::Week => PeriodSpan::One(PeriodKey::Week(today)),
            Period::Month => PeriodSpan::One(PeriodKey::Month(today)),
            Period::AllTime => PeriodSpan::One(PeriodKey::AllTime),
            Period::Last30Days => PeriodSpan::Days(
                PeriodKey::Day(today - chrono::Duration::days(29)),
                PeriodKey::Day(today),
            ),
        }
    }
}

impl fmt::Display for PeriodKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PeriodKey::AllTime => f.write_str("all"),
            PeriodKey::Week(date) => {
                let week = date.iso_week();
                write!(f, "w{}-{:02}", week.year(), week.week())
            }
            PeriodKey::Month(date) => write!(f, "m{}", date.format("%Y-%m")),
            PeriodKey::Day(date) => write!(f, "d{}", date.format("%Y-%m-%d")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_read_as_the_database_stores_them() {
        let ids = ChannelIds {
            workspace: 3,
            channel: 7,
        };
        assert_eq!(BoardKey::of(BoardScope::Channel, ids).to_string(), "c7");
        assert_eq!(BoardKey::of(BoardScope::Workspace, ids).to_string(), "w3");
        let opened = DateTime::parse_from_rfc3339("2027-01-01T10:00:00Z")
            .map(|t| t.with_timezone(&Utc))
            .expect("an instant");
        let keys: Vec<String> = PeriodKey::all_of(opened)
            .iter()
            .map(ToString::to_string)
            .collect();
        // 1 January 2027 is a Friday of ISO week 53 of 2026.
        assert_eq!(keys, ["all", "w2026-53", "m2027-01", "d2027-01-01"]);
    }
}
