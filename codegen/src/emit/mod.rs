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
mod doc_example;
mod docs;
mod example;
mod lifecycle;
mod manifest;
mod mock;
mod models;
mod operations;
mod rules;
mod tests;
mod types;

use proc_macro2::{Ident, Span, TokenStream};

use crate::ir::Service;

pub use manifest::{cargo_toml, rustfmt_toml};

/// One piece of a generated Rust file: the pieces of a file are formatted
/// separately (in parallel) and joined in order. Most files are one piece; a
/// long `models.rs` is several.
pub struct Piece<'s> {
    /// Path relative to the crate's directory.
    pub path: String,
    /// The tokens, made when the piece is formatted (so that only the pieces
    /// being formatted are in memory).
    pub make: Box<dyn Fn() -> TokenStream + Send + Sync + 's>,
}

impl<'s> Piece<'s> {
    fn new(path: &str, make: impl Fn() -> TokenStream + Send + Sync + 's) -> Self {
        Piece {
            path: path.to_owned(),
            make: Box::new(make),
        }
    }
}

/// The Rust files of one service crate, in pieces, paths relative to its
/// directory; the examples come last.
pub fn crate_pieces(service: &Service) -> Vec<Piece<'_>> {
    let ops = service.operations.len();
    let per = operations::OPERATIONS_PER_PIECE;
    let mut pieces = vec![
        Piece::new("src/lib.rs", move || client::lib_file(service)),
        Piece::new("src/client.rs", move || client::client_file(service)),
    ];
    // The first piece of client.rs has the first operations' methods.
    for start in (per..ops).step_by(per) {
        let end = (start + per).min(ops);
        pieces.push(Piece::new("src/client.rs", move || {
            client::client_piece(service, start..end)
        }));
    }
    pieces.push(Piece::new("src/models.rs", move || {
        models::models_head(service)
    }));
    let n = service.models.len();
    for start in (0..n).step_by(models::MODELS_PER_PIECE) {
        let end = (start + models::MODELS_PER_PIECE).min(n);
        pieces.push(Piece::new("src/models.rs", move || {
            models::models_piece(service, start..end)
        }));
    }
    if ops > 0 {
        pieces.push(Piece::new("src/operations.rs", move || {
            operations::operations_head(service)
        }));
        for start in (0..ops).step_by(per) {
            let end = (start + per).min(ops);
            pieces.push(Piece::new("src/operations.rs", move || {
                operations::operations_piece(service, start..end)
            }));
        }
    }
    if ops > 0 {
        pieces.push(Piece::new("src/mock.rs", move || mock::mock_file(service)));
    }
    if !service.rules.is_empty() {
        pieces.push(Piece::new("src/rules.rs", move || {
            rules::rules_file(service)
        }));
    }
    if !service.examples.is_empty() || service.operations.iter().any(|o| !o.examples.is_empty()) {
        pieces.push(Piece::new("tests/examples.rs", move || {
            tests::examples_test(service).unwrap_or_default()
        }));
    }
    for op in &service.operations {
        // Prefixed with the service: examples of all crates share a
        // workspace's `target/debug/examples/`, where two crates' examples
        // of one name would overwrite each other (cargo#6313).
        let name = format!("{}_{}", service.module, bare(&op.method_name));
        let path = format!("examples/{name}.rs");
        pieces.push(Piece::new(&path, move || {
            example::example(service, op, &name)
        }));
    }
    pieces
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
