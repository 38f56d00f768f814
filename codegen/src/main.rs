//! `codegen [--spec DIR] [--out DIR] [--check]`: regenerates the SDK crate from
//! the OpenAPI documents, or with `--check` reports what would change.

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: codegen [--spec DIR] [--out DIR] [--check]

  --spec DIR   directory of OpenAPI 3.0 YAML files, one per service (default: spec)
  --out DIR    the generated crate's directory (default: generated)
  --check      write nothing; exit 1 and show a diff if anything would change";

struct Args {
    spec: PathBuf,
    out: PathBuf,
    check: bool,
}

fn parse_args() -> Result<Option<Args>, String> {
    let mut args = Args {
        spec: PathBuf::from("spec"),
        out: PathBuf::from("generated"),
        check: false,
    };
    let mut it = std::env::args_os().skip(1);
    while let Some(arg) = it.next() {
        match arg.to_str() {
            Some("--spec") => args.spec = it.next().ok_or("--spec needs a directory")?.into(),
            Some("--out") => args.out = it.next().ok_or("--out needs a directory")?.into(),
            Some("--check") => args.check = true,
            Some("-h" | "--help") => return Ok(None),
            _ => return Err(format!("unexpected argument `{}`", arg.to_string_lossy())),
        }
    }
    Ok(Some(args))
}

fn main() -> ExitCode {
    let args = match parse_args() {
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
