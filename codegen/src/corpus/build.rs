//! `codegen corpus --build`: compiles each generated crate the way the
//! repository compiles its own, and reports what the compiler says.
//!
//! Every document that generates gets a scratch workspace of its own,
//! `<build dir>/<document>/`: the generated files (the child process writes
//! them, see [`super::child_main`]), a root `Cargo.toml` and the repository's
//! `Cargo.lock`. The root manifest gives the generated crate what the
//! repository's workspace gives it: its `[workspace.package]`,
//! `[workspace.dependencies]` (relative `path`s made absolute, so that
//! `huaweicloud-sdk-core` is the repository's `runtime/`), `[workspace.lints]`
//! and `[profile.*]` sections, copied from the repository's root manifest. The
//! lock file keeps the versions the repository builds with, and `--offline`
//! keeps the build off the network.
//!
//! Then `cargo clippy --all-targets --keep-going --offline -- -D warnings` (and, unless
//! `--no-doc`, `cargo doc --no-deps` with `RUSTDOCFLAGS=-D warnings`) runs in that
//! workspace with one `CARGO_TARGET_DIR` for the whole corpus, so that the
//! dependencies compile once. Each run has its own timeout (not the
//! generation's): at the timeout the whole process group is killed. Builds are
//! not incremental, so the times are those of a fresh build of the generated
//! crate (its dependencies built already). The
//! compiler's messages are read as JSON, counted once each (the library is
//! checked twice, as a library and as its test target), grouped by lint or
//! error code, and written rendered to `<document>/build.log`.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// How to build.
#[derive(Debug, Clone)]
pub struct Options {
    /// Where the scratch workspaces go, one directory per document.
    pub dir: PathBuf,
    /// The `CARGO_TARGET_DIR` shared by every document.
    pub target_dir: PathBuf,
    /// The repository whose root manifest, lock file and `runtime/` are used.
    pub repo: PathBuf,
    /// The time each cargo run may take.
    pub timeout: Duration,
    /// Whether to run rustdoc with warnings denied too.
    pub doc: bool,
}

impl Options {
    /// The repository this binary was built from (`codegen/`'s parent).
    pub fn default_repo() -> PathBuf {
        let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
        manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf()
    }

    /// `$TMPDIR/codegen-corpus-build`: fixed, so that a second run reuses the
    /// compiled dependencies.
    pub fn default_dir() -> PathBuf {
        std::env::temp_dir().join("codegen-corpus-build")
    }
}

/// The outcome of one cargo run.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// `compiled`, `failed`, `timeout` or `not run` (with the reason in
    /// `note`).
    pub status: String,
    /// Wall time of the cargo run.
    pub time: Duration,
    /// Distinct error-level messages (warnings are errors under `-D warnings`).
    pub errors: usize,
    /// Distinct warnings (rustdoc without a lint level, cargo's own).
    pub warnings: usize,
    /// Lint or error code (or the message, for errors without one) →
    /// (count, the first few messages with their location).
    pub groups: BTreeMap<String, (usize, Vec<String>)>,
    /// For a run that failed without compiler messages: its stderr's end.
    pub note: String,
}

/// What `--build` found for one document.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// `cargo clippy --all-targets -- -D warnings`.
    pub clippy: Outcome,
    /// `cargo doc --no-deps` with `RUSTDOCFLAGS=-D warnings`, unless `--no-doc`.
    pub doc: Option<Outcome>,
    /// The scratch workspace.
    pub dir: PathBuf,
}

/// The file that marks a directory as a scratch workspace of this command:
/// only such a directory is ever emptied.
const SCRATCH_MARKER: &str = ".codegen-corpus-build";

/// The scratch workspace of one document, named after it (`taken` holds the
/// names used so far in this run: a second document of the same name gets a
/// suffix), emptied and ready for the child to write the generated files into.
/// An existing directory that is not a scratch workspace is left alone (an
/// error).
pub fn prepare(
    options: &Options,
    document: &Path,
    taken: &mut std::collections::BTreeSet<String>,
) -> Result<PathBuf, String> {
    let stem: String = document
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut name = stem.clone();
    let mut n = 1;
    while !taken.insert(name.clone()) {
        n += 1;
        name = format!("{stem}_{n}");
    }
    let dir = options.dir.join(name);
    if dir.exists() {
        if !dir.join(SCRATCH_MARKER).exists() {
            return Err(format!(
                "{} exists and is not a scratch workspace of `codegen corpus --build` \
                 (no {SCRATCH_MARKER}); give another --build-dir",
                dir.display()
            ));
        }
        std::fs::remove_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    std::fs::write(
        dir.join(SCRATCH_MARKER),
        "written by `codegen corpus --build`; this directory is emptied on the next run\n",
    )
    .map_err(|e| format!("{}: {e}", dir.display()))?;
    Ok(dir)
}

/// Writes the root manifest and lock file beside the generated crate
/// `member` in `dir`, then compiles it.
pub fn build(options: &Options, dir: &Path, member: &str) -> Report {
    let mut report = Report {
        dir: dir.to_path_buf(),
        ..Report::default()
    };
    if let Err(note) = write_workspace(options, dir, member) {
        report.clippy = Outcome {
            status: "not run".into(),
            note,
            ..Outcome::default()
        };
        return report;
    }
    let mut log = String::new();
    report.clippy = run_cargo(
        options,
        dir,
        &[
            "clippy",
            "--all-targets",
            "--keep-going",
            "--offline",
            "--message-format=json",
            "--",
            "-D",
            "warnings",
        ],
        None,
        &mut log,
    );
    if options.doc {
        log.push_str("\n==> cargo doc --no-deps (RUSTDOCFLAGS=-D warnings)\n");
        report.doc = Some(run_cargo(
            options,
            dir,
            &[
                "doc",
                "--no-deps",
                "--keep-going",
                "--offline",
                "--message-format=json",
            ],
            Some("-D warnings"),
            &mut log,
        ));
    }
    let _ = std::fs::write(dir.join("build.log"), log);
    report
}

fn write_workspace(options: &Options, dir: &Path, member: &str) -> Result<(), String> {
    let root = options.repo.join("Cargo.toml");
    let text = std::fs::read_to_string(&root).map_err(|e| format!("{}: {e}", root.display()))?;
    let manifest = workspace_manifest(&text, &options.repo, member);
    std::fs::write(dir.join("Cargo.toml"), manifest)
        .map_err(|e| format!("{}: {e}", dir.display()))?;
    let lock = options.repo.join("Cargo.lock");
    if lock.exists() {
        std::fs::copy(&lock, dir.join("Cargo.lock"))
            .map_err(|e| format!("{}: {e}", lock.display()))?;
    }
    Ok(())
}

/// The scratch workspace's root manifest: `member` as the only member, and the
/// sections of the repository's root manifest that its members inherit from
/// (`[workspace.package]`, `[workspace.dependencies]`, `[workspace.lints.*]`)
/// or that only a root may set (`[profile.*]`), copied line for line, with the
/// relative `path`s of dependencies made absolute against `repo`.
pub fn workspace_manifest(root_manifest: &str, repo: &Path, member: &str) -> String {
    let mut out = format!(
        "# Scratch workspace of `codegen corpus --build`, from {}/Cargo.toml.\n\
         [workspace]\nresolver = \"3\"\nmembers = [{}]\n",
        repo.display(),
        toml_string(member)
    );
    let mut keep = false;
    let mut dependencies = false;
    for line in root_manifest.lines() {
        if let Some(name) = table_header(line) {
            keep = name == "workspace.package"
                || name == "workspace.dependencies"
                || name == "workspace.lints"
                || name.starts_with("workspace.lints.")
                || name.starts_with("profile.");
            dependencies = name == "workspace.dependencies";
            if keep && !out.ends_with("\n\n") {
                out.push('\n');
            }
        }
        if !keep {
            continue;
        }
        if dependencies {
            out.push_str(&absolute_paths(line, repo));
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

/// The name of the table a line opens (`[a.b]` → `a.b`), if it opens one.
fn table_header(line: &str) -> Option<&str> {
    let line = line.split('#').next().unwrap_or("").trim();
    let inner = line.strip_prefix('[')?.strip_suffix(']')?;
    if inner.starts_with('[') {
        return None;
    }
    let ok = !inner.is_empty()
        && inner
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-\"* ".contains(c));
    ok.then(|| inner.trim())
}

/// `path = "x"` in a dependency line, with `x` made absolute against `repo`.
fn absolute_paths(line: &str, repo: &Path) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(at) = find_path_key(rest) {
        let (before, after) = rest.split_at(at);
        out.push_str(before);
        let Some(open) = after.find('"') else {
            out.push_str(after);
            return out;
        };
        let Some(len) = after[open + 1..].find('"') else {
            out.push_str(after);
            return out;
        };
        let value = &after[open + 1..open + 1 + len];
        let path = Path::new(value);
        let absolute = if path.is_absolute() {
            path.to_path_buf()
        } else {
            repo.join(path)
        };
        out.push_str("path = ");
        out.push_str(&toml_string(&absolute.to_string_lossy()));
        rest = &after[open + 1 + len + 1..];
    }
    out.push_str(rest);
    out
}

/// Where a `path` key starts (`path = ` or `path=`), as a whole word.
fn find_path_key(text: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = text[from..].find("path") {
        let at = from + i;
        let word_start = at == 0
            || !text[..at]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        let after = text[at + 4..].trim_start();
        if word_start && after.starts_with('=') && after[1..].trim_start().starts_with('"') {
            return Some(at);
        }
        from = at + 4;
    }
    None
}

fn toml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Runs one cargo command in `dir`; its compiler messages are appended to
/// `log`, rendered.
fn run_cargo(
    options: &Options,
    dir: &Path,
    args: &[&str],
    rustdocflags: Option<&str>,
    log: &mut String,
) -> Outcome {
    let start = Instant::now();
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", &options.target_dir)
        // The crates are written afresh each run: incremental caches would only
        // fill the disk (gigabytes for a large document's examples) and make
        // the times depend on earlier runs.
        .env("CARGO_INCREMENTAL", "0")
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    match rustdocflags {
        Some(flags) => command.env("RUSTDOCFLAGS", flags),
        None => command.env_remove("RUSTDOCFLAGS"),
    };
    // Its own process group, so that a timeout ends cargo and every rustc.
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        command.process_group(0);
    }
    let mut child = match command.spawn() {
        Ok(c) => c,
        Err(e) => {
            return Outcome {
                status: "not run".into(),
                note: format!("could not start cargo: {e}"),
                ..Outcome::default()
            };
        }
    };
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
                if start.elapsed() > options.timeout {
                    timed_out = true;
                    kill_group(child.id());
                    let _ = child.kill();
                    break child.wait().ok();
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            Err(_) => break None,
        }
    };
    let time = start.elapsed();
    let out = stdout.and_then(|h| h.join().ok()).unwrap_or_default();
    let err = stderr.and_then(|h| h.join().ok()).unwrap_or_default();
    let mut outcome = read_messages(&out, log);
    outcome.time = time;
    let success = status.is_some_and(|s| s.success());
    outcome.status = if timed_out {
        "timeout".into()
    } else if success && outcome.errors == 0 {
        "compiled".into()
    } else {
        "failed".into()
    };
    if !success && outcome.errors == 0 {
        let tail: Vec<&str> = err
            .lines()
            .filter(|l| !l.trim_start().starts_with("Compiling") && !l.trim().is_empty())
            .collect();
        outcome.note = tail[tail.len().saturating_sub(4)..].join(" | ");
        log.push_str(&err);
    }
    outcome
}

#[cfg(unix)]
fn kill_group(pid: u32) {
    let _ = Command::new("kill")
        .arg("-KILL")
        .arg(format!("-{pid}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

#[cfg(not(unix))]
fn kill_group(_pid: u32) {}

/// How many messages of one group the report quotes.
const QUOTED: usize = 3;

/// Counts and groups the compiler messages of cargo's JSON output.
pub fn read_messages(json_lines: &str, log: &mut String) -> Outcome {
    let mut outcome = Outcome::default();
    let mut seen = std::collections::HashSet::new();
    for line in json_lines.lines() {
        let Ok(value) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        if value.get("reason").and_then(Value::as_str) != Some("compiler-message") {
            continue;
        }
        let Some(message) = value.get("message") else {
            continue;
        };
        let level = message.get("level").and_then(Value::as_str).unwrap_or("");
        let text = message.get("message").and_then(Value::as_str).unwrap_or("");
        let rendered = message
            .get("rendered")
            .and_then(Value::as_str)
            .unwrap_or(text);
        let code = message
            .get("code")
            .and_then(|c| c.get("code"))
            .and_then(Value::as_str);
        // The summaries ("aborting due to 3 previous errors", "2 warnings emitted").
        if code.is_none()
            && (text.starts_with("aborting due to")
                || text.ends_with("warnings emitted")
                || text.ends_with("warning emitted")
                || text.contains("generated ") && text.contains(" warning"))
        {
            continue;
        }
        if !matches!(level, "error" | "warning") || !seen.insert(rendered.to_owned()) {
            continue;
        }
        log.push_str(rendered);
        if level == "warning" {
            outcome.warnings += 1;
            continue;
        }
        outcome.errors += 1;
        let key = match code {
            Some(code) => code.to_owned(),
            None => message_group(text),
        };
        let place = message
            .get("spans")
            .and_then(Value::as_array)
            .and_then(|spans| {
                spans
                    .iter()
                    .find(|s| s.get("is_primary").and_then(Value::as_bool) == Some(true))
                    .or_else(|| spans.first())
            })
            .map(|s| {
                format!(
                    "{}:{}",
                    s.get("file_name").and_then(Value::as_str).unwrap_or("?"),
                    s.get("line_start").and_then(Value::as_u64).unwrap_or(0)
                )
            })
            .unwrap_or_default();
        let entry = outcome.groups.entry(key).or_default();
        entry.0 += 1;
        if entry.1.len() < QUOTED {
            let short: String = text.chars().take(200).collect();
            entry.1.push(format!("{place}: {short}"));
        }
    }
    outcome
}

/// A group for an error without a code: its message with quoted names
/// replaced, so that equal errors about different names group together.
fn message_group(text: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for part in text.split('`') {
        if inside {
            out.push_str("`…`");
        } else {
            out.push_str(part);
        }
        inside = !inside;
    }
    out.chars().take(80).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scratch_manifest_copies_what_members_inherit() {
        let root = r#"[workspace]
resolver = "3"
members = ["codegen", "generated/*"]

[workspace.package]
version = "0.1.0"
edition = "2024"

[workspace.dependencies]
core = { path = "runtime", version = "0.1.0" }
serde = { version = "1", features = ["derive"] } # no path
abs = { path = "/opt/x" }

[profile.dev.package."*"]
debug = false

[workspace.lints.rust]
missing_docs = "warn"

[workspace.lints.clippy]
unwrap_used = "warn"

[patch.crates-io]
foo = { path = "foo" }
"#;
        let manifest = workspace_manifest(root, Path::new("/repo"), "doc_x");
        assert!(manifest.contains("members = [\"doc_x\"]"), "{manifest}");
        assert!(!manifest.contains("\"codegen\""), "{manifest}");
        assert!(
            manifest.contains("[workspace.package]\nversion = \"0.1.0\"\nedition = \"2024\"\n")
        );
        assert!(
            manifest.contains("core = { path = \"/repo/runtime\", version = \"0.1.0\" }"),
            "{manifest}"
        );
        assert!(
            manifest.contains("abs = { path = \"/opt/x\" }"),
            "{manifest}"
        );
        assert!(
            manifest.contains("serde = { version = \"1\", features = [\"derive\"] } # no path")
        );
        assert!(manifest.contains("[profile.dev.package.\"*\"]\ndebug = false\n"));
        assert!(manifest.contains("[workspace.lints.rust]\nmissing_docs = \"warn\"\n"));
        assert!(manifest.contains("[workspace.lints.clippy]\nunwrap_used = \"warn\"\n"));
        assert!(!manifest.contains("patch"), "{manifest}");
    }

    #[test]
    fn only_scratch_workspaces_are_emptied() {
        let root = std::env::temp_dir().join(format!("codegen-prepare-{}", std::process::id()));
        let options = Options {
            dir: root.clone(),
            target_dir: root.join("target"),
            repo: PathBuf::from("/repo"),
            timeout: Duration::from_secs(1),
            doc: false,
        };
        let mut taken = std::collections::BTreeSet::new();
        let first = prepare(&options, Path::new("a/x.json"), &mut taken).unwrap_or_default();
        let second = prepare(&options, Path::new("b/x.yaml"), &mut taken).unwrap_or_default();
        assert_eq!(first, root.join("x"));
        assert_eq!(second, root.join("x_2"));
        std::fs::write(first.join("old"), "").unwrap_or_default();
        let again = prepare(&options, Path::new("x.json"), &mut Default::default());
        assert_eq!(again.as_deref().ok(), Some(first.as_path()));
        assert!(!first.join("old").exists());
        let foreign = root.join("mine");
        std::fs::create_dir_all(&foreign).unwrap_or_default();
        assert!(prepare(&options, Path::new("mine.json"), &mut Default::default()).is_err());
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn messages_are_counted_once_and_grouped_by_code() {
        let message = |code: &str, text: &str, rendered: &str| {
            serde_json::json!({
                "reason": "compiler-message",
                "message": {
                    "level": "error",
                    "message": text,
                    "rendered": rendered,
                    "code": if code.is_empty() { Value::Null } else { serde_json::json!({"code": code}) },
                    "spans": [{"file_name": "src/models.rs", "line_start": 7, "is_primary": true}],
                }
            })
            .to_string()
        };
        let lines = [
            message("E0425", "cannot find value `x`", "r1"),
            message("E0425", "cannot find value `x`", "r1"),
            message("E0425", "cannot find value `y`", "r2"),
            message("clippy::needless_borrow", "needless borrow", "r3"),
            message("", "expected item, found `}`", "r4"),
            message("", "aborting due to 4 previous errors", "r5"),
            r#"{"reason":"build-finished","success":false}"#.to_owned(),
        ]
        .join("\n");
        let mut log = String::new();
        let outcome = read_messages(&lines, &mut log);
        assert_eq!(outcome.errors, 4);
        assert_eq!(outcome.groups["E0425"].0, 2);
        assert_eq!(
            outcome.groups["E0425"].1[0],
            "src/models.rs:7: cannot find value `x`"
        );
        assert_eq!(outcome.groups["clippy::needless_borrow"].0, 1);
        assert_eq!(outcome.groups["expected item, found `…`"].0, 1);
        assert_eq!(log, "r1r2r3r4");
    }
}
