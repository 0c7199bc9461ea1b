//! `interview-bot bench`: runs the engine's benchmark (all of it, or one part) in a temporary folder
//! and prints its figures, as text or one JSON line.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::{load_or_report, print_json};
use crate::bench::PracticeFigures;

/// A part of the benchmark that can run on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BenchPart {
    /// The next practice card's pick.
    Practice,
}

/// Runs the benchmark, or only its `only` part, and prints its figures.
pub(super) fn bench(json: bool, bank_dir: &Path, only: Option<BenchPart>) -> ExitCode {
    if only == Some(BenchPart::Practice) {
        let Some(figures) = measure(|dir| async move { crate::bench::practice::run(&dir).await })
        else {
            return ExitCode::FAILURE;
        };
        if json {
            return print_json(&figures);
        }
        print_practice(&figures);
        return ExitCode::SUCCESS;
    }
    let Some(bank) = load_or_report(bank_dir) else {
        return ExitCode::FAILURE;
    };
    let Some(figures) = measure(|dir| async move { crate::bench::run(&dir, bank, bank_dir).await })
    else {
        return ExitCode::FAILURE;
    };
    if json {
        return print_json(&figures);
    }
    println!(
        "answer path, {} concurrent users flat out: {:.0} answers/s (p99 {:.1} ms while saturated)",
        figures.concurrent_users, figures.answers_per_s, figures.saturated_p99_ms
    );
    println!(
        "answer path at {:.0} answers/s offered ({:.0} achieved): p50 {:.3} ms, p99 {:.3} ms",
        figures.offered_per_s, figures.achieved_at_offered_per_s, figures.p50_ms, figures.p99_ms
    );
    println!(
        "plain single-row INSERTs: {:.0} rows/s; answer path / raw inserts = {:.2}",
        figures.raw_insert_per_s, figures.ratio_to_raw_insert
    );
    println!(
        "leaderboard top 10 over {} answers: p50 {:.3} ms, p99 {:.3} ms",
        figures.board_answers, figures.leaderboard_p50_ms, figures.leaderboard_p99_ms
    );
    println!("resident memory: {:.1} MB", figures.rss_mb);
    println!(
        "drip over {} scheduled channels: a run with nothing due p50 {:.3} ms, p99 {:.3} ms",
        figures.drip_scheduled_channels,
        figures.drip_idle_tick_p50_ms,
        figures.drip_idle_tick_p99_ms
    );
    println!(
        "drip: {} questions due at the same minute posted in {:.3} s; {} answers meanwhile, p99 {:.3} ms",
        figures.drip_burst_posts,
        figures.drip_burst_s,
        figures.answers_during_burst,
        figures.answer_p99_during_burst_ms
    );
    println!(
        "resident memory after the drip: {:.1} MB",
        figures.drip_rss_mb
    );
    print_practice(&figures.practice);
    ExitCode::SUCCESS
}

/// Runs `part` on a new runtime with a temporary folder; `None` once the failure is reported.
fn measure<F, Fut, T>(part: F) -> Option<T>
where
    F: FnOnce(PathBuf) -> Fut,
    Fut: Future<Output = anyhow::Result<T>>,
{
    let measured = tokio::runtime::Runtime::new()
        .map_err(anyhow::Error::from)
        .and_then(|runtime| {
            let dir = tempfile::tempdir()?;
            runtime.block_on(part(dir.path().to_path_buf()))
        });
    match measured {
        Ok(figures) => Some(figures),
        Err(err) => {
            eprintln!("The benchmark failed: {err:#}");
            None
        }
    }
}

fn print_practice(figures: &PracticeFigures) {
    println!(
        "practice, next card for a player with {} reviews ({} questions met) in a bank of {}: \
         {} due: p50 {:.3} ms, p99 {:.3} ms; nothing due (a new question from the weakest topic): \
         p50 {:.3} ms, p99 {:.3} ms",
        figures.practice_reviews_per_player,
        figures.practice_memories_per_player,
        figures.practice_bank_questions,
        figures.practice_due_questions,
        figures.practice_due_pick_p50_ms,
        figures.practice_due_pick_p99_ms,
        figures.practice_new_pick_p50_ms,
        figures.practice_new_pick_p99_ms
    );
    println!(
        "practice, next card right after a review: p50 {:.3} ms, p99 {:.3} ms; the first pick: {:.3} ms",
        figures.practice_pick_after_review_p50_ms,
        figures.practice_pick_after_review_p99_ms,
        figures.practice_first_pick_ms
    );
}
