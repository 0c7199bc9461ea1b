//! Whether the engine is fit to serve: the database answers, the bank is loaded, and the drip keeps
//! ticking (a drip whose tick has not finished for two intervals is stalled: a hung call or a
//! database that stopped answering).

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use super::Engine;
use crate::core::command::Platform;

/// When the drip last finished a tick, and how often it should.
#[derive(Debug, Clone, Copy)]
pub(super) struct DripWatch {
    every: Duration,
    last_tick: DateTime<Utc>,
}

/// What the readiness check found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Readiness {
    pub database: bool,
    pub questions: usize,
    /// How long ago the drip last finished a tick, when that is more than two intervals ago.
    pub drip_stalled_for_s: Option<i64>,
}

impl Readiness {
    pub fn is_ready(&self) -> bool {
        self.database && self.questions > 0 && self.drip_stalled_for_s.is_none()
    }
}

impl Engine {
    /// Checks that the database answers; returns how many questions the bank serves.
    pub async fn health(&self) -> anyhow::Result<usize> {
        self.store.ping().await?;
        Ok(self.bank().questions().len())
    }

    /// Notes that the drip of `platform`, ticking every `every`, finished a tick (or started) at
    /// `at`.
    pub fn note_drip_tick(
        &self,
        platform: Platform,
        at: DateTime<Utc>,
        every: std::time::Duration,
    ) {
        let every = Duration::from_std(every).unwrap_or(Duration::MAX);
        let mut watches = self.drip_watch.lock().unwrap_or_else(|p| p.into_inner());
        watches.insert(
            platform,
            DripWatch {
                every,
                last_tick: at,
            },
        );
    }

    /// How long ago the drip of some platform last finished a tick, if that is more than two of its
    /// intervals before `now` (the longest such wait when several drips stalled).
    pub fn drip_stalled_for(&self, now: DateTime<Utc>) -> Option<Duration> {
        let watches = self.drip_watch.lock().unwrap_or_else(|p| p.into_inner());
        watches
            .values()
            .map(|watch| {
                let since = now.signed_duration_since(watch.last_tick);
                let limit = watch.every.checked_mul(2).unwrap_or(Duration::MAX);
                (since > limit).then_some(since)
            })
            .max()
            .flatten()
    }

    /// The readiness check at `now`.
    pub async fn readiness(&self, now: DateTime<Utc>) -> Readiness {
        Readiness {
            database: self.store.ping().await.is_ok(),
            questions: self.bank().questions().len(),
            drip_stalled_for_s: self.drip_stalled_for(now).map(|d| d.num_seconds()),
        }
    }
}
