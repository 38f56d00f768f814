//! `codegen corpus [--timeout SECS] [--per-operation-budget SECS] PATH...`: runs the
//! generator over a corpus of documents and reports, per document, whether it
//! generated, failed with a located error, panicked or hung, with its wall
//! time, peak memory and operation counts; then totals and the errors grouped
//! by [`ErrorKind`] and message head.
//!
//! Each document runs in a child process (the same binary, hidden subcommand
//! [`CHILD_COMMAND`]), so that a panic, a hang (the parent kills the child at
//! the timeout) or the memory of one document never affects another: the
//! child prints its peak resident set (`VmHWM` from `/proc/self/status`) and
//! one result line of JSON. The only coupling to the generator is
//! [`crate::generate_from`], which takes spec texts and returns the generated
//! files in memory.
//!
//! Inputs: OpenAPI 3.0 documents in YAML or JSON; Swagger 2.0 documents and
//! API Explorer definitions are run through [`crate::import`] first (in the
//! child). A directory stands for its `*.yaml`, `*.yml` and `*.json` files.
//!
//! When a whole document does not generate, the child also tries each
//! operation alone (the operation, its path's parameters and the components
//! it reaches through `$ref`s), to count the operations the generator takes
//! and to group every refusal, not only the first. That stops after the
//! per-document budget; operations not tried by then are counted as unchecked.
//!
//! With `--build` ([`build`]), the child also writes the generated crate into a
//! scratch workspace, and the parent compiles it there with clippy (warnings
//! denied) and rustdoc, under a timeout of its own, and reports the compiler's
//! messages grouped by lint or error code. It needs only the generated files,
//! i.e. still only [`crate::generate_from`].

pub mod build;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Map, Value, json};

use crate::error::{Error, ErrorKind};

/// The hidden subcommand a child process runs: `codegen __corpus-child FILE
/// BUDGET_SECS [CRATE_DIR]` (with `CRATE_DIR`, it writes the generated files there).
pub const CHILD_COMMAND: &str = "__corpus-child";

/// The prefix of the child's result line on stdout.
const RESULT_PREFIX: &str = "CORPUS-RESULT ";

const USAGE: &str = "usage: codegen corpus [--timeout SECS] [--per-operation-budget SECS]
                      [--build [--build-dir DIR] [--target-dir DIR] [--repo DIR]
                       [--build-timeout SECS] [--no-doc]] PATH...

Runs the generator over each document (a file, or the *.yaml, *.yml and *.json files
of a directory), each in its own process, and reports per document: generated,
located error, panic or timeout; wall time; peak memory; operations generated of total.
  --timeout SECS               kill a document's process after this long (default 600)
  --per-operation-budget SECS  time for trying operations one by one after a failure (default 240)

  --build                      compile each generated crate in a scratch workspace that
                               inherits the repository's workspace settings: `cargo clippy
                               --all-targets --offline -- -D warnings`, then `cargo doc
                               --no-deps` with RUSTDOCFLAGS=-D warnings; report errors by code
  --build-dir DIR              where the scratch workspaces go (default $TMPDIR/codegen-corpus-build)
  --target-dir DIR             CARGO_TARGET_DIR shared by all documents (default DIR/target)
  --repo DIR                   the repository whose Cargo.toml, Cargo.lock and runtime/ are
                               used (default: the one this program was built from)
  --build-timeout SECS         kill one cargo run after this long (default 3600)
  --no-doc                     skip the rustdoc run";

/// Entry point of `codegen corpus`.
pub fn main(args: Vec<std::ffi::OsString>) -> ExitCode {
    let mut timeout = 600u64;
    let mut budget = 240u64;
    let mut paths = Vec::new();
    let mut building = false;
    let mut build_dir: Option<PathBuf> = None;
    let mut target_dir: Option<PathBuf> = None;
    let mut repo: Option<PathBuf> = None;
    let mut build_timeout = 3600u64;
    let mut doc = true;
    let mut it = args.into_iter();
    while let Some(arg) = it.next() {
        match arg.to_str() {
            Some("--build") => building = true,
            Some("--no-doc") => doc = false,
            Some("--build-dir") => match it.next() {
                Some(d) => build_dir = Some(d.into()),
                None => return usage("--build-dir needs a directory"),
            },
            Some("--target-dir") => match it.next() {
                Some(d) => target_dir = Some(d.into()),
                None => return usage("--target-dir needs a directory"),
            },
            Some("--repo") => match it.next() {
                Some(d) => repo = Some(d.into()),
                None => return usage("--repo needs a directory"),
            },
            Some("--build-timeout") => match it
                .next()
                .and_then(|s| s.to_str().and_then(|s| s.parse().ok()))
            {
                Some(t) => build_timeout = t,
                None => return usage("--build-timeout needs a number of seconds"),
            },
            Some("--timeout") => match it
                .next()
                .and_then(|s| s.to_str().and_then(|s| s.parse().ok()))
            {
                Some(t) => timeout = t,
                None => return usage("--timeout needs a number of seconds"),
            },
            Some("--per-operation-budget") => {
                match it
                    .next()
                    .and_then(|s| s.to_str().and_then(|s| s.parse().ok()))
                {
                    Some(t) => budget = t,
                    None => return usage("--per-operation-budget needs a number of seconds"),
                }
            }
            Some("-h" | "--help") => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            Some(s) if s.starts_with("--") => return usage(&format!("unexpected option `{s}`")),
            _ => paths.push(PathBuf::from(arg)),
        }
    }
    if paths.is_empty() {
        return usage("give at least one file or directory");
    }
    let documents = match list_documents(&paths) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let exe = match std::env::current_exe() {
        Ok(exe) => exe,
        Err(e) => {
            eprintln!("error: cannot find this program's path to start children: {e}");
            return ExitCode::FAILURE;
        }
    };
    let build = if building {
        let dir = build_dir.unwrap_or_else(build::Options::default_dir);
        let options = build::Options {
            target_dir: target_dir.unwrap_or_else(|| dir.join("target")),
            dir: absolute(&dir),
            repo: absolute(&repo.unwrap_or_else(build::Options::default_repo)),
            timeout: Duration::from_secs(build_timeout),
            doc,
        };
        let options = build::Options {
            target_dir: absolute(&options.target_dir),
            ..options
        };
        if !options.repo.join("runtime").join("Cargo.toml").is_file() {
            eprintln!(
                "error: {} does not look like the repository (no runtime/Cargo.toml); give --repo",
                options.repo.display()
            );
            return ExitCode::FAILURE;
        }
        Some(options)
    } else if build_dir.is_some() || target_dir.is_some() || repo.is_some() {
        return usage("--build-dir, --target-dir and --repo go with --build");
    } else {
        None
    };
    let mut reports = Vec::new();
    let mut taken = std::collections::BTreeSet::new();
    for doc in &documents {
        eprintln!("corpus: {} ...", doc.display());
        let crate_dir = match &build {
            Some(options) => match build::prepare(options, doc, &mut taken) {
                Ok(dir) => Some(dir),
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::FAILURE;
                }
            },
            None => None,
        };
        let mut report = run_child(
            &exe,
            doc,
            Duration::from_secs(timeout),
            budget,
            crate_dir.as_deref(),
        );
        eprintln!("corpus: {} {}", doc.display(), report.status);
        if let (Some(options), Some(dir)) = (&build, &crate_dir) {
            let member = report.detail.get("crate").and_then(Value::as_str);
            if let (Some(member), "generated") = (member, report.status.as_str()) {
                eprintln!(
                    "corpus: {} building in {} ...",
                    doc.display(),
                    dir.display()
                );
                let built = build::build(options, dir, member);
                eprintln!(
                    "corpus: {} clippy {} ({} error(s), {:.0} s){}",
                    doc.display(),
                    built.clippy.status,
                    built.clippy.errors,
                    built.clippy.time.as_secs_f64(),
                    built.doc.as_ref().map_or(String::new(), |d| format!(
                        "; doc {} ({} error(s), {:.0} s)",
                        d.status,
                        d.errors,
                        d.time.as_secs_f64()
                    ))
                );
                report.build = Some(built);
            }
        }
        reports.push(report);
    }
    print!("{}", render(&reports));
    if build.is_some() {
        print!("{}", render_builds(&reports));
    }
    ExitCode::SUCCESS
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

fn usage(message: &str) -> ExitCode {
    eprintln!("error: {message}\n\n{USAGE}");
    ExitCode::from(2)
}

fn list_documents(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            let entries = std::fs::read_dir(path).map_err(|e| Error::io(path, &e))?;
            let mut found = Vec::new();
            for entry in entries {
                let p = entry.map_err(|e| Error::io(path, &e))?.path();
                if p.is_file()
                    && matches!(
                        p.extension().and_then(|e| e.to_str()),
                        Some("yaml" | "yml" | "json")
                    )
                {
                    found.push(p);
                }
            }
            found.sort();
            out.extend(found);
        } else {
            out.push(path.clone());
        }
    }
    Ok(out)
}

/// What the parent knows about one document.
#[derive(Debug, Clone)]
struct Report {
    document: PathBuf,
    /// `generated`, `error`, `panic`, `timeout` or `crash`.
    status: String,
    wall: Duration,
    /// Peak resident set in KiB, as the child measured it.
    peak_kib: Option<u64>,
    operations: Option<u64>,
    generated_operations: Option<u64>,
    unchecked_operations: u64,
    /// The child's JSON result, when it gave one.
    detail: Value,
    /// For a panic or crash: the first lines of the child's stderr.
    stderr_head: String,
    /// With `--build`, for a document that generated.
    build: Option<build::Report>,
}

fn run_child(
    exe: &Path,
    doc: &Path,
    timeout: Duration,
    budget: u64,
    crate_dir: Option<&Path>,
) -> Report {
    let start = Instant::now();
    let mut report = Report {
        document: doc.to_path_buf(),
        status: "crash".into(),
        wall: Duration::ZERO,
        peak_kib: None,
        operations: None,
        generated_operations: None,
        unchecked_operations: 0,
        detail: Value::Null,
        stderr_head: String::new(),
        build: None,
    };
    let mut command = Command::new(exe);
    command.arg(CHILD_COMMAND).arg(doc).arg(budget.to_string());
    if let Some(dir) = crate_dir {
        command.arg(dir);
    }
    let child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => {
            report.stderr_head = format!("could not start the child process: {e}");
            return report;
        }
    };
    // Drain both pipes on threads so that a chatty child never blocks.
    let stdout = child.stdout.take().map(|mut s| {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = s.read_to_string(&mut text);
            text
        })
    });
    let stderr = child.stderr.take().map(|mut s| {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = s.read_to_string(&mut text);
            text
        })
    });
    let mut timed_out = false;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) => {
                if start.elapsed() > timeout {
                    let _ = child.kill();
                    timed_out = true;
                    break child.wait().ok();
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(_) => break None,
        }
    };
    report.wall = start.elapsed();
    let out = stdout.and_then(|h| h.join().ok()).unwrap_or_default();
    let err = stderr.and_then(|h| h.join().ok()).unwrap_or_default();
    if let Some(line) = out
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix(RESULT_PREFIX))
    {
        if let Ok(detail) = serde_json::from_str::<Value>(line) {
            report.peak_kib = detail.get("peak_kib").and_then(Value::as_u64);
            report.operations = detail.get("operations").and_then(Value::as_u64);
            report.generated_operations =
                detail.get("generated_operations").and_then(Value::as_u64);
            report.unchecked_operations = detail
                .get("unchecked_operations")
                .and_then(Value::as_u64)
                .unwrap_or(0);
            if let Some(s) = detail.get("status").and_then(Value::as_str) {
                report.status = s.to_owned();
            }
            report.detail = detail;
        }
    }
    if timed_out {
        report.status = "timeout".into();
    } else if report.detail.is_null() {
        let panicked = err.contains("panicked at");
        report.status = if panicked { "panic" } else { "crash" }.into();
        let code = status
            .and_then(|s| s.code())
            .map_or("a signal".to_owned(), |c| format!("exit code {c}"));
        report.stderr_head = format!(
            "{}; {}",
            code,
            err.lines().take(3).collect::<Vec<_>>().join(" | ")
        );
    }
    report
}

/// Entry point of the child process: generate one document and print the
/// result line.
pub fn child_main(args: Vec<std::ffi::OsString>) -> ExitCode {
    let Some(path) = args.first().map(PathBuf::from) else {
        eprintln!("error: {CHILD_COMMAND} needs a document");
        return ExitCode::from(2);
    };
    let budget = args
        .get(1)
        .and_then(|s| s.to_str())
        .and_then(|s| s.parse::<u64>().ok())
        .unwrap_or(240);
    let crate_dir = args.get(2).map(PathBuf::from);
    let result = child_run(&path, Duration::from_secs(budget), crate_dir.as_deref());
    let mut result = match result {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    result.insert(
        "peak_kib".into(),
        peak_kib().map_or(Value::Null, Value::from),
    );
    println!("{RESULT_PREFIX}{}", Value::Object(result));
    ExitCode::SUCCESS
}

/// Peak resident set of this process in KiB (`VmHWM`), on Linux.
fn peak_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn child_run(path: &Path, budget: Duration, crate_dir: Option<&Path>) -> Value {
    let start = Instant::now();
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => return error_result(&Error::io(path, &e), 0),
    };
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    // A module name the generator accepts whatever the file is called.
    let module: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    let spec_path = PathBuf::from(format!("corpus/doc_{module}.yaml"));

    let mut imported = Value::Null;
    let text = if crate::import::needs_import(&text) {
        let result = crate::import::import(
            &[(path.to_path_buf(), text)],
            &crate::import::Options::default(),
        );
        imported = json!({
            "repairs": result.repairs.len(),
            "errors": result.errors.iter().map(|e| e.to_string()).collect::<Vec<_>>(),
            "operations": result.operations,
        });
        match result.yaml() {
            Ok(y) => y,
            Err(e) => return error_result(&e, 0),
        }
    } else {
        text
    };
    let parse_start = Instant::now();
    let value = match parse_document(path, &text) {
        Ok(v) => v,
        Err(e) => return error_result(&e, 0),
    };
    let operations = count_operations(&value);
    let parse_ms = parse_start.elapsed().as_millis() as u64;
    // Not kept while the whole document is generated: the peak memory
    // reported is the generator's own.
    drop(value);

    let whole_start = Instant::now();
    let whole =
        std::panic::catch_unwind(|| crate::generate_from(&[(spec_path.clone(), text.clone())]));
    let whole_ms = whole_start.elapsed().as_millis() as u64;
    let mut result = Map::new();
    result.insert("operations".into(), Value::from(operations));
    result.insert("parse_ms".into(), Value::from(parse_ms));
    result.insert("generate_ms".into(), Value::from(whole_ms));
    if !imported.is_null() {
        result.insert("imported".into(), imported);
    }
    match whole {
        Ok(Ok(generated)) => {
            let lines: usize = generated.files.values().map(|f| f.lines().count()).sum();
            result.insert("status".into(), "generated".into());
            result.insert("generated_operations".into(), Value::from(operations));
            result.insert("files".into(), Value::from(generated.files.len()));
            result.insert("lines".into(), Value::from(lines));
            if let Some(dir) = crate_dir {
                match write_files(dir, &generated) {
                    Ok(()) => {
                        if let Some(service) = generated.services.first() {
                            result.insert("crate".into(), Value::from(service.module.clone()));
                        }
                    }
                    Err(e) => {
                        result.insert("write_error".into(), Value::from(e.to_string()));
                    }
                }
            }
            return Value::Object(result);
        }
        Ok(Err(e)) => {
            result.insert("status".into(), "error".into());
            result.insert("first_error".into(), Value::String(e.to_string()));
        }
        Err(panic) => {
            result.insert("status".into(), "panic".into());
            result.insert("first_error".into(), Value::String(panic_text(&panic)));
        }
    }

    // One operation at a time, to count what the generator takes.
    let mut generated_ops = 0u64;
    let mut unchecked = 0u64;
    let mut kinds: BTreeMap<String, u64> = BTreeMap::new();
    let mut panics = 0u64;
    let value = match parse_document(path, &text) {
        Ok(v) => v,
        Err(e) => return error_result(&e, operations),
    };
    for (path_key, method, sub) in single_operation_documents(&value) {
        if start.elapsed() > budget {
            unchecked += 1;
            continue;
        }
        let sub_text = sub.to_string();
        match std::panic::catch_unwind(|| crate::generate_from(&[(spec_path.clone(), sub_text)])) {
            Ok(Ok(_)) => generated_ops += 1,
            Ok(Err(e)) => *kinds.entry(error_group(&e)).or_default() += 1,
            Err(p) => {
                panics += 1;
                *kinds
                    .entry(format!("panic: {}", head(&panic_text(&p))))
                    .or_default() += 1;
            }
        }
        let _ = (path_key, method);
    }
    result.insert("generated_operations".into(), Value::from(generated_ops));
    result.insert("unchecked_operations".into(), Value::from(unchecked));
    result.insert("operation_panics".into(), Value::from(panics));
    result.insert(
        "refusals".into(),
        Value::Object(
            kinds
                .into_iter()
                .map(|(k, v)| (k, Value::from(v)))
                .collect(),
        ),
    );
    Value::Object(result)
}

/// The document as a JSON value (JSON or YAML text), or its syntax error.
fn parse_document(path: &Path, text: &str) -> Result<Value, Error> {
    let parsed = if text.trim_start().starts_with('{') {
        serde_json::from_str::<Value>(text)
            .map_err(|e| (e.to_string(), Some(e.line()), Some(e.column())))
    } else {
        serde_yaml::from_str::<Value>(text).map_err(|e| {
            let at = e.location();
            (
                e.to_string(),
                at.as_ref().map(|l| l.line()),
                at.as_ref().map(|l| l.column()),
            )
        })
    };
    parsed.map_err(|(message, line, column)| {
        Error::new(
            ErrorKind::Syntax,
            crate::Location {
                file: path.to_path_buf(),
                line,
                column,
                pointer: String::new(),
            },
            message,
        )
    })
}

/// Writes the generated files (paths relative to `dir`).
fn write_files(dir: &Path, generated: &crate::Generated) -> Result<(), Error> {
    for (path, text) in &generated.files {
        let full = dir.join(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, &e))?;
        }
        std::fs::write(&full, text).map_err(|e| Error::io(&full, &e))?;
    }
    Ok(())
}

fn error_result(e: &Error, operations: u64) -> Value {
    json!({
        "status": "error",
        "operations": operations,
        "generated_operations": 0,
        "first_error": e.to_string(),
        "refusals": { error_group(e): 1 },
    })
}

fn panic_text(panic: &Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic without a message".to_owned()
    }
}

/// `Kind: message head`, the head with names replaced so that equal refusals
/// group together.
fn error_group(e: &Error) -> String {
    format!("{:?}: {}", e.kind, head(&e.message))
}

/// The message up to its first `;`, with backticked names that are not
/// OpenAPI keywords replaced by `…`, at most 90 characters.
fn head(message: &str) -> String {
    let first = message.split("; ").next().unwrap_or(message);
    let mut out = String::new();
    let mut parts = first.split('`');
    if let Some(p) = parts.next() {
        out.push_str(p);
    }
    let mut inside = true;
    for part in parts {
        if inside {
            out.push('`');
            out.push_str(if is_keyword(part) { part } else { "…" });
            out.push('`');
        } else {
            out.push_str(part);
        }
        inside = !inside;
    }
    let digits_replaced: String = out
        .split(' ')
        .map(|w| {
            if w.chars().any(|c| c.is_ascii_digit()) && !w.contains('`') {
                "N"
            } else {
                w
            }
        })
        .collect::<Vec<_>>()
        .join(" ");
    digits_replaced.chars().take(90).collect()
}

fn is_keyword(text: &str) -> bool {
    const KEYWORDS: &[&str] = &[
        "allOf",
        "oneOf",
        "anyOf",
        "not",
        "additionalProperties",
        "items",
        "properties",
        "enum",
        "type",
        "format",
        "nullable",
        "required",
        "default",
        "discriminator",
        "pattern",
        "content",
        "schema",
        "style",
        "explode",
        "$ref",
        "readOnly",
        "writeOnly",
        "minimum",
        "maximum",
        "multipleOf",
        "uniqueItems",
        "requestBody",
        "responses",
        "parameters",
        "example",
    ];
    KEYWORDS.contains(&text)
        || text.starts_with("type: ")
        || text.starts_with("format: ")
        || text.starts_with("in: ")
        || text.starts_with("style: ")
        || text.starts_with("openapi: ")
}

/// The operations of `paths` and `x-paths`.
fn count_operations(doc: &Value) -> u64 {
    ["paths", crate::load::X_PATHS]
        .iter()
        .filter_map(|key| doc.get(key).and_then(Value::as_object))
        .flat_map(|paths| paths.values().filter_map(Value::as_object))
        .map(|item| {
            item.keys()
                .filter(|k| METHODS.contains(&k.as_str()))
                .count() as u64
        })
        .sum()
}

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// One document per operation: the operation, its path item's parameters and
/// servers, and the components it reaches through `$ref`s.
fn single_operation_documents(doc: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return out;
    };
    let components = doc
        .get("components")
        .cloned()
        .unwrap_or(Value::Object(Map::new()));
    for (path, item) in paths {
        let Some(item) = item.as_object() else {
            continue;
        };
        for (method, op) in item {
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            let mut new_item = Map::new();
            for key in ["parameters", "servers", "summary", "description"] {
                if let Some(v) = item.get(key) {
                    new_item.insert(key.to_owned(), v.clone());
                }
            }
            new_item.insert(method.clone(), op.clone());
            let new_item = Value::Object(new_item);
            let mut sub = Map::new();
            for key in ["openapi", "info", "servers", "security", "x-endpoints"] {
                if let Some(v) = doc.get(key) {
                    sub.insert(key.to_owned(), v.clone());
                }
            }
            let mut new_paths = Map::new();
            new_paths.insert(path.clone(), new_item.clone());
            sub.insert("paths".into(), Value::Object(new_paths));
            sub.insert("components".into(), reachable(&components, &new_item));
            out.push((path.clone(), method.clone(), Value::Object(sub)));
        }
    }
    out
}

/// The components reachable from `root` through `#/components/...` refs, plus
/// every security scheme.
fn reachable(components: &Value, root: &Value) -> Value {
    let mut out: Map<String, Value> = Map::new();
    if let Some(s) = components.get("securitySchemes") {
        out.insert("securitySchemes".into(), s.clone());
    }
    let mut pending = Vec::new();
    collect_refs(root, &mut pending);
    let mut seen = std::collections::BTreeSet::new();
    while let Some(reference) = pending.pop() {
        if !seen.insert(reference.clone()) {
            continue;
        }
        let Some(rest) = reference.strip_prefix("#/components/") else {
            continue;
        };
        let Some((section, name)) = rest.split_once('/') else {
            continue;
        };
        let name = name.replace("~1", "/").replace("~0", "~");
        let Some(target) = components.get(section).and_then(|s| s.get(&name)) else {
            continue;
        };
        collect_refs(target, &mut pending);
        let entry = out
            .entry(section.to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(m) = entry {
            m.insert(name, target.clone());
        }
    }
    Value::Object(out)
}

fn collect_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                out.push(r.clone());
            }
            for v in map.values() {
                collect_refs(v, out);
            }
        }
        Value::Array(items) => {
            for item in items {
                collect_refs(item, out);
            }
        }
        _ => {}
    }
}

/// The report: one line per document, totals, then refusals by kind.
fn render(reports: &[Report]) -> String {
    let mut out = String::new();
    out.push_str(
        "document | status | operations generated/total | wall | peak RSS | first problem\n",
    );
    out.push_str("---|---|---|---|---|---\n");
    let mut total_ops = 0;
    let mut total_gen = 0;
    let mut total_unchecked = 0;
    let mut by_status: BTreeMap<String, usize> = BTreeMap::new();
    let mut refusals: BTreeMap<String, (u64, usize)> = BTreeMap::new();
    for r in reports {
        *by_status.entry(r.status.clone()).or_default() += 1;
        let ops = r.operations.unwrap_or(0);
        let generated = r.generated_operations.unwrap_or(0);
        total_ops += ops;
        total_gen += generated;
        total_unchecked += r.unchecked_operations;
        let first = match r.status.as_str() {
            "generated" => String::new(),
            "timeout" => "killed at the timeout".to_owned(),
            "panic" | "crash" if r.detail.is_null() => r.stderr_head.clone(),
            _ => r
                .detail
                .get("first_error")
                .and_then(Value::as_str)
                .unwrap_or("")
                .chars()
                .take(160)
                .collect(),
        };
        let unchecked = if r.unchecked_operations > 0 {
            format!(" ({} unchecked)", r.unchecked_operations)
        } else {
            String::new()
        };
        out.push_str(&format!(
            "{} | {} | {generated}/{ops}{unchecked} | {:.1} s | {} | {}\n",
            r.document.display(),
            r.status,
            r.wall.as_secs_f64(),
            r.peak_kib
                .map_or("?".to_owned(), |k| format!("{:.0} MiB", k as f64 / 1024.0)),
            first.replace('|', "\\|")
        ));
        if let Some(Value::Object(kinds)) = r.detail.get("refusals") {
            for (k, v) in kinds {
                let e = refusals.entry(k.clone()).or_default();
                e.0 += v.as_u64().unwrap_or(0);
                e.1 += 1;
            }
        }
    }
    out.push_str(
        "\nper document: whole-document generation time, then refused operations by error kind\n",
    );
    for r in reports {
        let ms = |k: &str| r.detail.get(k).and_then(Value::as_u64);
        out.push_str(&format!(
            "- {}: {}{}{}\n",
            r.document.display(),
            r.status,
            ms("generate_ms").map_or(String::new(), |m| format!(", generate_from {m} ms")),
            r.detail.get("imported").map_or(String::new(), |i| format!(
                ", imported from Swagger 2 ({} repair(s))",
                i.get("repairs").and_then(Value::as_u64).unwrap_or(0)
            ))
        ));
        if let Some(Value::Object(kinds)) = r.detail.get("refusals") {
            let mut sorted: Vec<(&String, u64)> = kinds
                .iter()
                .map(|(k, v)| (k, v.as_u64().unwrap_or(0)))
                .collect();
            sorted.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
            for (k, n) in sorted {
                out.push_str(&format!("    {n:5}  {k}\n"));
            }
        }
    }
    out.push_str(&format!(
        "\ntotals: {} document(s) ({}); operations generated {total_gen} of {total_ops}{}\n",
        reports.len(),
        by_status
            .iter()
            .map(|(k, v)| format!("{v} {k}"))
            .collect::<Vec<_>>()
            .join(", "),
        if total_unchecked > 0 {
            format!(" ({total_unchecked} not tried within the budget)")
        } else {
            String::new()
        }
    ));
    if !refusals.is_empty() {
        out.push_str(
            "\nrefused operations by error kind and message head (operations, documents):\n",
        );
        let mut sorted: Vec<_> = refusals.into_iter().collect();
        sorted.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(&b.0)));
        for (k, (ops, docs)) in sorted {
            out.push_str(&format!("  {ops:6} ops, {docs:2} docs  {k}\n"));
        }
    }
    out
}

/// The `--build` report: one line per document, then each document's errors by
/// lint or error code (with the first few messages), then the codes across the
/// corpus.
fn render_builds(reports: &[Report]) -> String {
    fn status(outcome: &build::Outcome) -> String {
        match outcome.status.as_str() {
            "compiled" if outcome.warnings > 0 => {
                format!("compiled ({} warning(s))", outcome.warnings)
            }
            "compiled" => "compiled".to_owned(),
            "failed" if outcome.errors > 0 => format!("{} error(s)", outcome.errors),
            "failed" => format!("failed: {}", outcome.note),
            other if outcome.errors > 0 => format!("{other} ({} error(s))", outcome.errors),
            other => format!("{other} {}", outcome.note).trim_end().to_owned(),
        }
    }
    let mut out = String::from(
        "\ndocument | operations | generate | clippy -D warnings | clippy time | rustdoc -D warnings | rustdoc time\n---|---|---|---|---|---|---\n",
    );
    let mut totals: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for r in reports {
        let generate = r
            .detail
            .get("generate_ms")
            .and_then(Value::as_u64)
            .map_or("?".to_owned(), |ms| format!("{:.1} s", ms as f64 / 1000.0));
        let ops = r.operations.unwrap_or(0);
        let (clippy, clippy_time, doc, doc_time) = match &r.build {
            Some(b) => (
                status(&b.clippy),
                format!("{:.0} s", b.clippy.time.as_secs_f64()),
                b.doc.as_ref().map_or("-".to_owned(), status),
                b.doc
                    .as_ref()
                    .map_or("-".to_owned(), |d| format!("{:.0} s", d.time.as_secs_f64())),
            ),
            None => (
                match r.detail.get("write_error").and_then(Value::as_str) {
                    Some(e) => format!("not built: {e}"),
                    None => format!("not built ({})", r.status),
                },
                "-".to_owned(),
                "-".to_owned(),
                "-".to_owned(),
            ),
        };
        out.push_str(&format!(
            "{} | {ops} | {generate} | {} | {clippy_time} | {} | {doc_time}\n",
            r.document.display(),
            clippy.replace('|', "\\|"),
            doc.replace('|', "\\|"),
        ));
    }
    for r in reports {
        let Some(b) = &r.build else { continue };
        let runs = [("clippy", Some(&b.clippy)), ("rustdoc", b.doc.as_ref())];
        if runs
            .iter()
            .all(|(_, o)| o.is_none_or(|o| o.groups.is_empty()))
        {
            continue;
        }
        out.push_str(&format!(
            "\n{} ({}/build.log):\n",
            r.document.display(),
            b.dir.display()
        ));
        for (what, outcome) in runs {
            let Some(outcome) = outcome else { continue };
            let mut groups: Vec<_> = outcome.groups.iter().collect();
            groups.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(b.0)));
            for (code, (n, quoted)) in groups {
                out.push_str(&format!("  {what} {n:5}  {code}\n"));
                for q in quoted {
                    out.push_str(&format!("                 {q}\n"));
                }
                let e = totals.entry(format!("{what} {code}")).or_default();
                e.0 += n;
                e.1 += 1;
            }
        }
    }
    if !totals.is_empty() {
        out.push_str("\ncompiler errors by code across the corpus (errors, documents):\n");
        let mut sorted: Vec<_> = totals.into_iter().collect();
        sorted.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(&b.0)));
        for (code, (n, docs)) in sorted {
            out.push_str(&format!("  {n:6}, {docs:2} docs  {code}\n"));
        }
    }
    out
}
