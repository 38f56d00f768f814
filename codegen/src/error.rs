//! Located errors: every problem in a spec names the file, the JSON pointer of the
//! offending node, and the line and column where they are known.

use std::fmt;
use std::path::PathBuf;

/// Where in a spec file a problem was found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Location {
    /// The spec file, as given to the generator.
    pub file: PathBuf,
    /// 1-based line, where known.
    pub line: Option<usize>,
    /// 1-based column, where known.
    pub column: Option<usize>,
    /// JSON pointer (RFC 6901) of the offending node, e.g. `#/paths/~1v3~1x/get`.
    pub pointer: String,
}

/// What kind of problem the generator met.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The file could not be read or written.
    Io,
    /// The YAML itself is malformed.
    Syntax,
    /// Well-formed YAML that is not a valid OpenAPI 3.0 document.
    Invalid,
    /// A `$ref` that points nowhere.
    DanglingRef,
    /// Two operations share an `operationId`.
    DuplicateOperationId,
    /// Valid OpenAPI that this generator does not support (yet).
    Unsupported,
    /// The generator produced code that does not parse: a bug in the generator.
    Internal,
}

impl ErrorKind {
    fn label(self) -> &'static str {
        match self {
            ErrorKind::Io => "I/O error",
            ErrorKind::Syntax => "YAML syntax error",
            ErrorKind::Invalid => "invalid OpenAPI document",
            ErrorKind::DanglingRef => "dangling $ref",
            ErrorKind::DuplicateOperationId => "duplicate operationId",
            ErrorKind::Unsupported => "unsupported construct",
            ErrorKind::Internal => "generator bug",
        }
    }
}

/// A generator error. `Display` gives `file:line:column: kind at pointer: message`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    /// The class of problem.
    pub kind: ErrorKind,
    /// Where it was found.
    pub location: Location,
    /// What is wrong, and where useful, what to do about it.
    pub message: String,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, location: Location, message: impl Into<String>) -> Self {
        Error {
            kind,
            location,
            message: message.into(),
        }
    }

    pub(crate) fn io(path: impl Into<PathBuf>, err: &std::io::Error) -> Self {
        let file = path.into();
        Error::new(
            ErrorKind::Io,
            Location {
                file,
                ..Location::default()
            },
            err.to_string(),
        )
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let loc = &self.location;
        write!(f, "{}", loc.file.display())?;
        if let Some(line) = loc.line {
            write!(f, ":{line}")?;
            if let Some(column) = loc.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": {}", self.kind.label())?;
        if !loc.pointer.is_empty() {
            write!(f, " at {}", loc.pointer)?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for Error {}

/// Builds JSON pointers one segment at a time, escaping `~` and `/` as RFC 6901 says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pointer(String);

impl Pointer {
    /// The document root, `#`.
    pub fn root() -> Self {
        Pointer("#".to_owned())
    }

    /// The pointer one segment up (the root stays the root).
    pub fn parent(&self) -> Self {
        match self.0.rsplit_once('/') {
            Some((parent, _)) => Pointer(parent.to_owned()),
            None => self.clone(),
        }
    }

    /// This pointer with one more segment.
    pub fn join(&self, segment: impl fmt::Display) -> Self {
        let segment = segment.to_string().replace('~', "~0").replace('/', "~1");
        Pointer(format!("{}/{}", self.0, segment))
    }

    /// The pointer text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The unescaped segments after `#`.
    pub fn segments(&self) -> Vec<String> {
        self.0
            .trim_start_matches('#')
            .split('/')
            .skip(1)
            .map(|s| s.replace("~1", "/").replace("~0", "~"))
            .collect()
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
