//! The committed `generated/` must be exactly what the generator makes from
//! `spec/` today, and the workspace must pick up every generated crate.

use sdk_tests::{generated_dir, spec_dir, workspace};

fn generated() -> codegen::Generated {
    match codegen::generate(&spec_dir()) {
        Ok(g) => g,
        Err(e) => panic!("the specs do not generate: {e}"),
    }
}

#[test]
fn generated_crates_match_a_fresh_regeneration() {
    let generated = generated();
    let changes = match codegen::plan(&generated_dir(), &generated) {
        Ok(c) => c,
        Err(e) => panic!("cannot compare with generated/: {e}"),
    };
    if !changes.is_empty() {
        let mut report = String::new();
        for change in &changes {
            report.push_str(&format!("{} {}\n", change.verb(), change.path));
        }
        for change in changes.iter().take(3) {
            report.push_str(&change.diff(30));
        }
        panic!(
            "generated/ is stale: {} file(s) differ from a fresh regeneration.\n{report}\n\
             Fix: run `{}` and commit the result (review it with `cargo insta review`).",
            changes.len(),
            codegen::REGENERATE
        );
    }
}

/// Every service crate is a workspace member through the `generated/*` glob, so a
/// new spec needs no hand edit of the workspace manifest.
#[test]
fn the_workspace_picks_up_every_generated_crate() {
    let manifest = std::fs::read_to_string(workspace().join("Cargo.toml")).unwrap_or_default();
    assert!(
        manifest.contains("\"generated/*\""),
        "the workspace manifest has no `generated/*` member glob"
    );
    let generated = generated();
    for service in &generated.services {
        let path = format!("{}/Cargo.toml", service.module);
        let crate_manifest = generated.files.get(&path).map(String::as_str).unwrap_or("");
        assert!(
            crate_manifest.contains(&format!("name = \"{}\"", service.crate_name)),
            "{path} does not name the package {}",
            service.crate_name
        );
    }
}

#[test]
fn generation_is_deterministic() {
    let a = codegen::generate(&spec_dir()).map(|g| g.files);
    let b = codegen::generate(&spec_dir()).map(|g| g.files);
    assert!(a.is_ok());
    assert_eq!(a, b, "two runs over the same specs gave different output");
}
