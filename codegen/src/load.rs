//! Stage 1: read a spec file into `openapiv3::OpenAPI`, with located errors.

use std::path::Path;

use openapiv3::OpenAPI;

use crate::error::{Error, ErrorKind, Location, Pointer};

/// One parsed spec file, with its text kept for locating later errors.
pub struct LoadedSpec {
    /// The path the spec was read from, as given.
    pub file: std::path::PathBuf,
    /// The file's text.
    pub text: String,
    /// The parsed document.
    pub doc: OpenAPI,
}

impl LoadedSpec {
    /// A location in this file for a JSON pointer, with the line and column found
    /// in the text where the pointer can be followed (block-style YAML).
    pub fn locate(&self, pointer: &Pointer) -> Location {
        let (line, column) = match locate_pointer(&self.text, pointer) {
            Some((l, c)) => (Some(l), Some(c)),
            None => (None, None),
        };
        Location {
            file: self.file.clone(),
            line,
            column,
            pointer: pointer.to_string(),
        }
    }

    /// An error of `kind` at `pointer` in this file.
    pub fn error(&self, kind: ErrorKind, pointer: &Pointer, message: impl Into<String>) -> Error {
        Error::new(kind, self.locate(pointer), message)
    }
}

/// Parses spec text that was read from `path` (used for messages only).
pub fn parse(path: &Path, text: String) -> Result<LoadedSpec, Error> {
    let file = path.to_path_buf();
    // JSON is read as JSON: serde_yaml's parser rejects some valid JSON (a
    // surrogate pair written as `\ud83d\udc4d`, as Twilio's documents do).
    if text.trim_start().starts_with('{') {
        // The fast path reads the model straight from the text; anything it
        // refuses is read again below, by way of a value, to say where and why.
        if let Ok(doc) = serde_json::from_str::<OpenAPI>(&text) {
            if doc.openapi.starts_with("3.0.") {
                return Ok(LoadedSpec { file, text, doc });
            }
        }
        let value: serde_yaml::Value = serde_json::from_str(&text).map_err(|e| {
            Error::new(
                ErrorKind::Syntax,
                Location {
                    file: file.clone(),
                    line: Some(e.line()),
                    column: Some(e.column()),
                    pointer: String::new(),
                },
                strip_location(&e.to_string()),
            )
        })?;
        return parse_value(file, text, value);
    }
    let value: serde_yaml::Value = serde_yaml::from_str(&text).map_err(|e| {
        let (line, column) = e
            .location()
            .map(|l| (Some(l.line()), Some(l.column())))
            .unwrap_or((None, None));
        Error::new(
            ErrorKind::Syntax,
            Location {
                file: file.clone(),
                line,
                column,
                pointer: String::new(),
            },
            strip_location(&e.to_string()),
        )
    })?;

    parse_value(file, text, value)
}

/// The second half of [`parse`]: the version check and the OpenAPI model.
fn parse_value(
    file: std::path::PathBuf,
    text: String,
    value: serde_yaml::Value,
) -> Result<LoadedSpec, Error> {
    // The fast path reads the model without tracking paths; a document it
    // refuses is read again with paths, to say where and why. (Both read the
    // same value: openapiv3 expects a second reading of one input to agree.)
    if let Ok(doc) = <OpenAPI as serde::Deserialize>::deserialize(&value) {
        if doc.openapi.starts_with("3.0.") {
            return Ok(LoadedSpec { file, text, doc });
        }
    }
    let version = value.get("openapi").and_then(|v| v.as_str()).unwrap_or("");
    let partial = LoadedSpec {
        file: file.clone(),
        text,
        doc: OpenAPI::default(),
    };
    if !version.starts_with("3.0.") {
        return Err(partial.error(
            ErrorKind::Unsupported,
            &Pointer::root().join("openapi"),
            format!(
                "`openapi: {version}` is not supported; this generator reads OpenAPI 3.0.x documents"
            ),
        ));
    }

    let doc: OpenAPI = serde_path_to_error::deserialize(value).map_err(|e| {
        let mut pointer = Pointer::root();
        for segment in e.path().iter() {
            match segment {
                serde_path_to_error::Segment::Seq { index } => pointer = pointer.join(index),
                serde_path_to_error::Segment::Map { key } => pointer = pointer.join(key),
                serde_path_to_error::Segment::Enum { variant } => pointer = pointer.join(variant),
                serde_path_to_error::Segment::Unknown => {}
            }
        }
        partial.error(ErrorKind::Invalid, &pointer, e.into_inner().to_string())
    })?;
    Ok(LoadedSpec { doc, ..partial })
}

/// serde_yaml appends " at line L column C" to its messages; we print the
/// location ourselves.
fn strip_location(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// Follows a JSON pointer through block-style YAML text and returns the 1-based
/// line and column of the deepest segment it could find. Flow-style collections
/// (`{...}`, `[...]`) end the search at the key that holds them.
pub fn locate_pointer(text: &str, pointer: &Pointer) -> Option<(usize, usize)> {
    let entries = entries(text);
    let mut container: Option<usize> = None; // None = document root
    let mut found = None;
    for segment in pointer.segments() {
        let (first, parent_indent) = match container {
            Some(c) => (c + 1, entries[c].indent as isize),
            None => (0, -1),
        };
        let mut child_indent = None;
        let mut items = 0usize;
        let mut hit = None;
        for (i, entry) in entries.iter().enumerate().skip(first) {
            if entry.indent as isize <= parent_indent {
                break;
            }
            if *child_indent.get_or_insert(entry.indent) != entry.indent {
                continue;
            }
            match &entry.kind {
                EntryKind::Key(key) if *key == segment => {
                    hit = Some(i);
                    break;
                }
                EntryKind::Item => {
                    if segment.parse::<usize>() == Ok(items) {
                        hit = Some(i);
                        break;
                    }
                    items += 1;
                }
                _ => {}
            }
        }
        let Some(i) = hit else { break };
        found = Some((entries[i].line + 1, entries[i].indent + 1));
        container = Some(i);
    }
    found
}

enum EntryKind<'a> {
    Key(&'a str),
    Item,
    Other,
}

struct Entry<'a> {
    line: usize,
    indent: usize,
    kind: EntryKind<'a>,
}

/// One entry per key, per list item marker, and per other content line; a
/// `- key: v` line gives an item at its indent and a key two columns further in.
fn entries(text: &str) -> Vec<Entry<'_>> {
    let mut out = Vec::new();
    for (line, raw) in text.lines().enumerate() {
        let mut rest = raw.trim_start_matches(' ');
        let mut indent = raw.len() - rest.len();
        if rest.is_empty() || rest.starts_with('#') {
            continue;
        }
        while let Some(after) = rest.strip_prefix("- ").or((rest == "-").then_some("")) {
            out.push(Entry {
                line,
                indent,
                kind: EntryKind::Item,
            });
            let inner = after.trim_start_matches(' ');
            indent += rest.len() - inner.len();
            rest = inner;
        }
        if rest.is_empty() {
            continue;
        }
        let kind = key_of(rest).map_or(EntryKind::Other, EntryKind::Key);
        out.push(Entry { line, indent, kind });
    }
    out
}

/// The key of a `key: value` or `key:` line, unquoted.
fn key_of(line: &str) -> Option<&str> {
    let (key, after) = match line.as_bytes().first() {
        Some(q @ (b'"' | b'\'')) => {
            let close = line[1..].find(*q as char)? + 1;
            (&line[1..close], &line[close + 1..])
        }
        _ => {
            let colon = line
                .find(": ")
                .or_else(|| line.strip_suffix(':').map(str::len))?;
            (&line[..colon], &line[colon..])
        }
    };
    after.starts_with(':').then_some(key)
}
