//! The platform-neutral core: the question bank, the grader, rounds, schedules, scoring, the command
//! and reply types every front door translates to and from, the text [`grammar`] typed front doors
//! share and the [`wording`] every renderer shares. Nothing here knows Discord, Slack, a terminal or
//! a database, and nothing here does I/O beyond reading deck files.

pub mod bank;
pub mod command;
pub mod grade;
pub mod grammar;
pub mod mock;
pub mod practice;
pub mod reply;
pub mod round;
pub mod schedule;
pub mod scoring;
pub mod text;
pub mod wording;
