//! Credentials: AK/SK (optionally temporary, with a security token) or an IAM token.

use std::fmt;

use super::Secret;

/// How requests are authenticated.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Credentials {
    /// AK/SK request signing (SDK-HMAC-SHA256), as the official SDKs do.
    AkSk(AkSk),
    /// An IAM user token sent as `X-Auth-Token`.
    Token(Secret),
}

/// An access key pair; with a security token for temporary credentials.
#[derive(Clone, PartialEq, Eq)]
pub struct AkSk {
    ak: String,
    sk: Secret,
    security_token: Option<Secret>,
}

impl AkSk {
    /// The access key id.
    pub fn ak(&self) -> &str {
        &self.ak
    }

    pub(crate) fn sk(&self) -> &Secret {
        &self.sk
    }

    pub(crate) fn security_token(&self) -> Option<&Secret> {
        self.security_token.as_ref()
    }
}

impl Credentials {
    /// Permanent AK/SK.
    pub fn aksk(ak: impl Into<String>, sk: impl Into<Secret>) -> Self {
        Credentials::AkSk(AkSk {
            ak: ak.into(),
            sk: sk.into(),
            security_token: None,
        })
    }

    /// Temporary AK/SK with the security token issued with them; the token is sent
    /// (and signed) as `X-Security-Token`.
    pub fn temporary(
        ak: impl Into<String>,
        sk: impl Into<Secret>,
        security_token: impl Into<Secret>,
    ) -> Self {
        Credentials::AkSk(AkSk {
            ak: ak.into(),
            sk: sk.into(),
            security_token: Some(security_token.into()),
        })
    }

    /// An IAM token (the `X-Subject-Token` IAM returned), sent as `X-Auth-Token`.
    pub fn token(token: impl Into<Secret>) -> Self {
        Credentials::Token(token.into())
    }
}

/// Shows the first four characters of an access key id, never the rest.
fn masked(ak: &str) -> String {
    let shown: String = ak.chars().take(4).collect();
    format!("{shown}***")
}

impl fmt::Debug for AkSk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AkSk")
            .field("ak", &masked(&self.ak))
            .field("sk", &self.sk)
            .field("security_token", &self.security_token)
            .finish()
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::AkSk(k) => f.debug_tuple("AkSk").field(k).finish(),
            Credentials::Token(t) => f.debug_tuple("Token").field(t).finish(),
        }
    }
}
