//! Per-file state of a conversion: the repairs made and the errors found, each
//! located by the source file and a JSON pointer into it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::error::{Error, ErrorKind, Location, Pointer};

use super::Repair;

/// The component sections of OpenAPI 3.0, in the order they are written.
pub(crate) const SECTIONS: &[&str] = &[
    "schemas",
    "responses",
    "parameters",
    "examples",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
];

/// Which dialect a source file is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Dialect {
    /// Swagger 2.0 (API Explorer's envelope or a plain document).
    Swagger2,
    /// OpenAPI 3.0 (API Explorer's envelope or a plain document).
    OpenApi3,
}

/// State while converting one source file.
pub(crate) struct Ctx<'a> {
    /// The file, as given.
    pub file: &'a Path,
    /// The dialect of the file.
    pub dialect: Dialect,
    /// Repairs made so far.
    pub repairs: Vec<Repair>,
    /// Problems that could not be repaired; any of them skips the file.
    pub errors: Vec<Error>,
    /// Components the file defines, as (section, name); Swagger 2 definitions
    /// count as `schemas`, its global responses as `responses`.
    pub known: BTreeSet<(String, String)>,
}

impl<'a> Ctx<'a> {
    pub fn new(file: &'a Path, dialect: Dialect) -> Self {
        Ctx {
            file,
            dialect,
            repairs: Vec::new(),
            errors: Vec::new(),
            known: BTreeSet::new(),
        }
    }

    /// Records a repair made at `at`.
    pub fn repair(&mut self, at: &Pointer, message: impl Into<String>) {
        self.repairs.push(Repair {
            file: self.file.to_path_buf(),
            pointer: at.to_string(),
            message: message.into(),
        });
    }

    /// Records a problem at `at` that could not be repaired.
    pub fn error(&mut self, kind: ErrorKind, at: &Pointer, message: impl Into<String>) {
        self.errors.push(located(self.file, kind, at, message));
    }

    /// Whether the file defines component `name` in `section`.
    pub fn has(&self, section: &str, name: &str) -> bool {
        self.known.contains(&(section.to_owned(), name.to_owned()))
    }

    /// Rewrites a `$ref` found at `at` into the form the merge step expects
    /// (`#/components/<section>/<escaped name>`), checking that it points at
    /// something in this file. `expected` is the section the position calls
    /// for (`schemas` for a schema, `responses` for a response, ...).
    pub fn rewrite_ref(&mut self, at: &Pointer, reference: &str, expected: &str) -> Option<String> {
        let Some((section, name)) = split_ref(reference) else {
            let kind = if reference.starts_with('#') {
                ErrorKind::DanglingRef
            } else {
                ErrorKind::Unsupported
            };
            self.error(
                kind,
                at,
                format!(
                    "`$ref: {reference}` is not a local reference to a definition or component; only `#/definitions/...` and `#/components/<section>/...` are imported"
                ),
            );
            return None;
        };
        if self.has(&section, &name) && section == expected {
            return Some(component_ref(&section, &name));
        }
        // A reference into the wrong section of the same file, where the name
        // exists in the section the position calls for, has one meaning.
        if self.has(expected, &name) {
            self.repair(
                at,
                format!(
                    "`$ref: {reference}` points at a {section} entry, but this position takes {expected}; `{name}` is defined there, so the reference now points at it"
                ),
            );
            return Some(component_ref(expected, &name));
        }
        if self.has(&section, &name) {
            self.error(
                ErrorKind::Invalid,
                at,
                format!(
                    "`$ref: {reference}` points at {section}, but this position takes {expected}"
                ),
            );
        } else {
            self.error(
                ErrorKind::DanglingRef,
                at,
                format!("`$ref: {reference}` points at nothing: the file defines no {section} entry `{name}`"),
            );
        }
        None
    }
}

/// A located error in `file` at pointer `at` (JSON files: no line and column).
pub(crate) fn located(
    file: &Path,
    kind: ErrorKind,
    at: &Pointer,
    message: impl Into<String>,
) -> Error {
    Error::new(
        kind,
        Location {
            file: PathBuf::from(file),
            line: None,
            column: None,
            pointer: at.to_string(),
        },
        message,
    )
}

/// Splits a local reference into (section, unescaped name): `#/definitions/X`
/// gives `("schemas", "X")`, `#/responses/X` gives `("responses", "X")`,
/// `#/components/parameters/X` gives `("parameters", "X")`.
pub(crate) fn split_ref(reference: &str) -> Option<(String, String)> {
    let rest = reference.strip_prefix("#/")?;
    let (section, name) = if let Some(rest) = rest.strip_prefix("components/") {
        let (section, name) = rest.split_once('/')?;
        (section.to_owned(), name)
    } else {
        let (section, name) = rest.split_once('/')?;
        let section = match section {
            "definitions" => "schemas",
            "responses" => "responses",
            "parameters" => "parameters",
            _ => return None,
        };
        (section.to_owned(), name)
    };
    if name.is_empty() || name.contains('/') {
        return None;
    }
    let name = percent_decode(&name.replace("~1", "/").replace("~0", "~"));
    Some((section, name))
}

/// `#/components/<section>/<name>` with the name escaped as a pointer segment.
pub(crate) fn component_ref(section: &str, name: &str) -> String {
    format!(
        "#/components/{section}/{}",
        name.replace('~', "~0").replace('/', "~1")
    )
}

/// Decodes `%XX` escapes (references are URIs); anything malformed stays as is.
fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_owned();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

/// A JSON object key's value as a string, if it is one.
pub(crate) fn str_of<'v>(map: &'v Map<String, Value>, key: &str) -> Option<&'v str> {
    map.get(key).and_then(Value::as_str)
}

/// Short description of a JSON value's type for messages.
pub(crate) fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}
