//! Players' memories kept in the engine for the practice pick, which weighs all of a player's
//! memories: reading thousands of rows and going through the whole bank on every pick is what made
//! it slow. A pick reads only the rows written since the engine last read the player's memories (by
//! change number, so writes made by any process count), or everything again when one was removed;
//! it moves their layout along the bank ([`PracticeIndex`]) on by the rows read, and lays it out
//! afresh only for a new bank or after a full read. At most [`CACHED_MEMORIES`] memories are kept;
//! the players picked for least recently are dropped first.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};

use super::Engine;
use crate::core::bank::Bank;
use crate::core::practice::PracticeIndex;
use crate::store::memory_changes::Memories;

/// How many memories the engine keeps, over all players: about 150 bytes each with their index.
const CACHED_MEMORIES: usize = 200_000;

/// The memories the engine keeps, by player.
#[derive(Default)]
pub(super) struct MemoryCache {
    players: HashMap<i64, CachedPlayer>,
    /// Memories kept, over all players.
    memories: usize,
    /// Counts picks, to tell which player was picked for least recently.
    picks: u64,
}

struct CachedPlayer {
    memories: Arc<Memories>,
    /// The highest change number among the rows read.
    last_change: i64,
    /// The memories laid along `bank`, the bank serving when they were laid.
    index: Arc<PracticeIndex>,
    bank: Weak<Bank>,
    last_pick: u64,
}

impl MemoryCache {
    /// Takes a player's memories out, for the pick to bring them up to date and keep them again.
    fn take(&mut self, user: i64) -> Option<CachedPlayer> {
        let player = self.players.remove(&user)?;
        self.memories -= player.memories.len();
        Some(player)
    }

    /// Keeps a player's memories, dropping others past the limit.
    fn keep(&mut self, user: i64, mut player: CachedPlayer) {
        if let Some(replaced) = self.players.remove(&user) {
            self.memories -= replaced.memories.len();
        }
        if player.memories.len() > CACHED_MEMORIES {
            return;
        }
        self.picks += 1;
        player.last_pick = self.picks;
        self.memories += player.memories.len();
        self.players.insert(user, player);
        while self.memories > CACHED_MEMORIES {
            let Some(least_recent) = self
                .players
                .iter()
                .min_by_key(|(_, player)| player.last_pick)
                .map(|(user, _)| *user)
            else {
                break;
            };
            if let Some(dropped) = self.players.remove(&least_recent) {
                self.memories -= dropped.memories.len();
            }
        }
    }
}

fn lock(cache: &Mutex<MemoryCache>) -> std::sync::MutexGuard<'_, MemoryCache> {
    cache
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Engine {
    /// A player's memories as the database holds them now, laid along the bank now serving (which
    /// comes with them).
    pub(super) async fn practice_index(
        &self,
        user: i64,
    ) -> anyhow::Result<(Arc<Bank>, Arc<PracticeIndex>)> {
        let bank = self.bank();
        let kept = lock(&self.practice_memories).take(user);
        let (memories, last_change, index) = match kept {
            Some(mut kept) => {
                let changes = self
                    .store
                    .memories_changed_after(user, kept.last_change)
                    .await?;
                let same_bank = Weak::ptr_eq(&kept.bank, &Arc::downgrade(&bank));
                let memories = Arc::make_mut(&mut kept.memories);
                for (question, memory, due_at) in changes.written {
                    if same_bank {
                        Arc::make_mut(&mut kept.index).update(&bank, &question, memory, due_at);
                    }
                    memories.insert(question, (memory, due_at));
                }
                // Every row the player has is now in `memories`: a removed one makes it larger.
                if memories.len() != changes.total {
                    let (memories, last_change) =
                        self.store.memories_with_last_change(user).await?;
                    (Arc::new(memories), last_change, None)
                } else {
                    let index = same_bank.then_some(kept.index);
                    (kept.memories, changes.last_change, index)
                }
            }
            None => {
                let (memories, last_change) = self.store.memories_with_last_change(user).await?;
                (Arc::new(memories), last_change, None)
            }
        };
        let index = index.unwrap_or_else(|| Arc::new(PracticeIndex::new(&bank, memories.as_ref())));
        let player = CachedPlayer {
            memories,
            last_change,
            index: Arc::clone(&index),
            bank: Arc::downgrade(&bank),
            last_pick: 0,
        };
        lock(&self.practice_memories).keep(user, player);
        Ok((bank, index))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone as _, Utc};

    use crate::core::practice::Memory;

    fn player_with(questions: usize, last_change: i64) -> CachedPlayer {
        let at = Utc
            .with_ymd_and_hms(2026, 11, 24, 9, 0, 0)
            .single()
            .expect("valid instant");
        let memory = Memory {
            stability: 1.0,
            difficulty: 5.0,
            reviewed_at: at,
        };
        let bank = Arc::new(
            Bank::from_sources(vec![(
                "a.md".into(),
                b"---\nid: a\ntitle: A\n---\n\n## Q?\n\nid: q | tags: t | difficulty: easy\n\n- k\n"
                    .to_vec(),
            )])
            .expect("valid deck"),
        );
        let memories: Memories = (0..questions)
            .map(|n| (format!("q-{n}"), (memory, at)))
            .collect();
        CachedPlayer {
            index: Arc::new(PracticeIndex::new(&bank, &memories)),
            memories: Arc::new(memories),
            last_change,
            bank: Arc::downgrade(&bank),
            last_pick: 0,
        }
    }

    #[test]
    fn past_the_limit_the_player_picked_for_least_recently_is_dropped() {
        let mut cache = MemoryCache::default();
        let third = CACHED_MEMORIES / 3 + 1;
        cache.keep(1, player_with(third, 10));
        cache.keep(2, player_with(third, 20));
        cache.keep(1, player_with(third, 11));
        cache.keep(3, player_with(third, 30));
        assert!(
            cache.take(2).is_none(),
            "player 2 was picked for least recently"
        );
        assert_eq!(cache.take(1).map(|p| p.last_change), Some(11));
        assert_eq!(cache.take(3).map(|p| p.last_change), Some(30));
        assert_eq!(cache.memories, 0);
    }

    #[test]
    fn a_player_with_more_memories_than_the_limit_is_not_kept() {
        let mut cache = MemoryCache::default();
        cache.keep(1, player_with(CACHED_MEMORIES + 1, 1));
        assert!(cache.take(1).is_none());
        assert_eq!(cache.memories, 0);
    }
}
