//! Stage 1: read a spec file into `openapiv3::OpenAPI`, with located errors,
//! and the further operations of its `x-paths`.

use std::collections::BTreeMap;
use std::path::Path;

use openapiv3::{OpenAPI, PathItem, ReferenceOr};

use crate::error::{Error, ErrorKind, Location, Pointer};

/// The top-level extension with the further operations of a path and method
/// that `paths` already has: keys `<path template>#<label>`, values Path Item
/// objects (in the spirit of AutoRest's `x-ms-paths`, which exists for the
/// same limit of OpenAPI: one operation per path and method).
pub const X_PATHS: &str = "x-paths";

/// One parsed spec file, with its text kept for locating later errors.
pub struct LoadedSpec {
    /// The path the spec was read from, as given.
    pub file: std::path::PathBuf,
    /// The file's text.
    pub text: String,
    /// The parsed document.
    pub doc: OpenAPI,
    /// The entries of `x-paths`, in document order (checked: see [`X_PATHS`]).
    pub extra_paths: Vec<ExtraPath>,
}

/// One entry of `x-paths`: a path item whose operations share their path and
/// method with operations in `paths`, and differ by their body or query.
#[derive(Clone, Debug)]
pub struct ExtraPath {
    /// The key as written, e.g. `/v3/{project_id}/instances#create_restore_instance`.
    pub key: String,
    /// The path template that is sent and signed: the key before `#`.
    pub path: String,
    /// The label after `#`: it only makes the key unique and is never sent.
    pub label: String,
    /// The path item.
    pub item: ReferenceOr<PathItem>,
}

impl LoadedSpec {
    /// Every path item: those of `paths` in order, then those of `x-paths`,
    /// each with the path template that is sent and the item's pointer.
    pub fn path_items(&self) -> impl Iterator<Item = (&str, Pointer, &ReferenceOr<PathItem>)> {
        let paths = self.doc.paths.paths.iter().map(|(path, item)| {
            (
                path.as_str(),
                Pointer::root().join("paths").join(path),
                item,
            )
        });
        let extra = self.extra_paths.iter().map(|e| {
            (
                e.path.as_str(),
                Pointer::root().join(X_PATHS).join(&e.key),
                &e.item,
            )
        });
        paths.chain(extra)
    }

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
                return finish(file, text, doc);
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
            return finish(file, text, doc);
        }
    }
    let version = value.get("openapi").and_then(|v| v.as_str()).unwrap_or("");
    let partial = LoadedSpec {
        file: file.clone(),
        text,
        doc: OpenAPI::default(),
        extra_paths: Vec::new(),
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
    finish(partial.file, partial.text, doc)
}

/// The loaded spec, with its `x-paths` read and checked.
fn finish(file: std::path::PathBuf, text: String, doc: OpenAPI) -> Result<LoadedSpec, Error> {
    let mut spec = LoadedSpec {
        file,
        text,
        doc,
        extra_paths: Vec::new(),
    };
    spec.extra_paths = extra_paths(&spec)?;
    Ok(spec)
}

/// Reads `x-paths`. Each key is a path template, `#` and a label of letters,
/// digits, `_`, `-` and `.`; the label is unique among the keys of the same
/// path template (placeholder names aside, as OpenAPI compares templates).
/// Each operation has an `operationId` (the path and method alone name the
/// operation of `paths`) and shares its path and method with one there.
fn extra_paths(spec: &LoadedSpec) -> Result<Vec<ExtraPath>, Error> {
    let Some(value) = spec.doc.extensions.get(X_PATHS) else {
        return Ok(Vec::new());
    };
    let at = Pointer::root().join(X_PATHS);
    let map = value.as_object().ok_or_else(|| {
        spec.error(
            ErrorKind::Invalid,
            &at,
            "`x-paths` must be an object shaped like `paths`, with keys \
             `<path template>#<label>` and Path Item objects as values",
        )
    })?;
    // A JSON reader keeps the last of two equal keys without a word (YAML
    // readers refuse them): the keys as the text writes them.
    let keys = if spec.text.trim_start().starts_with('{') {
        serde_json::from_str::<JsonKeys>(&spec.text)
            .map(|k| k.x_paths.0)
            .unwrap_or_else(|_| map.keys().cloned().collect())
    } else {
        map.keys().cloned().collect()
    };
    let mut labels: BTreeMap<(String, String), String> = BTreeMap::new();
    for key in &keys {
        let key_at = at.join(key);
        let Some((path, label)) = key.split_once('#') else {
            return Err(spec.error(
                ErrorKind::Invalid,
                &key_at,
                format!(
                    "the `x-paths` key `{key}` has no `#<label>`; write `{key}#<label>` (the \
                     label keeps the key apart from the same path in `paths` and is not sent)"
                ),
            ));
        };
        if !path.starts_with('/') {
            return Err(spec.error(
                ErrorKind::Invalid,
                &key_at,
                format!("the path template `{path}` of `x-paths` must start with `/`"),
            ));
        }
        if label.is_empty()
            || !label
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        {
            return Err(spec.error(
                ErrorKind::Invalid,
                &key_at,
                format!(
                    "the label `{label}` of `{key}` must be letters, digits, `_`, `-` or `.` \
                     (e.g. the operationId)"
                ),
            ));
        }
        if let Some(first) = labels.insert((shape(path), label.to_owned()), key.clone()) {
            let what = if first == *key {
                format!("`{key}` is written twice in `x-paths`")
            } else {
                format!("`{key}` and `{first}` are the same path template with the same label")
            };
            return Err(spec.error(
                ErrorKind::Invalid,
                &key_at,
                format!("{what}; give each path item of a path its own label"),
            ));
        }
    }

    // Path templates of `paths` (placeholder names aside) → their items.
    let mut in_paths: BTreeMap<String, Vec<&ReferenceOr<PathItem>>> = BTreeMap::new();
    for (path, item) in &spec.doc.paths.paths {
        in_paths.entry(shape(path)).or_default().push(item);
    }
    let mut out = Vec::new();
    for (key, value) in map {
        let key_at = at.join(key);
        let (path, label) = key.split_once('#').unwrap_or((key, ""));
        // A reference is kept for the lowerer to report; an item is read with
        // its path tracked (through `ReferenceOr`, an untagged enum, it is not).
        if let Some(reference) = value.get("$ref").and_then(serde_json::Value::as_str) {
            out.push(ExtraPath {
                key: key.clone(),
                path: path.to_owned(),
                label: label.to_owned(),
                item: ReferenceOr::Reference {
                    reference: reference.to_owned(),
                },
            });
            continue;
        }
        let extra: PathItem = serde_path_to_error::deserialize(value).map_err(|e| {
            let mut pointer = key_at.clone();
            for segment in e.path().iter() {
                match segment {
                    serde_path_to_error::Segment::Seq { index } => pointer = pointer.join(index),
                    serde_path_to_error::Segment::Map { key } => pointer = pointer.join(key),
                    serde_path_to_error::Segment::Enum { variant } => {
                        pointer = pointer.join(variant)
                    }
                    serde_path_to_error::Segment::Unknown => {}
                }
            }
            spec.error(ErrorKind::Invalid, &pointer, e.into_inner().to_string())
        })?;
        let bases = in_paths.get(&shape(path)).map(Vec::as_slice).unwrap_or(&[]);
        for (method, op) in extra.iter() {
            let op_at = key_at.join(method);
            if op.operation_id.is_none() {
                return Err(spec.error(
                    ErrorKind::Invalid,
                    &op_at,
                    format!(
                        "an operation in `x-paths` needs an `operationId`: `{} {path}` \
                             alone names the operation in `paths`",
                        method.to_ascii_uppercase()
                    ),
                ));
            }
            // A `$ref` path item in `paths` is reported when it is lowered.
            let has_method = |base: &&ReferenceOr<PathItem>| match base {
                ReferenceOr::Item(base) => base.iter().any(|(m, _)| m == method),
                ReferenceOr::Reference { .. } => true,
            };
            if !bases.iter().any(has_method) {
                return Err(spec.error(
                    ErrorKind::Invalid,
                    &op_at,
                    format!(
                        "`{} {path}` is not in `paths`: `x-paths` holds the further \
                             operations of a path and method that `paths` has; move this \
                             operation to `paths`",
                        method.to_ascii_uppercase()
                    ),
                ));
            }
        }
        out.push(ExtraPath {
            key: key.clone(),
            path: path.to_owned(),
            label: label.to_owned(),
            item: ReferenceOr::Item(extra),
        });
    }
    Ok(out)
}

/// A path template with its placeholders' names left out (`/a/{}`): two
/// templates of one shape name the same paths.
fn shape(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_placeholder = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_placeholder = true;
                out.push('{');
            }
            '}' if in_placeholder => {
                in_placeholder = false;
                out.push('}');
            }
            _ if in_placeholder => {}
            _ => out.push(c),
        }
    }
    out
}

/// The keys of a JSON document's `x-paths` as its text writes them, repeats
/// included.
#[derive(serde::Deserialize)]
struct JsonKeys {
    #[serde(rename = "x-paths", default)]
    x_paths: KeyList,
}

#[derive(Default)]
struct KeyList(Vec<String>);

impl<'de> serde::Deserialize<'de> for KeyList {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = KeyList;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<KeyList, A::Error> {
                let mut keys = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    map.next_value::<serde::de::IgnoredAny>()?;
                    keys.push(key);
                }
                Ok(KeyList(keys))
            }
        }
        deserializer.deserialize_map(Visitor)
    }
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
