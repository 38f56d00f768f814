//! The hand-written core of the Huawei Cloud SDK for Rust: everything a service
//! client needs that does not depend on a spec. Service crates
//! (`huaweicloud-sdk-gaussdb`, ...) are generated from OpenAPI documents and
//! re-export what a caller handles from here:
//!
//! - [`Config`]: region or endpoint, [`Credentials`], project id, timeouts,
//!   [`RetryPolicy`], transport settings; built once, shared by every client;
//! - [`Error`]: the one error type of every call, with the details in [`error`];
//! - [`Secret`] and [`UnknownValue`], used by the generated models;
//! - [`RawCall`]: a signed request to an API no service crate covers yet.
//!
//! ```
//! use std::time::Duration;
//! use huaweicloud_sdk_core::{Config, Credentials, RetryPolicy};
//!
//! let config = Config::new()
//!     .with_region("cn-north-4")
//!     .with_credentials(Credentials::aksk("AK...", "SK..."))
//!     .with_project_id("0123456789abcdef0123456789abcdef")
//!     .with_deadline(Duration::from_secs(120))
//!     .with_retry(RetryPolicy::default().with_max_attempts(5));
//! # let _ = config;
//! ```
//!
//! The items under `__private` are the interface between this crate and the
//! generated service crates. They are hidden from the documentation, follow no
//! stability promise, and are not meant to be used directly.

mod body;
mod client;
mod config;
mod credentials;
mod download;
mod endpoint;
pub mod error;
mod examples;
mod lenient;
#[cfg(feature = "mock")]
pub mod mock;
mod open_enum;
mod pager;
mod raw;
mod secret;
mod serde_support;
mod signer;
mod target;
mod validate;
mod waiter;

pub use body::Payload;
pub use bytes::Bytes;
pub use client::Method;
pub use config::{
    Config, DEFAULT_ATTEMPT_TIMEOUT, DEFAULT_CONNECT_TIMEOUT, DEFAULT_DEADLINE, RetryClassifier,
    RetryPolicy,
};
pub use credentials::{AkSk, CredentialSource, Credentials, ResolvedCredentials};
pub use download::Download;
pub use error::Error;
pub use pager::{Items, Pages};
pub use raw::RawCall;
pub use secret::{Secret, UnknownValue};
pub use waiter::{Done, Progress, Step, WaitPolicy, Waiter};

/// What generated service crates use. Not part of the public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::__open_enum as open_enum;
    pub use crate::body::{In, Multipart, Style};
    pub use crate::client::{
        BoxFuture, MAX_RETRY_AFTER, OperationInfo, RawReply, Request, ServiceClient, ServiceInfo,
        parse_retry_after,
    };
    pub use crate::endpoint::override_variable;
    pub use crate::examples::round_trip;
    pub use crate::open_enum::{OpenEnum, deserialize_str, known_variant, known_wire};
    pub use crate::pager::{Count, Cursor, MarkerSpec, PageSpec};
    pub use crate::secret::{Binary, BinarySize, unknown};
    pub use crate::serde_support::{double_option, tag, variant};
    pub use serde;

    /// The SDK-HMAC-SHA256 signer.
    pub mod signer {
        pub use crate::signer::{
            ALGORITHM, EMPTY_BODY_SHA256, SignableRequest, Signed, UNSIGNED_PAYLOAD,
            canonical_query, canonical_uri, encode, sdk_date, sign,
        };
    }
    pub use crate::validate::{Check, Pattern, Rules, Validator};
    pub use crate::waiter::{Poller, WaitSpec, reply_value, to_json, waited_id};
}
