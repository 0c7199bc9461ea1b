//! Slack's Web API through slack-morphism's client: posts and thread replies, ephemeral messages,
//! the answer modal, user look-ups, and answers on a command's or a click's `response_url`.

use anyhow::Context as _;
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::connect::HttpConnector;
use slack_morphism::prelude::*;

use crate::config::SlackConfig;
use crate::core::command::MAX_ANSWER_CHARS;
use crate::core::reply::Reply;
use crate::deliver::{DirectError, ANSWER_FORM_LABEL, ANSWER_FORM_TITLE, PLATFORM_CALL_TIMEOUT};
use crate::slack::answer_form::AnswerForm;
use crate::slack::render::is_post_of;

/// What `users.info` says of a user that the bot uses.
pub(super) struct UserFacts {
    pub is_admin: bool,
    pub is_bot: bool,
    pub name: Option<String>,
}

/// A Web API call, given up after [`PLATFORM_CALL_TIMEOUT`].
async fn timed<T, E>(call: impl std::future::Future<Output = Result<T, E>>) -> anyhow::Result<T>
where
    E: std::error::Error + Send + Sync + 'static,
{
    match tokio::time::timeout(PLATFORM_CALL_TIMEOUT, call).await {
        Ok(answered) => Ok(answered?),
        Err(_) => anyhow::bail!("Slack did not answer within {PLATFORM_CALL_TIMEOUT:?}"),
    }
}

/// How many of a channel's latest messages (or of a thread's, per page) are searched for a post
/// whose reference was lost.
const RECENT_MESSAGES: u16 = 100;
/// How many pages of a thread's replies are searched.
const THREAD_PAGES: usize = 10;

/// What `chat.postMessage` answers when a user cannot be sent a direct message.
const DM_REFUSALS: &[&str] = &[
    "channel_not_found",
    "user_not_found",
    "user_disabled",
    "cannot_dm_bot",
    "messages_tab_disabled",
    "is_archived",
];

/// The modal's callback id and its answer input.
pub(super) const ANSWER_MODAL: &str = "answer";
pub(super) const ANSWER_BLOCK: &str = "answer_block";
pub(super) const ANSWER_INPUT: &str = "answer_input";

pub(super) type Connector = SlackClientHyperConnector<HttpsConnector<HttpConnector>>;

/// Slack's Web API, with the bot token.
pub struct WebApi {
    pub(super) client: SlackClient<Connector>,
    token: SlackApiToken,
}

impl WebApi {
    /// A client for `api_url` (Slack's own when `None`); a plain `http://` URL (a proxy or a test
    /// fake) works too.
    pub fn new(config: &SlackConfig) -> anyhow::Result<WebApi> {
        // Bundled root certificates, as serenity uses: the bot needs no CA bundle on the host (the
        // slim container image has none).
        let https_or_http = hyper_rustls::HttpsConnectorBuilder::new()
            .with_webpki_roots()
            .https_or_http()
            .enable_http1()
            .build();
        let mut connector = SlackClientHyperConnector::with_connector(https_or_http);
        if let Some(url) = &config.api_url {
            // slack-morphism joins the base and the method with a `/`.
            connector = connector.with_slack_api_url(url.trim_end_matches('/'));
        }
        Ok(WebApi {
            client: SlackClient::new(connector),
            token: SlackApiToken::new(SlackApiTokenValue::new(
                config.bot_token.expose().to_string(),
            )),
        })
    }

    pub(super) async fn post(
        &self,
        channel: &str,
        message: SlackMessageContent,
        thread: Option<String>,
    ) -> anyhow::Result<String> {
        let mut request =
            SlackApiChatPostMessageRequest::new(SlackChannelId::new(channel.to_string()), message);
        if let Some(thread) = thread {
            request = request.with_thread_ts(SlackTs::new(thread));
        }
        let posted = timed(
            self.client
                .open_session(&self.token)
                .chat_post_message(&request),
        )
        .await?;
        Ok(posted.ts.to_string())
    }

    /// The `ts` of the bot's post of `reply` among the latest [`RECENT_MESSAGES`] messages of its
    /// channel, or among the replies in the thread of `thread` (read page by page, oldest first, up
    /// to [`THREAD_PAGES`] pages).
    pub(super) async fn find_post(
        &self,
        reply: &Reply,
        thread: Option<&str>,
    ) -> anyhow::Result<Option<String>> {
        let channel = SlackChannelId::new(reply.channel.channel.clone());
        let session = self.client.open_session(&self.token);
        let found = |messages: Vec<SlackHistoryMessage>| {
            messages
                .into_iter()
                .find(|m| m.sender.bot_id.is_some() && is_post_of(&m.content, reply))
                .map(|m| m.origin.ts.to_string())
        };
        let Some(thread) = thread else {
            let latest = timed(
                session.conversations_history(
                    &SlackApiConversationsHistoryRequest::new()
                        .with_channel(channel)
                        .with_limit(RECENT_MESSAGES)
                        .with_include_all_metadata(true),
                ),
            )
            .await?;
            return Ok(found(latest.messages));
        };
        let mut cursor = None;
        for _ in 0..THREAD_PAGES {
            let mut request = SlackApiConversationsRepliesRequest::new(
                channel.clone(),
                SlackTs::new(thread.into()),
            )
            .with_limit(RECENT_MESSAGES);
            if let Some(cursor) = cursor.take() {
                request = request.with_cursor(cursor);
            }
            let page = timed(session.conversations_replies(&request)).await?;
            cursor = page
                .response_metadata
                .and_then(|m| m.next_cursor)
                .filter(|c| !c.0.is_empty());
            if let Some(ts) = found(page.messages) {
                return Ok(Some(ts));
            }
            if cursor.is_none() {
                break;
            }
        }
        Ok(None)
    }

    /// Posts to the user's direct messages with the app (`chat.postMessage` to the user's id). An
    /// answer that the user cannot be messaged is a refusal; anything else may pass.
    pub(super) async fn post_direct(
        &self,
        user: &str,
        message: SlackMessageContent,
    ) -> Result<(), DirectError> {
        let request =
            SlackApiChatPostMessageRequest::new(SlackChannelId::new(user.to_string()), message);
        let session = self.client.open_session(&self.token);
        match tokio::time::timeout(PLATFORM_CALL_TIMEOUT, session.chat_post_message(&request)).await
        {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(slack_morphism::errors::SlackClientError::ApiError(refused)))
                if DM_REFUSALS.contains(&refused.code.as_str()) =>
            {
                Err(DirectError::Refused)
            }
            Ok(Err(err)) => Err(DirectError::Failed(err.into())),
            Err(_) => Err(DirectError::Failed(anyhow::anyhow!(
                "Slack did not answer within {PLATFORM_CALL_TIMEOUT:?}"
            ))),
        }
    }

    pub(super) async fn post_private(
        &self,
        channel: &str,
        user: &str,
        message: SlackMessageContent,
    ) -> anyhow::Result<()> {
        let request = SlackApiChatPostEphemeralRequest::new(
            SlackChannelId::new(channel.to_string()),
            SlackUserId::new(user.to_string()),
            message,
        );
        timed(
            self.client
                .open_session(&self.token)
                .chat_post_ephemeral(&request),
        )
        .await?;
        Ok(())
    }

    /// Opens the answer modal for `form`, which it carries back on submission.
    pub(super) async fn open_answer_modal(
        &self,
        trigger: &str,
        form: &AnswerForm,
    ) -> anyhow::Result<()> {
        let input = SlackInputBlock::new(
            SlackBlockPlainTextOnly::from(ANSWER_FORM_LABEL),
            SlackInputBlockElement::PlainTextInput(
                SlackBlockPlainTextInputElement::new()
                    .with_action_id(SlackActionId::new(ANSWER_INPUT.to_string()))
                    .with_multiline(true)
                    .with_max_length(MAX_ANSWER_CHARS as u64),
            ),
        )
        .with_block_id(SlackBlockId::new(ANSWER_BLOCK.to_string()));
        let view = SlackView::Modal(
            SlackModalView::new(
                SlackBlockPlainTextOnly::from(ANSWER_FORM_TITLE),
                vec![SlackBlock::Input(input)],
            )
            .with_submit(SlackBlockPlainTextOnly::from("Send"))
            .with_callback_id(SlackCallbackId::new(ANSWER_MODAL.to_string()))
            .with_private_metadata(form.to_metadata()),
        );
        let request = SlackApiViewsOpenRequest::new(SlackTriggerId::new(trigger.to_string()), view);
        timed(self.client.open_session(&self.token).views_open(&request)).await?;
        Ok(())
    }

    /// What Slack says of a user: whether they administer the workspace, whether they are a bot,
    /// and the name to show.
    pub(super) async fn user_info(&self, user: &str) -> Option<UserFacts> {
        let request = SlackApiUsersInfoRequest::new(SlackUserId::new(user.to_string()));
        match timed(self.client.open_session(&self.token).users_info(&request)).await {
            Ok(info) => {
                let user = info.user;
                let is_admin =
                    user.flags.is_admin.unwrap_or(false) || user.flags.is_owner.unwrap_or(false);
                let is_bot = user.flags.is_bot.unwrap_or(false);
                let name = user
                    .profile
                    .as_ref()
                    .and_then(|p| p.display_name.clone().filter(|n| !n.is_empty()))
                    .or(user.real_name)
                    .or(user.name);
                Some(UserFacts {
                    is_admin,
                    is_bot,
                    name,
                })
            }
            Err(err) => {
                tracing::warn!(error = %err, "users.info failed");
                None
            }
        }
    }

    pub(super) async fn is_workspace_admin(&self, user: &str) -> bool {
        // Unknown means not an admin: a failed look-up never grants rights.
        self.user_info(user)
            .await
            .is_some_and(|facts| facts.is_admin)
    }

    /// Answers a slash command, a click or a form privately through a response URL: a new
    /// ephemeral message (Slack's default there), never one replacing the message clicked.
    pub(super) async fn respond_privately(
        &self,
        response_url: &str,
        message: SlackMessageContent,
    ) -> anyhow::Result<()> {
        let url = SlackResponseUrl::new(response_url.parse().context("response_url is not a URL")?);
        timed(self.client.respond_to_event(
            &url,
            &SlackApiPostWebhookMessageRequest::new(message).with_replace_original(false),
        ))
        .await?;
        Ok(())
    }
}
