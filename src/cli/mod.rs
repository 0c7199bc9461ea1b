//! The `interview-bot` command line: running the bot (the default: Discord, Slack or the console),
//! the console itself, the health check and the benchmark; the bank tools are in `bank`.
//! Each subcommand returns an exit code; messages for people go to stderr, reports to stdout.

mod bank;
mod bench;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Parser, Subcommand};

use crate::config::{DiscordConfig, SlackConfig};
use crate::console::Console;
use crate::engine::Engine;
use crate::slack::SlackApp;
use crate::store::{Durability, Store, StoreOptions, DEFAULT_DATABASE};
use bank::{check_bank, grade_answer, import, list_bank, load_or_report, overlap, print_json};
use bench::bench;
pub use bench::BenchPart;

/// The default folder of decks.
pub const DEFAULT_BANK: &str = "content";
/// The console's channel when none is named.
pub const DEFAULT_CHANNEL: &str = "practice";
/// Where Slack's HTTP requests are served when `LISTEN_ADDR` is not set.
pub const DEFAULT_LISTEN: &str = "0.0.0.0:3000";

#[derive(Debug, Parser)]
#[command(
    name = "interview-bot",
    version,
    about = "Interview practice from your team's notes",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// With no subcommand, the bot runs as `run` would, with these settings.
    #[command(flatten)]
    pub run: ConsoleArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the bot: on Discord when DISCORD_TOKEN is set, on Slack when SLACK_BOT_TOKEN is set (both
    /// at once share one database), otherwise the terminal console. The default command.
    Run(ConsoleArgs),
    /// Check that the database and the bank are usable (exit 0), for container health checks.
    Health(ConsoleArgs),
    /// Play in the terminal: a channel of your own, with a simulated clock.
    Console(ConsoleArgs),
    /// Measure the engine: answers per second, latency, leaderboard reads, the daily drip, memory,
    /// practice picks.
    Bench {
        /// Print one JSON line instead of text.
        #[arg(long)]
        json: bool,
        /// Folder of decks.
        #[arg(long, default_value = DEFAULT_BANK)]
        bank: PathBuf,
        /// Run only this part (`practice`: the next practice card's pick, on a bank of its own).
        #[arg(long, value_enum)]
        only: Option<BenchPart>,
    },
    /// Check or list the question bank.
    #[command(subcommand)]
    Bank(BankCommand),
    /// Grade one answer against a question's key points.
    Grade(GradeArgs),
    /// Turn notes written in Markdown into a draft deck.
    Import(ImportArgs),
    /// Personal practice: `practice rebuild` recomputes every player's memory from the review log.
    #[command(subcommand)]
    Practice(PracticeCommand),
}

#[derive(Debug, Subcommand)]
pub enum BankCommand {
    /// Validate every deck and grade their example answers; exits non-zero on any problem.
    Check {
        /// Folder of decks.
        #[arg(default_value = DEFAULT_BANK)]
        dir: PathBuf,
    },
    /// Show how each question's good example answers score on the other questions: high scores mean
    /// key points or `also:` alternatives too generic to tell the questions apart.
    Overlap {
        /// Folder of decks.
        #[arg(default_value = DEFAULT_BANK)]
        dir: PathBuf,
        /// List the pairs scoring at least this much.
        #[arg(long, default_value_t = 40)]
        min: u8,
    },
    /// List every question.
    List {
        /// Folder of decks.
        #[arg(default_value = DEFAULT_BANK)]
        dir: PathBuf,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct ConsoleArgs {
    /// Who you are at the console (switch with /user NAME).
    #[arg(long)]
    pub user: Option<String>,
    /// The console channel's name.
    #[arg(long, default_value = DEFAULT_CHANNEL)]
    pub channel: String,
    /// The database file or sqlite: URL (default: interview-bot.db, or DATABASE_URL).
    #[arg(long, env = "DATABASE_URL")]
    pub db: Option<String>,
    /// Folder of decks.
    #[arg(long, default_value = DEFAULT_BANK)]
    pub bank: PathBuf,
    /// Start the simulated clock at this instant (RFC 3339, years 1970 to 9999), instead of now.
    #[arg(long, value_parser = crate::console::clock::parse_start)]
    pub clock: Option<chrono::DateTime<chrono::Utc>>,
    /// Where Slack's requests arrive (HTTP mode), when SLACK_BOT_TOKEN is set.
    #[arg(long, env = "LISTEN_ADDR", default_value = DEFAULT_LISTEN)]
    pub listen: String,
    /// How hard each commit is pushed to disk: `normal` survives a crash of the process, `full` also
    /// a power loss (at the cost of an fsync per commit).
    #[arg(long, env = "DATABASE_SYNCHRONOUS", value_enum, default_value_t = Synchronous::Normal)]
    pub synchronous: Synchronous,
}

/// SQLite's `synchronous` setting, as the command line names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Synchronous {
    Normal,
    Full,
}

#[derive(Debug, Subcommand)]
pub enum PracticeCommand {
    /// Recompute every player's memory of every question from the review log.
    Rebuild(ConsoleArgs),
}

#[derive(Debug, Args)]
pub struct GradeArgs {
    /// The question's id (see `bank list`).
    #[arg(long)]
    pub question: String,
    /// The answer to grade.
    #[arg(long)]
    pub answer: String,
    /// Folder of decks.
    #[arg(long, default_value = DEFAULT_BANK)]
    pub bank: PathBuf,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The notes (Markdown).
    pub notes: PathBuf,
    /// Where to write the draft deck.
    #[arg(long)]
    pub out: PathBuf,
    /// The deck's id (default: from the notes' file name).
    #[arg(long)]
    pub id: Option<String>,
    /// The deck's title (default: the notes' file name).
    #[arg(long)]
    pub title: Option<String>,
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Some(Command::Bank(BankCommand::Check { dir })) => check_bank(&dir),
        Some(Command::Bank(BankCommand::List { dir, json })) => list_bank(&dir, json),
        Some(Command::Bank(BankCommand::Overlap { dir, min })) => overlap(&dir, min),
        Some(Command::Grade(args)) => grade_answer(&args),
        Some(Command::Import(args)) => import(&args),
        Some(Command::Run(args)) => run_bot(args),
        Some(Command::Console(args)) => console(args, Banner::Chosen),
        Some(Command::Health(args)) => health(args),
        Some(Command::Practice(PracticeCommand::Rebuild(args))) => {
            with_engine(&args, |engine| async move {
                let rebuilt = engine.rebuild_memories().await?;
                println!("Rebuilt {rebuilt} memories from the review log.");
                Ok(())
            })
        }
        Some(Command::Bench { json, bank, only }) => bench(json, &bank, only),
        None => run_bot(cli.run),
    }
}

/// Starts the engine on the configured database and bank, then runs `front_door` with it.
fn with_engine<F, Fut>(args: &ConsoleArgs, front_door: F) -> ExitCode
where
    F: FnOnce(Arc<Engine>) -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<()>>,
{
    let Some(bank) = load_or_report(&args.bank) else {
        return ExitCode::FAILURE;
    };
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("Cannot start: {err}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        let db = args
            .db
            .clone()
            .unwrap_or_else(|| DEFAULT_DATABASE.to_string());
        let options = StoreOptions {
            durability: match args.synchronous {
                Synchronous::Normal => Durability::Normal,
                Synchronous::Full => Durability::Full,
            },
            ..StoreOptions::default()
        };
        let store = Arc::new(Store::open_with(&db, options).await?);
        front_door(Arc::new(Engine::new(store, bank, args.bank.clone()))).await
    });
    // Tasks still running (a drip mid-post, a blocking look-up) get a moment, not forever.
    runtime.shutdown_timeout(std::time::Duration::from_secs(1));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("Stopped: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// The bot: Discord when `DISCORD_TOKEN` is set, Slack when `SLACK_BOT_TOKEN` is set (both at once
/// share one engine and database), otherwise the terminal console.
fn run_bot(args: ConsoleArgs) -> ExitCode {
    let configs = DiscordConfig::from_env().and_then(|d| SlackConfig::from_env().map(|s| (d, s)));
    let (discord, slack) = match configs {
        Ok(configs) => configs,
        Err(problem) => {
            eprintln!("{problem}");
            return ExitCode::FAILURE;
        }
    };
    if discord.is_none() && slack.is_none() {
        return console(args, Banner::NoToken);
    }
    let listen = args.listen.clone();
    with_engine(&args, |engine| async move {
        // One Ctrl-C or SIGTERM stops every front door: no new work is taken, what is in flight
        // finishes, the database is closed, and the process exits 0 within STOP_WITHIN.
        let (stop, stopped) = tokio::sync::watch::channel(false);
        tokio::spawn(async move {
            stop_signal().await;
            eprintln!("Stopping: finishing what is in flight.");
            let _ = stop.send(true);
            tokio::time::sleep(STOP_WITHIN).await;
            eprintln!("Stopped: work still in flight after {STOP_WITHIN:?} was abandoned.");
            std::process::exit(0);
        });
        let shutdown = move || {
            let mut stopped = stopped.clone();
            async move {
                let _ = stopped.wait_for(|stop| *stop).await;
            }
        };
        let mut front_doors = tokio::task::JoinSet::new();
        if let Some(config) = discord {
            eprintln!("Connecting to Discord; Ctrl-C or SIGTERM stops the bot.");
            front_doors.spawn(crate::discord::run(config, Arc::clone(&engine), shutdown()));
        }
        if let Some(config) = slack {
            let app = Arc::new(SlackApp::new(&config, Arc::clone(&engine))?);
            let drip_every = crate::config::DRIP_EVERY;
            match &config.app_token {
                Some(app_token) => {
                    eprintln!(
                        "Connecting to Slack in Socket Mode; Ctrl-C or SIGTERM stops the bot."
                    );
                    let app_token = app_token.clone();
                    let shutdown = shutdown();
                    front_doors.spawn(async move {
                        crate::slack::serve_socket_mode(app, &app_token, drip_every, shutdown).await
                    });
                }
                None => {
                    let listener = tokio::net::TcpListener::bind(&listen)
                        .await
                        .map_err(|e| anyhow::anyhow!("cannot listen on {listen} for Slack: {e}"))?;
                    eprintln!(
                        "Serving Slack on http://{listen}/slack/commands and /slack/interactions; \
                         Ctrl-C or SIGTERM stops the bot."
                    );
                    front_doors.spawn(crate::slack::serve(listener, app, drip_every, shutdown()));
                }
            }
        }
        while let Some(done) = front_doors.join_next().await {
            done??;
        }
        engine.until_idle().await;
        engine.close().await;
        eprintln!("Stopped.");
        Ok(())
    })
}

/// How long a stopping bot may take before it exits anyway (Docker and systemd wait 10 s).
const STOP_WITHIN: std::time::Duration = std::time::Duration::from_secs(9);

/// Resolves on Ctrl-C (SIGINT) or SIGTERM (what `docker stop`, Kubernetes and systemd send).
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut terminate) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = terminate.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

/// Why the console is running, for the line it starts with on stderr.
enum Banner {
    /// `interview-bot console`.
    Chosen,
    /// The bot was started with no platform token.
    NoToken,
}

fn console(args: ConsoleArgs, banner: Banner) -> ExitCode {
    let user = args
        .user
        .clone()
        .or_else(|| std::env::var("USER").ok())
        .filter(|u| !u.trim().is_empty() && !u.contains(char::is_whitespace))
        .unwrap_or_else(|| "you".to_string());
    let channel = args.channel.clone();
    let now = args.clock.unwrap_or_else(chrono::Utc::now);
    with_engine(&args, |engine| async move {
        if let Banner::NoToken = banner {
            eprintln!(
                "No Discord or Slack token is set, so this is the terminal console; set \
                 DISCORD_TOKEN or SLACK_BOT_TOKEN (see the README) to connect a platform."
            );
        }
        let interactive = std::io::stdin().is_terminal();
        let input = tokio::io::BufReader::new(tokio::io::stdin());
        Console::new(engine, &channel, &user, now, interactive)
            .run(input, tokio::io::stdout())
            .await
    })
}

/// Exits 0 when the database opens (and migrates) and the bank is valid: the container health check.
fn health(args: ConsoleArgs) -> ExitCode {
    with_engine(&args, |engine| async move {
        let questions = engine.health().await?;
        println!("ok: {questions} questions, database reachable");
        Ok(())
    })
}
