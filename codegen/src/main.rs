//! `codegen [--spec DIR] [--out DIR] [--check]`: regenerates the SDK crate from
//! the OpenAPI documents, or with `--check` reports what would change.
//!
//! `codegen import [--service NAME] [--title T] [--strict] OUT.yaml INPUT...`:
//! converts API Explorer definitions (files or directories of `*.json`) into
//! one OpenAPI 3.0.3 document.

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: codegen [--spec DIR] [--out DIR] [--check]
       codegen import [--service NAME] [--title TITLE] [--strict] [--quiet] OUT.yaml INPUT...

  --spec DIR   directory of OpenAPI 3.0 YAML files, one per service (default: spec)
  --out DIR    the generated crate's directory (default: generated)
  --check      write nothing; exit 1 and show a diff if anything would change

import: merges Huawei API Explorer definitions (Swagger 2.0 or OpenAPI 3 JSON, one
operation per file; INPUT is a file or a directory of *.json) into one OpenAPI 3.0.3
document written to OUT.yaml. Repairs and errors go to stderr, one line each.
  --service NAME  keep the files of this service (API Explorer's product_short)
  --title TITLE   info.title (default: the service name)
  --strict        exit 1 if any file was left out because of errors
  --quiet         print only the summary and the errors, not each repair";

struct Args {
    spec: PathBuf,
    out: PathBuf,
    check: bool,
}

fn parse_args(args: Vec<std::ffi::OsString>) -> Result<Option<Args>, String> {
    let mut parsed = Args {
        spec: PathBuf::from("spec"),
        out: PathBuf::from("generated"),
        check: false,
    };
    let mut it = args.into_iter();
    while let Some(arg) = it.next() {
        match arg.to_str() {
            Some("--spec") => parsed.spec = it.next().ok_or("--spec needs a directory")?.into(),
            Some("--out") => parsed.out = it.next().ok_or("--out needs a directory")?.into(),
            Some("--check") => parsed.check = true,
            Some("-h" | "--help") => return Ok(None),
            _ => return Err(format!("unexpected argument `{}`", arg.to_string_lossy())),
        }
    }
    Ok(Some(parsed))
}

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    match args.first().and_then(|a| a.to_str()) {
        Some("import") => return import_main(args[1..].to_vec()),
        Some("corpus") => return codegen::corpus::main(args[1..].to_vec()),
        Some(codegen::corpus::CHILD_COMMAND) => {
            return codegen::corpus::child_main(args[1..].to_vec());
        }
        _ => {}
    }
    let args = match parse_args(args) {
        Ok(Some(args)) => args,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("error: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

struct ImportArgs {
    options: codegen::import::Options,
    strict: bool,
    quiet: bool,
    out: PathBuf,
    inputs: Vec<PathBuf>,
}

fn parse_import_args(args: Vec<std::ffi::OsString>) -> Result<Option<ImportArgs>, String> {
    let mut options = codegen::import::Options::default();
    let mut strict = false;
    let mut quiet = false;
    let mut positional = Vec::new();
    let mut it = args.into_iter();
    while let Some(arg) = it.next() {
        match arg.to_str() {
            Some("--service") => {
                options.service = Some(
                    it.next()
                        .and_then(|s| s.into_string().ok())
                        .ok_or("--service needs a name")?,
                )
            }
            Some("--title") => {
                options.title = Some(
                    it.next()
                        .and_then(|s| s.into_string().ok())
                        .ok_or("--title needs a text")?,
                )
            }
            Some("--strict") => strict = true,
            Some("--quiet") => quiet = true,
            Some("-h" | "--help") => return Ok(None),
            Some(s) if s.starts_with("--") => return Err(format!("unexpected option `{s}`")),
            _ => positional.push(PathBuf::from(arg)),
        }
    }
    if positional.len() < 2 {
        return Err("import needs OUT.yaml and at least one INPUT".to_owned());
    }
    let out = positional.remove(0);
    Ok(Some(ImportArgs {
        options,
        strict,
        quiet,
        out,
        inputs: positional,
    }))
}

fn import_main(args: Vec<std::ffi::OsString>) -> ExitCode {
    let args = match parse_import_args(args) {
        Ok(Some(args)) => args,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("error: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let (texts, read_errors) = codegen::import::read_inputs(&args.inputs);
    let imported = codegen::import::import(&texts, &args.options);
    if !args.quiet {
        for repair in &imported.repairs {
            eprintln!("repair: {repair}");
        }
    }
    for error in read_errors.iter().chain(&imported.errors) {
        eprintln!("error: {error}");
    }
    let yaml = match imported.yaml() {
        Ok(yaml) => yaml,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Err(e) = std::fs::write(&args.out, yaml) {
        eprintln!("error: {}: {e}", args.out.display());
        return ExitCode::FAILURE;
    }
    eprintln!(
        "{}: {} operation(s) from {} file(s); {} left out, {} repair(s), {} error(s)",
        args.out.display(),
        imported.operations,
        imported.files,
        imported.skipped + read_errors.len(),
        imported.repairs.len(),
        imported.errors.len() + read_errors.len()
    );
    if args.strict && (!imported.errors.is_empty() || !read_errors.is_empty()) {
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

fn run(args: &Args) -> Result<ExitCode, codegen::Error> {
    let generated = codegen::generate(&args.spec)?;
    let changes = codegen::plan(&args.out, &generated)?;
    if args.check {
        if changes.is_empty() {
            println!(
                "{} is up to date with {}",
                args.out.display(),
                args.spec.display()
            );
            return Ok(ExitCode::SUCCESS);
        }
        eprintln!(
            "{} is out of date with {}; {} file(s) would change:",
            args.out.display(),
            args.spec.display(),
            changes.len()
        );
        for change in &changes {
            eprintln!("  {} {}", change.verb(), change.path);
        }
        for change in &changes {
            eprintln!("\n{}", change.diff(40));
        }
        eprintln!("run `{}` to regenerate", codegen::REGENERATE);
        return Ok(ExitCode::FAILURE);
    }
    codegen::apply(&args.out, &changes)?;
    let lines: usize = generated.files.values().map(|f| f.lines().count()).sum();
    println!(
        "generated {} files ({lines} lines) in {}; {} changed",
        generated.files.len(),
        args.out.display(),
        changes.len()
    );
    Ok(ExitCode::SUCCESS)
}
