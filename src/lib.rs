//! interview-bot turns a team's interview notes into daily practice: it loads a question bank of
//! Markdown decks, posts questions, grades free-text answers against each question's key points and
//! reveals them.
//!
//! # Layout
//! - [`core`]: the platform-neutral engine — [`core::bank`] (decks, questions, key points, loading and
//!   validation), [`core::grade`] (the pure grader) and [`core::text`] (the words both compare).
//!   [`core::command`] and [`core::reply`] are the seam every front door parses into and renders from;
//!   [`core::round`], [`core::schedule`] and [`core::scoring`] hold the pure rules of play.
//! - [`store`]: SQLite through sqlx — rounds, answers, hints, totals, schedules.
//! - [`engine`]: the use cases (ask, answer, hint, reveal, leaderboard, stats, schedule, `run_due`).
//! - [`console`]: the terminal front door; [`discord`]: the Discord front door (serenity + poise);
//!   [`slack`]: the Slack front door (axum + slack-morphism); [`config`]: settings from the
//!   environment, with secrets that never print.
//! - [`import`]: turning notes-shaped Markdown into a draft deck.
//! - [`cli`]: the `interview-bot` command line; [`bench`]: its `bench` subcommand.

pub mod bench;
pub mod cli;
pub mod config;
pub mod console;
pub mod core;
pub mod deliver;
pub mod discord;
pub mod engine;
pub mod import;
pub mod slack;
pub mod store;
