//! The platform-neutral engine: the question bank and the grader (and, as they arrive, rounds,
//! schedules, scoring and leaderboards). Nothing here knows Discord, Slack, a terminal or a database.

pub mod bank;
pub mod grade;
pub mod text;
