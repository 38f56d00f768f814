//! Client-side checks of the API's constraints (lengths, ranges, patterns,
//! enumerations, array sizes), run before a request is sent. Generated code
//! implements [`Check`] for every model and calls [`Validator::check`] for each
//! input that has a rule; the first broken rule becomes
//! [`Error::Validation`](crate::Error::Validation) with the field's path.

use std::sync::OnceLock;

use regex_automata::Input;
use regex_automata::dfa::{Automaton, StartKind, dense, dense::DFA};
use regex_automata::util::syntax;

use crate::error::ValidationError;
use crate::{Error, Secret};

/// The constraints of one value, as the spec states them. Build with struct
/// update syntax from [`Rules::NONE`].
#[derive(Debug, Clone, Copy)]
pub struct Rules {
    /// Fewest characters (Unicode scalar values).
    pub min_length: Option<u64>,
    /// Most characters.
    pub max_length: Option<u64>,
    /// A regular expression the value must contain a match of (ECMA-262 style,
    /// as JSON Schema says; anchored patterns `^...$` match the whole value).
    pub pattern: Option<&'static Pattern>,
    /// Smallest value, and whether it is excluded.
    pub minimum: Option<(f64, bool)>,
    /// Largest value, and whether it is excluded.
    pub maximum: Option<(f64, bool)>,
    /// The value must be a multiple of this.
    pub multiple_of: Option<f64>,
    /// Fewest array items.
    pub min_items: Option<u64>,
    /// Most array items.
    pub max_items: Option<u64>,
    /// Rules for each array item.
    pub items: Option<&'static Rules>,
    /// The only values a number may take (an `enum` on an integer or number).
    pub allowed: Option<&'static [f64]>,
    /// The value must be present (a required `writeOnly` field, optional in
    /// replies).
    pub required: bool,
}

impl Rules {
    /// No constraint.
    pub const NONE: Rules = Rules {
        min_length: None,
        max_length: None,
        pattern: None,
        minimum: None,
        maximum: None,
        multiple_of: None,
        min_items: None,
        max_items: None,
        items: None,
        allowed: None,
        required: false,
    };
}

/// A `pattern` constraint, compiled on first use into a DFA that is matched
/// without locks or allocation (the DFA is immutable once built).
///
/// The generator checks at generation time that the pattern builds with the same
/// engine and limits, so a generated pattern always evaluates; a pattern that
/// could not be evaluated is documented there and never reaches the client.
#[derive(Debug)]
pub struct Pattern {
    /// The pattern as the spec writes it (ECMA-262), shown in messages.
    source: &'static str,
    /// The same pattern in the engine's syntax (`\\d` as `[0-9]`, ...).
    regex: &'static str,
    compiled: OnceLock<Option<DFA<Vec<u32>>>>,
}

/// The largest DFA a pattern may compile to, in bytes; the generator applies the
/// same limit (`codegen::pattern::DFA_SIZE_LIMIT`).
pub const DFA_SIZE_LIMIT: usize = 1 << 20;

impl Pattern {
    /// A pattern whose spec text is also valid engine syntax.
    pub const fn new(source: &'static str) -> Self {
        Pattern::translated(source, source)
    }

    /// A pattern written `source` in the spec and `regex` in the engine's syntax.
    pub const fn translated(source: &'static str, regex: &'static str) -> Self {
        Pattern {
            source,
            regex,
            compiled: OnceLock::new(),
        }
    }

    /// The pattern as the spec writes it.
    pub fn source(&self) -> &'static str {
        self.source
    }

    /// Whether `value` contains a match (JSON Schema patterns are not anchored
    /// unless they say `^`/`$`); `None` if the pattern cannot be evaluated.
    pub fn matches(&self, value: &str) -> Option<bool> {
        let dfa = self.compiled.get_or_init(|| compile(self.regex)).as_ref()?;
        dfa.try_search_fwd(&Input::new(value).earliest(true))
            .ok()
            .map(|m| m.is_some())
    }
}

/// Builds the DFA for `regex`, as the generator does when it checks a pattern.
pub fn compile(regex: &str) -> Option<DFA<Vec<u32>>> {
    dense::Builder::new()
        .configure(
            dense::Config::new()
                .start_kind(StartKind::Unanchored)
                .dfa_size_limit(Some(DFA_SIZE_LIMIT))
                .determinize_size_limit(Some(DFA_SIZE_LIMIT)),
        )
        .syntax(syntax::Config::new().unicode(true).utf8(true))
        .build(regex)
        .ok()
}

/// Something that can be checked against [`Rules`].
pub trait Check {
    /// Records the first broken rule in `v`.
    fn check(&self, v: &mut Validator, rules: &Rules);
}

/// Walks a request, tracking the path of the value being checked, and keeps the
/// first problem found.
#[derive(Debug)]
pub struct Validator {
    operation: &'static str,
    path: Vec<Segment>,
    error: Option<ValidationError>,
}

#[derive(Debug)]
enum Segment {
    Field(&'static str),
    /// A property not declared by name (`additionalProperties`).
    Property(String),
    Index(usize),
    Key(String),
}

impl Validator {
    /// A validator for one call of `operation`.
    pub fn new(operation: &'static str) -> Self {
        Validator {
            operation,
            path: Vec::new(),
            error: None,
        }
    }

    /// Checks the field or parameter `name` of the value being walked.
    pub fn check<T: Check + ?Sized>(&mut self, name: &'static str, value: &T, rules: &Rules) {
        if self.error.is_some() {
            return;
        }
        self.path.push(Segment::Field(name));
        value.check(self, rules);
        self.path.pop();
    }

    /// Records a broken rule at the current path (only the first is kept).
    pub fn fail(&mut self, rule: impl Into<String>, message: impl Into<String>) {
        if self.error.is_some() {
            return;
        }
        self.error = Some(ValidationError {
            operation: self.operation,
            field: self.path_text(),
            rule: rule.into(),
            message: message.into(),
        });
    }

    /// Checks that an alternative of a tagged union carries a tag that selects
    /// it: a `Dog` sent as a `Pet` must say `"pet_type": "dog"`, or the server
    /// (and this crate, reading it back) takes it for another alternative.
    pub fn check_tag<T: serde::Serialize>(
        &mut self,
        value: &T,
        property: &'static str,
        tags: &[&str],
    ) {
        if self.error.is_some() {
            return;
        }
        let json = serde_json::to_value(value).unwrap_or_default();
        let found = json.get(property).and_then(serde_json::Value::as_str);
        if found.is_some_and(|t| tags.contains(&t)) {
            return;
        }
        let expected: Vec<String> = tags.iter().map(|t| format!("`{t}`")).collect();
        self.path.push(Segment::Field(property));
        self.fail(
            "discriminator",
            match found {
                Some(t) => format!(
                    "is `{}`, but this alternative is tagged {}",
                    crate::error::shown(t),
                    expected.join(" or ")
                ),
                None => format!(
                    "is missing; this alternative is tagged {}",
                    expected.join(" or ")
                ),
            },
        );
        self.path.pop();
    }

    /// Checks each value of a map of properties (`additionalProperties` beside
    /// declared properties), with the key as its path.
    pub fn check_entries<T: Check>(&mut self, map: &std::collections::BTreeMap<String, T>) {
        for (key, value) in map {
            if self.error.is_some() {
                return;
            }
            self.path.push(Segment::Property(key.clone()));
            value.check(self, &Rules::NONE);
            self.path.pop();
        }
    }

    /// Records that a value of the enumeration `T` is not one it knows.
    pub fn unknown_value<T: crate::__private::OpenEnum>(&mut self, value: &str) {
        let known: Vec<&str> = T::KNOWN.iter().map(|(_, wire)| *wire).collect();
        self.fail(
            "enum",
            format!(
                "`{}` is not one of: {}",
                crate::error::shown(value),
                known.join(", ")
            ),
        );
    }

    /// `Err(Error::Validation)` for the first broken rule, else `Ok`.
    pub fn finish(self) -> Result<(), Error> {
        match self.error {
            Some(e) => Err(Error::Validation(Box::new(e))),
            None => Ok(()),
        }
    }

    fn path_text(&self) -> String {
        let mut out = String::new();
        for segment in &self.path {
            let name = match segment {
                Segment::Field(name) => *name,
                Segment::Property(name) => name.as_str(),
                Segment::Index(i) => {
                    out.push_str(&format!("[{i}]"));
                    continue;
                }
                Segment::Key(k) => {
                    out.push_str(&format!("[{k:?}]"));
                    continue;
                }
            };
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(name);
        }
        out
    }

    fn length(&mut self, chars: usize, rules: &Rules) {
        let n = chars as u64;
        if let Some(min) = rules.min_length.filter(|min| n < *min) {
            self.fail(
                format!("minLength {min}"),
                format!("has {n} characters, fewer than {min}"),
            );
        }
        if let Some(max) = rules.max_length.filter(|max| n > *max) {
            self.fail(
                format!("maxLength {max}"),
                format!("has {n} characters, more than {max}"),
            );
        }
    }

    fn pattern(&mut self, value: &str, rules: &Rules) {
        if let Some(pattern) = rules.pattern {
            if pattern.matches(value) == Some(false) {
                let source = pattern.source;
                self.fail(
                    format!("pattern {source}"),
                    format!("does not match `{source}`"),
                );
            }
        }
    }

    fn number(&mut self, value: f64, shown: &dyn std::fmt::Display, rules: &Rules) {
        if let Some((min, exclusive)) = rules.minimum {
            if value < min || (exclusive && value == min) {
                let op = if exclusive { ">" } else { ">=" };
                self.fail(
                    format!("minimum {min}"),
                    format!("{shown} is not {op} {min}"),
                );
            }
        }
        if let Some((max, exclusive)) = rules.maximum {
            if value > max || (exclusive && value == max) {
                let op = if exclusive { "<" } else { "<=" };
                self.fail(
                    format!("maximum {max}"),
                    format!("{shown} is not {op} {max}"),
                );
            }
        }
        if let Some(m) = rules.multiple_of.filter(|m| *m > 0.0) {
            let q = value / m;
            if (q - q.round()).abs() > 1e-9 {
                self.fail(
                    format!("multipleOf {m}"),
                    format!("{shown} is not a multiple of {m}"),
                );
            }
        }
        if let Some(allowed) = rules.allowed {
            if !allowed.contains(&value) {
                let list: Vec<String> = allowed.iter().map(f64::to_string).collect();
                self.fail("enum", format!("{shown} is not one of {}", list.join(", ")));
            }
        }
    }
}

impl Check for String {
    fn check(&self, v: &mut Validator, rules: &Rules) {
        self.as_str().check(v, rules);
    }
}

impl Check for str {
    fn check(&self, v: &mut Validator, rules: &Rules) {
        if rules.min_length.is_some() || rules.max_length.is_some() {
            v.length(self.chars().count(), rules);
        }
        v.pattern(self, rules);
    }
}

impl Check for Secret {
    /// Messages never show the value.
    fn check(&self, v: &mut Validator, rules: &Rules) {
        self.expose().check(v, rules);
    }
}

macro_rules! check_number {
    ($($t:ty),*) => {$(
        impl Check for $t {
            fn check(&self, v: &mut Validator, rules: &Rules) {
                v.number(*self as f64, self, rules);
            }
        }
    )*};
}
check_number!(i8, i16, i32, i64, u8, u16, u32, u64, f32, f64);

impl<T: Check + ?Sized> Check for Box<T> {
    fn check(&self, v: &mut Validator, rules: &Rules) {
        (**self).check(v, rules);
    }
}

impl Check for bytes::Bytes {
    fn check(&self, _: &mut Validator, _: &Rules) {}
}

impl Check for bool {
    fn check(&self, _: &mut Validator, _: &Rules) {}
}

impl Check for serde_json::Value {
    fn check(&self, _: &mut Validator, _: &Rules) {}
}

impl<T: Check> Check for Option<T> {
    fn check(&self, v: &mut Validator, rules: &Rules) {
        match self {
            Some(value) => value.check(v, rules),
            None if rules.required => v.fail("required", "is missing"),
            None => {}
        }
    }
}

impl<T: Check> Check for Vec<T> {
    fn check(&self, v: &mut Validator, rules: &Rules) {
        let n = self.len() as u64;
        if let Some(min) = rules.min_items.filter(|min| n < *min) {
            v.fail(
                format!("minItems {min}"),
                format!("has {n} items, fewer than {min}"),
            );
        }
        if let Some(max) = rules.max_items.filter(|max| n > *max) {
            v.fail(
                format!("maxItems {max}"),
                format!("has {n} items, more than {max}"),
            );
        }
        let item_rules = rules.items.unwrap_or(&Rules::NONE);
        for (i, item) in self.iter().enumerate() {
            if v.error.is_some() {
                return;
            }
            v.path.push(Segment::Index(i));
            item.check(v, item_rules);
            v.path.pop();
        }
    }
}

impl<T: Check> Check for std::collections::BTreeMap<String, T> {
    fn check(&self, v: &mut Validator, rules: &Rules) {
        for (key, item) in self {
            if v.error.is_some() {
                return;
            }
            v.path.push(Segment::Key(key.clone()));
            item.check(v, rules);
            v.path.pop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first_error(f: impl FnOnce(&mut Validator)) -> Option<ValidationError> {
        let mut v = Validator::new("op");
        f(&mut v);
        match v.finish() {
            Err(Error::Validation(e)) => Some(*e),
            _ => None,
        }
    }

    #[test]
    fn strings_numbers_and_arrays() {
        static LOWER: Pattern = Pattern::new("^[a-z]+$");
        static LEN: Rules = Rules {
            min_length: Some(4),
            max_length: Some(6),
            pattern: Some(&LOWER),
            ..Rules::NONE
        };
        assert!(first_error(|v| v.check("name", "abcd", &LEN)).is_none());
        let e = first_error(|v| v.check("name", "abc", &LEN)).map(|e| (e.field, e.rule));
        assert_eq!(e, Some(("name".to_owned(), "minLength 4".to_owned())));
        let e = first_error(|v| v.check("name", "abcD", &LEN)).map(|e| e.rule);
        assert_eq!(e.as_deref(), Some("pattern ^[a-z]+$"));
        // Length counts characters, not bytes.
        assert!(
            first_error(|v| v.check(
                "name",
                "ab",
                &Rules {
                    min_length: Some(2),
                    ..Rules::NONE
                }
            ))
            .is_none()
        );
        assert!(
            first_error(|v| v.check(
                "name",
                "éé",
                &Rules {
                    max_length: Some(2),
                    ..Rules::NONE
                }
            ))
            .is_none()
        );

        const TENS: Rules = Rules {
            minimum: Some((10.0, false)),
            maximum: Some((100.0, true)),
            multiple_of: Some(10.0),
            ..Rules::NONE
        };
        assert!(first_error(|v| v.check("n", &50i32, &TENS)).is_none());
        assert_eq!(
            first_error(|v| v.check("n", &55i32, &TENS))
                .map(|e| e.rule)
                .as_deref(),
            Some("multipleOf 10")
        );
        assert_eq!(
            first_error(|v| v.check("n", &100i32, &TENS))
                .map(|e| e.rule)
                .as_deref(),
            Some("maximum 100")
        );
        assert_eq!(
            first_error(|v| v.check("n", &0i64, &TENS))
                .map(|e| e.rule)
                .as_deref(),
            Some("minimum 10")
        );

        const ITEMS: Rules = Rules {
            max_items: Some(2),
            items: Some(&Rules {
                min_length: Some(2),
                ..Rules::NONE
            }),
            ..Rules::NONE
        };
        let e = first_error(|v| v.check("tags", &vec!["ab".to_owned(), "c".to_owned()], &ITEMS));
        assert_eq!(e.map(|e| e.field).as_deref(), Some("tags[1]"));
        let e = first_error(|v| v.check("tags", &vec![String::new(); 3], &ITEMS));
        assert_eq!(e.map(|e| e.rule).as_deref(), Some("maxItems 2"));
    }

    #[test]
    fn patterns_match_as_json_schema_says() {
        static ID: Pattern = Pattern::new("^[A-Za-z0-9]{32}in07$");
        static CONTAINS: Pattern = Pattern::new("in07");
        static HAN: Pattern = Pattern::translated(
            "^[\\u4e00-\\u9fa5\\w-]+$",
            "^[\\u4e00-\\u9fa5A-Za-z0-9_-]+$",
        );
        assert_eq!(
            ID.matches("18c3eeb7b788479eb8b93b209946a83bin07"),
            Some(true)
        );
        for no in [
            "18c3eeb7b788479eb8b93b209946a83bin17",
            "18c3eeb7b788479eb8b93b209946a83bin07x",
            "18c3eeb7b788479eb8b93b209946a83in07",
            "",
            "é",
        ] {
            assert_eq!(ID.matches(no), Some(false), "{no:?}");
        }
        // Unanchored patterns look for a match anywhere.
        assert_eq!(CONTAINS.matches("xxin07yy"), Some(true));
        assert_eq!(CONTAINS.matches("in7"), Some(false));
        assert_eq!(HAN.matches("销售_db-1"), Some(true));
        assert_eq!(HAN.matches("sales db"), Some(false));
        assert_eq!(HAN.source(), "^[\\u4e00-\\u9fa5\\w-]+$");
    }

    #[test]
    fn a_pattern_the_engine_cannot_build_is_not_evaluated() {
        static LOOKAHEAD: Pattern = Pattern::new("^(?=a)a$");
        assert_eq!(LOOKAHEAD.matches("a"), None);
        assert!(compile("^(?=a)a$").is_none());
        assert!(compile("^[A-Za-z]{1,64}$").is_some());
    }

    #[test]
    fn allowed_values_of_numbers() {
        static NODES: Rules = Rules {
            allowed: Some(&[1.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0]),
            ..Rules::NONE
        };
        assert!(first_error(|v| v.check("fe_count", &3i32, &NODES)).is_none());
        let e = first_error(|v| v.check("fe_count", &2i32, &NODES));
        assert_eq!(
            e.map(|e| (e.rule, e.message)),
            Some((
                "enum".to_owned(),
                "2 is not one of 1, 3, 4, 5, 6, 7, 8, 9, 10".to_owned()
            ))
        );
    }

    #[test]
    fn secret_values_never_appear_in_messages() {
        static X: Pattern = Pattern::new("^x");
        let rules = Rules {
            min_length: Some(20),
            pattern: Some(&X),
            ..Rules::NONE
        };
        let e = first_error(|v| v.check("pwd", &Secret::new("hunter2"), &rules));
        let text = e.map(|e| e.to_string()).unwrap_or_default();
        assert!(text.contains("pwd") && !text.contains("hunter2"), "{text}");
    }
}
