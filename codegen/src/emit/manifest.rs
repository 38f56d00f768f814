//! The crate manifest of a service crate, and the rustfmt configuration that
//! keeps rustfmt off the generated code (prettyplease formats it).

use crate::ir::Service;

/// `generated/<module>/Cargo.toml` (without the `@generated` header, which the
/// caller adds in TOML comment syntax).
pub fn cargo_toml(service: &Service) -> String {
    let description = toml_string(&format!(
        "Typed async client for Huawei Cloud {}, generated from {}",
        service.title, service.source
    ));
    format!(
        r#"[package]
name = "{name}"
version.workspace = true
description = {description}
edition.workspace = true
rust-version.workspace = true
license.workspace = true
publish = false

[dependencies]
huaweicloud-sdk-core.workspace = true
serde.workspace = true
serde_json.workspace = true

[dev-dependencies]
tokio = {{ workspace = true, features = ["macros", "rt-multi-thread"] }}
{features}
[lints]
workspace = true
"#,
        name = service.crate_name,
        features = if service.operations.is_empty() {
            String::new()
        } else {
            format!(
                "\n[features]\n# Typed answers for tests, without a network (`{}::mock`).\nmock = [\"huaweicloud-sdk-core/mock\"]\n",
                service.lib_name
            )
        },
    )
}

/// `generated/rustfmt.toml`.
pub fn rustfmt_toml() -> String {
    "# These crates are formatted by codegen (prettyplease); rustfmt leaves them alone.\n\
     disable_all_formatting = true\n"
        .to_owned()
}

/// A TOML basic string.
fn toml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::toml_string;

    #[test]
    fn toml_strings_are_escaped() {
        assert_eq!(toml_string("a \"b\" \\ c\n"), "\"a \\\"b\\\" \\\\ c\\n\"");
    }
}
