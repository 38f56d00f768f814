//! The committed `generated/` must be exactly what the generator makes from
//! `spec/` today.

use sdk_tests::{generated_dir, spec_dir};

#[test]
fn generated_crate_matches_a_fresh_regeneration() {
    let generated = match codegen::generate(&spec_dir()) {
        Ok(g) => g,
        Err(e) => panic!("the specs do not generate: {e}"),
    };
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

#[test]
fn every_service_has_a_cargo_feature() {
    let generated = match codegen::generate(&spec_dir()) {
        Ok(g) => g,
        Err(e) => panic!("the specs do not generate: {e}"),
    };
    let manifest = std::fs::read_to_string(generated_dir().join("Cargo.toml")).unwrap_or_default();
    for service in &generated.services {
        let line = format!("\n{} = [", service.module);
        assert!(
            manifest.contains(&line),
            "generated/Cargo.toml has no `[features]` entry for service `{0}`; add `{0} = []`",
            service.module
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
