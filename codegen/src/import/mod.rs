//! `codegen import`: Huawei API Explorer definitions (Swagger 2.0, one JSON file
//! per operation in API Explorer's envelope; some already OpenAPI 3) → one
//! OpenAPI 3.0.3 document per service, written as YAML.
//!
//! The stages: [`read_inputs`] (files and directories → texts, sorted by path),
//! then per file a conversion into a unit of paths and components
//! (`swagger2` or `oas3`, with the schema rules of `schema`), then `merge`
//! (definitions of the same name from different files: identical ones merged,
//! different ones renamed with the operation's name in front; operationIds and
//! path + method pairs made unique), then [`Imported::yaml`].
//!
//! Huawei's definitions have defects. What has one obvious meaning is repaired
//! and recorded as a [`Repair`] (source file + JSON pointer + what was done);
//! the rest is a located [`Error`] and the file it is in is left out, so one
//! broken file never stops the others. Nothing here panics on any input.
//!
//! The output is deterministic: the same inputs give the same bytes whatever
//! order they are given in (paths, components and tags are sorted; keys of an
//! object are written in OpenAPI's order, then the source's).

mod context;
mod merge;
mod oas3;
mod schema;
mod swagger2;

use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::error::{Error, ErrorKind, Location, Pointer};

pub use merge::to_yaml;

/// What to import and how to name it.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The service (API Explorer's `product_short`, e.g. `GaussDB`). Files of
    /// another service are reported and left out. Default: the most common
    /// `product_short` among the inputs.
    pub service: Option<String>,
    /// `info.title`. Default: the service name.
    pub title: Option<String>,
}

/// One repair the importer made to a source file.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Repair {
    /// The source file, as given.
    pub file: PathBuf,
    /// JSON pointer (RFC 6901) of the repaired node in the source file.
    pub pointer: String,
    /// What was wrong and what was done.
    pub message: String,
}

impl fmt::Display for Repair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}: {}",
            self.file.display(),
            self.pointer,
            self.message
        )
    }
}

/// The result of an import.
#[derive(Clone, Debug)]
pub struct Imported {
    /// The merged OpenAPI 3.0.3 document (without the repair list, which
    /// [`Imported::yaml`] adds as `x-import-repairs`).
    pub document: Value,
    /// Every repair, in file and pointer order.
    pub repairs: Vec<Repair>,
    /// Every problem that left a file (or one operation) out, in file order.
    pub errors: Vec<Error>,
    /// Source files given.
    pub files: usize,
    /// Source files left out because of errors.
    pub skipped: usize,
    /// Operations in the document.
    pub operations: usize,
}

impl Imported {
    /// The document as YAML: a comment header, the document, and the repairs
    /// as an `x-import-repairs` list of `file: pointer: message` lines.
    pub fn yaml(&self) -> Result<String, Error> {
        to_yaml(self)
    }
}

/// Reads the inputs: files as given, directories as their `*.json` files
/// (not recursive). Unreadable inputs are errors; the texts come sorted by
/// path so that the import does not depend on the order of the arguments.
pub fn read_inputs(paths: &[PathBuf]) -> (Vec<(PathBuf, String)>, Vec<Error>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.is_dir() {
            match std::fs::read_dir(path) {
                Ok(entries) => {
                    for entry in entries {
                        match entry {
                            Ok(entry) => {
                                let p = entry.path();
                                if p.is_file()
                                    && p.extension().and_then(|e| e.to_str()) == Some("json")
                                {
                                    files.push(p);
                                }
                            }
                            Err(e) => errors.push(Error::io(path, &e)),
                        }
                    }
                }
                Err(e) => errors.push(Error::io(path, &e)),
            }
        } else {
            files.push(path.clone());
        }
    }
    files.sort();
    files.dedup();
    let mut texts = Vec::new();
    for file in files {
        match std::fs::read_to_string(&file) {
            Ok(text) => texts.push((file, text)),
            Err(e) => errors.push(Error::io(&file, &e)),
        }
    }
    (texts, errors)
}

/// One converted source file: its operations and components, with `$ref`s of
/// the form `#/components/<section>/<name>` in the file's own names.
#[derive(Debug, Default)]
pub(crate) struct Unit {
    /// The source file.
    pub file: PathBuf,
    /// The operation's name (API Explorer's `name`, else the first operationId,
    /// else the file stem): the prefix for renamed definitions.
    pub name: String,
    /// API Explorer's `product_short`.
    pub service: Option<String>,
    /// API Explorer's `info_version` (or `info.version`).
    pub version: Option<String>,
    /// The server URLs the file names (`https://host/base_path`).
    pub servers: Vec<String>,
    /// Security schemes, by name.
    pub security_schemes: Map<String, Value>,
    /// Components; schemas include converted definitions.
    pub components: Vec<Component>,
    /// The operations.
    pub operations: Vec<Operation>,
    /// Repairs made while converting.
    pub repairs: Vec<Repair>,
}

/// One component of a unit, in the file's own name.
#[derive(Debug)]
pub(crate) struct Component {
    /// The components section (`schemas`, `responses`, ...).
    pub section: String,
    /// The name in the source file.
    pub name: String,
    /// The converted object.
    pub value: Value,
    /// Where it was in the source.
    pub at: Pointer,
}

/// One operation of a unit.
#[derive(Debug)]
pub(crate) struct Operation {
    /// The path template.
    pub path: String,
    /// Lower-case HTTP method.
    pub method: String,
    /// The OpenAPI 3 operation object.
    pub op: Value,
    /// Where it was in the source.
    pub at: Pointer,
}

/// Imports source texts (path as given, for messages) into one document.
pub fn import(inputs: &[(PathBuf, String)], options: &Options) -> Imported {
    let mut sorted: Vec<&(PathBuf, String)> = inputs.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    let mut units = Vec::new();
    let mut errors = Vec::new();
    let mut repairs = Vec::new();
    let mut skipped = 0;
    for (path, text) in &sorted {
        match convert_file(path, text) {
            Ok(Some(unit)) => units.push(unit),
            Ok(None) => {
                skipped += 1;
                errors.push(context::located(
                    path,
                    ErrorKind::Invalid,
                    &Pointer::root(),
                    "the file holds an empty definition (`{}`): there is no operation to import",
                ));
            }
            Err((file_errors, file_repairs)) => {
                skipped += 1;
                errors.extend(file_errors);
                // Repairs of a skipped file are not reported: nothing of it is in the output.
                drop(file_repairs);
            }
        }
    }
    let files = sorted.len();
    let mut merged = merge::merge(units, options);
    skipped += merged.skipped;
    errors.extend(merged.errors);
    repairs.append(&mut merged.repairs);
    repairs.sort();
    Imported {
        document: merged.document,
        repairs,
        errors,
        files,
        skipped,
        operations: merged.operations,
    }
}

type FileFailure = (Vec<Error>, Vec<Repair>);

/// Parses and converts one file. `Ok(None)`: the file holds no definition.
fn convert_file(path: &Path, text: &str) -> Result<Option<Unit>, FileFailure> {
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(json_error) => match serde_yaml::from_str::<Value>(text) {
            // YAML sources (a superset of JSON) are accepted too.
            Ok(v) if !text.trim_start().starts_with('{') => v,
            _ => {
                let e = Error::new(
                    ErrorKind::Syntax,
                    Location {
                        file: path.to_path_buf(),
                        line: Some(json_error.line()),
                        column: Some(json_error.column()),
                        pointer: String::new(),
                    },
                    strip_position(&json_error.to_string()),
                );
                return Err((vec![e], Vec::new()));
            }
        },
    };
    // API Explorer has files whose whole content is `{}` or the JSON string "{}".
    let value = match value {
        Value::String(s) if s.trim() == "{}" || s.trim().is_empty() => return Ok(None),
        Value::Object(m) if m.is_empty() => return Ok(None),
        Value::Object(m) => m,
        other => {
            let e = context::located(
                path,
                ErrorKind::Invalid,
                &Pointer::root(),
                format!(
                    "a definition must be a JSON object, found {}",
                    context::type_name(&other)
                ),
            );
            return Err((vec![e], Vec::new()));
        }
    };
    let dialect = if is_openapi3(&value) {
        context::Dialect::OpenApi3
    } else {
        context::Dialect::Swagger2
    };
    let mut ctx = context::Ctx::new(path, dialect);
    let unit = match dialect {
        context::Dialect::Swagger2 => swagger2::convert(&mut ctx, &value),
        context::Dialect::OpenApi3 => oas3::convert(&mut ctx, &value),
    };
    if !ctx.errors.is_empty() {
        return Err((ctx.errors, ctx.repairs));
    }
    let mut unit = unit;
    unit.file = path.to_path_buf();
    unit.repairs = ctx.repairs;
    Ok(Some(unit))
}

/// Whether a source is already OpenAPI 3: an `openapi` key, a non-empty
/// `components` object, or an operation with a `requestBody`.
fn is_openapi3(value: &Map<String, Value>) -> bool {
    if value.get("openapi").is_some_and(Value::is_string) {
        return true;
    }
    if value.get("swagger").is_some() {
        return false;
    }
    if value
        .get("components")
        .and_then(Value::as_object)
        .is_some_and(|c| !c.is_empty())
    {
        return true;
    }
    value
        .get("paths")
        .and_then(Value::as_object)
        .is_some_and(|paths| {
            paths.values().filter_map(Value::as_object).any(|item| {
                item.values()
                    .filter_map(Value::as_object)
                    .any(|op| op.contains_key("requestBody"))
            })
        })
}

/// serde_json appends " at line L column C"; the location is printed apart.
fn strip_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// Whether a text is a Swagger 2.0 document or an API Explorer definition
/// (in either dialect) rather than a plain OpenAPI 3 document: the corpus
/// command runs such files through the importer first.
pub fn needs_import(text: &str) -> bool {
    let head: String = text.chars().take(4096).collect();
    let compact: String = head.chars().filter(|c| !c.is_whitespace()).collect();
    compact.contains("\"swagger\":")
        || head.lines().any(|l| l.starts_with("swagger:"))
        || compact.contains("\"product_short\":")
        || compact.contains("\"base_path\":")
        || (compact.contains("\"definitions\":") && !compact.contains("\"openapi\":"))
}
