//! What the answer modal carries in its private metadata, from the click that opened it to its
//! submission: the channel, the Answer button it was opened for (a round's, a mock's or a practice
//! card's), and the click's `response_url`, on which the submitter's result is shown.

use crate::core::reply::Button;

/// The channel and button an answer modal is for, and where to answer the user who submits it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct AnswerForm {
    pub channel: String,
    /// `None` when the metadata names no button this bot knows.
    pub button: Option<Button>,
    /// The response URL of the click that opened the modal, when Slack gave one.
    pub response_url: Option<String>,
}

impl AnswerForm {
    /// `channel:kind:value`, then `:response_url` when there is one (ids, kinds and values hold no
    /// `:`; the URL, last, may).
    pub fn to_metadata(&self) -> String {
        let button = self.button.map_or_else(
            || ":".to_string(),
            |b| format!("{}:{}", b.kind(), b.value()),
        );
        let mut metadata = format!("{}:{button}", self.channel);
        if let Some(url) = &self.response_url {
            metadata.push(':');
            metadata.push_str(url);
        }
        metadata
    }

    /// The form a modal's metadata describes; `None` without a channel. A bare `channel:round`
    /// (forms opened before the button's kind was carried) is a round's answer form.
    pub fn from_metadata(metadata: &str) -> Option<AnswerForm> {
        let mut parts = metadata.splitn(4, ':');
        let channel = parts.next().filter(|c| !c.is_empty())?.to_string();
        let first = parts.next()?;
        let (button, response_url) = match parts.next() {
            Some(value) => (Button::from_parts(first, value), parts.next()),
            None => (Button::from_parts("answer", first), None),
        };
        Some(AnswerForm {
            channel,
            button,
            response_url: response_url.filter(|u| !u.is_empty()).map(str::to_string),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::practice::Rating;

    #[test]
    fn a_form_comes_back_from_its_metadata_with_its_button_and_response_url() {
        let url = "https://hooks.slack.com/actions/T1/123/abc:def";
        for button in [
            Button::Answer { round: 7 },
            Button::MockAnswer { session: 3, at: 2 },
            Button::PracticeAnswer { card: 9 },
            Button::PracticeRate {
                card: 9,
                rating: Rating::Good,
            },
        ] {
            for response_url in [None, Some(url.to_string())] {
                let form = AnswerForm {
                    channel: "C1".into(),
                    button: Some(button),
                    response_url,
                };
                let metadata = form.to_metadata();
                assert_eq!(
                    AnswerForm::from_metadata(&metadata),
                    Some(form),
                    "{metadata}"
                );
            }
        }
    }

    #[test]
    fn an_older_form_names_its_round_alone_and_nonsense_names_no_button() {
        let older = AnswerForm::from_metadata("C1:42").expect("a form");
        assert_eq!(older.button, Some(Button::Answer { round: 42 }));
        assert_eq!(older.response_url, None);
        let unknown = AnswerForm::from_metadata("C1:dance:1").expect("a form");
        assert_eq!(unknown.button, None);
        assert_eq!(AnswerForm::from_metadata(""), None);
        assert_eq!(AnswerForm::from_metadata("C1"), None);
    }
}
