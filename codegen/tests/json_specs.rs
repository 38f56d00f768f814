//! Specs written as JSON are read as JSON (serde_yaml rejects some valid JSON,
//! such as surrogate-pair escapes), with located syntax errors.

// A failed expectation is how a test reports; panicking is its job.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use codegen::{ErrorKind, generate_from};

const SPEC: &str = r#"{
  "openapi": "3.0.3",
  "info": {"title": "JSON service", "version": "v1"},
  "paths": {
    "/v1/things": {
      "get": {
        "operationId": "list_things",
        "description": "Thumbs up: \ud83d\udc4d",
        "responses": {"204": {"description": "No content"}}
      }
    }
  }
}"#;

#[test]
fn a_json_spec_with_surrogate_pair_escapes_generates() {
    let generated = generate_from(&[(PathBuf::from("spec/things.json"), SPEC.to_owned())])
        .expect("the JSON spec generates");
    let client = &generated.files["things/src/client.rs"];
    assert!(client.contains("👍"), "{client}");
}

#[test]
fn a_json_syntax_error_is_located() {
    let broken = SPEC.replace("\"paths\": {", "\"paths\": {,");
    let e = generate_from(&[(PathBuf::from("spec/things.json"), broken)]).expect_err("broken");
    assert_eq!(e.kind, ErrorKind::Syntax);
    assert_eq!((e.location.line, e.location.column), (Some(4), Some(13)));
}
