//! Points, hints, streaks and ranks: the pure rules behind leaderboards and stats.
//!
//! - An answer's **points** are its score (0–100) less [`HINT_PENALTY`] for each hint its author took
//!   in that round, never below zero. Points count once the round is revealed.
//! - A **streak** is a run of consecutive scheduled (daily) rounds of a channel that a user answered;
//!   an ad hoc round neither extends nor breaks it, and a daily round still open does not break it.
//! - **Ranks** are shared by equal points (1, 2, 2, 4).

/// Points a hint costs.
pub const HINT_PENALTY: u32 = 10;

/// The points an answer earns.
pub fn points(score: u8, hints_used: u32) -> u32 {
    u32::from(score).saturating_sub(HINT_PENALTY.saturating_mul(hints_used))
}

/// One daily round of a channel, oldest first, as seen by one user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DailyRound {
    pub answered: bool,
    pub open: bool,
}

/// (current streak, best streak) over a channel's daily rounds in date order.
pub fn streaks(rounds: &[DailyRound]) -> (u32, u32) {
    let mut best = 0;
    let mut run = 0;
    for round in rounds {
        if round.answered {
            run += 1;
            best = best.max(run);
        } else if !round.open {
            run = 0;
        }
    }
    (run, best)
}

/// Competition ranks for values sorted best first: equal values share a rank.
pub fn ranks<T: PartialEq>(sorted_best_first: &[T]) -> Vec<usize> {
    let mut ranks = Vec::with_capacity(sorted_best_first.len());
    for (i, value) in sorted_best_first.iter().enumerate() {
        let rank = match ranks.last() {
            Some(&previous) if i > 0 && sorted_best_first[i - 1] == *value => previous,
            _ => i + 1,
        };
        ranks.push(rank);
    }
    ranks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(answered: bool) -> DailyRound {
        DailyRound {
            answered,
            open: false,
        }
    }

    #[test]
    fn hints_cost_points_but_never_below_zero() {
        assert_eq!(points(80, 0), 80);
        assert_eq!(points(80, 2), 60);
        assert_eq!(points(15, 3), 0);
    }

    #[test]
    fn a_missed_day_breaks_the_streak() {
        let rounds = [
            day(true),
            day(true),
            day(true),
            day(false),
            day(true),
            day(true),
        ];
        assert_eq!(streaks(&rounds), (2, 3));
    }

    #[test]
    fn today_still_open_does_not_break_the_streak() {
        let mut rounds = vec![day(true), day(true)];
        rounds.push(DailyRound {
            answered: false,
            open: true,
        });
        assert_eq!(streaks(&rounds), (2, 2));
    }

    #[test]
    fn equal_points_share_a_rank() {
        assert_eq!(ranks(&[90, 80, 80, 70, 70, 70, 10]), [1, 2, 2, 4, 4, 4, 7]);
        assert!(ranks::<u32>(&[]).is_empty());
    }
}
