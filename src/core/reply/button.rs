//! The buttons under the bot's messages: what each acts on, how a platform carries it (a kind and a
//! value) and gets it back, and which buttons each reply shows.

use super::{MockReply, ReplyBody};
use crate::core::practice::{PracticeReply, Rating};

/// A button under a message. Each acts on one round, so a click on an old message never acts on a
/// newer question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Button {
    /// Opens the answer form for the question's round.
    Answer { round: i64 },
    /// Shows the clicker their own checklist for a revealed round.
    MyResult { round: i64 },
    /// Joins a mock before its first question.
    MockJoin { session: i64 },
    /// Asks a mock's first question, or moves on (the interviewer). `at` is the question it was
    /// shown with (1-based; 0 on the lineup), so an old button cannot skip a newer question.
    MockNext { session: i64, at: usize },
    /// Shows the interviewer the rubric of question `at`.
    MockRubric { session: i64, at: usize },
    /// Opens the candidate's answer form for question `at`.
    MockAnswer { session: i64, at: usize },
    /// Shows the clicker their own part of an ended mock's report.
    MockMyPart { session: i64 },
    /// Ticks or unticks one key point (0-based) of question `at`.
    MockTick {
        session: i64,
        at: usize,
        key_point: usize,
        ticked: bool,
    },
    /// Opens the answer form of a practice card.
    PracticeAnswer { card: i64 },
    /// Rates an answered practice card as the player sees it.
    PracticeRate { card: i64, rating: Rating },
}

impl Button {
    /// What kind of button this is, as platforms carry it (an id beside its value).
    pub fn kind(&self) -> &'static str {
        match self {
            Button::Answer { .. } => "answer",
            Button::MyResult { .. } => "result",
            Button::MockJoin { .. } => "mjoin",
            Button::MockNext { .. } => "mnext",
            Button::MockRubric { .. } => "mrubric",
            Button::MockAnswer { .. } => "manswer",
            Button::MockTick { .. } => "mtick",
            Button::MockMyPart { .. } => "mpart",
            Button::PracticeAnswer { .. } => "panswer",
            Button::PracticeRate { .. } => "prate",
        }
    }

    /// What the button acts on: a round, a mock, or a mock and a key point (`12.3`).
    pub fn value(&self) -> String {
        match self {
            Button::Answer { round } | Button::MyResult { round } => round.to_string(),
            Button::PracticeAnswer { card } => card.to_string(),
            Button::PracticeRate { card, rating } => format!("{card}.{}", rating.index()),
            Button::MockJoin { session } | Button::MockMyPart { session } => session.to_string(),
            Button::MockNext { session, at }
            | Button::MockAnswer { session, at }
            | Button::MockRubric { session, at } => format!("{session}.{at}"),
            Button::MockTick {
                session,
                at,
                key_point,
                ..
            } => format!("{session}.{at}.{key_point}"),
        }
    }

    pub fn label(&self) -> String {
        match self {
            Button::Answer { .. } | Button::MockAnswer { .. } | Button::PracticeAnswer { .. } => {
                "Answer".into()
            }
            Button::PracticeRate { rating, .. } => {
                let name = rating.as_str();
                name[..1].to_ascii_uppercase() + &name[1..]
            }
            Button::MyResult { .. } | Button::MockMyPart { .. } => "My result".into(),
            Button::MockJoin { .. } => "Join".into(),
            Button::MockNext { .. } => "Next".into(),
            Button::MockRubric { .. } => "Rubric".into(),
            Button::MockTick {
                key_point, ticked, ..
            } => format!("{} {}", if *ticked { "☑" } else { "☐" }, key_point + 1),
        }
    }

    /// The button a message leads with (drawn as the primary one).
    pub fn is_primary(&self) -> bool {
        matches!(
            self,
            Button::Answer { .. }
                | Button::MockJoin { .. }
                | Button::MockTick { ticked: true, .. }
                | Button::PracticeAnswer { .. }
        )
    }

    /// The button of a kind and value as a platform sent them back; `None` for anything else.
    pub fn from_parts(kind: &str, value: &str) -> Option<Button> {
        let mut parts = value.split('.');
        let id = parts.next()?.parse::<i64>().ok()?;
        let mut number = || parts.next().and_then(|p| p.parse::<usize>().ok());
        let button = match kind {
            "answer" => Button::Answer { round: id },
            "result" => Button::MyResult { round: id },
            "mjoin" => Button::MockJoin { session: id },
            "mrubric" => Button::MockRubric {
                session: id,
                at: number()?,
            },
            "mpart" => Button::MockMyPart { session: id },
            "mnext" => Button::MockNext {
                session: id,
                at: number()?,
            },
            "manswer" => Button::MockAnswer {
                session: id,
                at: number()?,
            },
            "mtick" => Button::MockTick {
                session: id,
                at: number()?,
                key_point: number()?,
                ticked: false,
            },
            "panswer" => Button::PracticeAnswer { card: id },
            "prate" => Button::PracticeRate {
                card: id,
                rating: *Rating::ALL.get(number()?)?,
            },
            _ => return None,
        };
        // Nothing may follow what the button carries.
        number().is_none().then_some(button)
    }
}

impl ReplyBody {
    /// The buttons shown under the reply.
    pub fn buttons(&self) -> Vec<Button> {
        match self {
            ReplyBody::QuestionCard(card) => vec![Button::Answer { round: card.round }],
            ReplyBody::Reveal(reveal) => vec![Button::MyResult {
                round: reveal.round,
            }],
            ReplyBody::Mock(MockReply::Lineup(lineup)) => vec![
                Button::MockJoin {
                    session: lineup.session,
                },
                Button::MockNext {
                    session: lineup.session,
                    at: 0,
                },
            ],
            ReplyBody::Mock(MockReply::Report(report)) => vec![Button::MockMyPart {
                session: report.session,
            }],
            ReplyBody::Mock(MockReply::Question(card)) => vec![
                Button::MockAnswer {
                    session: card.session,
                    at: card.number,
                },
                Button::MockRubric {
                    session: card.session,
                    at: card.number,
                },
                Button::MockNext {
                    session: card.session,
                    at: card.number,
                },
            ],
            ReplyBody::Mock(MockReply::Rubric(rubric)) => rubric
                .key_points
                .iter()
                .enumerate()
                .map(|(key_point, (_, ticked))| Button::MockTick {
                    session: rubric.session,
                    at: rubric.number,
                    key_point,
                    ticked: *ticked,
                })
                .chain([Button::MockNext {
                    session: rubric.session,
                    at: rubric.number,
                }])
                .collect(),
            ReplyBody::Practice(PracticeReply::Card(question)) => {
                vec![Button::PracticeAnswer {
                    card: question.card,
                }]
            }
            ReplyBody::Practice(
                reply @ (PracticeReply::Result(_) | PracticeReply::Rated { .. }),
            ) => {
                let card = reply.card().unwrap_or_default();
                Rating::ALL
                    .into_iter()
                    .map(|rating| Button::PracticeRate { card, rating })
                    .collect()
            }
            _ => Vec::new(),
        }
    }
}
