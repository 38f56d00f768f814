//! Snapshots of everything the generator writes, and of each service crate's
//! public API surface: a reviewer sees each change to a generated crate as a diff
//! here (`cargo insta review`).

use sdk_tests::spec_dir;

fn generated() -> codegen::Generated {
    match codegen::generate(&spec_dir()) {
        Ok(g) => g,
        Err(e) => panic!("the specs do not generate: {e}"),
    }
}

#[test]
fn generated_files() {
    let generated = generated();
    assert!(!generated.files.is_empty());
    for (path, contents) in &generated.files {
        let name = path.replace(['/', '.'], "_");
        insta::assert_snapshot!(name, contents);
    }
}

#[test]
fn public_api_surface() {
    let generated = generated();
    for service in &generated.services {
        let surface = match generated.api_surface(&service.module) {
            Ok(s) => s,
            Err(e) => panic!("generated code of {} does not parse: {e}", service.module),
        };
        insta::assert_snapshot!(format!("public_api_{}", service.module), surface);
    }
}
