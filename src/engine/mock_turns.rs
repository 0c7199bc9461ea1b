//! Moving a mock interview on: finishing a question with its verdict, asking the next one in turn
//! (never one asked in this mock, nor the channel's open question of the day), time running out,
//! idle mocks ending, and the end with its report.

use chrono::{DateTime, Duration, Utc};

use super::Engine;
use crate::core::command::{ChannelRef, Platform};
use crate::core::mock::{self, MockCard, MockReply};
use crate::core::reply::{Audience, Reply, ReplyBody};
use crate::core::round::Origin;
use crate::store::mock_questions::MockQuestionRow;
use crate::store::mocks::MockRow;

impl Engine {
    /// Finishes the current question (if any) and asks the next one, or ends the mock after the last.
    pub(super) async fn advance_mock(
        &self,
        mock: &MockRow,
        channel: &ChannelRef,
        current: Option<&MockQuestionRow>,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Vec<Reply>> {
        let next = match current {
            Some(question) => {
                if !self.finish_question(question, now).await? {
                    return Ok(Vec::new());
                }
                question.number + 1
            }
            None => self.store.mock_questions(mock.id).await?.len(),
        };
        if next >= usize::from(mock.questions) {
            return self.end_mock(mock, channel, None, now).await;
        }
        self.ask_mock_question(mock, channel, next, now).await
    }

    async fn finish_question(
        &self,
        question: &MockQuestionRow,
        now: DateTime<Utc>,
    ) -> anyhow::Result<bool> {
        let bank = self.bank();
        let score = bank.question(&question.question_id).map_or(0, |asked| {
            let written = question.written.as_ref().map(|w| w.checklist.as_slice());
            mock::verdict(&asked.key_points, &question.ticks, written).score
        });
        self.store
            .finish_mock_question(question.id, score, now)
            .await
    }

    async fn ask_mock_question(
        &self,
        mock: &MockRow,
        channel: &ChannelRef,
        number: usize,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Vec<Reply>> {
        let members = self.store.mock_members(mock.id).await?;
        let Some(starter) = members.first() else {
            anyhow::bail!("mock {} has no members", mock.id);
        };
        let candidates: Vec<String> = members[1..].iter().map(|m| m.external_id.clone()).collect();
        let Some((interviewer, candidate)) = mock::turn(number, &starter.external_id, &candidates)
        else {
            return self.end_mock(mock, channel, None, now).await;
        };
        let find = |id: &str| members.iter().find(|m| m.external_id == id);
        let (Some(interviewer), Some(candidate)) = (find(interviewer), find(candidate)) else {
            anyhow::bail!("mock {} lost a member", mock.id);
        };
        let asked: Vec<String> = self
            .store
            .mock_questions(mock.id)
            .await?
            .into_iter()
            .map(|q| q.question_id)
            .collect();
        let mut asked: Vec<&str> = asked.iter().map(String::as_str).collect();
        // Never the channel's open question of the day: that would give away its answers.
        let open = self.open_round(mock.channel_id).await?;
        if let Some(open) = open.as_ref().filter(|r| r.origin == Origin::Daily) {
            asked.push(open.question.as_str());
        }
        let bank = self.bank();
        let difficulty = mock
            .difficulty
            .as_deref()
            .and_then(crate::core::bank::Difficulty::parse);
        let picked = self
            .pick_question(
                &bank,
                channel.platform,
                mock.channel_id,
                mock.topic.as_deref(),
                difficulty,
                &asked,
            )
            .await;
        let question = match picked {
            Ok(question) => question,
            // Every matching question was asked in this mock: it ends early with what it has.
            Err(_) => return self.end_mock(mock, channel, None, now).await,
        };
        let deadline = now
            .checked_add_signed(Duration::minutes(i64::from(mock.minutes)))
            .ok_or_else(|| {
                anyhow::anyhow!("a mock question asked at {now} ends beyond the calendar")
            })?;
        let Some(row) = self
            .store
            .ask_mock_question(
                mock.id,
                number,
                question.id.as_str(),
                interviewer.user_id,
                candidate.user_id,
                now,
                deadline,
            )
            .await?
        else {
            return Ok(Vec::new());
        };
        let card = MockCard {
            session: mock.id,
            number: number + 1,
            total: mock.questions,
            prompt: question.prompt.clone(),
            interviewer: interviewer.display_name.clone(),
            candidate: candidate.display_name.clone(),
            deadline,
            minutes: mock.minutes,
        };
        let rubric = self.rubric(mock.id, &row)?;
        Ok(vec![
            Reply {
                channel: channel.clone(),
                audience: Audience::Channel,
                body: ReplyBody::Mock(MockReply::Question(card)),
            },
            Reply {
                channel: channel.clone(),
                audience: Audience::User(interviewer.external_id.clone()),
                body: ReplyBody::Mock(MockReply::Rubric(rubric)),
            },
        ])
    }

    /// Ends a mock once: finishes its current question, posts the report, and gives each candidate
    /// their own part privately.
    pub(super) async fn end_mock(
        &self,
        mock: &MockRow,
        channel: &ChannelRef,
        current: Option<&MockQuestionRow>,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Vec<Reply>> {
        if let Some(question) = current {
            self.finish_question(question, now).await?;
        }
        if !self.store.end_mock(mock.id, now).await? {
            return Ok(Vec::new());
        }
        // Another task may have asked a question between reading `current` and ending: no question
        // can be asked any more, so whatever is still open is finished now.
        if let Some(question) = self.store.current_mock_question(mock.id).await? {
            self.finish_question(&question, now).await?;
        }
        let (report, per_candidate) = self.report(mock).await?;
        let mut replies = vec![Reply {
            channel: channel.clone(),
            audience: Audience::Channel,
            body: ReplyBody::Mock(MockReply::Report(report)),
        }];
        replies.extend(per_candidate.into_iter().map(|(user, own)| Reply {
            channel: channel.clone(),
            audience: Audience::User(user),
            body: ReplyBody::Mock(MockReply::OwnDetail(own)),
        }));
        Ok(replies)
    }

    /// Mocks whose question ran out of time move on; mocks idle for two hours end. Part of
    /// `run_due`, so the same ticker and clock drive them.
    pub(super) async fn run_due_mocks(
        &self,
        now: DateTime<Utc>,
        platform: Option<Platform>,
    ) -> anyhow::Result<Vec<Reply>> {
        let mut replies = Vec::new();
        let idle_since = now
            .checked_sub_signed(Duration::minutes(mock::IDLE_MINUTES))
            .unwrap_or(DateTime::<Utc>::MIN_UTC);
        for (id, idle) in self.store.mocks_due(now, idle_since).await? {
            let due = async {
                let Some(mock) = self.store.mock(id).await? else {
                    return Ok(Vec::new());
                };
                let channel = self.store.channel_ref(mock.channel_id).await?;
                if platform.is_some_and(|p| p != channel.platform) {
                    return Ok(Vec::new());
                }
                let current = self.store.current_mock_question(id).await?;
                if idle {
                    return self.end_mock(&mock, &channel, current.as_ref(), now).await;
                }
                let Some(question) = current else {
                    // Running with no open question: a process stopped between finishing one
                    // question and asking the next. The ticker asks it now.
                    return self.advance_mock(&mock, &channel, None, now).await;
                };
                if question.deadline_at > now {
                    return Ok(Vec::new());
                }
                let time_up = Reply {
                    channel: channel.clone(),
                    audience: Audience::Channel,
                    body: ReplyBody::Mock(MockReply::TimeUp {
                        session: id,
                        number: question.number + 1,
                    }),
                };
                let mut more = self
                    .advance_mock(&mock, &channel, Some(&question), now)
                    .await?;
                if !more.is_empty() {
                    more.insert(0, time_up);
                }
                anyhow::Ok(more)
            };
            match due.await {
                Ok(more) => replies.extend(more),
                Err(err) => tracing::error!(error = ?err, mock = id, "a mock step failed"),
            }
        }
        Ok(replies)
    }
}
