//! Names in the generated crates: one public type per name across a crate's
//! modules, so that the compiler never says "expected `X`, found a different `X`".

use std::collections::BTreeMap;

fn public_types(source: &str) -> Vec<String> {
    let file = match syn::parse_file(source) {
        Ok(f) => f,
        Err(e) => panic!("generated code does not parse: {e}"),
    };
    file.items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(s) if matches!(s.vis, syn::Visibility::Public(_)) => {
                Some(s.ident.to_string())
            }
            syn::Item::Enum(e) if matches!(e.vis, syn::Visibility::Public(_)) => {
                Some(e.ident.to_string())
            }
            _ => None,
        })
        .collect()
}

#[test]
fn type_names_are_unique_across_each_crate() {
    let generated = match codegen::generate(&sdk_tests::spec_dir()) {
        Ok(g) => g,
        Err(e) => panic!("the specs do not generate: {e}"),
    };
    for service in &generated.services {
        let mut seen: BTreeMap<String, String> = BTreeMap::new();
        let prefix = format!("{}/src/", service.module);
        for (path, source) in &generated.files {
            let Some(file) = path.strip_prefix(&prefix) else {
                continue;
            };
            for name in public_types(source) {
                if let Some(first) = seen.insert(name.clone(), file.to_owned()) {
                    panic!(
                        "{}: `{name}` is defined in both {first} and {file}",
                        service.crate_name
                    );
                }
            }
        }
        assert!(seen.len() > 10, "{}: {seen:?}", service.crate_name);
    }
}
