//! Typed async client for Huawei Cloud TaurusDB HTAP (StarRocks) and neighbouring
//! APIs, generated from the OpenAPI documents in the repository's `spec/`.
//!
//! ```no_run
//! use huaweicloud_sdk::gaussdb;
//! use huaweicloud_sdk::runtime::{Config, Credentials};
//!
//! # async fn run() -> Result<(), huaweicloud_sdk::Error> {
//! let config = Config::new()
//!     .with_region("cn-north-4")
//!     .with_credentials(Credentials::aksk("AK...", "SK..."))
//!     .with_project_id("0123456789abcdef0123456789abcdef");
//! let client = gaussdb::Client::new(&config)?;
//! let htap = client
//!     .list_htap_instance_info("18c3eeb7b788479eb8b93b209946a83bin07")
//!     .await?;
//! println!("{} HTAP instances", htap.total.unwrap_or(0));
//! # Ok(())
//! # }
//! ```
//!
//! Service modules sit behind cargo features of the same name (`gaussdb` is on
//! by default). Generated code lives in `src/services/` and is owned by the
//! generator; `src/runtime/` is hand-written.

pub mod runtime;
// Generated code is formatted by the generator (prettyplease), not rustfmt.
#[rustfmt::skip]
mod services;

pub use runtime::{Config, Credentials, Error, Secret};

/// The README's examples, compiled as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
#[allow(unused_imports, reason = "empty when every service feature is off")]
pub use services::*;
