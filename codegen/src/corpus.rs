//! `codegen corpus`: placeholder while the importer is built.

use std::process::ExitCode;

/// The hidden subcommand a child process runs.
pub const CHILD_COMMAND: &str = "__corpus-child";

/// Entry point of `codegen corpus`.
pub fn main(_args: Vec<std::ffi::OsString>) -> ExitCode {
    ExitCode::FAILURE
}

/// Entry point of the child process.
pub fn child_main(_args: Vec<std::ffi::OsString>) -> ExitCode {
    ExitCode::FAILURE
}
