//! The `interview-bot` binary: parses the command line and runs it.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    interview_bot::cli::run(interview_bot::cli::Cli::parse())
}
