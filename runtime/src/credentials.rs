//! Credentials: AK/SK (optionally temporary, with a security token) or an IAM token.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::{Error, Secret};

/// How requests are authenticated.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Credentials {
    /// AK/SK request signing (SDK-HMAC-SHA256), as the official SDKs do.
    AkSk(AkSk),
    /// An IAM user token sent as `X-Auth-Token`.
    Token(Secret),
    /// No authentication at all: requests go out unsigned. Only for endpoints that
    /// need none (a local test server, a gateway that authenticates by itself); a
    /// client without any credentials refuses to send.
    Anonymous,
}

/// An access key pair; with a security token for temporary credentials.
#[derive(Clone, PartialEq, Eq)]
pub struct AkSk {
    ak: String,
    sk: Secret,
    security_token: Option<Secret>,
}

impl AkSk {
    /// The access key id.
    pub fn ak(&self) -> &str {
        &self.ak
    }

    pub(crate) fn sk(&self) -> &Secret {
        &self.sk
    }

    pub(crate) fn security_token(&self) -> Option<&Secret> {
        self.security_token.as_ref()
    }
}

impl Credentials {
    /// Permanent AK/SK.
    pub fn aksk(ak: impl Into<String>, sk: impl Into<Secret>) -> Self {
        Credentials::AkSk(AkSk {
            ak: ak.into(),
            sk: sk.into(),
            security_token: None,
        })
    }

    /// Temporary AK/SK with the security token issued with them; the token is sent
    /// (and signed) as `X-Security-Token`.
    pub fn temporary(
        ak: impl Into<String>,
        sk: impl Into<Secret>,
        security_token: impl Into<Secret>,
    ) -> Self {
        Credentials::AkSk(AkSk {
            ak: ak.into(),
            sk: sk.into(),
            security_token: Some(security_token.into()),
        })
    }

    /// An IAM token (the `X-Subject-Token` IAM returned), sent as `X-Auth-Token`.
    pub fn token(token: impl Into<Secret>) -> Self {
        Credentials::Token(token.into())
    }

    /// Unauthenticated requests, chosen explicitly (see [`Credentials::Anonymous`]).
    pub fn anonymous() -> Self {
        Credentials::Anonymous
    }
}

/// Shows the first four characters of an access key id, never the rest.
fn masked(ak: &str) -> String {
    let shown: String = ak.chars().take(4).collect();
    format!("{shown}***")
}

impl fmt::Debug for AkSk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AkSk")
            .field("ak", &masked(&self.ak))
            .field("sk", &self.sk)
            .field("security_token", &self.security_token)
            .finish()
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::AkSk(k) => f.debug_tuple("AkSk").field(k).finish(),
            Credentials::Token(t) => f.debug_tuple("Token").field(t).finish(),
            Credentials::Anonymous => f.write_str("Anonymous"),
        }
    }
}

/// The access key id variable of the official SDKs' environment provider.
pub(crate) const ENV_AK: &str = "HUAWEICLOUD_SDK_AK";
/// The secret access key variable.
pub(crate) const ENV_SK: &str = "HUAWEICLOUD_SDK_SK";
/// The project id variable.
pub(crate) const ENV_PROJECT_ID: &str = "HUAWEICLOUD_SDK_PROJECT_ID";
/// The security token variable (temporary credentials).
pub(crate) const ENV_SECURITY_TOKEN: &str = "HUAWEICLOUD_SDK_SECURITY_TOKEN";
/// The variable naming the profile (credentials) file.
pub(crate) const ENV_CREDENTIALS_FILE: &str = "HUAWEICLOUD_SDK_CREDENTIALS_FILE";
/// The profile file under the home directory when `HUAWEICLOUD_SDK_CREDENTIALS_FILE`
/// is not set.
pub(crate) const DEFAULT_PROFILE_FILE: &str = "~/.huaweicloud/credentials";

/// The profile section used for regional services.
const PROFILE_SECTION: &str = "basic";

/// Credentials found outside the code, with the project id found next to them
/// and where they came from.
///
/// `Debug` never shows the secret key or the security token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolvedCredentials {
    /// The credentials.
    pub credentials: Credentials,
    /// The project id given in the same place, if any.
    pub project_id: Option<String>,
    /// Where the credentials were found.
    pub source: CredentialSource,
}

/// Where [`ResolvedCredentials`] were found.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CredentialSource {
    /// The `HUAWEICLOUD_SDK_*` environment variables.
    Environment,
    /// The `[basic]` section of this profile file.
    ProfileFile(std::path::PathBuf),
}

/// Reads a variable from the process environment; a value that is not valid
/// Unicode counts as unset.
pub(crate) fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// A variable's value with surrounding whitespace removed; empty counts as unset.
pub(crate) fn lookup_var(lookup: &dyn Fn(&str) -> Option<String>, name: &str) -> Option<String> {
    lookup(name)
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

/// The home directory: `HOME`, or on Windows `USERPROFILE` first.
fn home_dir(lookup: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    let home = if cfg!(windows) {
        lookup_var(lookup, "USERPROFILE").or_else(|| lookup_var(lookup, "HOME"))
    } else {
        lookup_var(lookup, "HOME")
    };
    home.map(PathBuf::from)
}

/// The profile file to read: `HUAWEICLOUD_SDK_CREDENTIALS_FILE` (a leading `~`
/// is the home directory), else `~/.huaweicloud/credentials`; `None` when that
/// needs a home directory and there is none.
pub(crate) fn profile_path(lookup: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    let raw = lookup_var(lookup, ENV_CREDENTIALS_FILE);
    let raw = raw.as_deref().unwrap_or(DEFAULT_PROFILE_FILE);
    if raw == "~" {
        return home_dir(lookup);
    }
    match raw.strip_prefix("~/").or_else(|| raw.strip_prefix("~\\")) {
        Some(rest) => home_dir(lookup).map(|home| home.join(rest)),
        None => Some(PathBuf::from(raw)),
    }
}

/// Builds permanent or temporary credentials; an empty security token means
/// permanent ones.
fn build(ak: String, sk: String, security_token: Option<String>) -> Credentials {
    match security_token.filter(|t| !t.is_empty()) {
        Some(token) => Credentials::temporary(ak, sk, token),
        None => Credentials::aksk(ak, sk),
    }
}

impl Credentials {
    /// Credentials from the environment, as the official SDKs' environment
    /// provider reads them: `HUAWEICLOUD_SDK_AK` and `HUAWEICLOUD_SDK_SK`, with
    /// `HUAWEICLOUD_SDK_SECURITY_TOKEN` for temporary credentials and
    /// `HUAWEICLOUD_SDK_PROJECT_ID` for the project id. Empty values count as unset.
    ///
    /// `Ok(None)` when neither the AK nor the SK is set; [`Error::Config`] naming
    /// the missing variable when only one of them is.
    pub fn from_env() -> Result<Option<ResolvedCredentials>, Error> {
        Credentials::from_env_with(process_env)
    }

    /// [`from_env`](Self::from_env) reading variables through `lookup` instead of
    /// the process environment: for tests, and for callers with their own
    /// configuration source. `lookup` returns a variable's value, or `None` when
    /// it is not set.
    pub fn from_env_with(
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Option<ResolvedCredentials>, Error> {
        env_credentials(&lookup)
    }

    /// Credentials from the `[basic]` section of a profile file: the keys `ak`,
    /// `sk`, `security_token` (temporary credentials) and `project_id`.
    ///
    /// `path` `None` reads the file named by `HUAWEICLOUD_SDK_CREDENTIALS_FILE`,
    /// else `~/.huaweicloud/credentials` (the home directory is `HOME`, on Windows
    /// `USERPROFILE`).
    ///
    /// The file is INI: `[section]` headers, `key = value` or `key: value` lines,
    /// comment lines starting with `#` or `;`, and blank lines. Whitespace around
    /// names and values is removed, keys are case-insensitive (section names are
    /// not), and of duplicate keys the last wins. Values are taken as they are:
    /// no quotes are removed and no inline comments are recognised.
    ///
    /// `Ok(None)` when the file does not exist, or its `[basic]` section has
    /// neither `ak` nor `sk`. [`Error::Config`] naming the file when it cannot be
    /// read, a line is malformed (with the line number), or only one of `ak` and
    /// `sk` is given.
    pub fn from_profile_file(path: Option<&Path>) -> Result<Option<ResolvedCredentials>, Error> {
        match path {
            Some(path) => profile_credentials(path),
            None => match profile_path(&process_env) {
                Some(path) => profile_credentials(&path),
                None => Ok(None),
            },
        }
    }

    /// Credentials from the environment ([`from_env`](Self::from_env)), else from
    /// the profile file ([`from_profile_file`](Self::from_profile_file) with its
    /// default location); `Ok(None)` when neither has any.
    ///
    /// This is the environment and profile part of the official SDKs' default
    /// chain only: their OIDC, ECS metadata and pod identity providers are not
    /// implemented. An error from the environment (only one of AK and SK set) is
    /// returned rather than skipped, so a half-set environment is not silently
    /// replaced by the file's credentials. Credentials given in code
    /// ([`Config::with_credentials`](crate::Config::with_credentials)) always win
    /// over this chain.
    pub fn from_default_chain() -> Result<Option<ResolvedCredentials>, Error> {
        Credentials::from_default_chain_with(process_env)
    }

    /// [`from_default_chain`](Self::from_default_chain) reading variables
    /// (including `HUAWEICLOUD_SDK_CREDENTIALS_FILE` and the home directory)
    /// through `lookup` instead of the process environment: for tests, and for
    /// callers with their own configuration source. The profile file itself is
    /// still read from disk.
    pub fn from_default_chain_with(
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Option<ResolvedCredentials>, Error> {
        default_chain(&lookup)
    }
}

/// The environment provider.
fn env_credentials(
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<ResolvedCredentials>, Error> {
    let ak = lookup_var(lookup, ENV_AK);
    let sk = lookup_var(lookup, ENV_SK);
    let (ak, sk) = match (ak, sk) {
        (None, None) => return Ok(None),
        (Some(ak), Some(sk)) => (ak, sk),
        (Some(_), None) => {
            return Err(Error::config(format!(
                "{ENV_AK} is set but {ENV_SK} is not: set {ENV_SK} to the secret access key \
                 (or unset {ENV_AK} to use the credentials file)"
            )));
        }
        (None, Some(_)) => {
            return Err(Error::config(format!(
                "{ENV_SK} is set but {ENV_AK} is not: set {ENV_AK} to the access key id \
                 (or unset {ENV_SK} to use the credentials file)"
            )));
        }
    };
    Ok(Some(ResolvedCredentials {
        credentials: build(ak, sk, lookup_var(lookup, ENV_SECURITY_TOKEN)),
        project_id: lookup_var(lookup, ENV_PROJECT_ID),
        source: CredentialSource::Environment,
    }))
}

/// Environment, then profile file.
pub(crate) fn default_chain(
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<ResolvedCredentials>, Error> {
    if let Some(resolved) = env_credentials(lookup)? {
        return Ok(Some(resolved));
    }
    match profile_path(lookup) {
        Some(path) => profile_credentials(&path),
        None => Ok(None),
    }
}

/// The profile file provider.
fn profile_credentials(path: &Path) -> Result<Option<ResolvedCredentials>, Error> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(Error::config(format!(
                "cannot read the credentials file {}: {e}",
                path.display()
            )));
        }
    };
    let mut section = parse_ini_section(&text, PROFILE_SECTION).map_err(|line| {
        Error::config(format!(
            "credentials file {}, line {line}: expected `[section]`, `key = value`, \
             `key: value` or a `#`/`;` comment",
            path.display()
        ))
    })?;
    let mut take = |key: &str| section.remove(key).filter(|v| !v.is_empty());
    let (ak, sk) = match (take("ak"), take("sk")) {
        (None, None) => return Ok(None),
        (Some(ak), Some(sk)) => (ak, sk),
        (Some(_), None) => {
            return Err(Error::config(format!(
                "credentials file {}: [{PROFILE_SECTION}] has `ak` but no `sk`: add `sk = <secret \
                 access key>` to that section",
                path.display()
            )));
        }
        (None, Some(_)) => {
            return Err(Error::config(format!(
                "credentials file {}: [{PROFILE_SECTION}] has `sk` but no `ak`: add `ak = <access \
                 key id>` to that section",
                path.display()
            )));
        }
    };
    let security_token = take("security_token");
    let project_id = take("project_id");
    Ok(Some(ResolvedCredentials {
        credentials: build(ak, sk, security_token),
        project_id,
        source: CredentialSource::ProfileFile(path.to_path_buf()),
    }))
}

/// Parses INI text and returns the keys (lower-cased) and values of `wanted`
/// (all its occurrences merged, the last duplicate winning). The whole text is
/// checked; a malformed line is reported by its 1-based number. Line contents
/// are never reported, as they may hold secrets.
fn parse_ini_section(text: &str, wanted: &str) -> Result<HashMap<String, String>, usize> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut values = HashMap::new();
    let mut current: Option<String> = None;
    for (index, raw) in text.lines().enumerate() {
        let number = index + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            let name = name.trim();
            if name.is_empty() {
                return Err(number);
            }
            current = Some(name.to_owned());
            continue;
        }
        let Some(split) = line.find(['=', ':']) else {
            return Err(number);
        };
        let key = line[..split].trim();
        // A key needs a section to belong to, as in Python's configparser.
        let Some(section) = current.as_deref() else {
            return Err(number);
        };
        if key.is_empty() {
            return Err(number);
        }
        if section == wanted {
            let value = line[split + 1..].trim();
            values.insert(key.to_lowercase(), value.to_owned());
        }
    }
    Ok(values)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ini_rules() {
        let text =
            "\u{feff}; comment\n# other\n\n[global]\nak = g\n[basic]\n AK = a1 \nsk: s\nak=a2\n";
        let basic = parse_ini_section(text, "basic");
        assert_eq!(
            basic.as_ref().map(|m| m.get("ak").cloned()),
            Ok(Some("a2".into()))
        );
        assert_eq!(
            basic.as_ref().map(|m| m.get("sk").cloned()),
            Ok(Some("s".into()))
        );
        assert_eq!(parse_ini_section("[basic]\nak\n", "basic"), Err(2));
        assert_eq!(parse_ini_section("ak = x\n", "basic"), Err(1));
        assert_eq!(parse_ini_section("[basic]\n= x\n", "basic"), Err(2));
        assert_eq!(parse_ini_section("[]\n", "basic"), Err(1));
    }

    #[test]
    fn profile_path_rules() {
        let lookup = |name: &str| match name {
            "HOME" | "USERPROFILE" => Some("/home/u".to_owned()),
            _ => None,
        };
        assert_eq!(
            profile_path(&lookup),
            Some(PathBuf::from("/home/u").join(".huaweicloud/credentials"))
        );
        let none = |_: &str| None;
        assert_eq!(profile_path(&none), None);
        let explicit = |name: &str| (name == ENV_CREDENTIALS_FILE).then(|| "/etc/hc".to_owned());
        assert_eq!(profile_path(&explicit), Some(PathBuf::from("/etc/hc")));
    }
}
