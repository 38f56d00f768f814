//! Client-side checks of the API's constraints (lengths, ranges, patterns,
//! enumerations, array sizes), run before a request is sent. Generated code
//! implements [`Check`] for every model and calls [`Validator::check`] for each
//! input that has a rule; the first broken rule becomes
//! [`Error::Validation`](super::Error::Validation) with the field's path.

use std::sync::{Mutex, OnceLock};

use super::error::ValidationError;
use super::{Error, Secret};

/// The constraints of one value, as the spec states them. Build with struct
/// update syntax from [`Rules::NONE`].
#[derive(Debug, Clone, Copy, PartialEq)]
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
    };
}

/// A `pattern` constraint: its source, and where the generator could compile it,
/// an equivalent sequence of character-class atoms that is matched without a
/// regex engine (anchored, and greedy matching is exact: the generator checks
/// that a repeated atom never overlaps the atom after it).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pattern {
    /// The pattern as the spec writes it.
    pub source: &'static str,
    /// The compiled form, if the pattern is this simple.
    pub atoms: Option<&'static [Atom]>,
}

/// One character class with a repetition count.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Atom {
    /// Inclusive character ranges; a single character is `(c, c)`.
    pub ranges: &'static [(char, char)],
    /// Fewest repetitions.
    pub min: u32,
    /// Most repetitions (`u32::MAX`: unbounded).
    pub max: u32,
}

impl Pattern {
    /// Whether `value` matches; `None` if the pattern cannot be evaluated.
    pub fn matches(&self, value: &str) -> Option<bool> {
        match self.atoms {
            Some(atoms) => Some(match_atoms(atoms, value)),
            None => matches_regex(self.source, value),
        }
    }
}

fn match_atoms(atoms: &[Atom], value: &str) -> bool {
    let mut chars = value.chars().peekable();
    for atom in atoms {
        let mut n = 0u32;
        while n < atom.max {
            match chars.peek() {
                Some(c) if atom.ranges.iter().any(|(lo, hi)| (lo..=hi).contains(&c)) => {
                    chars.next();
                    n += 1;
                }
                _ => break,
            }
        }
        if n < atom.min {
            return false;
        }
    }
    chars.next().is_none()
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
            match segment {
                Segment::Field(name) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(name);
                }
                Segment::Index(i) => out.push_str(&format!("[{i}]")),
                Segment::Key(k) => out.push_str(&format!("[{k:?}]")),
            }
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
    }
}

/// Whether `value` contains a match of `pattern`; `None` if the pattern does not
/// compile (the generator rejects such specs, so this does not happen for
/// generated rules). Compiled patterns are cached for the life of the process.
fn matches_regex(pattern: &'static str, value: &str) -> Option<bool> {
    type Cache = Mutex<Vec<(&'static str, Option<regex_lite::Regex>)>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(Vec::new()));
    let mut cache = match cache.lock() {
        Ok(guard) => guard,
        Err(poisoned) => poisoned.into_inner(),
    };
    let index = match cache.iter().position(|(p, _)| *p == pattern) {
        Some(i) => i,
        None => {
            cache.push((pattern, regex_lite::Regex::new(pattern).ok()));
            cache.len() - 1
        }
    };
    cache[index].1.as_ref().map(|re| re.is_match(value))
}

impl Check for String {
    fn check(&self, v: &mut Validator, rules: &Rules) {
        self.as_str().check(v, rules);
    }
}

impl Check for str {
    fn check(&self, v: &mut Validator, rules: &Rules) {
        v.length(self.chars().count(), rules);
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
check_number!(i32, i64, f32, f64);

impl Check for bool {
    fn check(&self, _: &mut Validator, _: &Rules) {}
}

impl Check for serde_json::Value {
    fn check(&self, _: &mut Validator, _: &Rules) {}
}

impl<T: Check> Check for Option<T> {
    fn check(&self, v: &mut Validator, rules: &Rules) {
        if let Some(value) = self {
            value.check(v, rules);
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
        const LEN: Rules = Rules {
            min_length: Some(4),
            max_length: Some(6),
            pattern: Some(&Pattern {
                source: "^[a-z]+$",
                atoms: None,
            }),
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
    fn compiled_atoms_agree_with_the_regex() {
        // ^[A-Za-z0-9]{32}in07$ as the generator compiles it.
        const ALNUM: &[(char, char)] = &[('A', 'Z'), ('a', 'z'), ('0', '9')];
        const ID: Pattern = Pattern {
            source: "^[A-Za-z0-9]{32}in07$",
            atoms: Some(&[
                Atom {
                    ranges: ALNUM,
                    min: 32,
                    max: 32,
                },
                Atom {
                    ranges: &[('i', 'i')],
                    min: 1,
                    max: 1,
                },
                Atom {
                    ranges: &[('n', 'n')],
                    min: 1,
                    max: 1,
                },
                Atom {
                    ranges: &[('0', '0')],
                    min: 1,
                    max: 1,
                },
                Atom {
                    ranges: &[('7', '7')],
                    min: 1,
                    max: 1,
                },
            ]),
        };
        const WORD: Pattern = Pattern {
            source: "^[A-Za-z0-9_]+$",
            atoms: Some(&[Atom {
                ranges: &[('A', 'Z'), ('a', 'z'), ('0', '9'), ('_', '_')],
                min: 1,
                max: u32::MAX,
            }]),
        };
        let samples = [
            "18c3eeb7b788479eb8b93b209946a83bin07",
            "18c3eeb7b788479eb8b93b209946a83bin17",
            "18c3eeb7b788479eb8b93b209946a83bin07x",
            "18c3eeb7b788479eb8b93b209946a83in07",
            "sales_db",
            "sales-db",
            "",
            "é",
        ];
        for p in [ID, WORD] {
            for s in samples {
                let regex = Pattern { atoms: None, ..p };
                assert_eq!(p.matches(s), regex.matches(s), "{} on {s:?}", p.source);
            }
        }
        assert_eq!(
            ID.matches("18c3eeb7b788479eb8b93b209946a83bin07"),
            Some(true)
        );
    }

    #[test]
    fn secret_values_never_appear_in_messages() {
        let rules = Rules {
            min_length: Some(20),
            pattern: Some(&Pattern {
                source: "^x",
                atoms: None,
            }),
            ..Rules::NONE
        };
        let e = first_error(|v| v.check("pwd", &Secret::new("hunter2"), &rules));
        let text = e.map(|e| e.to_string()).unwrap_or_default();
        assert!(text.contains("pwd") && !text.contains("hunter2"), "{text}");
    }
}
