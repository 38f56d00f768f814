//! Hand-written, spec-independent runtime shared by every service client:
//! configuration, credentials and signing, endpoints, the request pipeline
//! (timeouts, retries, bounded reads, tracing) and the error type.

mod client;
mod config;
mod credentials;
pub mod endpoint;
mod error;
mod raw;
mod secret;
pub mod signer;
mod validate;

pub use client::{
    BoxFuture, MAX_RETRY_AFTER, Method, OperationInfo, Request, ServiceClient, ServiceInfo,
    parse_retry_after,
};
pub use config::{Config, RetryClassifier, RetryPolicy};
pub use credentials::{AkSk, CredentialSource, Credentials, ResolvedCredentials};
pub use error::{
    ApiError, DecodeError, Error, TimeoutError, TimeoutKind, TransportError, TransportKind,
    ValidationError,
};
pub use raw::RawCall;
pub use secret::{Secret, UnknownValue};
pub use validate::{Atom, Check, Pattern, Rules, Validator};
