//! A fake Discord for tests: one server on 127.0.0.1 that speaks Discord's real wire protocol, so a
//! real serenity 0.12.5 + poise 0.7.1 client can run against it without any network access.
//!
//! This module owns:
//! - the REST API under `/api/v10/...` (gateway discovery, `users/@me`, application-command
//!   registration, interaction callbacks, interaction webhooks, channel messages, threads, direct
//!   message channels), which records every request and answers with complete JSON that serenity's
//!   models deserialize; a user may refuse direct messages, as Discord answers then (403, code
//!   50007);
//! - the gateway websocket at [`GATEWAY_PATH`] (HELLO, IDENTIFY → READY + GUILD_CREATE, heartbeat
//!   ACKs, RESUME → RESUMED, and dispatches pushed by the test);
//! - builders for complete `INTERACTION_CREATE` payloads (slash command, button click, modal
//!   submit) in the fake guild and channel.
//!
//! Point the bot at it with
//! `HttpBuilder::new(token).proxy(fake.base_url()).ratelimiter_disabled(true)`: serenity only uses
//! the proxy when its own ratelimiter is off. `ClientBuilder::new_with_http(..).start()` then asks
//! `GET /api/v10/gateway` for the websocket URL and appends `?v=10` itself.
//!
//! Dropping the [`FakeDiscord`] closes the gateway sessions and stops the server.
#![allow(dead_code)] // Each test crate includes this file and uses only part of it.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::extract::ws::{Message as WsMessage, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::serve::ListenerExt as _;
use axum::{Json, Router};
use serde_json::{json, Map, Value};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

pub const APPLICATION_ID: u64 = 1_100_000_000_000_000_001;
pub const BOT_USER_ID: u64 = 1_100_000_000_000_000_001;
pub const GUILD_ID: u64 = 1_200_000_000_000_000_001;
pub const CHANNEL_ID: u64 = 1_300_000_000_000_000_001;

/// The bot's name, as a user and as the application.
pub const BOT_NAME: &str = "interview-bot";
/// The fake guild's name (in GUILD_CREATE, so it is in serenity's cache).
pub const GUILD_NAME: &str = "Interview Practice";
/// The fake text channel's name.
pub const CHANNEL_NAME: &str = "interview-practice";
/// Where the gateway websocket listens (what `GET /api/v10/gateway` points to).
pub const GATEWAY_PATH: &str = "/gateway";

/// What the bot may do in [`CHANNEL_ID`]: view, send, embed, attach, read history, use
/// application commands, create public threads and post in them. Sent as `app_permissions`.
pub const BOT_PERMISSIONS: u64 = (1 << 10) // VIEW_CHANNEL
    | (1 << 11) // SEND_MESSAGES
    | (1 << 14) // EMBED_LINKS
    | (1 << 15) // ATTACH_FILES
    | (1 << 16) // READ_MESSAGE_HISTORY
    | (1 << 31) // USE_APPLICATION_COMMANDS
    | (1 << 35) // CREATE_PUBLIC_THREADS
    | (1 << 38); // SEND_MESSAGES_IN_THREADS

/// The owner of the fake guild and the fake application (nobody a test plays).
const OWNER_USER_ID: u64 = 1_400_000_000_000_000_001;
/// The managed role Discord gives the bot when it joins.
const BOT_ROLE_ID: u64 = 1_200_000_000_000_000_002;
/// What `@everyone` may do in the fake guild.
const EVERYONE_PERMISSIONS: u64 = (1 << 10) | (1 << 11) | (1 << 16) | (1 << 31) | (1 << 38);
/// APPLICATION_COMMAND_BADGE: what a bot with registered commands has.
const APPLICATION_FLAGS: u64 = 1 << 23;
/// Discord's usual heartbeat interval; serenity heartbeats once right away, then at this pace.
const HEARTBEAT_INTERVAL_MS: u64 = 41_250;
/// Milliseconds from the Unix epoch to Discord's (2015-01-01), for snowflakes.
const DISCORD_EPOCH_MS: u64 = 1_420_070_400_000;
const MESSAGE_FLAG_EPHEMERAL: u64 = 1 << 6;
const MESSAGE_FLAG_LOADING: u64 = 1 << 7;
const MESSAGE_TYPE_DEFAULT: u64 = 0;
const MESSAGE_TYPE_REPLY: u64 = 19;
const MESSAGE_TYPE_CHAT_INPUT_COMMAND: u64 = 20;
const INTERACTION_TYPE_COMMAND: u64 = 2;
const INTERACTION_TYPE_COMPONENT: u64 = 3;
const INTERACTION_TYPE_MODAL: u64 = 5;

/// One REST call the bot made.
#[derive(Debug, Clone)]
pub struct RecordedRequest {
    pub method: String,
    /// The path without the query string, e.g. `/api/v10/channels/1300…/messages`.
    pub path: String,
    /// The JSON body (for multipart uploads: the `payload_json` part); `Null` when empty or not JSON.
    pub body: serde_json::Value,
    pub at: std::time::Instant,
}

/// The running fake. See the module docs.
pub struct FakeDiscord {
    shared: Arc<Shared>,
    server: JoinHandle<()>,
    /// Dropping this tells gateway sessions and the HTTP server to shut down.
    _shutdown: watch::Sender<()>,
}

impl FakeDiscord {
    /// Starts REST + gateway on 127.0.0.1:0.
    pub async fn start() -> FakeDiscord {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("fake Discord: bind 127.0.0.1:0");
        let addr = listener
            .local_addr()
            .expect("fake Discord: local address of the listener");
        let (shutdown_tx, shutdown_rx) = watch::channel(());
        let shared = Arc::new(Shared::new(addr, shutdown_rx.clone()));
        let app = Router::new()
            .route(GATEWAY_PATH, any(open_gateway))
            .fallback(serve_rest)
            .with_state(Arc::clone(&shared));
        let server = tokio::spawn(async move {
            let mut shutdown = shutdown_rx;
            // Discord's servers send each gateway frame and response at once; without this, small
            // frames sent back to back would wait for the client's delayed ACK (Nagle), adding up to
            // 40 ms that no real gateway adds.
            let listener = listener.tap_io(|tcp| {
                let _ = tcp.set_nodelay(true);
            });
            let serving = axum::serve(listener, app).with_graceful_shutdown(async move {
                // Errs once the FakeDiscord (the sender) is dropped.
                let _ = shutdown.changed().await;
            });
            if let Err(err) = serving.await {
                eprintln!("fake Discord: server stopped: {err}");
            }
        });
        FakeDiscord {
            shared,
            server,
            _shutdown: shutdown_tx,
        }
    }

    /// e.g. "http://127.0.0.1:41234" — what the bot passes to HttpBuilder::proxy.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.shared.addr)
    }

    /// e.g. "ws://127.0.0.1:41234/gateway" — what `GET /api/v10/gateway` answers.
    pub fn gateway_url(&self) -> String {
        self.shared.gateway_url()
    }

    /// Waits until a client sent IDENTIFY and got READY.
    pub async fn wait_for_ready(&self, timeout: Duration) -> Result<(), String> {
        self.shared
            .wait_until(timeout, "a client to IDENTIFY and get READY", |state| {
                state.identify.as_ref().map(|_| ())
            })
            .await
    }

    /// The `d` of the last IDENTIFY a client sent (token, intents, shard, properties…).
    pub fn identify_payload(&self) -> Option<Value> {
        self.shared.lock().identify.clone()
    }

    /// Waits for the first PUT of application commands and returns its JSON body (the array of
    /// commands).
    pub async fn wait_for_commands(&self, timeout: Duration) -> Result<Value, String> {
        self.shared
            .wait_until(timeout, "a PUT of application commands", |state| {
                state.commands.first_put.clone()
            })
            .await
    }

    /// Sends a dispatch event (op 0) with the next sequence number to the connected client. If no
    /// client is connected yet, the event waits and goes out right after the next READY.
    pub fn dispatch(&self, event: &str, data: Value) {
        let frame = Dispatch {
            event: event.to_owned(),
            data,
        };
        self.shared.lock().gateway.send_or_queue(frame);
    }

    /// Every REST request so far, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.lock().requests.clone()
    }

    /// Waits for a REST request matching `pred` (the first such request so far, or the next one to
    /// arrive).
    pub async fn wait_for_request(
        &self,
        pred: impl Fn(&RecordedRequest) -> bool,
        timeout: Duration,
    ) -> Result<RecordedRequest, String> {
        self.wait_for_request_after(0, pred, timeout).await
    }

    /// Like [`Self::wait_for_request`], but only considers requests that arrived after the first
    /// `skip` (use `fake.requests().len()` before an action to see only what it causes).
    pub async fn wait_for_request_after(
        &self,
        skip: usize,
        pred: impl Fn(&RecordedRequest) -> bool,
        timeout: Duration,
    ) -> Result<RecordedRequest, String> {
        let found = self
            .shared
            .wait_until(timeout, "a matching REST request", |state| {
                state.requests.iter().skip(skip).find(|r| pred(r)).cloned()
            })
            .await;
        found.map_err(|err| format!("{err}; requests so far:\n{}", self.describe_requests()))
    }

    /// Every message the fake created (channel posts, interaction responses, follow-ups), as the
    /// full Message JSON it answered with, in creation order and with later edits applied. A
    /// clicked message that an interaction response deferred or updated is included too.
    /// Refuses (or allows again) reading a channel's messages, as when the bot lacks Read Message
    /// History.
    pub fn refuse_history(&self, refused: bool) {
        self.shared.lock().history_refused = refused;
    }

    pub fn messages(&self) -> Vec<Value> {
        self.shared.lock().messages.clone()
    }

    /// Makes `user_id` refuse direct messages from the bot (privacy settings, or a blocked bot):
    /// their DM channel still opens, but a message to it gets Discord's 403, code 50007.
    pub fn close_dms(&self, user_id: u64) {
        self.shared.update(|state| state.dms_closed.push(user_id));
    }

    /// The messages the bot sent to `user_id`'s DM channel, in order.
    pub fn direct_messages(&self, user_id: u64) -> Vec<Value> {
        let state = self.shared.lock();
        let Some(channel) = state.dm_channels.get(&user_id).copied() else {
            return Vec::new();
        };
        state
            .messages
            .iter()
            .filter(|m| id_field(m, "channel_id") == Some(channel))
            .cloned()
            .collect()
    }

    /// Slash command (type 2) in [`GUILD_ID`] / [`CHANNEL_ID`]. `options` is the exact Discord
    /// `options` array (a subcommand is `[{"type":1,"name":"set","options":[...]}]`, with
    /// `options` present even when empty). `data.id` is the id the fake gave the command when it
    /// was registered (a fresh one if it never was). `permissions` is the member's permission
    /// bitfield as a decimal string ("0", "32" for MANAGE_GUILD, "8" for ADMINISTRATOR).
    pub fn slash_command(
        &self,
        name: &str,
        options: Value,
        user_id: u64,
        user_name: &str,
        permissions: &str,
    ) -> Value {
        let (interaction_id, token) = self.shared.new_interaction_ids();
        self.shared.remember_user(user_id, user_name);
        let registered = self.shared.lock().commands.find(name);
        let (command_id, command_guild) =
            registered.unwrap_or_else(|| (self.shared.next_snowflake(), None));
        let options = if options.is_null() {
            json!([])
        } else {
            options
        };
        let mut data = json!({
            "id": command_id.to_string(),
            "name": name,
            "type": 1,
            "options": options,
        });
        if let Some(guild_id) = command_guild {
            data["guild_id"] = json!(guild_id.to_string());
        }
        let payload = interaction_json(InteractionSeed {
            id: interaction_id,
            token: &token,
            kind: INTERACTION_TYPE_COMMAND,
            data,
            channel_id: CHANNEL_ID,
            user_id,
            user_name,
            permissions,
        });
        self.shared.remember_interaction(
            &token,
            interaction_id,
            INTERACTION_TYPE_COMMAND,
            CHANNEL_ID,
            None,
        );
        payload
    }

    /// Button click (type 3) on `message` with `custom_id`. `message` may be the full Message JSON
    /// (e.g. from [`Self::messages`]) or just what the bot posted (a recorded request body):
    /// missing fields are filled in so it is a complete Message. The interaction happens in the
    /// message's channel (default [`CHANNEL_ID`]).
    pub fn button_click(
        &self,
        custom_id: &str,
        message: Value,
        user_id: u64,
        user_name: &str,
        permissions: &str,
    ) -> Value {
        let (interaction_id, token) = self.shared.new_interaction_ids();
        self.shared.remember_user(user_id, user_name);
        let message = complete_message(&self.shared, &message);
        let channel_id = id_field(&message, "channel_id").unwrap_or(CHANNEL_ID);
        let data = json!({ "custom_id": custom_id, "component_type": 2 });
        let mut payload = interaction_json(InteractionSeed {
            id: interaction_id,
            token: &token,
            kind: INTERACTION_TYPE_COMPONENT,
            data,
            channel_id,
            user_id,
            user_name,
            permissions,
        });
        payload["message"] = message.clone();
        self.shared.remember_interaction(
            &token,
            interaction_id,
            INTERACTION_TYPE_COMPONENT,
            channel_id,
            Some(message),
        );
        payload
    }

    /// Modal submit (type 5) with `custom_id` and text inputs `(input custom_id, value)`, each in
    /// its own action row, as Discord sends them.
    pub fn modal_submit(
        &self,
        custom_id: &str,
        inputs: &[(&str, &str)],
        user_id: u64,
        user_name: &str,
        permissions: &str,
    ) -> Value {
        let (interaction_id, token) = self.shared.new_interaction_ids();
        self.shared.remember_user(user_id, user_name);
        let rows: Vec<Value> = inputs
            .iter()
            .map(|(input_id, value)| {
                json!({
                    "type": 1,
                    "components": [{ "type": 4, "custom_id": input_id, "value": value }],
                })
            })
            .collect();
        let data = json!({ "custom_id": custom_id, "components": rows });
        let payload = interaction_json(InteractionSeed {
            id: interaction_id,
            token: &token,
            kind: INTERACTION_TYPE_MODAL,
            data,
            channel_id: CHANNEL_ID,
            user_id,
            user_name,
            permissions,
        });
        self.shared.remember_interaction(
            &token,
            interaction_id,
            INTERACTION_TYPE_MODAL,
            CHANNEL_ID,
            None,
        );
        payload
    }

    fn describe_requests(&self) -> String {
        self.shared
            .lock()
            .requests
            .iter()
            .map(|r| format!("  {} {} {}", r.method, r.path, r.body))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

impl Drop for FakeDiscord {
    fn drop(&mut self) {
        // `_shutdown` drops right after this, which closes gateway sessions and lets open HTTP
        // connections finish gracefully; the accept loop stops now.
        self.server.abort();
    }
}

// ---------------------------------------------------------------------------------------------
// Shared state
// ---------------------------------------------------------------------------------------------

/// State shared by the test-facing handle, the REST handler and gateway sessions.
struct Shared {
    addr: SocketAddr,
    state: Mutex<FakeState>,
    /// Bumped on every state change; waiters re-check their condition when it moves.
    changed: watch::Sender<u64>,
    /// Changes (errs) when the FakeDiscord is dropped.
    shutdown: watch::Receiver<()>,
    last_snowflake: AtomicU64,
    next_connection: AtomicU64,
}

#[derive(Default)]
struct FakeState {
    requests: Vec<RecordedRequest>,
    /// The `d` of the last IDENTIFY that got a READY.
    identify: Option<Value>,
    gateway: GatewayLink,
    commands: CommandRegistry,
    /// Every message created, in order (edits applied in place).
    messages: Vec<Value>,
    /// Reading a channel's messages is refused (403 Missing Access), as without Read Message History.
    history_refused: bool,
    /// Interactions the fake built, by token.
    interactions: HashMap<String, InteractionRecord>,
    /// The id of each interaction's original response message (in `messages`), by token.
    originals: HashMap<String, u64>,
    /// Threads started from messages.
    threads: Vec<Value>,
    /// The users the fake has seen in an interaction, by id, with their names.
    users: HashMap<u64, String>,
    /// Each user's DM channel with the bot, by user id (one per user, as on Discord).
    dm_channels: HashMap<u64, u64>,
    /// Users who refuse direct messages from the bot.
    dms_closed: Vec<u64>,
}

/// What the fake remembers about an interaction it built, to answer its callback and webhooks.
struct InteractionRecord {
    id: u64,
    kind: u64,
    channel_id: u64,
    /// The message a component was clicked on.
    message: Option<Value>,
    acknowledged: bool,
}

/// Registered application commands: the Command objects answered, per scope (None = global).
#[derive(Default)]
struct CommandRegistry {
    first_put: Option<Value>,
    by_scope: HashMap<Option<u64>, Vec<Value>>,
    /// Ids stay the same when a command is registered again under the same name, as on Discord.
    ids: HashMap<(Option<u64>, String), u64>,
}

impl CommandRegistry {
    /// The id and guild of the registered command called `name` (guild commands first).
    fn find(&self, name: &str) -> Option<(u64, Option<u64>)> {
        let mut scopes: Vec<&Option<u64>> = self.by_scope.keys().collect();
        scopes.sort_by_key(|scope| scope.is_none());
        scopes.into_iter().find_map(|scope| {
            self.by_scope[scope]
                .iter()
                .find(|command| command["name"] == name)
                .and_then(|command| id_field(command, "id"))
                .map(|id| (id, *scope))
        })
    }
}

/// A dispatch event waiting to be numbered and sent.
struct Dispatch {
    event: String,
    data: Value,
}

/// The live gateway session, if any, and events pushed while none was.
#[derive(Default)]
struct GatewayLink {
    session: Option<(u64, mpsc::UnboundedSender<Dispatch>)>,
    backlog: Vec<Dispatch>,
    sequence: u64,
}

impl GatewayLink {
    fn send_or_queue(&mut self, frame: Dispatch) {
        let frame = match &self.session {
            Some((_, sender)) => match sender.send(frame) {
                Ok(()) => return,
                Err(mpsc::error::SendError(frame)) => frame,
            },
            None => frame,
        };
        self.backlog.push(frame);
    }

    fn next_sequence(&mut self) -> u64 {
        self.sequence += 1;
        self.sequence
    }
}

impl Shared {
    fn new(addr: SocketAddr, shutdown: watch::Receiver<()>) -> Shared {
        Shared {
            addr,
            state: Mutex::new(FakeState::default()),
            changed: watch::channel(0).0,
            shutdown,
            last_snowflake: AtomicU64::new(0),
            next_connection: AtomicU64::new(1),
        }
    }

    fn lock(&self) -> MutexGuard<'_, FakeState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs `change` on the state and wakes waiters.
    fn update<T>(&self, change: impl FnOnce(&mut FakeState) -> T) -> T {
        let result = change(&mut self.lock());
        self.changed.send_modify(|version| *version += 1);
        result
    }

    async fn wait_until<T>(
        &self,
        timeout: Duration,
        what: &str,
        check: impl Fn(&FakeState) -> Option<T>,
    ) -> Result<T, String> {
        let mut changes = self.changed.subscribe();
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            changes.borrow_and_update();
            let found = check(&self.lock());
            if let Some(found) = found {
                return Ok(found);
            }
            match tokio::time::timeout_at(deadline, changes.changed()).await {
                Ok(Ok(())) => {}
                Ok(Err(_)) => return Err(format!("fake Discord stopped while waiting for {what}")),
                Err(_) => return Err(format!("timed out after {timeout:?} waiting for {what}")),
            }
        }
    }

    fn gateway_url(&self) -> String {
        format!("ws://{}{GATEWAY_PATH}", self.addr)
    }

    /// A fresh, increasing snowflake for the current time.
    fn next_snowflake(&self) -> u64 {
        let millis = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| since.as_millis() as u64);
        let now = millis.saturating_sub(DISCORD_EPOCH_MS) << 22;
        let mut last = self.last_snowflake.load(Ordering::Relaxed);
        loop {
            let next = now.max(last + 1);
            match self.last_snowflake.compare_exchange_weak(
                last,
                next,
                Ordering::Relaxed,
                Ordering::Relaxed,
            ) {
                Ok(_) => return next,
                Err(actual) => last = actual,
            }
        }
    }

    /// Notes a user who acted, so a DM channel with them can be opened.
    fn remember_user(&self, user_id: u64, user_name: &str) {
        self.lock().users.insert(user_id, user_name.to_owned());
    }

    fn new_interaction_ids(&self) -> (u64, String) {
        let id = self.next_snowflake();
        (id, format!("aW50ZXJhY3Rpb246{id}OmZha2UtdG9rZW4"))
    }

    fn remember_interaction(
        &self,
        token: &str,
        id: u64,
        kind: u64,
        channel_id: u64,
        message: Option<Value>,
    ) {
        let record = InteractionRecord {
            id,
            kind,
            channel_id,
            message,
            acknowledged: false,
        };
        self.lock().interactions.insert(token.to_owned(), record);
    }
}

// ---------------------------------------------------------------------------------------------
// Gateway
// ---------------------------------------------------------------------------------------------

async fn open_gateway(State(shared): State<Arc<Shared>>, upgrade: WebSocketUpgrade) -> Response {
    upgrade.on_upgrade(move |socket| run_gateway_session(shared, socket))
}

/// One websocket connection: HELLO, then client frames and test dispatches until either side
/// closes or the fake shuts down.
async fn run_gateway_session(shared: Arc<Shared>, mut socket: WebSocket) {
    let connection = shared.next_connection.fetch_add(1, Ordering::Relaxed);
    let (sender, mut outbound) = mpsc::unbounded_channel::<Dispatch>();
    let mut shutdown = shared.shutdown.clone();
    let hello = json!({
        "op": 10, "s": null, "t": null,
        "d": { "heartbeat_interval": HEARTBEAT_INTERVAL_MS, "_trace": ["[\"fake-discord\"]"] },
    });
    if send_frame(&mut socket, &hello).await.is_err() {
        return;
    }
    loop {
        tokio::select! {
            incoming = socket.recv() => {
                let text = match incoming {
                    Some(Ok(WsMessage::Text(text))) => text,
                    Some(Ok(WsMessage::Close(_)) | Err(_)) | None => break,
                    Some(Ok(_)) => continue,
                };
                let Ok(frame) = serde_json::from_str::<Value>(text.as_str()) else {
                    continue; // Discord would close with 4002; ignoring keeps tests simple.
                };
                let session = GatewaySession { shared: &shared, connection, sender: &sender };
                if session.answer(&mut socket, &frame).await.is_err() {
                    break;
                }
            }
            Some(frame) = outbound.recv() => {
                let sequence = shared.lock().gateway.next_sequence();
                if send_frame(&mut socket, &dispatch_frame(&frame, sequence)).await.is_err() {
                    break;
                }
            }
            _ = shutdown.changed() => {
                let _ = socket.send(WsMessage::Close(None)).await;
                break;
            }
        }
    }
    shared.update(|state| {
        if matches!(&state.gateway.session, Some((id, _)) if *id == connection) {
            state.gateway.session = None;
        }
    });
}

/// Answers what a client sends on one connection.
struct GatewaySession<'a> {
    shared: &'a Shared,
    connection: u64,
    sender: &'a mpsc::UnboundedSender<Dispatch>,
}

impl GatewaySession<'_> {
    async fn answer(&self, socket: &mut WebSocket, frame: &Value) -> Result<(), axum::Error> {
        match frame["op"].as_u64() {
            Some(1) => send_frame(socket, &json!({ "op": 11 })).await,
            Some(2) => self.identify(socket, &frame["d"]).await,
            Some(6) => self.resume(socket).await,
            // Presence updates, member requests, voice state: nothing to answer.
            _ => Ok(()),
        }
    }

    async fn identify(&self, socket: &mut WebSocket, identify: &Value) -> Result<(), axum::Error> {
        let shard = match &identify["shard"] {
            Value::Array(shard) if shard.len() == 2 => Value::Array(shard.clone()),
            _ => json!([0, 1]),
        };
        let backlog = self.attach(true);
        let ready = ready_json(&self.shared.gateway_url(), &self.session_id(), shard);
        self.send_dispatch(socket, "READY", ready).await?;
        self.send_dispatch(socket, "GUILD_CREATE", guild_create_json())
            .await?;
        self.shared
            .update(|state| state.identify = Some(identify.clone()));
        self.flush(socket, backlog).await
    }

    async fn resume(&self, socket: &mut WebSocket) -> Result<(), axum::Error> {
        let backlog = self.attach(false);
        self.send_dispatch(socket, "RESUMED", json!({ "_trace": [] }))
            .await?;
        self.flush(socket, backlog).await
    }

    /// Makes this connection the one dispatches go to; returns events queued meanwhile.
    fn attach(&self, new_session: bool) -> Vec<Dispatch> {
        self.shared.update(|state| {
            if new_session {
                state.gateway.sequence = 0;
            }
            state.gateway.session = Some((self.connection, self.sender.clone()));
            std::mem::take(&mut state.gateway.backlog)
        })
    }

    fn session_id(&self) -> String {
        format!("{:032x}", self.shared.next_snowflake())
    }

    async fn flush(
        &self,
        socket: &mut WebSocket,
        backlog: Vec<Dispatch>,
    ) -> Result<(), axum::Error> {
        for frame in backlog {
            self.send_dispatch(socket, &frame.event, frame.data).await?;
        }
        Ok(())
    }

    async fn send_dispatch(
        &self,
        socket: &mut WebSocket,
        event: &str,
        data: Value,
    ) -> Result<(), axum::Error> {
        let sequence = self.shared.lock().gateway.next_sequence();
        let frame = Dispatch {
            event: event.to_owned(),
            data,
        };
        send_frame(socket, &dispatch_frame(&frame, sequence)).await
    }
}

fn dispatch_frame(frame: &Dispatch, sequence: u64) -> Value {
    json!({ "op": 0, "s": sequence, "t": frame.event, "d": frame.data })
}

async fn send_frame(socket: &mut WebSocket, frame: &Value) -> Result<(), axum::Error> {
    socket.send(WsMessage::Text(frame.to_string().into())).await
}

// ---------------------------------------------------------------------------------------------
// REST
// ---------------------------------------------------------------------------------------------

/// What a REST route answers.
enum Reply {
    Json(StatusCode, Value),
    NoContent,
}

impl Reply {
    fn ok(body: Value) -> Reply {
        Reply::Json(StatusCode::OK, body)
    }

    fn error(status: StatusCode, code: u64, message: &str) -> Reply {
        Reply::Json(status, json!({ "message": message, "code": code }))
    }

    fn unknown_route() -> Reply {
        Reply::error(StatusCode::NOT_FOUND, 0, "Unknown route")
    }

    fn unknown_message() -> Reply {
        Reply::error(StatusCode::NOT_FOUND, 10008, "Unknown Message")
    }

    fn unknown_channel() -> Reply {
        Reply::error(StatusCode::NOT_FOUND, 10003, "Unknown Channel")
    }

    fn invalid_body() -> Reply {
        Reply::error(StatusCode::BAD_REQUEST, 50035, "Invalid Form Body")
    }
}

impl IntoResponse for Reply {
    fn into_response(self) -> Response {
        match self {
            Reply::Json(status, body) => (status, Json(body)).into_response(),
            Reply::NoContent => StatusCode::NO_CONTENT.into_response(),
        }
    }
}

/// A request body: the JSON payload and the sizes of uploaded files by attachment id.
struct RequestBody {
    json: Value,
    uploads: HashMap<u64, usize>,
}

impl RequestBody {
    fn parse(headers: &HeaderMap, bytes: &[u8]) -> RequestBody {
        let content_type = headers
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default();
        let Some(boundary) = multipart_boundary(content_type) else {
            return RequestBody {
                json: serde_json::from_slice(bytes).unwrap_or(Value::Null),
                uploads: HashMap::new(),
            };
        };
        let mut body = RequestBody {
            json: Value::Null,
            uploads: HashMap::new(),
        };
        for part in multipart_parts(bytes, boundary) {
            if part.name == "payload_json" {
                body.json = serde_json::from_slice(part.data).unwrap_or(Value::Null);
            } else if let Some(id) = part
                .name
                .strip_prefix("files[")
                .and_then(|rest| rest.strip_suffix(']'))
                .and_then(|id| id.parse().ok())
            {
                body.uploads.insert(id, part.data.len());
            }
        }
        body
    }
}

async fn serve_rest(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    bytes: Bytes,
) -> Reply {
    let at = Instant::now();
    let body = RequestBody::parse(&headers, &bytes);
    let path = uri.path().to_owned();
    shared.update(|state| {
        let reply = route(&shared, state, &method, &path, &body);
        state.requests.push(RecordedRequest {
            method: method.to_string(),
            path,
            body: body.json,
            at,
        });
        reply
    })
}

fn route(
    shared: &Shared,
    state: &mut FakeState,
    method: &Method,
    path: &str,
    body: &RequestBody,
) -> Reply {
    let Some(api_path) = path.strip_prefix("/api/v10/") else {
        return Reply::unknown_route();
    };
    let segments: Vec<&str> = api_path.trim_end_matches('/').split('/').collect();
    let rest = RestCall {
        shared,
        state,
        body,
    };
    match (method.as_str(), segments.as_slice()) {
        ("GET", ["gateway"]) => Reply::ok(json!({ "url": shared.gateway_url() })),
        ("GET", ["gateway", "bot"]) => Reply::ok(gateway_bot_json(&shared.gateway_url())),
        ("GET", ["users", "@me"]) => Reply::ok(current_user_json()),
        ("POST", ["users", "@me", "channels"]) => rest.open_dm(),
        ("GET", ["oauth2", "applications", "@me"]) => Reply::ok(application_info_json()),
        ("PUT", ["applications", _, "commands"]) => rest.register_commands(None),
        ("PUT", ["applications", _, "guilds", guild, "commands"]) => match guild.parse() {
            Ok(guild_id) => rest.register_commands(Some(guild_id)),
            Err(_) => Reply::error(StatusCode::NOT_FOUND, 10004, "Unknown Guild"),
        },
        ("GET", ["applications", _, "commands"]) => rest.registered_commands(None),
        ("GET", ["applications", _, "guilds", guild, "commands"]) => {
            rest.registered_commands(guild.parse().ok())
        }
        ("POST", ["interactions", id, token, "callback"]) => rest.interaction_callback(id, token),
        (_, ["webhooks", _, token, "messages", "@original"]) => {
            rest.original_response(method, token)
        }
        ("POST", ["webhooks", _, token]) => rest.create_followup(token),
        (_, ["webhooks", _, _, "messages", message]) => rest.message_by_path(method, message),
        ("GET", ["channels", channel]) => rest.channel(channel),
        ("POST", ["channels", channel, "messages"]) => rest.create_channel_message(channel),
        ("GET", ["channels", channel, "messages"]) => rest.channel_messages(channel),
        (_, ["channels", _, "messages", message]) => rest.message_by_path(method, message),
        ("POST", ["channels", channel, "messages", message, "threads"]) => {
            rest.start_thread(channel, message)
        }
        _ => Reply::unknown_route(),
    }
}

/// One REST call being answered, with the state locked.
struct RestCall<'a> {
    shared: &'a Shared,
    state: &'a mut FakeState,
    body: &'a RequestBody,
}

impl RestCall<'_> {
    fn register_commands(self, guild_id: Option<u64>) -> Reply {
        let Value::Array(requested) = &self.body.json else {
            return Reply::invalid_body();
        };
        let registry = &mut self.state.commands;
        if registry.first_put.is_none() {
            registry.first_put = Some(self.body.json.clone());
        }
        let commands: Vec<Value> = requested
            .iter()
            .map(|command| {
                let name = command["name"].as_str().unwrap_or_default().to_owned();
                let id = *registry
                    .ids
                    .entry((guild_id, name))
                    .or_insert_with(|| self.shared.next_snowflake());
                command_json(command, id, self.shared.next_snowflake(), guild_id)
            })
            .collect();
        registry.by_scope.insert(guild_id, commands.clone());
        Reply::ok(Value::Array(commands))
    }

    fn registered_commands(self, guild_id: Option<u64>) -> Reply {
        let commands = self.state.commands.by_scope.get(&guild_id);
        Reply::ok(Value::Array(commands.cloned().unwrap_or_default()))
    }

    fn interaction_callback(self, id: &str, token: &str) -> Reply {
        let record = self.state.interactions.get_mut(token);
        if let Some(record) = &record {
            if id.parse() != Ok(record.id) {
                return Reply::error(StatusCode::NOT_FOUND, 10062, "Unknown interaction");
            }
            if record.acknowledged {
                return Reply::error(
                    StatusCode::BAD_REQUEST,
                    40060,
                    "Interaction has already been acknowledged.",
                );
            }
        }
        let (kind, channel_id, clicked) = match record {
            Some(record) => {
                record.acknowledged = true;
                (record.kind, record.channel_id, record.message.clone())
            }
            None => (INTERACTION_TYPE_COMMAND, CHANNEL_ID, None),
        };
        // The clicked message as the fake knows it now, if it created it.
        let clicked = clicked.map(|given| {
            id_field(&given, "id")
                .and_then(|id| self.state.find_message(id).cloned())
                .unwrap_or(given)
        });
        let data = &self.body.json["data"];
        let original = match self.body.json["type"].as_u64() {
            // CHANNEL_MESSAGE_WITH_SOURCE
            Some(4) => {
                let message_type = if kind == INTERACTION_TYPE_COMMAND {
                    MESSAGE_TYPE_CHAT_INPUT_COMMAND
                } else {
                    MESSAGE_TYPE_DEFAULT
                };
                let mut message = self.new_message(channel_id, message_type, true);
                echo_message_fields(self.shared, &mut message, data, &self.body.uploads);
                Some(message)
            }
            // DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE: a "thinking…" message until edited.
            Some(5) => {
                let mut message =
                    self.new_message(channel_id, MESSAGE_TYPE_CHAT_INPUT_COMMAND, true);
                let flags = data["flags"].as_u64().unwrap_or(0) | MESSAGE_FLAG_LOADING;
                message["flags"] = json!(flags);
                Some(message)
            }
            // DEFERRED_UPDATE_MESSAGE: the clicked message stays as it is.
            Some(6) => clicked,
            // UPDATE_MESSAGE: the clicked message is edited.
            Some(7) => clicked.map(|mut message| {
                echo_message_fields(self.shared, &mut message, data, &self.body.uploads);
                message["edited_timestamp"] = json!(now_timestamp());
                message
            }),
            // Autocomplete results, modals, premium prompts: no message.
            Some(8 | 9 | 10 | 12) => None,
            _ => return Reply::invalid_body(),
        };
        if let Some(message) = original {
            if let Some(id) = id_field(&message, "id") {
                self.state.originals.insert(token.to_owned(), id);
            }
            self.state.store_message(message);
        }
        Reply::NoContent
    }

    /// GET, PATCH or DELETE of `webhooks/{app}/{token}/messages/@original`.
    fn original_response(self, method: &Method, token: &str) -> Reply {
        match self.state.originals.get(token) {
            Some(id) => {
                let id = *id;
                if method == Method::DELETE {
                    self.state.originals.remove(token);
                }
                self.existing_message(method, id)
            }
            None => Reply::unknown_message(),
        }
    }

    fn create_followup(self, token: &str) -> Reply {
        // As Discord documents: the first follow-up after a deferred response edits the
        // "thinking…" message instead of posting a new one, and keeps its ephemerality.
        let loading = self
            .state
            .originals
            .get(token)
            .copied()
            .and_then(|id| self.state.find_message_mut(id))
            .filter(|message| message["flags"].as_u64().unwrap_or(0) & MESSAGE_FLAG_LOADING != 0);
        if let Some(message) = loading {
            edit_message(self.shared, message, &self.body.json, &self.body.uploads);
            return Reply::ok(message.clone());
        }
        let channel_id = self
            .state
            .interactions
            .get(token)
            .map_or(CHANNEL_ID, |record| record.channel_id);
        let mut message = self.new_message(channel_id, MESSAGE_TYPE_DEFAULT, true);
        echo_message_fields(
            self.shared,
            &mut message,
            &self.body.json,
            &self.body.uploads,
        );
        self.state.store_message(message.clone());
        Reply::ok(message)
    }

    /// Creates a bot message in a channel, as Discord does: an enforced nonce already used by the
    /// bot in the channel returns that message instead of a new one; a reply to a message that does
    /// not exist fails unless `fail_if_not_exists` is false; an embed field needs a name and value.
    fn create_channel_message(self, channel: &str) -> Reply {
        let Ok(channel_id) = channel.parse::<u64>() else {
            return Reply::unknown_channel();
        };
        let recipient = self
            .state
            .dm_channels
            .iter()
            .find(|(_, dm)| **dm == channel_id)
            .map(|(user, _)| *user);
        if recipient.is_some_and(|user| self.state.dms_closed.contains(&user)) {
            return Reply::error(
                StatusCode::FORBIDDEN,
                50007,
                "Cannot send messages to this user",
            );
        }
        let body = &self.body.json;
        let nonce = &body["nonce"];
        if body["enforce_nonce"] == json!(true) && !nonce.is_null() {
            let earlier = self.state.messages.iter().find(|m| {
                id_field(m, "channel_id") == Some(channel_id)
                    && m["nonce"] == *nonce
                    && id_field(&m["author"], "id") == Some(BOT_USER_ID)
            });
            if let Some(earlier) = earlier {
                return Reply::ok(earlier.clone());
            }
        }
        let empty_field = body["embeds"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|embed| {
                embed["fields"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|field| {
                        ["name", "value"]
                            .iter()
                            .any(|part| field[part].as_str().is_none_or(|t| t.trim().is_empty()))
                    })
            });
        if empty_field {
            return Reply::invalid_body();
        }
        if let Some(referenced) = id_field(&body["message_reference"], "message_id") {
            let missing = self.state.find_message(referenced).is_none();
            if missing && body["message_reference"]["fail_if_not_exists"] != json!(false) {
                return Reply::invalid_body();
            }
        }
        let mut message = self.new_message(channel_id, MESSAGE_TYPE_DEFAULT, false);
        echo_message_fields(
            self.shared,
            &mut message,
            &self.body.json,
            &self.body.uploads,
        );
        if let Some(referenced) = id_field(&message["message_reference"], "message_id") {
            if let Some(original) = self.state.find_message(referenced) {
                message["referenced_message"] = original.clone();
            }
        }
        self.state.store_message(message.clone());
        Reply::ok(message)
    }

    fn message_by_path(self, method: &Method, message: &str) -> Reply {
        match message.parse() {
            Ok(message_id) => self.existing_message(method, message_id),
            Err(_) => Reply::unknown_message(),
        }
    }

    /// GET, PATCH or DELETE of a message the fake created (channel message, interaction
    /// response or follow-up).
    fn existing_message(self, method: &Method, message_id: u64) -> Reply {
        let Some(stored) = self.state.find_message_mut(message_id) else {
            return Reply::unknown_message();
        };
        match method.as_str() {
            "GET" => Reply::ok(stored.clone()),
            "PATCH" => {
                edit_message(self.shared, stored, &self.body.json, &self.body.uploads);
                Reply::ok(stored.clone())
            }
            "DELETE" => {
                self.state.remove_message(&json!(message_id.to_string()));
                Reply::NoContent
            }
            _ => Reply::unknown_route(),
        }
    }

    /// The channel's latest messages, newest first (at most 100, Discord's largest page).
    fn channel_messages(self, channel: &str) -> Reply {
        let Ok(channel_id) = channel.parse::<u64>() else {
            return Reply::unknown_channel();
        };
        if self.state.history_refused {
            return Reply::error(StatusCode::FORBIDDEN, 50001, "Missing Access");
        }
        let latest: Vec<Value> = self
            .state
            .messages
            .iter()
            .rev()
            .filter(|m| id_field(m, "channel_id") == Some(channel_id))
            .take(100)
            .cloned()
            .collect();
        Reply::ok(Value::Array(latest))
    }

    fn channel(self, channel: &str) -> Reply {
        let Ok(channel_id) = channel.parse::<u64>() else {
            return Reply::unknown_channel();
        };
        if channel_id == CHANNEL_ID {
            return Reply::ok(text_channel_json());
        }
        let dm = self
            .state
            .dm_channels
            .iter()
            .find(|(_, dm)| **dm == channel_id);
        if let Some((user, _)) = dm {
            let name = self.state.users.get(user).cloned().unwrap_or_default();
            return Reply::ok(dm_channel_json(channel_id, user_json(*user, &name)));
        }
        match self
            .state
            .threads
            .iter()
            .find(|thread| id_field(thread, "id") == Some(channel_id))
        {
            Some(thread) => Reply::ok(thread.clone()),
            None => Reply::unknown_channel(),
        }
    }

    /// `POST users/@me/channels {"recipient_id"}`: the bot's DM channel with a user, opened once
    /// and the same one after, as on Discord (even for a user who refuses DMs: the refusal comes
    /// with the message). A user the fake never saw is unknown.
    fn open_dm(self) -> Reply {
        let Some(user) = id_field(&self.body.json, "recipient_id") else {
            return Reply::invalid_body();
        };
        let Some(name) = self.state.users.get(&user).cloned() else {
            return Reply::error(StatusCode::NOT_FOUND, 10013, "Unknown User");
        };
        let channel = *self
            .state
            .dm_channels
            .entry(user)
            .or_insert_with(|| self.shared.next_snowflake());
        Reply::ok(dm_channel_json(channel, user_json(user, &name)))
    }

    /// A public thread started from a message; like Discord, the thread's id is the message's.
    fn start_thread(self, channel: &str, message: &str) -> Reply {
        let (Ok(channel_id), Ok(message_id)) = (channel.parse::<u64>(), message.parse::<u64>())
        else {
            return Reply::unknown_message();
        };
        let name = self.body.json["name"].as_str().unwrap_or("thread");
        let auto_archive = self.body.json["auto_archive_duration"]
            .as_u64()
            .unwrap_or(4320);
        let thread = thread_json(message_id, channel_id, name, auto_archive);
        self.state.threads.push(thread.clone());
        if let Some(starter) = self.state.find_message_mut(message_id) {
            starter["thread"] = thread.clone();
        }
        Reply::Json(StatusCode::CREATED, thread)
    }

    fn new_message(&self, channel_id: u64, message_type: u64, from_webhook: bool) -> Value {
        let mut message = message_json(self.shared.next_snowflake(), channel_id, message_type);
        if from_webhook {
            message["webhook_id"] = json!(APPLICATION_ID.to_string());
            message["application_id"] = json!(APPLICATION_ID.to_string());
        }
        message
    }
}

impl FakeState {
    /// Adds `message`, or replaces the stored one with the same id.
    fn store_message(&mut self, message: Value) {
        match self.messages.iter_mut().find(|m| m["id"] == message["id"]) {
            Some(stored) => *stored = message,
            None => self.messages.push(message),
        }
    }

    fn find_message(&self, id: u64) -> Option<&Value> {
        self.messages.iter().find(|m| id_field(m, "id") == Some(id))
    }

    fn find_message_mut(&mut self, id: u64) -> Option<&mut Value> {
        self.messages
            .iter_mut()
            .find(|m| id_field(m, "id") == Some(id))
    }

    fn remove_message(&mut self, id: &Value) {
        self.messages.retain(|m| &m["id"] != id);
    }
}

// ---------------------------------------------------------------------------------------------
// Payloads: one builder per kind, each complete for serenity 0.12.5's models
// ---------------------------------------------------------------------------------------------

/// A human user as Discord sends it inside members and messages.
fn user_json(id: u64, name: &str) -> Value {
    json!({
        "id": id.to_string(),
        "username": name,
        "discriminator": "0",
        "global_name": name,
        "avatar": null,
        "avatar_decoration_data": null,
        "banner": null,
        "accent_color": null,
        "clan": null,
        "primary_guild": null,
        "collectibles": null,
        "public_flags": 0,
        "flags": 0,
    })
}

/// The bot as a plain user (message author, guild member).
fn bot_user_json() -> Value {
    json!({
        "id": BOT_USER_ID.to_string(),
        "username": BOT_NAME,
        "discriminator": "4821",
        "global_name": null,
        "avatar": null,
        "avatar_decoration_data": null,
        "banner": null,
        "accent_color": null,
        "clan": null,
        "primary_guild": null,
        "collectibles": null,
        "bot": true,
        "public_flags": 0,
        "flags": 0,
    })
}

/// The bot as CurrentUser (READY's `user`, `GET users/@me`).
fn current_user_json() -> Value {
    let mut user = bot_user_json();
    let extra = json!({
        "verified": true,
        "mfa_enabled": false,
        "email": null,
        "locale": "en-US",
        "premium_type": 0,
        "bio": "",
    });
    merge(&mut user, extra);
    user
}

fn ready_json(gateway_url: &str, session_id: &str, shard: Value) -> Value {
    json!({
        "v": 10,
        "user_settings": {},
        "user": current_user_json(),
        "session_type": "normal",
        "session_id": session_id,
        "resume_gateway_url": gateway_url,
        "relationships": [],
        "private_channels": [],
        "presences": [],
        "guilds": [{ "id": GUILD_ID.to_string(), "unavailable": true }],
        "guild_join_requests": [],
        "geo_ordered_rtc_regions": ["us-east"],
        "application": { "id": APPLICATION_ID.to_string(), "flags": APPLICATION_FLAGS },
        "shard": shard,
        "_trace": ["[\"fake-discord\"]"],
    })
}

fn gateway_bot_json(gateway_url: &str) -> Value {
    json!({
        "url": gateway_url,
        "shards": 1,
        "session_start_limit": {
            "total": 1000, "remaining": 999, "reset_after": 14_400_000, "max_concurrency": 1,
        },
    })
}

/// `GET oauth2/applications/@me` (poise asks it for the owners at start-up).
fn application_info_json() -> Value {
    json!({
        "id": APPLICATION_ID.to_string(),
        "name": BOT_NAME,
        "icon": null,
        "description": "",
        "summary": "",
        "type": null,
        "bot": bot_user_json(),
        "bot_public": false,
        "bot_require_code_grant": false,
        "verify_key": "0".repeat(64),
        "flags": APPLICATION_FLAGS,
        "owner": user_json(OWNER_USER_ID, "owner"),
        "team": null,
        "hook": true,
        "is_monetized": false,
        "redirect_uris": [],
        "interactions_endpoint_url": null,
        "role_connections_verification_url": null,
    })
}

/// GUILD_CREATE for [`GUILD_ID`]: the guild, its `@everyone` and bot roles, [`CHANNEL_ID`], and
/// the bot as a member.
fn guild_create_json() -> Value {
    let joined_at = now_timestamp();
    let mut guild = guild_json();
    let gateway_extras = json!({
        "joined_at": joined_at,
        "large": false,
        "unavailable": false,
        "member_count": 2,
        "voice_states": [],
        "members": [bot_member_json(&joined_at)],
        "channels": [text_channel_json()],
        "threads": [],
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
        "embedded_activities": [],
    });
    merge(&mut guild, gateway_extras);
    guild
}

/// The guild object itself (what GUILD_CREATE extends).
fn guild_json() -> Value {
    let mut guild = json!({
        "id": GUILD_ID.to_string(),
        "name": GUILD_NAME,
        "icon": null,
        "icon_hash": null,
        "splash": null,
        "discovery_splash": null,
        "owner_id": OWNER_USER_ID.to_string(),
        "afk_channel_id": null,
        "afk_timeout": 300,
        "widget_enabled": false,
        "widget_channel_id": null,
        "verification_level": 1,
        "default_message_notifications": 1,
        "explicit_content_filter": 2,
        "roles": [everyone_role_json(), bot_role_json()],
        "emojis": [],
        "features": [],
        "mfa_level": 0,
        "application_id": null,
        "system_channel_id": CHANNEL_ID.to_string(),
        "system_channel_flags": 0,
        "rules_channel_id": null,
    });
    let settings = json!({
        "max_presences": null,
        "max_members": 500_000,
        "vanity_url_code": null,
        "description": null,
        "banner": null,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "preferred_locale": "en-US",
        "public_updates_channel_id": null,
        "max_video_channel_users": 25,
        "max_stage_video_channel_users": 50,
        "nsfw_level": 0,
        "nsfw": false,
        "stickers": [],
        "premium_progress_bar_enabled": false,
        "safety_alerts_channel_id": null,
        "incidents_data": null,
        "hub_type": null,
    });
    merge(&mut guild, settings);
    guild
}

fn everyone_role_json() -> Value {
    role_json(GUILD_ID, "@everyone", EVERYONE_PERMISSIONS, 0, None)
}

/// The role Discord manages for the bot.
fn bot_role_json() -> Value {
    let tags = json!({ "bot_id": BOT_USER_ID.to_string() });
    role_json(BOT_ROLE_ID, BOT_NAME, BOT_PERMISSIONS, 1, Some(tags))
}

/// A role; `managed_tags` makes it a managed role with those tags.
fn role_json(
    id: u64,
    name: &str,
    permissions: u64,
    position: u64,
    managed_tags: Option<Value>,
) -> Value {
    json!({
        "id": id.to_string(),
        "name": name,
        "description": null,
        "color": 0,
        "colors": { "primary_color": 0, "secondary_color": null, "tertiary_color": null },
        "hoist": false,
        "managed": managed_tags.is_some(),
        "mentionable": false,
        "permissions": permissions.to_string(),
        "position": position,
        "icon": null,
        "unicode_emoji": null,
        "flags": 0,
        "tags": managed_tags.unwrap_or_else(|| json!({})),
    })
}

/// The bot in the guild's member list.
fn bot_member_json(joined_at: &str) -> Value {
    json!({
        "user": bot_user_json(),
        "nick": null,
        "avatar": null,
        "banner": null,
        "roles": [BOT_ROLE_ID.to_string()],
        "joined_at": joined_at,
        "premium_since": null,
        "deaf": false,
        "mute": false,
        "flags": 0,
        "pending": false,
        "communication_disabled_until": null,
        "unusual_dm_activity_until": null,
    })
}

/// [`CHANNEL_ID`] as a full guild channel.
fn text_channel_json() -> Value {
    json!({
        "id": CHANNEL_ID.to_string(),
        "type": 0,
        "guild_id": GUILD_ID.to_string(),
        "name": CHANNEL_NAME,
        "position": 0,
        "parent_id": null,
        "topic": null,
        "nsfw": false,
        "last_message_id": null,
        "last_pin_timestamp": null,
        "rate_limit_per_user": 0,
        "permission_overwrites": [],
        "flags": 0,
        "icon_emoji": null,
        "theme_color": null,
    })
}

/// A DM channel (type 1) between the bot and `recipient`, as `POST users/@me/channels` answers.
fn dm_channel_json(id: u64, recipient: Value) -> Value {
    json!({
        "id": id.to_string(),
        "type": 1,
        "last_message_id": null,
        "flags": 0,
        "recipients": [recipient],
    })
}

/// A public thread (type 11) in `parent_id`, started by the bot.
fn thread_json(id: u64, parent_id: u64, name: &str, auto_archive_duration: u64) -> Value {
    let now = now_timestamp();
    json!({
        "id": id.to_string(),
        "type": 11,
        "guild_id": GUILD_ID.to_string(),
        "parent_id": parent_id.to_string(),
        "owner_id": BOT_USER_ID.to_string(),
        "name": name,
        "last_message_id": null,
        "rate_limit_per_user": 0,
        "message_count": 0,
        "member_count": 1,
        "total_message_sent": 0,
        "flags": 0,
        "thread_metadata": {
            "archived": false,
            "auto_archive_duration": auto_archive_duration,
            "archive_timestamp": now,
            "locked": false,
            "create_timestamp": now,
        },
        "member": {
            "id": id.to_string(),
            "user_id": BOT_USER_ID.to_string(),
            "join_timestamp": now,
            "flags": 1,
            "muted": false,
            "mute_config": null,
        },
    })
}

/// A member of the guild as an interaction carries it (with `permissions`).
fn interaction_member_json(user_id: u64, user_name: &str, permissions: &str) -> Value {
    json!({
        "user": user_json(user_id, user_name),
        "nick": null,
        "avatar": null,
        "banner": null,
        "roles": [],
        "joined_at": "2024-01-15T09:30:00.000000+00:00",
        "premium_since": null,
        "deaf": false,
        "mute": false,
        "flags": 0,
        "pending": false,
        "permissions": permissions,
        "communication_disabled_until": null,
        "unusual_dm_activity_until": null,
    })
}

/// The partial channel an interaction carries: [`CHANNEL_ID`], or a thread under it.
fn interaction_channel_json(channel_id: u64, permissions: &str) -> Value {
    let mut channel = text_channel_json();
    if channel_id != CHANNEL_ID {
        let thread = json!({
            "id": channel_id.to_string(),
            "type": 11,
            "name": "thread",
            "parent_id": CHANNEL_ID.to_string(),
        });
        merge(&mut channel, thread);
    }
    channel["permissions"] = json!(permissions);
    channel
}

/// What varies between interaction payloads.
struct InteractionSeed<'a> {
    id: u64,
    token: &'a str,
    kind: u64,
    data: Value,
    channel_id: u64,
    user_id: u64,
    user_name: &'a str,
    permissions: &'a str,
}

/// An INTERACTION_CREATE payload in the fake guild (components add `message` on top).
fn interaction_json(seed: InteractionSeed<'_>) -> Value {
    json!({
        "id": seed.id.to_string(),
        "application_id": APPLICATION_ID.to_string(),
        "type": seed.kind,
        "data": seed.data,
        "guild_id": GUILD_ID.to_string(),
        "guild": { "id": GUILD_ID.to_string(), "locale": "en-US", "features": [] },
        "channel_id": seed.channel_id.to_string(),
        "channel": interaction_channel_json(seed.channel_id, seed.permissions),
        "member": interaction_member_json(seed.user_id, seed.user_name, seed.permissions),
        "token": seed.token,
        "version": 1,
        "app_permissions": BOT_PERMISSIONS.to_string(),
        "locale": "en-US",
        "guild_locale": "en-US",
        "entitlements": [],
        "entitlement_sku_ids": [],
        "authorizing_integration_owners": { "0": GUILD_ID.to_string() },
        "context": 0,
        "attachment_size_limit": 10_485_760,
    })
}

/// A registered application command as Discord answers it: the request plus id, version, etc.
fn command_json(requested: &Value, id: u64, version: u64, guild_id: Option<u64>) -> Value {
    let mut command = json!({
        "id": id.to_string(),
        "application_id": APPLICATION_ID.to_string(),
        "version": version.to_string(),
        "type": 1,
        "name": "",
        "name_localizations": null,
        "description": "",
        "description_localizations": null,
        "options": [],
        "default_member_permissions": null,
        "nsfw": false,
        "integration_types": [0],
        "contexts": null,
    });
    if let Value::Object(fields) = requested {
        for (key, value) in fields {
            // Discord answers null rather than an empty localizations map.
            let empty_map = value.as_object().is_some_and(Map::is_empty);
            if !value.is_null() && !empty_map {
                command[key] = value.clone();
            }
        }
    }
    match guild_id {
        Some(guild_id) => {
            command["guild_id"] = json!(guild_id.to_string());
            if let Value::Object(fields) = &mut command {
                fields.remove("dm_permission");
            }
        }
        None => {
            if command.get("dm_permission").is_none() {
                command["dm_permission"] = json!(true);
            }
        }
    }
    command
}

/// A message with every field serenity's Message requires; content and the rest are empty.
fn message_json(id: u64, channel_id: u64, message_type: u64) -> Value {
    json!({
        "id": id.to_string(),
        "channel_id": channel_id.to_string(),
        "author": bot_user_json(),
        "content": "",
        "timestamp": now_timestamp(),
        "edited_timestamp": null,
        "tts": false,
        "mention_everyone": false,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": [],
        "components": [],
        "pinned": false,
        "type": message_type,
        "flags": 0,
    })
}

/// Copies what a create/edit request sets (content, embeds, components, flags, tts, reply
/// reference, attachments) into `message`, in the shape Discord answers with.
fn echo_message_fields(
    shared: &Shared,
    message: &mut Value,
    body: &Value,
    uploads: &HashMap<u64, usize>,
) {
    let channel_id = message["channel_id"].clone();
    for (key, value) in body.as_object().into_iter().flatten() {
        match key.as_str() {
            "content" => message["content"] = json!(value.as_str().unwrap_or_default()),
            "tts" => message["tts"] = json!(value.as_bool().unwrap_or(false)),
            "flags" => message["flags"] = json!(value.as_u64().unwrap_or(0)),
            "nonce" => message["nonce"] = value.clone(),
            "components" => message["components"] = array_or_empty(value),
            "embeds" => {
                let embeds = value.as_array().into_iter().flatten().map(embed_json);
                message["embeds"] = Value::Array(embeds.collect());
            }
            "message_reference" if value.is_object() => {
                let mut reference = json!({ "type": 0, "channel_id": channel_id });
                for field in ["type", "channel_id", "message_id", "guild_id"] {
                    if !value[field].is_null() {
                        reference[field] = value[field].clone();
                    }
                }
                message["message_reference"] = reference;
                message["type"] = json!(MESSAGE_TYPE_REPLY);
            }
            "attachments" => {
                let current = message["attachments"].clone();
                let attachments = value.as_array().into_iter().flatten().filter_map(|a| {
                    attachment_json(shared, a, &current, &message["channel_id"], uploads)
                });
                message["attachments"] = Value::Array(attachments.collect());
            }
            _ => {}
        }
    }
}

/// Applies an edit request to a stored message.
/// An edit finishes a "thinking…" message and cannot change whether a message is ephemeral.
fn edit_message(shared: &Shared, message: &mut Value, body: &Value, uploads: &HashMap<u64, usize>) {
    let old_flags = message["flags"].as_u64().unwrap_or(0);
    let was_loading = old_flags & MESSAGE_FLAG_LOADING != 0;
    echo_message_fields(shared, message, body, uploads);
    let new_flags = message["flags"].as_u64().unwrap_or(0);
    let flags = (new_flags & !MESSAGE_FLAG_LOADING & !MESSAGE_FLAG_EPHEMERAL)
        | (old_flags & MESSAGE_FLAG_EPHEMERAL);
    message["flags"] = json!(flags);
    if !was_loading {
        message["edited_timestamp"] = json!(now_timestamp());
    }
}

/// Turns whatever a test passes as "the clicked message" (full Message JSON, or just a recorded
/// create-message body) into a complete Message.
fn complete_message(shared: &Shared, given: &Value) -> Value {
    let id = id_field(given, "id").unwrap_or_else(|| shared.next_snowflake());
    let channel_id = id_field(given, "channel_id").unwrap_or(CHANNEL_ID);
    let mut message = message_json(id, channel_id, MESSAGE_TYPE_DEFAULT);
    echo_message_fields(shared, &mut message, given, &HashMap::new());
    const ECHOED: [&str; 8] = [
        "content",
        "tts",
        "flags",
        "nonce",
        "components",
        "embeds",
        "message_reference",
        "attachments",
    ];
    const REQUEST_ONLY: [&str; 5] = [
        "sticker_ids",
        "enforce_nonce",
        "allowed_mentions",
        "poll",
        "payload_json",
    ];
    for (key, value) in given.as_object().into_iter().flatten() {
        let key = key.as_str();
        if !ECHOED.contains(&key) && !REQUEST_ONLY.contains(&key) {
            message[key] = value.clone();
        }
    }
    message
}

/// An embed as Discord answers it (`type: "rich"`).
fn embed_json(requested: &Value) -> Value {
    let mut embed = json!({ "type": "rich" });
    merge(&mut embed, requested.clone());
    embed
}

/// One entry of a message's `attachments`: kept if already complete, completed if it is a new
/// upload `{id, filename, …}`, looked up in `current` if it only names an existing attachment.
fn attachment_json(
    shared: &Shared,
    requested: &Value,
    current: &Value,
    channel_id: &Value,
    uploads: &HashMap<u64, usize>,
) -> Option<Value> {
    if requested.get("url").is_some() {
        return Some(requested.clone());
    }
    let Some(filename) = requested["filename"].as_str() else {
        let existing = current.as_array()?;
        return existing
            .iter()
            .find(|a| a["id"] == requested["id"])
            .cloned();
    };
    let placeholder = requested["id"].as_u64().unwrap_or(0);
    let id = shared.next_snowflake();
    let channel = channel_id.as_str().unwrap_or_default();
    Some(json!({
        "id": id.to_string(),
        "filename": filename,
        "description": requested["description"],
        "size": uploads.get(&placeholder).copied().unwrap_or(0),
        "url": format!("https://cdn.discordapp.com/attachments/{channel}/{id}/{filename}"),
        "proxy_url": format!("https://media.discordapp.net/attachments/{channel}/{id}/{filename}"),
        "content_type": null,
        "width": null,
        "height": null,
    }))
}

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

/// The current time the way Discord writes timestamps.
fn now_timestamp() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, false)
}

/// A snowflake field (Discord sends them as strings; numbers are accepted too).
fn id_field(object: &Value, key: &str) -> Option<u64> {
    match &object[key] {
        Value::String(text) => text.parse().ok(),
        Value::Number(number) => number.as_u64(),
        _ => None,
    }
}

fn array_or_empty(value: &Value) -> Value {
    match value {
        Value::Array(_) => value.clone(),
        _ => json!([]),
    }
}

/// Copies the fields of `extra` (an object) into `target` (an object).
fn merge(target: &mut Value, extra: Value) {
    if let (Value::Object(target), Value::Object(extra)) = (target, extra) {
        target.extend(extra);
    }
}

fn multipart_boundary(content_type: &str) -> Option<&str> {
    let params = content_type.strip_prefix("multipart/form-data")?;
    params
        .split(';')
        .filter_map(|param| param.trim().strip_prefix("boundary="))
        .map(|boundary| boundary.trim_matches('"'))
        .next()
}

/// One field of a multipart/form-data body.
struct FormPart<'a> {
    name: String,
    data: &'a [u8],
}

/// Splits a multipart/form-data body into its named parts; malformed parts are skipped.
fn multipart_parts<'a>(body: &'a [u8], boundary: &str) -> Vec<FormPart<'a>> {
    let delimiter = format!("--{boundary}").into_bytes();
    let mut parts = Vec::new();
    let mut sections = split_on(body, &delimiter).into_iter().skip(1);
    while let Some(section) = sections.next().filter(|s| !s.starts_with(b"--")) {
        let section = section.strip_prefix(b"\r\n").unwrap_or(section);
        let section = section.strip_suffix(b"\r\n").unwrap_or(section);
        let Some(header_end) = find(section, b"\r\n\r\n") else {
            continue;
        };
        let headers = String::from_utf8_lossy(&section[..header_end]);
        let name = headers
            .split(';')
            .filter_map(|param| param.trim().strip_prefix("name="))
            .map(|name| name.lines().next().unwrap_or_default().trim_matches('"'))
            .next();
        if let Some(name) = name {
            parts.push(FormPart {
                name: name.to_owned(),
                data: &section[header_end + 4..],
            });
        }
    }
    parts
}

fn split_on<'a>(haystack: &'a [u8], needle: &[u8]) -> Vec<&'a [u8]> {
    let mut pieces = Vec::new();
    let mut rest = haystack;
    while let Some(at) = find(rest, needle) {
        pieces.push(&rest[..at]);
        rest = &rest[at + needle.len()..];
    }
    pieces.push(rest);
    pieces
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}
