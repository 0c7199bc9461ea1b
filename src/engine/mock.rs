//! Mock interviews: starting one with its candidates, joining before the first question, and each
//! step a user takes (next, the interviewer's private rubric, ticks and note, the candidate's written
//! answer graded as usual, the end), with who may take it checked here; history. Moving on between
//! questions is in `mock_turns`, the report in `mock_report`.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::{private, public, refuse, Engine, Refusal};
use crate::core::command::{Actor, Candidate, Command, MockAction, MockStart};
use crate::core::grade::grade;
use crate::core::grammar::Grammar;
use crate::core::mock::{self, Lineup, MockReply};
use crate::core::reply::{Reply, ReplyBody};
use crate::store::mock_questions::WrittenAnswer;
use crate::store::mocks::{MockRow, MockState, NewMock, Seating};
use crate::store::ChannelIds;

const NOT_IN_A_MOCK: &str = "You are not in a running mock interview here.";
const ENDED: &str = "That mock interview has ended.";

impl Engine {
    /// `target` is the mock a button names and the question it was shown with, if the command came
    /// from a button.
    pub(super) async fn mock(
        &self,
        command: &Command,
        ids: ChannelIds,
        target: (Option<i64>, Option<usize>),
        action: &MockAction,
        now: DateTime<Utc>,
    ) -> Result<Vec<Reply>, Refusal> {
        let (session, at) = target;
        let actor = self
            .store
            .user_id(command.channel.platform, &command.actor)
            .await?;
        match action {
            MockAction::Start(start) => self.start_mock(command, ids, actor, start, now).await,
            MockAction::Join => self.join_mock(command, ids, actor, session, now).await,
            MockAction::History { user } => {
                self.mock_history(command, actor, user.as_deref()).await
            }
            MockAction::MyPart => self.my_part(command, session).await,
            _ => {
                let mock = self.mock_of(command, ids, actor, session).await?;
                self.mock_step(command, &mock, actor, at, action, now).await
            }
        }
    }

    /// The mock a command acts on: the one its button names, or the actor's live one here.
    async fn mock_of(
        &self,
        command: &Command,
        ids: ChannelIds,
        actor: i64,
        session: Option<i64>,
    ) -> Result<MockRow, Refusal> {
        let mock = match session {
            Some(id) => self.store.mock(id).await?,
            None => {
                self.store
                    .live_mock_of(ids.channel, &command.channel.channel, actor)
                    .await?
            }
        };
        match mock {
            Some(mock) if mock.state == MockState::Ended => refuse(ENDED),
            Some(mock) => Ok(mock),
            None => refuse(format!(
                "{NOT_IN_A_MOCK} Start one with `{}`.",
                Grammar::of(command.channel.platform).command("mock start with NAME")
            )),
        }
    }

    async fn start_mock(
        &self,
        command: &Command,
        ids: ChannelIds,
        starter: i64,
        start: &MockStart,
        now: DateTime<Utc>,
    ) -> Result<Vec<Reply>, Refusal> {
        if start.candidates.iter().any(|c| c.is_bot) {
            return refuse("Bots cannot answer in a mock interview; name people.");
        }
        if start
            .candidates
            .iter()
            .any(|c| c.user == command.actor.user)
        {
            return refuse(
                "You interview first, so you cannot also answer; name the others who answer.",
            );
        }
        let bank = self.bank();
        // A topic or difficulty with no question is refused before anything starts.
        self.pick_question(
            &bank,
            command.channel.platform,
            ids.channel,
            start.topic.as_deref(),
            start.difficulty,
            &[],
        )
        .await?;
        let mut candidates = Vec::new();
        for candidate in dedupe(&start.candidates) {
            let user = self.candidate_row(command, candidate).await?;
            candidates.push(user);
        }
        let difficulty = start.difficulty.map(|d| d.as_str());
        let created = self
            .store
            .create_mock(
                NewMock {
                    channel: ids.channel,
                    starter,
                    topic: start.topic.as_deref(),
                    difficulty,
                    questions: start.questions,
                    minutes: start.minutes,
                    candidates: &candidates,
                },
                now,
            )
            .await?;
        let session = match created {
            Seating::Done(session) => session,
            Seating::AlreadyInOne(user) if user == starter => {
                return refuse("You are already in a mock interview here; end it first.")
            }
            Seating::AlreadyInOne(_) => {
                return refuse("Someone you named is already in a mock interview here.")
            }
        };
        Ok(vec![public(command, self.lineup(session).await?)])
    }

    /// The row of a named candidate, created if they never used the bot.
    async fn candidate_row(&self, command: &Command, candidate: &Candidate) -> anyhow::Result<i64> {
        let actor = Actor {
            user: candidate.user.clone(),
            // A name equal to the id never replaces a name the platform gave before.
            display_name: candidate
                .display_name
                .clone()
                .unwrap_or_else(|| candidate.user.clone()),
            is_admin: false,
        };
        let id = self.store.user_id(command.channel.platform, &actor).await?;
        Ok(id)
    }

    async fn join_mock(
        &self,
        command: &Command,
        ids: ChannelIds,
        actor: i64,
        session: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<Vec<Reply>, Refusal> {
        let mock = match session {
            Some(id) => self.store.mock(id).await?,
            None => {
                self.store
                    .gathering_mock_in(ids.channel, &command.channel.channel)
                    .await?
            }
        };
        let Some(mock) = mock else {
            return refuse("There is no mock interview to join here.");
        };
        if mock.state != MockState::Gathering {
            return refuse("That mock interview has already begun; join the next one.");
        }
        match self.store.join_mock(&mock, actor, now).await? {
            Some(Seating::Done(_)) => Ok(vec![public(command, self.lineup(mock.id).await?)]),
            Some(Seating::AlreadyInOne(_)) => refuse("You are already in a mock interview here."),
            None => refuse("That mock interview has already begun; join the next one."),
        }
    }

    /// A step of a live mock: next, rubric, ticks, an answer, a note, the end.
    async fn mock_step(
        &self,
        command: &Command,
        mock: &MockRow,
        actor: i64,
        at: Option<usize>,
        action: &MockAction,
        now: DateTime<Utc>,
    ) -> Result<Vec<Reply>, Refusal> {
        let current = self.store.current_mock_question(mock.id).await?;
        let now_at = current.as_ref().map_or(0, |q| q.number + 1);
        if at.is_some_and(|at| at != now_at) {
            return refuse(match now_at {
                0 => "That button is from an earlier step; this mock interview has moved on.".into(),
                n => format!(
                    "That button is from an earlier step; this mock interview is on question {n} now."
                ),
            });
        }
        let is_interviewer = match &current {
            Some(q) => q.interviewer_id == actor,
            None => mock.starter_id == actor,
        };
        let channel = command.channel.clone();
        match action {
            MockAction::Next => {
                if !is_interviewer {
                    return refuse("Only the interviewer moves the mock interview on.");
                }
                self.advance_mock(mock, &channel, current.as_ref(), now)
                    .await
                    .map_err(Refusal::from)
            }
            MockAction::End => {
                if !is_interviewer && mock.starter_id != actor {
                    return refuse("Only the interviewer or whoever started the mock can end it.");
                }
                self.end_mock(mock, &channel, current.as_ref(), now)
                    .await
                    .map_err(Refusal::from)
            }
            MockAction::Answer(text) => {
                let Some(question) = current.filter(|q| q.candidate_id == actor) else {
                    return refuse("Only the candidate of the current question answers it.");
                };
                let Some(asked) = self.bank().question(&question.question_id).cloned() else {
                    return refuse("That question is no longer in the bank.");
                };
                let result = grade(&asked, text.as_str());
                let written = WrittenAnswer {
                    score: result.score,
                    checklist: result.checklist,
                };
                if !self
                    .store
                    .set_mock_answer(&question, text.as_str(), &written, now)
                    .await?
                {
                    return refuse("That question has moved on; your answer was not recorded.");
                }
                Ok(vec![private(
                    command,
                    ReplyBody::Mock(MockReply::AnswerTaken {
                        session: mock.id,
                        number: question.number + 1,
                    }),
                )])
            }
            MockAction::Rubric
            | MockAction::Tick { .. }
            | MockAction::Toggle { .. }
            | MockAction::Note(_) => {
                let Some(question) = current.filter(|q| q.interviewer_id == actor) else {
                    return refuse("Only the current interviewer sees the rubric.");
                };
                self.interviewer_step(command, mock, question, action, now)
                    .await
            }
            MockAction::Start(_)
            | MockAction::Join
            | MockAction::MyPart
            | MockAction::History { .. } => {
                refuse("That is not a step of a running mock interview.")
            }
        }
    }

    /// The clicker's own part of an ended mock's report, privately.
    async fn my_part(
        &self,
        command: &Command,
        session: Option<i64>,
    ) -> Result<Vec<Reply>, Refusal> {
        let mock = match session {
            Some(id) => self.store.mock(id).await?,
            None => None,
        };
        let Some(mock) = mock.filter(|m| m.state == MockState::Ended) else {
            return refuse("Your part is shown once the mock interview has ended.");
        };
        let (_, parts) = self.report(&mock).await?;
        let user = &command.actor.user;
        match parts.into_iter().find(|(candidate, _)| candidate == user) {
            Some((_, own)) => Ok(vec![private(
                command,
                ReplyBody::Mock(MockReply::OwnDetail(own)),
            )]),
            None => refuse("You answered no question in that mock interview."),
        }
    }

    async fn mock_history(
        &self,
        command: &Command,
        actor: i64,
        user: Option<&str>,
    ) -> Result<Vec<Reply>, Refusal> {
        let (user, display_name) = match user {
            None => (actor, command.actor.display_name.clone()),
            Some(external) => match self
                .store
                .find_user(command.channel.platform, external)
                .await?
            {
                Some(found) => found,
                None => return refuse("That user has not taken part in anything yet."),
            },
        };
        let mut mocks: Vec<(i64, DateTime<Utc>, usize, u8)> = Vec::new();
        let mut sums: HashMap<i64, u32> = HashMap::new();
        for (mock, started, score) in self.store.mock_history(user).await? {
            *sums.entry(mock).or_default() += u32::from(score);
            match mocks.iter_mut().find(|m| m.0 == mock) {
                Some(entry) => entry.2 += 1,
                None => mocks.push((mock, started, 1, 0)),
            }
        }
        for entry in &mut mocks {
            let sum = sums.get(&entry.0).copied().unwrap_or(0);
            entry.3 = u8::try_from(sum / entry.2.max(1) as u32).unwrap_or(100);
        }
        Ok(vec![private(
            command,
            ReplyBody::Mock(MockReply::History(mock::History {
                display_name,
                mocks,
            })),
        )])
    }

    async fn lineup(&self, session: i64) -> anyhow::Result<ReplyBody> {
        let Some(mock) = self.store.mock(session).await? else {
            anyhow::bail!("mock {session} vanished");
        };
        let members = self.store.mock_members(session).await?;
        let name = |m: &crate::store::mocks::Member| m.display_name.clone();
        Ok(ReplyBody::Mock(MockReply::Lineup(Lineup {
            session,
            starter: members.first().map(name).unwrap_or_default(),
            candidates: members.iter().skip(1).map(name).collect(),
            questions: mock.questions,
            minutes: mock.minutes,
            topic: mock.topic,
        })))
    }
}

/// The candidates, each once, in the order named.
fn dedupe(candidates: &[Candidate]) -> Vec<&Candidate> {
    let mut seen = Vec::new();
    candidates
        .iter()
        .filter(|c| {
            let first = !seen.contains(&c.user);
            seen.push(c.user.clone());
            first
        })
        .collect()
}
