//! Values that must never be printed: passwords, secret keys, tokens.

use std::fmt;

/// A secret string. `Debug` and `Display` print a placeholder; read the value
/// with [`expose`](Secret::expose) only where it is sent.
///
/// Serializes as the plain string (it has to reach the server), so never log a
/// serialized request body.
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret value itself.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the value is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(\"***\")")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_owned())
    }
}

/// A value of an open enumeration that this version of the crate does not know.
/// Only the crate makes these (from what a server sent), so a known value is
/// never hidden inside `Unknown`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownValue(String);

/// Keeps a value a generated enumeration does not know (for generated code only:
/// it never wraps a known value).
pub fn unknown(value: &str) -> UnknownValue {
    UnknownValue(value.to_owned())
}

impl UnknownValue {
    /// The value as received.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_is_not_printed() {
        let s = Secret::new("hunter2");
        assert!(!format!("{s:?}").contains("hunter2"));
        assert!(!format!("{s}").contains("hunter2"));
        assert_eq!(s.expose(), "hunter2");
        let json = serde_json::to_string(&s).unwrap_or_default();
        assert_eq!(json, "\"hunter2\"");
    }
}

/// Binary content in `Debug` output: its size, not its bytes (a file may hold
/// keys or personal data). For the fields of generated models.
pub struct Binary<'a, T: ?Sized>(pub &'a T);

/// Values that [`Binary`] shows by size.
pub trait BinarySize {
    /// Writes the size.
    fn describe(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result;
}

impl BinarySize for bytes::Bytes {
    fn describe(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{} bytes>", self.len())
    }
}

impl<T: BinarySize> BinarySize for Box<T> {
    fn describe(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).describe(f)
    }
}

impl<T: BinarySize> BinarySize for Option<T> {
    fn describe(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Some(value) => {
                f.write_str("Some(")?;
                value.describe(f)?;
                f.write_str(")")
            }
            None => f.write_str("None"),
        }
    }
}

impl<T: BinarySize> BinarySize for Vec<T> {
    fn describe(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter().map(Binary)).finish()
    }
}

impl<T: BinarySize> BinarySize for std::collections::BTreeMap<String, T> {
    fn describe(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.iter().map(|(k, v)| (k, Binary(v))))
            .finish()
    }
}

impl<T: BinarySize + ?Sized> fmt::Debug for Binary<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.describe(f)
    }
}

#[cfg(test)]
mod binary_tests {
    use super::Binary;
    use bytes::Bytes;

    #[test]
    fn binary_shows_sizes_only() {
        let file = Bytes::from_static(b"-----BEGIN PRIVATE KEY-----");
        assert_eq!(format!("{:?}", Binary(&file)), "<27 bytes>");
        assert_eq!(
            format!("{:?}", Binary(&Some(file.clone()))),
            "Some(<27 bytes>)"
        );
        assert_eq!(format!("{:?}", Binary(&None::<Bytes>)), "None");
        assert_eq!(
            format!("{:?}", Binary(&vec![file.clone(), Bytes::new()])),
            "[<27 bytes>, <0 bytes>]"
        );
        assert_eq!(
            format!("{:?}", Binary(&Some(Some(Box::new(file))))),
            "Some(Some(<27 bytes>))"
        );
    }
}
