//! Stage 3: print the IR as Rust tokens (and the crate manifest as text). No
//! decisions about the spec are made here; everything comes from the IR.
//!
//! Each service becomes one crate in `generated/<module>/`:
//!
//! | file | what |
//! |---|---|
//! | `Cargo.toml` | the package, depending on `huaweicloud-sdk-core` |
//! | `src/lib.rs` | crate docs, the operation table, re-exports of the core types |
//! | `src/client.rs` | `Client`: one method per operation |
//! | `src/operations.rs` | one request builder per operation |
//! | `src/models.rs` | one type per schema |
//! | `src/rules.rs` | the distinct rules the client checks, each stated once |
//! | `examples/<operation>.rs` | a runnable example per operation |
//! | `tests/examples.rs` | every example of the spec round-trips through its type |

mod client;
mod docs;
mod example;
mod manifest;
mod models;
mod operations;
mod rules;
mod tests;
mod types;

use proc_macro2::{Ident, Span, TokenStream};

use crate::ir::Service;

pub use example::example;
pub use manifest::{cargo_toml, rustfmt_toml};

/// The Rust files of one service crate, relative to its directory.
pub fn crate_files(service: &Service) -> Vec<(String, TokenStream)> {
    let mut files = vec![
        ("src/lib.rs".to_owned(), client::lib_file(service)),
        ("src/client.rs".to_owned(), client::client_file(service)),
        ("src/models.rs".to_owned(), models::models_file(service)),
    ];
    if !service.operations.is_empty() {
        files.push((
            "src/operations.rs".to_owned(),
            operations::operations_file(service),
        ));
    }
    if !service.rules.is_empty() {
        files.push(("src/rules.rs".to_owned(), rules::rules_file(service)));
    }
    if let Some(tests) = tests::examples_test(service) {
        files.push(("tests/examples.rs".to_owned(), tests));
    }
    files
}

/// An identifier, raw if the IR says so (`r#type`).
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// The identifier without a raw prefix, for use inside other names and docs.
fn bare(name: &str) -> &str {
    name.trim_start_matches("r#")
}
