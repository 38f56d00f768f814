//! Snapshots of everything the generator writes, and of the public API surface:
//! a reviewer sees each change to the generated crate as a diff here
//! (`cargo insta review`).

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
        let name = path.trim_start_matches("src/").replace(['/', '.'], "_");
        insta::assert_snapshot!(name, contents);
    }
}

#[test]
fn public_api_surface() {
    let surface = match generated().api_surface() {
        Ok(s) => s,
        Err(e) => panic!("generated code does not parse: {e}"),
    };
    insta::assert_snapshot!("public_api", surface);
}
