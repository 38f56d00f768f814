//! The one place names are made: casing, then keyword escaping, then collision
//! removal. Wire names are kept beside the Rust names for serde renames.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Rust keywords, strict and reserved (2024 edition).
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop",
    "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return", "self",
    "Self", "static", "struct", "super", "trait", "true", "try", "type", "typeof", "unsafe",
    "unsized", "use", "virtual", "where", "while", "yield", "abstract", "become",
];

/// Keywords that cannot be raw identifiers; these get a trailing `_` instead.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// Type names the generated modules use unqualified; a schema with one of these
/// names would shadow it, so it is renamed.
pub const RESERVED_TYPES: &[&str] = &[
    "Option",
    "Result",
    "Vec",
    "String",
    "Box",
    "Some",
    "None",
    "Ok",
    "Err",
    "Client",
    "Error",
    "Secret",
    "Value",
    "BTreeMap",
    "UnknownValue",
    "Self",
];

/// Method names of the generated client and request builders that operations and
/// parameters must not take.
pub const RESERVED_METHODS: &[&str] = &[
    "new",
    "clone",
    "config",
    "send",
    "into_future",
    "fmt",
    "from_config",
    "from_env",
    "endpoint",
    "raw",
    "validates",
];

/// Splits text into words and joins them as `snake_case`, keeping only
/// characters valid in identifiers.
pub fn snake(text: &str) -> String {
    let cleaned = clean(text);
    let s = cleaned.to_snake_case();
    if s.is_empty() { "field".to_owned() } else { s }
}

/// `UpperCamelCase` of the words of `text`.
pub fn camel(text: &str) -> String {
    let cleaned = clean(text);
    cleaned.to_upper_camel_case()
}

/// Transliterates to ASCII (`名称` → `Ming Cheng`, `Größe` → `Grosse`) and
/// replaces characters that cannot be in an identifier with spaces, so heck
/// treats them as word breaks.
fn clean(text: &str) -> String {
    let ascii = if text.is_ascii() {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(deunicode::deunicode_with_tofu(text, " "))
    };
    ascii
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                ' '
            }
        })
        .collect()
}

/// A field, parameter or method identifier: snake case, must not start with a
/// digit, keywords escaped (`r#type`; `self_`).
pub fn field_ident(wire: &str) -> String {
    let mut s = snake(wire);
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s = format!("n{s}");
    }
    escape_keyword(s)
}

/// A type or variant identifier: UpperCamelCase, never starting with a digit,
/// never empty.
pub fn type_ident(wire: &str, digit_prefix: &str) -> String {
    let s = camel(wire);
    if s.is_empty() {
        return "Empty".to_owned();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        return format!("{digit_prefix}{s}");
    }
    escape_keyword(s)
}

fn escape_keyword(s: String) -> String {
    if NOT_RAW.contains(&s.as_str()) {
        format!("{s}_")
    } else if KEYWORDS.contains(&s.as_str()) {
        format!("r#{s}")
    } else {
        s
    }
}

/// Hands out names that are unique within one namespace: on a clash the
/// candidate gets `2`, `3`, ... appended (after the raw prefix is dropped).
#[derive(Default, Debug, Clone)]
pub struct Namespace {
    taken: BTreeSet<String>,
}

impl Namespace {
    /// A namespace where `reserved` are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Namespace {
            taken: reserved.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    /// Whether `name` is already handed out.
    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name.trim_start_matches("r#"))
    }

    /// Takes `candidate`, or the first free `candidate{suffix}N`.
    pub fn claim(&mut self, candidate: &str, suffix: &str) -> String {
        if self
            .taken
            .insert(candidate.trim_start_matches("r#").to_owned())
        {
            return candidate.to_owned();
        }
        let base = candidate.trim_start_matches("r#");
        let base = if suffix.is_empty() {
            base.to_owned()
        } else {
            format!("{base}{suffix}")
        };
        if self.taken.insert(base.clone()) {
            return base;
        }
        (2..)
            .map(|n| format!("{base}{n}"))
            .find(|name| self.taken.insert(name.clone()))
            .unwrap_or(base)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn casing_and_escaping() {
        assert_eq!(field_ident("type"), "r#type");
        assert_eq!(field_ident("self"), "self_");
        assert_eq!(field_ident("X-Language"), "x_language");
        assert_eq!(field_ident("fooBar"), "foo_bar");
        assert_eq!(field_ident("2fa"), "n2fa");
        assert_eq!(type_ident("star-rocks", "V"), "StarRocks");
        assert_eq!(type_ident("0", "Value"), "Value0");
        assert_eq!(type_ident("", "V"), "Empty");
        assert_eq!(type_ident("en-us", "V"), "EnUs");
        assert_eq!(field_ident("名称"), "ming_cheng");
        assert_eq!(type_ident("Größe", "V"), "Grosse");
        assert_eq!(field_ident("🙂"), "slight_smile");
        assert_eq!(field_ident("\u{200b}"), "field");
    }

    #[test]
    fn namespace_resolves_collisions() {
        let mut ns = Namespace::with_reserved(&["Error"]);
        assert_eq!(ns.claim("Error", "Model"), "ErrorModel");
        assert_eq!(ns.claim("Foo", ""), "Foo");
        assert_eq!(ns.claim("Foo", ""), "Foo2");
        assert_eq!(ns.claim("r#type", "_"), "r#type");
        assert_eq!(ns.claim("r#type", "_"), "type_");
    }
}
