//! The `interview-bot` binary: sets up logging and runs the command line.

use std::process::ExitCode;

use clap::Parser;
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    // Logs go to stderr so they never mix with a command's output; RUST_LOG raises the level.
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    interview_bot::cli::run(interview_bot::cli::Cli::parse())
}
