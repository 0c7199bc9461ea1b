//! The real binary with commands piped on standard input, for end-to-end tests of the console, and
//! reading what it printed in order.

use std::io::Write;
use std::process::{Command, Stdio};

/// What one run printed, and whether it ended well.
pub struct Run {
    pub ok: bool,
    pub stdout: String,
    pub stderr: String,
}

/// The `interview-bot` binary, run from the crate's folder (where `content/` is), with no
/// `DATABASE_URL` from the test's own environment.
pub fn binary() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_interview-bot"));
    command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("DATABASE_URL");
    command
}

/// Runs `command` with `input` (text, or any bytes) on its standard input, until it ends.
pub fn piped(mut command: Command, input: impl AsRef<[u8]>) -> Run {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(input.as_ref())
        .expect("commands are written");
    let output = child
        .wait_with_output()
        .expect("the binary ends when its input ends");
    Run {
        ok: output.status.success(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Asserts that each of `lines` appears in `out`, in this order.
pub fn assert_in_order(out: &str, lines: &[&str]) {
    let mut from = 0;
    for line in lines {
        let at = out[from..]
            .find(line)
            .unwrap_or_else(|| panic!("`{line}` missing (in order) from:\n{out}"));
        from += at + line.len();
    }
}
