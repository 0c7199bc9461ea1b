//! interview-bot turns a team's interview notes into daily practice: it loads a question bank of
//! Markdown decks, posts questions, grades free-text answers against each question's key points and
//! reveals them.
//!
//! # Layout
//! - [`core`]: the platform-neutral engine — [`core::bank`] (decks, questions, key points, loading and
//!   validation), [`core::grade`] (the pure grader) and [`core::text`] (the words both compare).
//! - [`import`]: turning notes-shaped Markdown into a draft deck.
//! - [`cli`]: the `interview-bot` command line.

pub mod cli;
pub mod core;
pub mod import;
