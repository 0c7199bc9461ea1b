//! Personal practice's rows: the cards offered to a player (each answered once, its review
//! recorded in the same transaction), a player's own rating replacing an earned one (the memory
//! replayed from the review log), the desired retention, and the counts of a player's status.

use chrono::{DateTime, Duration, Utc};
use sqlx::Row;

use super::memories::{record_review, replay_memory, NewReview};
use super::{from_millis, to_millis, Store};
use crate::core::practice::{Rating, Retention, Review};

/// A question offered to a player in practice.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredCard {
    pub id: i64,
    pub user: i64,
    pub question: String,
    pub channel: i64,
    pub offered_at: DateTime<Utc>,
    /// The review its answer made, once answered.
    pub review: Option<i64>,
}

/// How many of a player's questions are due, met and reviewed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PracticeCounts {
    pub due_now: usize,
    pub due_this_week: usize,
    pub questions: usize,
    pub reviews: usize,
}

/// How answering a card went.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CardAnswer {
    Reviewed(Review),
    /// The card was answered before (another tab, a second click).
    AlreadyAnswered,
    /// The player answered the question elsewhere since the card was offered (a round, a mock),
    /// and may have seen its key points.
    MetSince,
}

/// How rating a card yourself went.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Rerated {
    /// The question is due then now.
    Due(DateTime<Utc>),
    NotAnswered,
    /// The question was reviewed again after this card.
    NotLatest,
}

const CARD_COLUMNS: &str = "id, user_id, question_id, channel_id, offered_at, review_id";

fn card_from_row(row: &sqlx::sqlite::SqliteRow) -> anyhow::Result<StoredCard> {
    Ok(StoredCard {
        id: row.try_get("id")?,
        user: row.try_get("user_id")?,
        question: row.try_get("question_id")?,
        channel: row.try_get("channel_id")?,
        offered_at: from_millis(row.try_get("offered_at")?)?,
        review: row.try_get("review_id")?,
    })
}

impl Store {
    /// Offers `question` to a player; returns the card's id. A card of the question the player has
    /// not answered yet is offered again rather than a second one, so one question is never open
    /// twice.
    pub async fn offer_card(
        &self,
        user: i64,
        question: &str,
        channel: i64,
        now: DateTime<Utc>,
    ) -> anyhow::Result<i64> {
        let mut tx = self.begin_write().await?;
        let open: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM practice_cards
             WHERE user_id = ?1 AND question_id = ?2 AND review_id IS NULL
             ORDER BY id DESC LIMIT 1",
        )
        .bind(user)
        .bind(question)
        .fetch_optional(&mut *tx)
        .await?;
        let card = match open {
            Some(card) => {
                sqlx::query(
                    "UPDATE practice_cards SET offered_at = MAX(offered_at, ?2), channel_id = ?3 WHERE id = ?1",
                )
                .bind(card)
                .bind(to_millis(now))
                .bind(channel)
                .execute(&mut *tx)
                .await?;
                card
            }
            None => {
                sqlx::query_scalar(
                    "INSERT INTO practice_cards (user_id, question_id, channel_id, offered_at)
                     VALUES (?1, ?2, ?3, ?4) RETURNING id",
                )
                .bind(user)
                .bind(question)
                .bind(channel)
                .bind(to_millis(now))
                .fetch_one(&mut *tx)
                .await?
            }
        };
        tx.commit().await?;
        Ok(card)
    }

    /// A card by its id, if it is the player's.
    pub async fn card_of(&self, user: i64, card: i64) -> anyhow::Result<Option<StoredCard>> {
        let row = sqlx::query(&format!(
            "SELECT {CARD_COLUMNS} FROM practice_cards WHERE id = ?1 AND user_id = ?2"
        ))
        .bind(card)
        .bind(user)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(card_from_row).transpose()
    }

    /// The player's newest card, answered or not as asked.
    pub async fn latest_card(
        &self,
        user: i64,
        answered: bool,
    ) -> anyhow::Result<Option<StoredCard>> {
        let row = sqlx::query(&format!(
            "SELECT {CARD_COLUMNS} FROM practice_cards
             WHERE user_id = ?1 AND (review_id IS NOT NULL) = ?2 ORDER BY id DESC LIMIT 1"
        ))
        .bind(user)
        .bind(answered)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(card_from_row).transpose()
    }

    /// Answers a card once: records its review (the player's memory moves on) and marks the card
    /// answered, in one transaction.
    pub async fn answer_card(
        &self,
        card: &StoredCard,
        score: u8,
        at: DateTime<Utc>,
    ) -> anyhow::Result<CardAnswer> {
        let mut tx = self.begin_write().await?;
        let open: Option<i64> =
            sqlx::query_scalar("SELECT id FROM practice_cards WHERE id = ?1 AND review_id IS NULL")
                .bind(card.id)
                .fetch_optional(&mut *tx)
                .await?;
        if open.is_none() {
            return Ok(CardAnswer::AlreadyAnswered);
        }
        let met_since: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM reviews WHERE user_id = ?1 AND question_id = ?2 AND reviewed_at >= ?3
             LIMIT 1",
        )
        .bind(card.user)
        .bind(&card.question)
        .bind(to_millis(card.offered_at))
        .fetch_optional(&mut *tx)
        .await?;
        if met_since.is_some() {
            return Ok(CardAnswer::MetSince);
        }
        let review = NewReview {
            user: card.user,
            question: &card.question,
            rating: Rating::from_score(score),
            score,
            at,
            round: None,
        };
        let (next, review_id) = record_review(&mut tx, review).await?;
        sqlx::query("UPDATE practice_cards SET review_id = ?2 WHERE id = ?1")
            .bind(card.id)
            .bind(review_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(CardAnswer::Reviewed(next))
    }

    /// Replaces the rating of an answered card's review with the player's own and replays the
    /// player's memory of the question from the log. Only the question's latest review can be
    /// rated: a later one already built on it.
    pub async fn rerate_card(&self, card: &StoredCard, rating: Rating) -> anyhow::Result<Rerated> {
        let Some(review) = card.review else {
            return Ok(Rerated::NotAnswered);
        };
        let mut tx = self.begin_write().await?;
        let later: Option<i64> = sqlx::query_scalar(
            "SELECT later.id FROM reviews this JOIN reviews later
                 ON later.user_id = this.user_id AND later.question_id = this.question_id
                AND (later.reviewed_at > this.reviewed_at
                     OR (later.reviewed_at = this.reviewed_at AND later.id > this.id))
             WHERE this.id = ?1 LIMIT 1",
        )
        .bind(review)
        .fetch_optional(&mut *tx)
        .await?;
        if later.is_some() {
            return Ok(Rerated::NotLatest);
        }
        sqlx::query("UPDATE reviews SET rating = ?2 WHERE id = ?1")
            .bind(review)
            .bind(rating.as_str())
            .execute(&mut *tx)
            .await?;
        let replayed = replay_memory(&mut tx, card.user, &card.question).await?;
        tx.commit().await?;
        Ok(match replayed {
            Some(memory) => Rerated::Due(memory.due_at),
            None => Rerated::NotAnswered,
        })
    }

    /// The player's desired retention (the default until they choose one).
    pub async fn retention_of(&self, user: i64) -> anyhow::Result<Retention> {
        let stored: Option<f64> =
            sqlx::query_scalar("SELECT retention FROM practice_settings WHERE user_id = ?1")
                .bind(user)
                .fetch_optional(self.pool())
                .await?;
        Ok(stored
            .and_then(|r| Retention::parse(&r.to_string()).ok())
            .unwrap_or_default())
    }

    /// Sets the player's desired retention; their next reviews are scheduled for it.
    pub async fn set_retention(&self, user: i64, retention: Retention) -> anyhow::Result<()> {
        self.busy
            .retry(|| {
                sqlx::query(
                    "INSERT INTO practice_settings (user_id, retention) VALUES (?1, ?2)
                     ON CONFLICT (user_id) DO UPDATE SET retention = excluded.retention",
                )
                .bind(user)
                .bind(f64::from(retention.value()))
                .execute(self.pool())
            })
            .await?;
        Ok(())
    }

    /// What is due for a player at `now` and this week, and how much they have practised.
    pub async fn practice_counts(
        &self,
        user: i64,
        now: DateTime<Utc>,
    ) -> anyhow::Result<PracticeCounts> {
        let week = now + Duration::days(7);
        let row = sqlx::query(
            "SELECT
                (SELECT COUNT(*) FROM memories WHERE user_id = ?1 AND due_at <= ?2) AS due_now,
                (SELECT COUNT(*) FROM memories WHERE user_id = ?1 AND due_at <= ?3) AS due_week,
                (SELECT COUNT(*) FROM memories WHERE user_id = ?1) AS questions,
                (SELECT COUNT(*) FROM reviews WHERE user_id = ?1) AS reviews",
        )
        .bind(user)
        .bind(to_millis(now))
        .bind(to_millis(week))
        .fetch_one(self.pool())
        .await?;
        let count = |name: &str| -> anyhow::Result<usize> {
            Ok(usize::try_from(row.try_get::<i64, _>(name)?).unwrap_or(0))
        };
        Ok(PracticeCounts {
            due_now: count("due_now")?,
            due_this_week: count("due_week")?,
            questions: count("questions")?,
            reviews: count("reviews")?,
        })
    }

    /// The questions open in any channel of a workspace (server, team): practice offers and grades
    /// none of them, so no channel's question has its key points shown before its reveal.
    pub async fn open_questions_in_workspace(&self, workspace: i64) -> anyhow::Result<Vec<String>> {
        Ok(sqlx::query_scalar(
            "SELECT DISTINCT r.question_id FROM channels c
             JOIN rounds r ON r.channel_id = c.id AND r.revealed_at IS NULL
             WHERE c.workspace_id = ?1",
        )
        .bind(workspace)
        .fetch_all(self.pool())
        .await?)
    }

    /// When the player's next question falls due, if they met any.
    pub async fn next_due(&self, user: i64) -> anyhow::Result<Option<DateTime<Utc>>> {
        let next: Option<i64> =
            sqlx::query_scalar("SELECT MIN(due_at) FROM memories WHERE user_id = ?1")
                .bind(user)
                .fetch_one(self.pool())
                .await?;
        next.map(from_millis).transpose()
    }
}
