//! Shared helpers for the integration tests.

use std::path::PathBuf;

/// The README's Rust examples, run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeExamples;

pub mod logs;
pub mod script;
pub mod tcp;
pub mod wire;

/// The workspace root.
pub fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default()
}

/// The `spec/` directory.
pub fn spec_dir() -> PathBuf {
    workspace().join("spec")
}

/// The directory of the generated service crates.
pub fn generated_dir() -> PathBuf {
    workspace().join("generated")
}

/// Every spec file as JSON, by file name, in name order.
pub fn spec_documents() -> Vec<(String, serde_json::Value)> {
    let mut out = Vec::new();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(spec_dir())
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    paths.sort();
    for path in paths {
        if !matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml")
        ) {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let yaml: serde_yaml::Value = match serde_yaml::from_str(&text) {
            Ok(v) => v,
            Err(e) => panic!("{}: {e}", path.display()),
        };
        let json = match serde_json::to_value(yaml) {
            Ok(v) => v,
            Err(e) => panic!("{}: {e}", path.display()),
        };
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        out.push((name, json));
    }
    out
}

/// The README's examples, compiled as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
