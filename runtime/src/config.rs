//! Client configuration, shared by every service client.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::credentials::{
    DEFAULT_PROFILE_FILE, ENV_AK, ENV_CREDENTIALS_FILE, ENV_PROJECT_ID, ENV_SECURITY_TOKEN, ENV_SK,
    default_chain, lookup_var, process_env, profile_path,
};
use crate::{Credentials, Error};

/// The default time allowed to connect.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The default time allowed for one attempt.
pub const DEFAULT_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(30);
/// The default bound of a whole call, every attempt and back-off included.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(90);

/// Timeout settings read by [`Config::from_env`]: seconds (`30`, `2.5`) or with
/// a unit (`500ms`, `30s`, `2m`); the deadline also takes `none`.
const ENV_CONNECT_TIMEOUT: &str = "HUAWEICLOUD_SDK_CONNECT_TIMEOUT";
const ENV_ATTEMPT_TIMEOUT: &str = "HUAWEICLOUD_SDK_ATTEMPT_TIMEOUT";
const ENV_DEADLINE: &str = "HUAWEICLOUD_SDK_DEADLINE";
/// The number of attempts of a call (1 turns retries off).
const ENV_MAX_ATTEMPTS: &str = "HUAWEICLOUD_SDK_MAX_ATTEMPTS";

/// A duration as the timeout variables write it.
fn parse_duration(name: &str, text: &str) -> Result<Duration, Error> {
    let text = text.trim();
    let (number, unit) = match text.find(|c: char| c.is_ascii_alphabetic()) {
        Some(i) => (&text[..i], &text[i..]),
        None => (text, "s"),
    };
    let scale = match unit {
        "ms" => 0.001,
        "s" => 1.0,
        "m" => 60.0,
        _ => -1.0,
    };
    match number.trim().parse::<f64>() {
        Ok(n) if scale > 0.0 && n.is_finite() && n > 0.0 && n * scale < 1e9 => {
            Ok(Duration::from_secs_f64(n * scale))
        }
        _ => Err(Error::config(format!(
            "{name}=\"{}\" is not a duration; write seconds (30, 2.5) or a number with \
             ms, s or m (500ms, 30s, 2m)",
            crate::error::shown(text)
        ))),
    }
}

/// The region variable (this SDK's convention, read by [`Config::from_env`]).
const ENV_REGION: &str = "HUAWEICLOUD_SDK_REGION";
/// The explicit endpoint variable (this SDK's own, read by [`Config::from_env`]).
const ENV_ENDPOINT: &str = "HUAWEICLOUD_SDK_ENDPOINT";

/// Decides whether an API error with a given `error_code` may be retried, on top
/// of the built-in rules.
pub type RetryClassifier = Arc<dyn Fn(&crate::error::ApiError) -> bool + Send + Sync>;

/// When and how often a failed attempt is tried again.
#[derive(Clone)]
pub struct RetryPolicy {
    /// Attempts in all, the first included; `1` turns retries off.
    pub max_attempts: u32,
    /// The first back-off; each later one doubles, up to `max_backoff`.
    pub initial_backoff: Duration,
    /// The longest back-off.
    pub max_backoff: Duration,
    /// Extra rule for API errors the built-in rules do not retry.
    pub classifier: Option<RetryClassifier>,
}

impl RetryPolicy {
    /// No retries: every call is one attempt.
    pub fn disabled() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// Sets the number of attempts (at least 1).
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Sets the first and the longest back-off.
    pub fn with_backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// Also retry API errors for which `classify` returns true, whatever the HTTP
    /// method, e.g. a service-specific throttling or "resource busy" `error_code`.
    /// Return true only for errors that mean the request had no effect: this is
    /// the one way a POST is retried after it reached the server.
    pub fn with_classifier(
        mut self,
        classify: impl Fn(&crate::error::ApiError) -> bool + Send + Sync + 'static,
    ) -> Self {
        self.classifier = Some(Arc::new(classify));
        self
    }
}

impl Default for RetryPolicy {
    /// Three attempts, 200 ms first back-off, 5 s at most.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            classifier: None,
        }
    }
}

impl fmt::Debug for RetryPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RetryPolicy")
            .field("max_attempts", &self.max_attempts)
            .field("initial_backoff", &self.initial_backoff)
            .field("max_backoff", &self.max_backoff)
            .field("classifier", &self.classifier.as_ref().map(|_| "custom"))
            .finish()
    }
}

/// Everything a service client needs: where to send, how to authenticate, and
/// how to behave on the wire. Build it once and create every service client from
/// it; they share one connection pool.
///
/// ```
/// use std::time::Duration;
/// use huaweicloud_sdk_core::{Config, Credentials};
///
/// let config = Config::new()
///     .with_region("cn-north-4")
///     .with_credentials(Credentials::aksk("AK...", "SK..."))
///     .with_project_id("0123456789abcdef0123456789abcdef")
///     .with_attempt_timeout(Duration::from_secs(30));
/// # let _ = config;
/// ```
#[derive(Clone)]
pub struct Config {
    pub(crate) region: Option<String>,
    pub(crate) endpoint: Option<String>,
    pub(crate) credentials: Option<Credentials>,
    pub(crate) project_id: Option<String>,
    pub(crate) connect_timeout: Duration,
    pub(crate) attempt_timeout: Duration,
    pub(crate) deadline: Option<Duration>,
    pub(crate) retry: RetryPolicy,
    pub(crate) http: Option<reqwest::Client>,
    /// The client built from the transport settings, made once and shared by every
    /// service client (and every clone of this configuration); a transport setting
    /// that changes starts a new one.
    pub(crate) pool: Arc<Mutex<Option<reqwest::Client>>>,
    pub(crate) proxy: Option<String>,
    pub(crate) root_certificates: Vec<Vec<u8>>,
    pub(crate) user_agent: String,
    pub(crate) max_response_bytes: usize,
    pub(crate) validate: bool,
    /// Answers calls instead of the network (tests).
    #[cfg(feature = "mock")]
    pub(crate) mock: Option<crate::mock::Mock>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            region: None,
            endpoint: None,
            credentials: None,
            project_id: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            attempt_timeout: DEFAULT_ATTEMPT_TIMEOUT,
            deadline: Some(DEFAULT_DEADLINE),
            retry: RetryPolicy::default(),
            http: None,
            pool: Arc::default(),
            proxy: None,
            root_certificates: Vec::new(),
            user_agent: concat!("huaweicloud-sdk-rust/", env!("CARGO_PKG_VERSION")).to_owned(),
            max_response_bytes: 8 * 1024 * 1024,
            validate: true,
            #[cfg(feature = "mock")]
            mock: None,
        }
    }
}

impl Config {
    /// A configuration with defaults: no region, no credentials, 10 s connect
    /// timeout, 30 s per attempt, 3 attempts within a 90 s deadline for the
    /// whole call (so a server that never answers fails the call within 90 s,
    /// retries included), 8 MiB reply limit, validation on.
    pub fn new() -> Self {
        Config::default()
    }

    /// The region id, e.g. `cn-north-4`, used to look up each service's endpoint.
    pub fn with_region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// An explicit endpoint (`https://host[:port]`), used instead of the region
    /// tables. A value without a scheme gets `https://`.
    pub fn with_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// How requests are authenticated.
    pub fn with_credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// The project id that fills `{project_id}` in every path (and `X-Project-Id`).
    pub fn with_project_id(mut self, project_id: impl Into<String>) -> Self {
        self.project_id = Some(project_id.into());
        self
    }

    /// Time allowed to open a connection (default 10 s). Not used with
    /// [`with_http_client`](Self::with_http_client): that client brings its own.
    pub fn with_connect_timeout(mut self, timeout: Duration) -> Self {
        self.pool = Arc::default();
        self.connect_timeout = timeout;
        self
    }

    /// Time allowed for one attempt, from sending to the end of the reply (default 30 s).
    pub fn with_attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = timeout;
        self
    }

    /// One deadline across all attempts and back-off waits of a call (default 90 s).
    pub fn with_deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// No overall deadline: a call is bounded only by its attempts' timeouts
    /// and the retry policy.
    pub fn without_deadline(mut self) -> Self {
        self.deadline = None;
        self
    }

    /// The retry policy (default: [`RetryPolicy::default`]).
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Sends through this `reqwest::Client` (its pool, proxy, TLS and connect
    /// settings), so several service clients and the rest of an application can
    /// share one pool.
    pub fn with_http_client(mut self, client: reqwest::Client) -> Self {
        self.pool = Arc::default();
        self.http = Some(client);
        self
    }

    /// Sends through an HTTP(S) proxy, e.g. `http://proxy.internal:3128`
    /// (credentials may be given in the URL).
    pub fn with_proxy(mut self, url: impl Into<String>) -> Self {
        self.pool = Arc::default();
        self.proxy = Some(url.into());
        self
    }

    /// Also trusts this CA certificate (PEM), e.g. a corporate TLS-inspecting proxy's.
    pub fn with_root_certificate_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.pool = Arc::default();
        self.root_certificates.push(pem.into());
        self
    }

    /// Replaces the `User-Agent` header.
    pub fn with_user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// The largest reply body read, in bytes (default 8 MiB); a larger reply is an error.
    pub fn with_max_response_bytes(mut self, bytes: usize) -> Self {
        self.max_response_bytes = bytes;
        self
    }

    /// Sends every call to `mock` instead of the network (cargo feature `mock`).
    #[cfg(feature = "mock")]
    pub fn with_mock(mut self, mock: crate::mock::Mock) -> Self {
        self.mock = Some(mock);
        self
    }

    /// Turns client-side checking of the API's constraints on or off (default on).
    pub fn with_validation(mut self, enabled: bool) -> Self {
        self.validate = enabled;
        self
    }

    /// A configuration from the environment and the profile file, with the
    /// defaults of [`new`](Self::new) otherwise:
    ///
    /// - credentials from [`Credentials::from_default_chain`]: the
    ///   `HUAWEICLOUD_SDK_AK` / `HUAWEICLOUD_SDK_SK` (and
    ///   `HUAWEICLOUD_SDK_SECURITY_TOKEN`) variables, else the `[basic]` section
    ///   of the profile file (`HUAWEICLOUD_SDK_CREDENTIALS_FILE`, default
    ///   `~/.huaweicloud/credentials`). Only the environment and profile
    ///   providers of the official SDKs are implemented; their OIDC, ECS metadata
    ///   and pod identity providers are not;
    /// - the project id found with the credentials, else `HUAWEICLOUD_SDK_PROJECT_ID`;
    /// - the region from `HUAWEICLOUD_SDK_REGION` (this SDK's convention);
    /// - an explicit endpoint from `HUAWEICLOUD_SDK_ENDPOINT` (this SDK's own
    ///   variable; see [`with_endpoint`](Self::with_endpoint));
    /// - time limits from `HUAWEICLOUD_SDK_CONNECT_TIMEOUT`,
    ///   `HUAWEICLOUD_SDK_ATTEMPT_TIMEOUT` and `HUAWEICLOUD_SDK_DEADLINE` (seconds,
    ///   `2.5`, or a number with `ms`, `s` or `m`: `500ms`, `30s`, `2m`; the
    ///   deadline also takes `none`), and the number of attempts from
    ///   `HUAWEICLOUD_SDK_MAX_ATTEMPTS`.
    ///
    /// Empty variables count as unset. The `with_*` methods can change anything
    /// afterwards; credentials given with
    /// [`with_credentials`](Self::with_credentials) replace the found ones.
    ///
    /// [`Error::Config`] when no credentials are found at all (the message lists
    /// the variables and the profile file tried), or when the environment or the
    /// profile file holds only half of an AK/SK pair or the file is malformed, or
    /// when a time limit or the number of attempts does not parse (the message
    /// names the variable).
    ///
    /// ```no_run
    /// use huaweicloud_sdk_core::Config;
    ///
    /// let config = Config::from_env()?;
    /// # Ok::<(), huaweicloud_sdk_core::Error>(())
    /// ```
    pub fn from_env() -> Result<Config, Error> {
        Config::from_env_with(process_env)
    }

    /// [`from_env`](Self::from_env) reading variables (including
    /// `HUAWEICLOUD_SDK_CREDENTIALS_FILE` and the home directory) through
    /// `lookup` instead of the process environment: for tests, and for callers
    /// with their own configuration source. `lookup` returns a variable's value,
    /// or `None` when it is not set. The profile file itself is still read from
    /// disk.
    pub fn from_env_with(lookup: impl Fn(&str) -> Option<String>) -> Result<Config, Error> {
        let lookup: &dyn Fn(&str) -> Option<String> = &lookup;
        let Some(resolved) = default_chain(lookup)? else {
            return Err(no_credentials_error(lookup));
        };
        let mut config = Config::new().with_credentials(resolved.credentials);
        if let Some(project_id) = resolved
            .project_id
            .or_else(|| lookup_var(lookup, ENV_PROJECT_ID))
        {
            config.project_id = Some(project_id);
        }
        if let Some(region) = lookup_var(lookup, ENV_REGION) {
            config.region = Some(region);
        }
        if let Some(endpoint) = lookup_var(lookup, ENV_ENDPOINT) {
            config.endpoint = Some(endpoint);
        }
        if let Some(v) = lookup_var(lookup, ENV_CONNECT_TIMEOUT) {
            config.connect_timeout = parse_duration(ENV_CONNECT_TIMEOUT, &v)?;
        }
        if let Some(v) = lookup_var(lookup, ENV_ATTEMPT_TIMEOUT) {
            config.attempt_timeout = parse_duration(ENV_ATTEMPT_TIMEOUT, &v)?;
        }
        if let Some(v) = lookup_var(lookup, ENV_DEADLINE) {
            config.deadline = if v.trim().eq_ignore_ascii_case("none") {
                None
            } else {
                Some(parse_duration(ENV_DEADLINE, &v)?)
            };
        }
        if let Some(v) = lookup_var(lookup, ENV_MAX_ATTEMPTS) {
            let attempts: u32 = v.trim().parse().ok().filter(|n| *n >= 1).ok_or_else(|| {
                Error::config(format!(
                    "{ENV_MAX_ATTEMPTS}=\"{}\" is not a number of attempts (1 or more)",
                    crate::error::shown(&v)
                ))
            })?;
            config.retry = config.retry.with_max_attempts(attempts);
        }
        Ok(config)
    }

    /// The credentials, if set.
    pub fn credentials(&self) -> Option<&Credentials> {
        self.credentials.as_ref()
    }

    /// The explicit endpoint, if set.
    pub fn endpoint(&self) -> Option<&str> {
        self.endpoint.as_deref()
    }

    /// The region, if set.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// The project id, if set.
    pub fn project_id(&self) -> Option<&str> {
        self.project_id.as_deref()
    }

    /// The time allowed to connect.
    pub fn connect_timeout(&self) -> Duration {
        self.connect_timeout
    }

    /// The time allowed for one attempt to get the head of its reply.
    pub fn attempt_timeout(&self) -> Duration {
        self.attempt_timeout
    }

    /// The time allowed for a whole call, all attempts and back-off included
    /// (`None`: unbounded).
    pub fn deadline(&self) -> Option<Duration> {
        self.deadline
    }

    /// When and how often a failed attempt is tried again.
    pub fn retry(&self) -> &RetryPolicy {
        &self.retry
    }

    /// Builds the HTTP client for this configuration (or returns the caller's).
    pub(crate) fn http_client(&self) -> Result<reqwest::Client, Error> {
        if let Some(client) = &self.http {
            return Ok(client.clone());
        }
        let mut pool = match self.pool.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        if let Some(client) = pool.as_ref() {
            return Ok(client.clone());
        }
        // Redirects are not followed: a redirect to another host would carry the
        // signed headers, the token and the body there.
        let mut builder = reqwest::Client::builder()
            .connect_timeout(self.connect_timeout)
            .redirect(reqwest::redirect::Policy::none());
        if let Some(url) = &self.proxy {
            // The error text could echo the URL, password included; say what is wanted instead.
            let proxy = reqwest::Proxy::all(url.as_str()).map_err(|_| {
                Error::config("invalid proxy URL; expected http(s)://[user:password@]host:port")
            })?;
            builder = builder.proxy(proxy);
        }
        for pem in &self.root_certificates {
            let cert = reqwest::Certificate::from_pem(pem)
                .map_err(|e| Error::config(format!("invalid root certificate: {e}")))?;
            builder = builder.add_root_certificate(cert);
        }
        let client = builder
            .build()
            .map_err(|e| Error::config(format!("could not build the HTTP client: {e}")))?;
        *pool = Some(client.clone());
        Ok(client)
    }
}

/// What [`Config::from_env`] says when neither the environment nor the profile
/// file has credentials: what was tried and what to set.
fn no_credentials_error(lookup: &dyn Fn(&str) -> Option<String>) -> Error {
    let file = match profile_path(lookup) {
        Some(path) if path.is_file() => format!(
            "the credentials file {} has no `ak` and `sk` in its [basic] section",
            path.display()
        ),
        Some(path) => format!("there is no credentials file {}", path.display()),
        None => format!(
            "the credentials file {DEFAULT_PROFILE_FILE} was not tried because {} is not set",
            if cfg!(windows) { "USERPROFILE" } else { "HOME" }
        ),
    };
    Error::config(format!(
        "no credentials found: {ENV_AK} and {ENV_SK} are not set, and {file}. Set {ENV_AK} and \
         {ENV_SK} (with {ENV_SECURITY_TOKEN} for temporary credentials), or put `ak` and `sk` \
         in the [basic] section of the credentials file (its path can be set with \
         {ENV_CREDENTIALS_FILE}), or give credentials with Config::with_credentials"
    ))
}

/// A URL (an endpoint or a proxy) as it may be shown: its user name and
/// password, if any, replaced by `***`. Works on text, so a URL that does not
/// parse is shown safely too.
pub(crate) fn without_userinfo(url: &str) -> String {
    let (scheme, rest) = match url.find("://") {
        Some(at) => url.split_at(at + 3),
        None => ("", url),
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}***@{}", &rest[at + 1..]),
        None => url.to_owned(),
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("region", &self.region)
            .field("endpoint", &self.endpoint.as_deref().map(without_userinfo))
            .field("credentials", &self.credentials)
            .field("project_id", &self.project_id)
            .field("connect_timeout", &self.connect_timeout)
            .field("attempt_timeout", &self.attempt_timeout)
            .field("deadline", &self.deadline)
            .field("retry", &self.retry)
            .field("http_client", &self.http.as_ref().map(|_| "caller's"))
            .field("proxy", &self.proxy.as_deref().map(without_userinfo))
            .field("root_certificates", &self.root_certificates.len())
            .field("user_agent", &self.user_agent)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("validate", &self.validate)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn userinfo_is_never_shown() {
        for (url, shown) in [
            ("http://user:secret@host:8080/p", "http://***@host:8080/p"),
            ("https://secret@host", "https://***@host"),
            ("user:secret@host/a@b", "***@host/a@b"),
            ("http://u:p@q@host", "http://***@host"),
            ("http://host/a@b", "http://host/a@b"),
            ("https://host", "https://host"),
            ("not a url: secret@", "***@"),
        ] {
            assert_eq!(without_userinfo(url), shown, "{url}");
        }
    }
}
