//! Request verification: every request from Slack carries `X-Slack-Signature` (v0, HMAC-SHA256 over
//! `v0:{timestamp}:{raw body}`) and `X-Slack-Request-Timestamp`. slack-morphism's verifier compares
//! the signature in constant time and refuses timestamps more than 5 minutes away, so a captured
//! request cannot be replayed later.

use axum::http::HeaderMap;
use slack_morphism::prelude::SlackSigningSecret;
use slack_morphism::signature_verifier::SlackEventSignatureVerifier;

use crate::config::Secret;

/// Why a request was refused; never echoes the secret or the expected signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejected {
    Unsigned,
    BadSignature,
}

#[derive(Clone)]
pub struct Verifier(SlackEventSignatureVerifier);

impl Verifier {
    pub fn new(signing_secret: &Secret) -> Verifier {
        Verifier(SlackEventSignatureVerifier::new(&SlackSigningSecret::new(
            signing_secret.expose().to_string(),
        )))
    }

    /// Checks a request's signature and freshness against its raw body.
    pub fn verify(&self, headers: &HeaderMap, body: &[u8]) -> Result<(), Rejected> {
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        let (Some(signature), Some(timestamp)) = (
            header(SlackEventSignatureVerifier::SLACK_SIGNED_HASH_HEADER),
            header(SlackEventSignatureVerifier::SLACK_SIGNED_TIMESTAMP),
        ) else {
            return Err(Rejected::Unsigned);
        };
        let body = std::str::from_utf8(body).map_err(|_| Rejected::BadSignature)?;
        self.0
            .verify(signature, body, timestamp)
            .map_err(|_| Rejected::BadSignature)
    }
}
