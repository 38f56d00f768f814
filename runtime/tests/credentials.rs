//! Credentials and configuration from the environment and the profile file.
//!
//! Every test reads variables through a fake lookup, never the process
//! environment, and writes its profile files under the temporary directory with
//! unique names, removed when the test ends.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use huaweicloud_sdk_core::{Config, Credentials, Error};

const ENV_AK: &str = "ENVAKEXAMPLE0001";
const ENV_SK: &str = "env-secret-key-do-not-print";
const ENV_TOKEN: &str = "env-security-token-do-not-print";
const FILE_AK: &str = "FILEAKEXAMPLE002";
const FILE_SK: &str = "file-secret-key-do-not-print";
const FILE_TOKEN: &str = "file-security-token-do-not-print";

/// A file or directory under the temporary directory, removed on drop.
struct TempPath(PathBuf);

impl TempPath {
    fn new(tag: &str) -> Self {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let name = format!("hcsdk-credentials-{}-{n}-{tag}", std::process::id());
        TempPath(std::env::temp_dir().join(name))
    }

    /// A profile file with these contents.
    fn file(tag: &str, contents: &str) -> Self {
        let temp = TempPath::new(tag);
        std::fs::write(&temp.0, contents).unwrap();
        temp
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempPath {
    fn drop(&mut self) {
        if self.0.is_dir() {
            let _ = std::fs::remove_dir_all(&self.0);
        } else {
            let _ = std::fs::remove_file(&self.0);
        }
    }
}

/// A fake environment. `HOME`/`USERPROFILE` point at a directory that does not
/// exist unless a test sets them, so the real `~/.huaweicloud/credentials` is
/// never read.
fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
    let mut map: HashMap<String, String> = HashMap::new();
    let nowhere = std::env::temp_dir().join("hcsdk-credentials-no-such-home");
    map.insert("HOME".into(), nowhere.display().to_string());
    map.insert("USERPROFILE".into(), nowhere.display().to_string());
    for (k, v) in vars {
        map.insert((*k).to_owned(), (*v).to_owned());
    }
    move |name: &str| map.get(name).cloned()
}

fn profile(ak: &str, sk: &str, extra: &str) -> String {
    format!("[basic]\nak = {ak}\nsk = {sk}\n{extra}")
}

fn config_error<T: std::fmt::Debug>(result: Result<T, Error>) -> String {
    match result {
        Err(Error::Config(message)) => message,
        other => panic!("expected a Config error, got {other:?}"),
    }
}

fn ak_of(credentials: &Credentials) -> &str {
    match credentials {
        Credentials::AkSk(k) => k.ak(),
        other => panic!("expected AK/SK credentials, got {other:?}"),
    }
}

fn assert_no_secrets(text: &str) {
    for secret in [ENV_SK, ENV_TOKEN, FILE_SK, FILE_TOKEN] {
        assert!(!text.contains(secret), "{secret} leaked in: {text}");
    }
}

#[test]
fn environment_credentials() {
    let lookup = env(&[
        ("HUAWEICLOUD_SDK_AK", ENV_AK),
        ("HUAWEICLOUD_SDK_SK", ENV_SK),
        ("HUAWEICLOUD_SDK_PROJECT_ID", "env-project"),
    ]);
    let resolved = Credentials::from_env_with(&lookup).unwrap().unwrap();
    assert_eq!(ak_of(&resolved.credentials), ENV_AK);
    assert_eq!(resolved.credentials, Credentials::aksk(ENV_AK, ENV_SK));
    assert_eq!(resolved.project_id.as_deref(), Some("env-project"));
    assert_eq!(format!("{:?}", resolved.source), "Environment");
    assert_no_secrets(&format!("{resolved:?}"));
}

#[test]
fn environment_without_ak_and_sk_is_none() {
    assert!(Credentials::from_env_with(env(&[])).unwrap().is_none());
    // Empty values count as unset; a project id alone is not credentials.
    let lookup = env(&[
        ("HUAWEICLOUD_SDK_AK", ""),
        ("HUAWEICLOUD_SDK_SK", "  "),
        ("HUAWEICLOUD_SDK_PROJECT_ID", "p"),
    ]);
    assert!(Credentials::from_env_with(lookup).unwrap().is_none());
}

#[test]
fn environment_precedes_profile() {
    let file = TempPath::file(
        "precedence",
        &profile(FILE_AK, FILE_SK, "project_id = file-project\n"),
    );
    let lookup = env(&[
        ("HUAWEICLOUD_SDK_AK", ENV_AK),
        ("HUAWEICLOUD_SDK_SK", ENV_SK),
        (
            "HUAWEICLOUD_SDK_CREDENTIALS_FILE",
            &file.path().display().to_string(),
        ),
    ]);
    let resolved = Credentials::from_default_chain_with(&lookup)
        .unwrap()
        .unwrap();
    assert_eq!(ak_of(&resolved.credentials), ENV_AK);
    assert_eq!(format!("{:?}", resolved.source), "Environment");
    // The project id comes with the credentials, not from the other source.
    assert_eq!(resolved.project_id, None);

    let config = Config::from_env_with(&lookup).unwrap();
    assert_eq!(ak_of(config.credentials().unwrap()), ENV_AK);
}

#[test]
fn profile_used_when_environment_empty() {
    let file = TempPath::file(
        "fallback",
        &profile(FILE_AK, FILE_SK, "project_id = file-project\n"),
    );
    let lookup = env(&[
        ("HUAWEICLOUD_SDK_AK", ""),
        ("HUAWEICLOUD_SDK_SK", ""),
        (
            "HUAWEICLOUD_SDK_CREDENTIALS_FILE",
            &file.path().display().to_string(),
        ),
    ]);
    let resolved = Credentials::from_default_chain_with(&lookup)
        .unwrap()
        .unwrap();
    assert_eq!(resolved.credentials, Credentials::aksk(FILE_AK, FILE_SK));
    assert_eq!(resolved.project_id.as_deref(), Some("file-project"));
    assert_eq!(
        format!("{:?}", resolved.source),
        format!("ProfileFile({:?})", file.path())
    );
    assert_no_secrets(&format!("{resolved:?}"));

    let config = Config::from_env_with(&lookup).unwrap();
    assert_eq!(config.project_id(), Some("file-project"));
    assert_eq!(ak_of(config.credentials().unwrap()), FILE_AK);
}

#[test]
fn profile_at_default_location_under_home() {
    let home = TempPath::new("home");
    std::fs::create_dir_all(home.path().join(".huaweicloud")).unwrap();
    std::fs::write(
        home.path().join(".huaweicloud").join("credentials"),
        profile(FILE_AK, FILE_SK, ""),
    )
    .unwrap();
    let home_str = home.path().display().to_string();
    let lookup = env(&[("HOME", &home_str), ("USERPROFILE", &home_str)]);
    let resolved = Credentials::from_default_chain_with(&lookup)
        .unwrap()
        .unwrap();
    assert_eq!(ak_of(&resolved.credentials), FILE_AK);
    assert_eq!(
        format!("{:?}", resolved.source),
        format!(
            "ProfileFile({:?})",
            home.path().join(".huaweicloud").join("credentials")
        )
    );
}

#[test]
fn credentials_file_variable_is_honoured() {
    let file = TempPath::file("variable", &profile(FILE_AK, FILE_SK, ""));
    // A file at the default location would be ignored in favour of the variable.
    let home = TempPath::new("home-ignored");
    std::fs::create_dir_all(home.path().join(".huaweicloud")).unwrap();
    std::fs::write(
        home.path().join(".huaweicloud").join("credentials"),
        profile("HOMEAK", "home-sk", ""),
    )
    .unwrap();
    let home_str = home.path().display().to_string();
    let lookup = env(&[
        ("HOME", &home_str),
        ("USERPROFILE", &home_str),
        (
            "HUAWEICLOUD_SDK_CREDENTIALS_FILE",
            &file.path().display().to_string(),
        ),
    ]);
    let resolved = Credentials::from_default_chain_with(lookup)
        .unwrap()
        .unwrap();
    assert_eq!(ak_of(&resolved.credentials), FILE_AK);
}

#[test]
fn security_token_makes_temporary_credentials() {
    let lookup = env(&[
        ("HUAWEICLOUD_SDK_AK", ENV_AK),
        ("HUAWEICLOUD_SDK_SK", ENV_SK),
        ("HUAWEICLOUD_SDK_SECURITY_TOKEN", ENV_TOKEN),
    ]);
    let resolved = Credentials::from_env_with(&lookup).unwrap().unwrap();
    assert!(matches!(resolved.credentials, Credentials::AkSk(_)));
    assert_eq!(
        resolved.credentials,
        Credentials::temporary(ENV_AK, ENV_SK, ENV_TOKEN)
    );
    let debug = format!("{:?}", resolved.credentials);
    assert!(debug.contains("security_token: Some"), "{debug}");
    assert_no_secrets(&debug);

    let config = Config::from_env_with(&lookup).unwrap();
    assert!(matches!(config.credentials(), Some(Credentials::AkSk(_))));
    let debug = format!("{config:?}");
    assert!(debug.contains("security_token: Some"), "{debug}");
    assert_no_secrets(&debug);
    assert_no_secrets(&format!("{config:#?}"));

    // The same from the profile file.
    let file = TempPath::file(
        "token",
        &profile(
            FILE_AK,
            FILE_SK,
            &format!("security_token = {FILE_TOKEN}\n"),
        ),
    );
    let resolved = Credentials::from_profile_file(Some(file.path()))
        .unwrap()
        .unwrap();
    assert_eq!(
        resolved.credentials,
        Credentials::temporary(FILE_AK, FILE_SK, FILE_TOKEN)
    );
    assert_no_secrets(&format!("{resolved:?}"));
}

#[test]
fn empty_security_token_means_permanent_credentials() {
    let lookup = env(&[
        ("HUAWEICLOUD_SDK_AK", ENV_AK),
        ("HUAWEICLOUD_SDK_SK", ENV_SK),
        ("HUAWEICLOUD_SDK_SECURITY_TOKEN", ""),
    ]);
    let resolved = Credentials::from_env_with(lookup).unwrap().unwrap();
    assert_eq!(resolved.credentials, Credentials::aksk(ENV_AK, ENV_SK));
}

#[test]
fn half_set_environment_is_a_config_error() {
    let message = config_error(Credentials::from_env_with(env(&[(
        "HUAWEICLOUD_SDK_AK",
        ENV_AK,
    )])));
    assert!(message.contains("HUAWEICLOUD_SDK_SK"), "{message}");
    assert!(!message.contains(ENV_AK), "{message}");

    let message = config_error(Credentials::from_env_with(env(&[(
        "HUAWEICLOUD_SDK_SK",
        ENV_SK,
    )])));
    assert!(message.contains("HUAWEICLOUD_SDK_AK"), "{message}");
    assert_no_secrets(&message);

    // The chain reports it rather than falling back to the file.
    let file = TempPath::file("half-env", &profile(FILE_AK, FILE_SK, ""));
    let lookup = env(&[
        ("HUAWEICLOUD_SDK_AK", ENV_AK),
        (
            "HUAWEICLOUD_SDK_CREDENTIALS_FILE",
            &file.path().display().to_string(),
        ),
    ]);
    let message = config_error(Credentials::from_default_chain_with(&lookup));
    assert!(message.contains("HUAWEICLOUD_SDK_SK"), "{message}");
    let message = config_error(Config::from_env_with(&lookup));
    assert!(message.contains("HUAWEICLOUD_SDK_SK"), "{message}");
}

#[test]
fn half_set_profile_is_a_config_error() {
    let file = TempPath::file("half-ak", &format!("[basic]\nak = {FILE_AK}\n"));
    let message = config_error(Credentials::from_profile_file(Some(file.path())));
    assert!(
        message.contains(&file.path().display().to_string()),
        "{message}"
    );
    assert!(message.contains("`sk`"), "{message}");
    assert!(!message.contains(FILE_AK), "{message}");

    let file = TempPath::file("half-sk", &format!("[basic]\nsk = {FILE_SK}\n"));
    let message = config_error(Credentials::from_profile_file(Some(file.path())));
    assert!(
        message.contains(&file.path().display().to_string()),
        "{message}"
    );
    assert!(message.contains("`ak`"), "{message}");
    assert_no_secrets(&message);
}

#[test]
fn malformed_line_is_reported_with_its_number() {
    let contents = format!("# comment\n[basic]\nak = {FILE_AK}\n{FILE_SK}\nsk = {FILE_SK}\n");
    let file = TempPath::file("malformed", &contents);
    let message = config_error(Credentials::from_profile_file(Some(file.path())));
    assert!(message.contains("line 4"), "{message}");
    assert!(
        message.contains(&file.path().display().to_string()),
        "{message}"
    );
    assert_no_secrets(&message);

    // A key before any section header is malformed too.
    let file = TempPath::file("no-section", "ak = x\n[basic]\n");
    let message = config_error(Credentials::from_profile_file(Some(file.path())));
    assert!(message.contains("line 1"), "{message}");
}

#[test]
fn ini_syntax() {
    let contents = format!(
        "\u{feff}; a comment\n\n[global]\nak = GLOBALAK\nsk = global-sk\n\
         [basic]\n  AK : first\n# another comment\nSk= {FILE_SK} \nak = {FILE_AK}\n\
         project_id: p1\n[other]\nsk = other\n"
    );
    let file = TempPath::file("syntax", &contents);
    let resolved = Credentials::from_profile_file(Some(file.path()))
        .unwrap()
        .unwrap();
    // Keys are case-insensitive, the last duplicate wins, `:` separates too,
    // and other sections are ignored.
    assert_eq!(resolved.credentials, Credentials::aksk(FILE_AK, FILE_SK));
    assert_eq!(resolved.project_id.as_deref(), Some("p1"));
}

#[test]
fn profile_without_basic_credentials_is_none() {
    let file = TempPath::file("global-only", "[global]\nak = A\nsk = S\n");
    assert!(
        Credentials::from_profile_file(Some(file.path()))
            .unwrap()
            .is_none()
    );
    let file = TempPath::file("empty", "");
    assert!(
        Credentials::from_profile_file(Some(file.path()))
            .unwrap()
            .is_none()
    );
}

#[test]
fn missing_file_is_none() {
    let missing = TempPath::new("missing");
    assert!(
        Credentials::from_profile_file(Some(missing.path()))
            .unwrap()
            .is_none()
    );
    let lookup = env(&[(
        "HUAWEICLOUD_SDK_CREDENTIALS_FILE",
        &missing.path().display().to_string(),
    )]);
    assert!(
        Credentials::from_default_chain_with(lookup)
            .unwrap()
            .is_none()
    );
}

#[test]
fn unreadable_file_is_a_config_error() {
    // A directory cannot be read as a file.
    let dir = TempPath::new("dir");
    std::fs::create_dir_all(dir.path()).unwrap();
    let message = config_error(Credentials::from_profile_file(Some(dir.path())));
    assert!(
        message.contains(&dir.path().display().to_string()),
        "{message}"
    );
}

#[test]
fn project_id_is_picked_up() {
    // From the environment with environment credentials.
    let lookup = env(&[
        ("HUAWEICLOUD_SDK_AK", ENV_AK),
        ("HUAWEICLOUD_SDK_SK", ENV_SK),
        ("HUAWEICLOUD_SDK_PROJECT_ID", "env-project"),
    ]);
    assert_eq!(
        Config::from_env_with(lookup).unwrap().project_id(),
        Some("env-project")
    );

    // The file's project id goes with the file's credentials...
    let file = TempPath::file(
        "project",
        &profile(FILE_AK, FILE_SK, "project_id = file-project\n"),
    );
    let path = file.path().display().to_string();
    let lookup = env(&[
        ("HUAWEICLOUD_SDK_CREDENTIALS_FILE", &path),
        ("HUAWEICLOUD_SDK_PROJECT_ID", "env-project"),
    ]);
    assert_eq!(
        Config::from_env_with(lookup).unwrap().project_id(),
        Some("file-project")
    );

    // ...and the variable fills in when the file has none.
    let file = TempPath::file("no-project", &profile(FILE_AK, FILE_SK, ""));
    let path = file.path().display().to_string();
    let lookup = env(&[
        ("HUAWEICLOUD_SDK_CREDENTIALS_FILE", &path),
        ("HUAWEICLOUD_SDK_PROJECT_ID", "env-project"),
    ]);
    assert_eq!(
        Config::from_env_with(lookup).unwrap().project_id(),
        Some("env-project")
    );
}

#[test]
fn config_reads_region_and_endpoint() {
    let lookup = env(&[
        ("HUAWEICLOUD_SDK_AK", ENV_AK),
        ("HUAWEICLOUD_SDK_SK", ENV_SK),
        ("HUAWEICLOUD_SDK_REGION", "cn-north-4"),
        ("HUAWEICLOUD_SDK_ENDPOINT", "https://gaussdb.example.test"),
    ]);
    let config = Config::from_env_with(&lookup).unwrap();
    assert_eq!(config.region(), Some("cn-north-4"));
    assert_eq!(config.endpoint(), Some("https://gaussdb.example.test"));
    assert_eq!(config.project_id(), None);

    let config = Config::from_env_with(env(&[
        ("HUAWEICLOUD_SDK_AK", ENV_AK),
        ("HUAWEICLOUD_SDK_SK", ENV_SK),
        ("HUAWEICLOUD_SDK_REGION", ""),
    ]))
    .unwrap();
    assert_eq!(config.region(), None);
    assert_eq!(config.endpoint(), None);
}

#[test]
fn credentials_in_code_win() {
    let lookup = env(&[
        ("HUAWEICLOUD_SDK_AK", ENV_AK),
        ("HUAWEICLOUD_SDK_SK", ENV_SK),
    ]);
    let config = Config::from_env_with(lookup)
        .unwrap()
        .with_credentials(Credentials::aksk("CODEAK", "code-sk"));
    assert_eq!(
        config.credentials(),
        Some(&Credentials::aksk("CODEAK", "code-sk"))
    );
}

#[test]
fn config_without_any_credentials_says_what_to_set() {
    let missing = TempPath::new("nothing-here");
    let path = missing.path().display().to_string();
    let message = config_error(Config::from_env_with(env(&[(
        "HUAWEICLOUD_SDK_CREDENTIALS_FILE",
        &path,
    )])));
    assert!(message.contains("HUAWEICLOUD_SDK_AK"), "{message}");
    assert!(message.contains("HUAWEICLOUD_SDK_SK"), "{message}");
    assert!(
        message.contains("HUAWEICLOUD_SDK_CREDENTIALS_FILE"),
        "{message}"
    );
    assert!(message.contains(&path), "{message}");

    // With the default location, the message names it under the home directory.
    let home = TempPath::new("empty-home");
    let home_str = home.path().display().to_string();
    let message = config_error(Config::from_env_with(env(&[
        ("HOME", &home_str),
        ("USERPROFILE", &home_str),
    ])));
    let default = home.path().join(".huaweicloud").join("credentials");
    assert!(
        message.contains(&default.display().to_string()),
        "{message}"
    );

    // A file without [basic] credentials is named as such.
    let file = TempPath::file("no-basic", "[global]\nak = A\nsk = S\n");
    let path = file.path().display().to_string();
    let message = config_error(Config::from_env_with(env(&[(
        "HUAWEICLOUD_SDK_CREDENTIALS_FILE",
        &path,
    )])));
    assert!(message.contains(&path), "{message}");
    assert!(message.contains("[basic]"), "{message}");

    // No home directory at all.
    let message = config_error(Config::from_env_with(|_: &str| None));
    assert!(message.contains("~/.huaweicloud/credentials"), "{message}");
}

#[test]
fn config_debug_never_shows_secrets() {
    let config = Config::new()
        .with_credentials(Credentials::temporary(ENV_AK, ENV_SK, ENV_TOKEN))
        .with_project_id("p");
    assert_no_secrets(&format!("{config:?}"));
    let config = Config::new().with_credentials(Credentials::token(ENV_TOKEN));
    assert_no_secrets(&format!("{config:?}"));
}

#[test]
fn time_limits_come_from_the_environment() {
    let defaults = Config::from_env_with(env(&[
        ("HUAWEICLOUD_SDK_AK", ENV_AK),
        ("HUAWEICLOUD_SDK_SK", ENV_SK),
    ]))
    .unwrap();
    assert_eq!(
        defaults.attempt_timeout(),
        huaweicloud_sdk_core::DEFAULT_ATTEMPT_TIMEOUT
    );
    assert_eq!(
        defaults.deadline(),
        Some(huaweicloud_sdk_core::DEFAULT_DEADLINE)
    );
    assert_eq!(defaults.retry().max_attempts, 3);

    let config = Config::from_env_with(env(&[
        ("HUAWEICLOUD_SDK_AK", ENV_AK),
        ("HUAWEICLOUD_SDK_SK", ENV_SK),
        ("HUAWEICLOUD_SDK_CONNECT_TIMEOUT", "500ms"),
        ("HUAWEICLOUD_SDK_ATTEMPT_TIMEOUT", "2.5"),
        ("HUAWEICLOUD_SDK_DEADLINE", "2m"),
        ("HUAWEICLOUD_SDK_MAX_ATTEMPTS", "5"),
    ]))
    .unwrap();
    assert_eq!(config.connect_timeout(), Duration::from_millis(500));
    assert_eq!(config.attempt_timeout(), Duration::from_millis(2500));
    assert_eq!(config.deadline(), Some(Duration::from_secs(120)));
    assert_eq!(config.retry().max_attempts, 5);

    let unbounded = Config::from_env_with(env(&[
        ("HUAWEICLOUD_SDK_AK", ENV_AK),
        ("HUAWEICLOUD_SDK_SK", ENV_SK),
        ("HUAWEICLOUD_SDK_DEADLINE", "none"),
        ("HUAWEICLOUD_SDK_ATTEMPT_TIMEOUT", " 30s "),
    ]))
    .unwrap();
    assert_eq!(unbounded.deadline(), None);
    assert_eq!(unbounded.attempt_timeout(), Duration::from_secs(30));
}

#[test]
fn bad_time_limits_name_the_variable() {
    for (name, value) in [
        ("HUAWEICLOUD_SDK_CONNECT_TIMEOUT", "soon"),
        ("HUAWEICLOUD_SDK_ATTEMPT_TIMEOUT", "-1"),
        ("HUAWEICLOUD_SDK_ATTEMPT_TIMEOUT", "0"),
        ("HUAWEICLOUD_SDK_DEADLINE", "5h"),
        ("HUAWEICLOUD_SDK_DEADLINE", "NaN"),
        ("HUAWEICLOUD_SDK_MAX_ATTEMPTS", "0"),
        ("HUAWEICLOUD_SDK_MAX_ATTEMPTS", "three"),
    ] {
        let message = config_error(Config::from_env_with(env(&[
            ("HUAWEICLOUD_SDK_AK", ENV_AK),
            ("HUAWEICLOUD_SDK_SK", ENV_SK),
            (name, value),
        ])));
        assert!(message.contains(name), "{name}={value}: {message}");
        assert_no_secrets(&message);
    }
}
