//! The bank in service: reloading the decks, refused whole when they have problems.

use std::sync::Arc;

use super::{private, refuse, Engine, Refusal};
use crate::core::bank::Bank;
use crate::core::command::Command;
use crate::core::reply::{Reply, ReplyBody};

impl Engine {
    /// Loads the bank again; a bank with problems is refused and the old one keeps serving.
    pub(super) fn reload_bank(&self, command: &Command) -> Result<Vec<Reply>, Refusal> {
        match Bank::load(&self.bank_dir) {
            Ok(bank) => {
                let summary = bank.summary();
                match self.bank.write() {
                    Ok(mut serving) => *serving = Arc::new(bank),
                    Err(poisoned) => *poisoned.into_inner() = Arc::new(bank),
                }
                Ok(vec![private(
                    command,
                    ReplyBody::Notice(format!(
                        "Bank reloaded: {} questions in {} decks.",
                        summary.questions, summary.decks
                    )),
                )])
            }
            Err(err) => {
                let shown: Vec<String> =
                    err.problems.iter().take(5).map(|p| p.to_string()).collect();
                refuse(format!(
                    "The bank has {} problem(s), so the current bank keeps serving:\n{}",
                    err.problems.len(),
                    shown.join("\n")
                ))
            }
        }
    }
}
