//! interview-bot turns a team's interview notes into daily practice: it loads a question bank of
//! Markdown decks, posts questions, grades free-text answers against each question's key points and
//! reveals them.
//!
//! # Layout
//! - [`core`]: platform-neutral and pure — the bank ([`core::bank`]), the grader ([`core::grade`],
//!   [`core::text`]), the commands and replies every front door translates to and from
//!   ([`core::command`], [`core::reply`]), the text grammar typed front doors share
//!   ([`core::grammar`]), the wording every renderer shares ([`core::wording`]), and the rules of
//!   play ([`core::round`], [`core::schedule`], [`core::scoring`]).
//! - [`engine`]: the use cases, one file each (rounds, boards, drip, bank), and who may do what.
//! - [`store`]: SQLite through sqlx — rounds, answers (group commit), scores with typed keys,
//!   schedules.
//! - [`deliver`]: what the Discord and Slack front doors share: the drip runner, post references,
//!   clicks and answer forms.
//! - [`console`], [`discord`] (serenity + poise), [`slack`] (axum + slack-morphism): the front doors,
//!   which only translate; [`config`]: settings from the environment, with secrets that never print.
//! - [`import`]: turning notes-shaped Markdown into a draft deck.
//! - [`cli`]: the `interview-bot` command line; [`bench`](mod@bench): its `bench` subcommand.

pub mod bench;
pub mod cli;
pub mod config;
pub mod console;
pub mod core;
pub mod deliver;
pub mod discord;
pub mod engine;
pub mod import;
pub mod serve;
pub mod slack;
pub mod store;
