//! The request pipeline every generated operation goes through: fill the path,
//! authenticate, send with timeouts and retries, read a bounded reply, decode.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime};
// The clock of the sleeps and timeouts, so that deadlines and waits agree with
// them (also under a paused test clock).
use tokio::time::Instant;

use serde::de::DeserializeOwned;
use tracing::Instrument;

use crate::body::{
    In, Multipart, PayloadInner, QueryPair, Style, cookie_value, form_encode, form_pairs,
    media_type_lower, param_pairs, query_pairs, to_value,
};
use crate::download::{Body as DownloadBody, Download};
use crate::error::{
    ApiError, DecodeError, TimeoutError, TimeoutKind, TransportError, TransportKind,
    ValidationError, excerpt, shown,
};
use crate::{Config, Credentials, Error, RetryPolicy, lenient, signer, target};

/// The future a request builder turns into with `.await`.
pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send + 'static>>;

/// HTTP methods.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl Method {
    /// The method name, upper case.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }

    /// Whether repeating the request has the same effect as sending it once
    /// (RFC 9110 §9.2.2), so it may be retried after it reached the server.
    pub fn is_idempotent(self) -> bool {
        !matches!(self, Method::Post | Method::Patch)
    }

    fn to_reqwest(self) -> reqwest::Method {
        match self {
            Method::Get => reqwest::Method::GET,
            Method::Put => reqwest::Method::PUT,
            Method::Post => reqwest::Method::POST,
            Method::Delete => reqwest::Method::DELETE,
            Method::Options => reqwest::Method::OPTIONS,
            Method::Head => reqwest::Method::HEAD,
            Method::Patch => reqwest::Method::PATCH,
            Method::Trace => reqwest::Method::TRACE,
        }
    }
}

/// Where a service is reached, as the spec's servers and `x-endpoints` say.
#[derive(Debug)]
pub struct ServiceInfo {
    /// The service module name, e.g. `gaussdb`.
    pub name: &'static str,
    /// Its key in `HUAWEICLOUD_SDK_REGION_<KEY>_<REGION>` overrides, e.g. `GAUSSDB`.
    pub env_key: &'static str,
    /// The server URL template with `{region}`, used when there is no table.
    pub endpoint_template: &'static str,
    /// Region id → endpoint.
    pub endpoints: &'static [(&'static str, &'static str)],
}

/// What the runtime needs to know about one operation.
#[derive(Debug)]
pub struct OperationInfo {
    /// The `operationId`.
    pub id: &'static str,
    /// HTTP method.
    pub method: Method,
    /// Path template with `{name}` placeholders.
    pub path: &'static str,
    /// Placeholders filled from the configuration: (placeholder, setting).
    pub client_params: &'static [(&'static str, &'static str)],
    /// The documented success status.
    pub success_status: u16,
}

/// One request being assembled by a generated builder.
pub struct Request {
    op: &'static OperationInfo,
    /// For raw requests: the caller's path, used instead of `op.path`.
    raw_path: Option<String>,
    path_params: Vec<(&'static str, String)>,
    query: Vec<QueryPair>,
    headers: Vec<(String, String)>,
    cookies: Vec<(String, String)>,
    body: Option<PayloadInner>,
    /// The body's media type (`None`: JSON, as the official SDK sends it).
    content_type: Option<String>,
    /// Return a success reply before reading its body (downloads).
    stream_reply: bool,
}

impl std::fmt::Debug for Request {
    /// Header values and the body are not shown: they may hold secrets.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let headers: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("Request")
            .field("operation", &self.op.id)
            .field("raw_path", &self.raw_path)
            .field("path_params", &self.path_params)
            .field(
                "query",
                &self
                    .query
                    .iter()
                    .map(|p| (&p.name, &p.value))
                    .collect::<Vec<_>>(),
            )
            .field("headers", &headers)
            .field(
                "cookies",
                &self.cookies.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            )
            .field(
                "body",
                &self.body.as_ref().map(|b| match b {
                    PayloadInner::Bytes(b) => format!("{} bytes", b.len()),
                    PayloadInner::Stream(_) => "stream".to_owned(),
                }),
            )
            .field("content_type", &self.content_type)
            .finish()
    }
}

impl Request {
    /// A request for `op` with nothing filled in yet.
    pub fn new(op: &'static OperationInfo) -> Self {
        Request {
            op,
            raw_path: None,
            path_params: Vec::new(),
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            body: None,
            content_type: None,
            stream_reply: false,
        }
    }

    /// A request for an API the crate does not cover yet: `path` is sent as given
    /// (percent-encode its segments yourself), with `{project_id}` filled from the
    /// configuration.
    pub fn raw(method: Method, path: impl Into<String>) -> Self {
        let op = RAW_OPS
            .iter()
            .find(|op| op.method == method)
            .unwrap_or(&RAW_OPS[0]);
        Request {
            raw_path: Some(path.into()),
            ..Request::new(op)
        }
    }

    /// Fills the `{name}` placeholder; the value is percent-encoded as one segment.
    pub fn path_param(&mut self, name: &'static str, value: impl Into<String>) {
        self.path_params.push((name, value.into()));
    }

    /// Adds a query pair (repeat the call for repeated keys).
    pub fn query(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.query.push(QueryPair::new(name.into(), value.into()));
    }

    /// Adds a header.
    pub fn header(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.headers.push((name.into(), value.into()));
    }

    /// Adds a cookie (sent in one `Cookie` header with the others).
    pub fn cookie(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.cookies.push((name.into(), value.into()));
    }

    /// Writes a parameter value of any type in the given style: lists and
    /// objects as OpenAPI says, scalars as text.
    pub fn param<T: serde::Serialize + ?Sized>(
        &mut self,
        location: In,
        name: &'static str,
        value: &T,
        style: Style,
    ) -> Result<(), Error> {
        let value = to_value(self.op.id, name, value)?;
        if location == In::Query {
            self.query.extend(query_pairs(name, &value, style));
            return Ok(());
        }
        let pairs = param_pairs(name, &value, style);
        match location {
            In::Query => {}
            In::Cookie => self.cookies.extend(pairs),
            In::Header | In::Path => {
                // One value: the pairs joined as `simple` style says.
                let text = match (&value, style) {
                    (serde_json::Value::Object(_), Style::FormExploded) => pairs
                        .iter()
                        .map(|(k, v)| format!("{k}={v}"))
                        .collect::<Vec<_>>()
                        .join(","),
                    _ => pairs
                        .into_iter()
                        .map(|(_, v)| v)
                        .collect::<Vec<_>>()
                        .join(","),
                };
                if location == In::Path {
                    self.path_params.push((name, text));
                } else {
                    self.headers.push((name.to_owned(), text));
                }
            }
        }
        Ok(())
    }

    /// Serializes `body` as the JSON request body, sent as `media` (the spec's
    /// media type, e.g. `application/json;charset=utf-8`).
    pub fn json_body<T: serde::Serialize + ?Sized>(
        &mut self,
        media: &str,
        body: &T,
    ) -> Result<(), Error> {
        let bytes = serde_json::to_vec(body).map_err(|e| {
            Error::Validation(Box::new(ValidationError {
                operation: self.op.id,
                field: "body".to_owned(),
                rule: "JSON".to_owned(),
                message: format!("the body cannot be written as JSON: {e}"),
            }))
        })?;
        self.body = Some(PayloadInner::Bytes(bytes.into()));
        self.content_type = Some(media.to_owned());
        Ok(())
    }

    /// Writes `body`'s properties as an `application/x-www-form-urlencoded` body.
    pub fn form_body<T: serde::Serialize + ?Sized>(
        &mut self,
        media: &str,
        body: &T,
    ) -> Result<(), Error> {
        let value = to_value(self.op.id, "body", body)?;
        let text = form_encode(&form_pairs(&value));
        self.body = Some(PayloadInner::Bytes(text.into()));
        self.content_type = Some(media.to_owned());
        Ok(())
    }

    /// Sends a `multipart/form-data` body.
    pub fn multipart_body(&mut self, body: Multipart) {
        let (content_type, bytes) = body.encode();
        self.body = Some(PayloadInner::Bytes(bytes));
        self.content_type = Some(content_type);
    }

    /// Sends `payload` as the body, with this media type.
    pub fn payload_body(&mut self, media: &str, payload: crate::Payload) {
        self.body = Some(payload.0);
        self.content_type = Some(media.to_owned());
    }

    /// Sends text as the body, with this media type.
    pub fn text_body(&mut self, media: &str, text: String) {
        self.body = Some(PayloadInner::Bytes(text.into()));
        self.content_type = Some(media.to_owned());
    }
}

static RAW_OPS: [OperationInfo; 8] = {
    const fn raw(method: Method) -> OperationInfo {
        OperationInfo {
            id: "raw_request",
            method,
            path: "",
            client_params: &[],
            success_status: 200,
        }
    }
    [
        raw(Method::Get),
        raw(Method::Put),
        raw(Method::Post),
        raw(Method::Delete),
        raw(Method::Options),
        raw(Method::Head),
        raw(Method::Patch),
        raw(Method::Trace),
    ]
};

/// The longest `Retry-After` the client waits for; a longer one ends the retries.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// Gateway error codes that mean "throttled", retried like HTTP 429.
const THROTTLING_CODES: &[&str] = &["APIG.0308", "APIGW.0308"];

/// The shared core of every service client: endpoint, credentials, HTTP client
/// and policies. Cheap to clone.
#[derive(Clone)]
pub struct ServiceClient {
    inner: Arc<Inner>,
}

struct Inner {
    service: &'static ServiceInfo,
    /// `scheme://authority`, no trailing slash.
    endpoint: String,
    /// `host[:port]` as the HTTP client sends it in `Host`.
    authority: String,
    /// Path prefix of the endpoint (usually empty).
    base_path: String,
    http: reqwest::Client,
    credentials: Option<Credentials>,
    project_id: Option<String>,
    attempt_timeout: Duration,
    deadline: Option<Duration>,
    retry: RetryPolicy,
    user_agent: String,
    max_response_bytes: usize,
    validate: bool,
    /// The endpoint is plain http to a host that is not a loopback address.
    plain_http_remote: bool,
    /// Whether the plain-http warning was given.
    warned_plain_http: AtomicBool,
    #[cfg(feature = "mock")]
    mock: Option<crate::mock::Mock>,
}

impl std::fmt::Debug for ServiceClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let i = &self.inner;
        f.debug_struct("ServiceClient")
            .field("service", &i.service.name)
            .field("endpoint", &i.endpoint)
            .field("credentials", &i.credentials)
            .field("project_id", &i.project_id)
            .field("attempt_timeout", &i.attempt_timeout)
            .field("deadline", &i.deadline)
            .field("retry", &i.retry)
            .finish_non_exhaustive()
    }
}

/// What the call's span records when the call ends.
#[derive(Default)]
struct Summary {
    attempts: u32,
    status: Option<u16>,
    request_id: Option<String>,
}

/// The body of one attempt.
struct AttemptBody<'b> {
    bytes: &'b bytes::Bytes,
    /// A stream body, on the first attempt.
    stream: Option<reqwest::Body>,
    /// Whether the body is a stream (signed as an unsigned payload).
    streamed: bool,
}

/// A success reply: read, or (for downloads) still on the wire.
enum Replied {
    Buffered(Reply),
    Streaming {
        status: u16,
        request_id: Option<String>,
        content_type: Option<String>,
        response: reqwest::Response,
    },
}

impl Replied {
    /// The reply as read (only downloads ask for a streaming reply).
    fn buffered(self) -> Reply {
        match self {
            Replied::Buffered(reply) => reply,
            Replied::Streaming {
                status,
                request_id,
                content_type,
                ..
            } => Reply {
                op: "",
                status,
                request_id,
                content_type,
                body: bytes::Bytes::new(),
                truncated: false,
                limit: 0,
            },
        }
    }
}

/// How one attempt ended.
enum Outcome {
    Streaming {
        status: u16,
        request_id: Option<String>,
        content_type: Option<String>,
        response: reqwest::Response,
    },
    Reply {
        status: u16,
        request_id: Option<String>,
        content_type: Option<String>,
        retry_after: Option<Duration>,
        body: bytes::Bytes,
        truncated: bool,
    },
    Failed {
        error: Error,
        reached_server: bool,
    },
}

impl ServiceClient {
    /// Resolves the endpoint and builds (or adopts) the HTTP client.
    pub fn new(config: &Config, service: &'static ServiceInfo) -> Result<Self, Error> {
        let endpoint = crate::endpoint::resolve(config, service)?;
        // The endpoint is shown without its user name and password, if it has any.
        let shown_endpoint = crate::config::without_userinfo(&endpoint);
        let url = reqwest::Url::parse(&endpoint).map_err(|e| {
            Error::config(format!(
                "endpoint `{}` of {} is not a URL: {e}",
                shown(&shown_endpoint),
                service.name
            ))
        })?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err(Error::config(format!(
                "endpoint `{}` of {} has a user name or password: requests are authenticated \
                 by the configured credentials, so give the endpoint as scheme://host[:port]",
                shown(&shown_endpoint),
                service.name
            )));
        }
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Error::config(format!(
                "endpoint `{}` of {} is not an http(s) URL",
                shown(&shown_endpoint),
                service.name
            )));
        }
        let host = url.host_str().ok_or_else(|| {
            Error::config(format!(
                "endpoint `{}` of {} has no host",
                shown(&shown_endpoint),
                service.name
            ))
        })?;
        let plain_http_remote = url.scheme() == "http" && !is_loopback(&url);
        let authority = match url.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_owned(),
        };
        let base_path = url.path().trim_end_matches('/').to_owned();
        let endpoint = format!("{}://{authority}", url.scheme());
        Ok(ServiceClient {
            inner: Arc::new(Inner {
                service,
                endpoint,
                authority,
                base_path,
                http: config.http_client()?,
                credentials: config.credentials.clone(),
                project_id: config.project_id.clone(),
                attempt_timeout: config.attempt_timeout,
                deadline: config.deadline,
                retry: config.retry.clone(),
                user_agent: config.user_agent.clone(),
                max_response_bytes: config.max_response_bytes,
                validate: config.validate,
                plain_http_remote,
                warned_plain_http: AtomicBool::new(false),
                #[cfg(feature = "mock")]
                mock: config.mock.clone(),
            }),
        })
    }

    /// The endpoint requests go to (`scheme://host[:port]`).
    pub fn endpoint(&self) -> &str {
        &self.inner.endpoint
    }

    /// A raw call of `method` on `path` through this client (see [`RawCall`](crate::RawCall)).
    pub fn raw(&self, method: Method, path: impl Into<String>) -> crate::RawCall {
        crate::RawCall::new(self.clone(), method, path)
    }

    /// Whether client-side validation is on.
    pub fn validates(&self) -> bool {
        self.inner.validate
    }

    /// The configured value of a client parameter (`project_id`), if set.
    pub fn client_param(&self, key: &str) -> Option<&str> {
        match key {
            "project_id" => self.inner.project_id.as_deref().filter(|p| !p.is_empty()),
            _ => None,
        }
    }

    /// Sends `request` and decodes a JSON reply into `T`.
    pub async fn send_json<T: DeserializeOwned>(&self, request: Request) -> Result<T, Error> {
        let reply = self.execute(request).await?.buffered();
        decode(&reply, &self.inner.authority)
    }

    /// Sends `request` and ignores the reply body.
    pub async fn send_empty(&self, request: Request) -> Result<(), Error> {
        self.execute(request).await.map(|_| ())
    }

    /// Sends `request` and returns the reply body as JSON (`null` when empty).
    pub async fn send_value(&self, request: Request) -> Result<serde_json::Value, Error> {
        let reply = self.execute(request).await?.buffered();
        if reply.body.is_empty() {
            return Ok(serde_json::Value::Null);
        }
        decode(&reply, &self.inner.authority)
    }

    /// Sends `request` and returns the reply body as text.
    pub async fn send_text(&self, request: Request) -> Result<String, Error> {
        let reply = self.execute(request).await?.buffered();
        RawReply {
            reply,
            host: self.inner.authority.clone(),
        }
        .text()
    }

    /// Sends `request` and returns the reply for its body to be read as it comes.
    pub async fn send_download(&self, mut request: Request) -> Result<Download, Error> {
        request.stream_reply = true;
        let op = request.op;
        let limit = self.inner.max_response_bytes;
        match self.execute(request).await? {
            Replied::Streaming {
                status,
                request_id,
                content_type,
                response,
            } => Ok(Download {
                operation: op.id,
                host: self.inner.authority.clone(),
                status,
                request_id,
                content_type,
                limit,
                read_timeout: self.inner.attempt_timeout,
                body: DownloadBody::Streaming(response),
            }),
            Replied::Buffered(reply) => Ok(RawReply {
                reply,
                host: self.inner.authority.clone(),
            }
            .into_download()),
        }
    }

    /// Sends `request` and returns the reply with its status, for replies whose
    /// body type depends on the status.
    pub async fn send_reply(&self, request: Request) -> Result<RawReply, Error> {
        let reply = self.execute(request).await?.buffered();
        Ok(RawReply {
            reply,
            host: self.inner.authority.clone(),
        })
    }

    async fn execute(&self, request: Request) -> Result<Replied, Error> {
        let op = request.op;
        let span = tracing::info_span!(
            "huaweicloud.call",
            service = self.inner.service.name,
            operation = op.id,
            method = op.method.as_str(),
            host = %self.inner.authority,
            status = tracing::field::Empty,
            request_id = tracing::field::Empty,
            attempts = tracing::field::Empty,
        );
        let mut summary = Summary::default();
        let result = self
            .execute_inner(request, &mut summary)
            .instrument(span.clone())
            .await;
        // The call's outcome is recorded once, when it is known.
        if let Some(status) = summary.status {
            span.record("status", status);
        }
        if let Some(id) = &summary.request_id {
            span.record("request_id", shown(id).to_string().as_str());
        }
        span.record("attempts", summary.attempts);
        result
    }

    async fn execute_inner(
        &self,
        request: Request,
        summary: &mut Summary,
    ) -> Result<Replied, Error> {
        let inner = &*self.inner;
        let op = request.op;
        let Some(credentials) = &inner.credentials else {
            return Err(Error::config(format!(
                "{} was not sent: the configuration has no credentials. Give them with \
                 Config::with_credentials (Credentials::aksk, ::temporary or ::token), or use \
                 Config::from_env (HUAWEICLOUD_SDK_AK / HUAWEICLOUD_SDK_SK or the profile \
                 file); for an endpoint that needs no authentication, say so with \
                 Credentials::anonymous()",
                op.id
            )));
        };
        let path = self.render_path(&request)?;
        for (name, value) in &request.headers {
            if request.raw_path.is_some() {
                target::check_raw_header(op.id, name)?;
            }
            target::check_header(op.id, name, value)?;
        }
        self.warn_plain_http(credentials);
        let Request {
            mut headers,
            query,
            body,
            cookies,
            content_type,
            stream_reply,
            ..
        } = request;
        headers.push(("User-Agent".to_owned(), inner.user_agent.clone()));
        // As the official SDK sends it: the spec's media type, lower case (but
        // for parameter values such as a boundary); a bodyless request still
        // says application/json.
        let content_type =
            content_type.map_or_else(|| "application/json".to_owned(), |c| media_type_lower(&c));
        let streamed = matches!(body, Some(PayloadInner::Stream(_)));
        // The SDK signs non-JSON bodies (forms, files) as unsigned payloads; a
        // stream cannot be hashed before it is sent, whatever its media type.
        if (!content_type.starts_with("application/json") && body.is_some()) || streamed {
            headers.push((
                "X-Sdk-Content-Sha256".to_owned(),
                signer::UNSIGNED_PAYLOAD.to_owned(),
            ));
        }
        headers.push(("Content-Type".to_owned(), content_type));
        if !cookies.is_empty() {
            let cookie = cookies
                .iter()
                .map(|(k, v)| format!("{k}={}", cookie_value(v)))
                .collect::<Vec<_>>()
                .join("; ");
            headers.push(("Cookie".to_owned(), cookie));
        }
        // Credential headers are the same on every attempt; the signature is not.
        match credentials {
            Credentials::AkSk(key) => {
                if let Some(project) = &inner.project_id {
                    headers.push(("X-Project-Id".to_owned(), project.clone()));
                }
                if let Some(token) = key.security_token() {
                    headers.push(("X-Security-Token".to_owned(), token.expose().to_owned()));
                }
            }
            Credentials::Token(token) => {
                headers.push(("X-Auth-Token".to_owned(), token.expose().to_owned()));
            }
            Credentials::Anonymous => {}
        }
        // A body in memory is resent on retries; a stream is sent once.
        let (body, mut stream) = match body {
            Some(PayloadInner::Bytes(b)) => (b, None),
            Some(PayloadInner::Stream(s)) => (bytes::Bytes::new(), Some(s)),
            None => (bytes::Bytes::new(), None),
        };
        // The signature covers the decoded pairs (the server decodes what it
        // receives and sorts it); the wire keeps each name's values in the order
        // given, names sorted like the canonical query.
        let wire_query = wire_query(&query);
        let path_and_query = if wire_query.is_empty() {
            path.clone()
        } else {
            format!("{path}?{wire_query}")
        };
        let query: Vec<(String, String)> = query.into_iter().map(|p| (p.name, p.value)).collect();
        let started = Instant::now();
        // A deadline too far away to represent is no deadline.
        let deadline = inner.deadline.and_then(|d| started.checked_add(d));
        let mut attempt: u32 = 0;
        let mut rng = Jitter::new();
        loop {
            attempt += 1;
            let remaining = deadline.map(|d| d.saturating_duration_since(Instant::now()));
            if remaining == Some(Duration::ZERO) {
                return Err(self.deadline_error(op, attempt - 1));
            }
            summary.attempts = attempt;
            let timeout = remaining.map_or(inner.attempt_timeout, |r| r.min(inner.attempt_timeout));
            let deadline_bound = remaining.is_some_and(|r| r < inner.attempt_timeout);
            let outcome = self
                .attempt(
                    op,
                    &path,
                    &path_and_query,
                    &query,
                    &headers,
                    AttemptBody {
                        bytes: &body,
                        stream: stream.take(),
                        streamed,
                    },
                    timeout,
                    attempt,
                    stream_reply,
                )
                .await;
            let (retryable, retry_after, result) = match outcome {
                Outcome::Streaming {
                    status,
                    request_id,
                    content_type,
                    response,
                } => {
                    summary.status = Some(status);
                    summary.request_id.clone_from(&request_id);
                    tracing::debug!(attempt, status, "attempt succeeded");
                    return Ok(Replied::Streaming {
                        status,
                        request_id,
                        content_type,
                        response,
                    });
                }
                Outcome::Reply {
                    status,
                    request_id,
                    content_type,
                    retry_after,
                    body,
                    truncated,
                } => {
                    summary.status = Some(status);
                    summary.request_id.clone_from(&request_id);
                    if (200..300).contains(&status) {
                        tracing::debug!(attempt, status, "attempt succeeded");
                        return Ok(Replied::Buffered(Reply {
                            op: op.id,
                            status,
                            request_id,
                            content_type,
                            body,
                            truncated,
                            limit: inner.max_response_bytes,
                        }));
                    }
                    let text = String::from_utf8_lossy(&body);
                    let api = ApiError::from_reply(
                        op.id,
                        &inner.authority,
                        status,
                        request_id,
                        &text,
                        attempt,
                    );
                    let mut api = api;
                    api.retry_after = retry_after;
                    // Without the header, the span records the body's request id.
                    if summary.request_id.is_none() {
                        summary.request_id.clone_from(&api.request_id);
                    }
                    let throttled =
                        status == 429 || THROTTLING_CODES.contains(&api.error_code.as_str());
                    // A 5xx may come after the server acted, so only idempotent calls repeat it.
                    let server =
                        matches!(status, 500 | 502 | 503 | 504) && op.method.is_idempotent();
                    let classified = inner.retry.classifier.as_ref().is_some_and(|c| c(&api));
                    let retryable = throttled || server || classified;
                    (retryable, retry_after, Error::Api(Box::new(api)))
                }
                Outcome::Failed {
                    error,
                    reached_server,
                } => {
                    // A request that could not be built fails the same way every time.
                    let unsendable =
                        matches!(&error, Error::Transport(t) if t.kind == TransportKind::Request);
                    let retryable = !unsendable && (!reached_server || op.method.is_idempotent());
                    let error = match error {
                        Error::Timeout(mut t)
                            if deadline_bound && t.kind == TimeoutKind::Attempt =>
                        {
                            t.kind = TimeoutKind::Deadline;
                            t.after = inner.deadline.unwrap_or(t.after);
                            tracing::debug!(attempt, error = %t, "attempt failed; giving up");
                            return Err(Error::Timeout(t));
                        }
                        other => other,
                    };
                    (retryable, None, error)
                }
            };
            // A stream body cannot be sent again.
            let give_up = !retryable
                || streamed
                || attempt >= inner.retry.max_attempts
                || retry_after.is_some_and(|r| r > MAX_RETRY_AFTER);
            let backoff = rng
                .backoff(&inner.retry, attempt)
                .max(retry_after.unwrap_or_default());
            let past_deadline = deadline.is_some_and(|d| {
                Instant::now()
                    .checked_add(backoff)
                    .is_none_or(|wake| wake >= d)
            });
            if give_up || past_deadline {
                tracing::debug!(attempt, error = %result, retryable, "attempt failed; giving up");
                return Err(result);
            }
            tracing::debug!(
                attempt,
                error = %result,
                backoff_ms = backoff.as_millis() as u64,
                "attempt failed; retrying"
            );
            tokio::time::sleep(backoff).await;
        }
    }

    /// A `WARN` event, once per client, before credentials first go over plain
    /// http to a host that is not a loopback address: anyone on the way can read
    /// an `X-Auth-Token` or `X-Security-Token` and replay a signed request.
    fn warn_plain_http(&self, credentials: &Credentials) {
        let inner = &*self.inner;
        if !inner.plain_http_remote || matches!(credentials, Credentials::Anonymous) {
            return;
        }
        #[cfg(feature = "mock")]
        if inner.mock.is_some() {
            return;
        }
        if !inner.warned_plain_http.swap(true, Ordering::Relaxed) {
            tracing::warn!(
                service = inner.service.name,
                host = %inner.authority,
                "credentials are sent over plain http to a host that is not a loopback address: \
                 anyone on the way can read the token or replay the signed request; use an \
                 https endpoint"
            );
        }
    }

    fn deadline_error(&self, op: &'static OperationInfo, attempts: u32) -> Error {
        Error::Timeout(Box::new(TimeoutError {
            operation: op.id,
            host: self.inner.authority.clone(),
            kind: TimeoutKind::Deadline,
            after: self.inner.deadline.unwrap_or_default(),
            attempts,
        }))
    }

    /// The path with placeholders filled and percent-encoded.
    fn render_path(&self, request: &Request) -> Result<String, Error> {
        let op = request.op;
        if let Some(raw) = &request.raw_path {
            target::check_raw_path(op.id, raw)?;
            let mut path = if raw.starts_with('/') {
                raw.clone()
            } else {
                format!("/{raw}")
            };
            if path.contains("{project_id}") {
                let project = self.project_id(op)?;
                target::check_segment(op.id, "project_id", project)?;
                path = path.replace("{project_id}", &signer::encode(project));
            }
            return Ok(format!("{}{path}", self.inner.base_path));
        }
        let mut out = String::with_capacity(op.path.len() + 64);
        out.push_str(&self.inner.base_path);
        let mut rest = op.path;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let Some(close) = rest[open..].find('}') else {
                break;
            };
            let name = &rest[open + 1..open + close];
            let value = match request.path_params.iter().find(|(n, _)| *n == name) {
                Some((_, v)) => v.as_str(),
                None => match op.client_params.iter().find(|(p, _)| *p == name) {
                    Some(_) => self.project_id(op)?,
                    None => {
                        return Err(Error::config(format!(
                            "{}: no value for path parameter `{name}`",
                            op.id
                        )));
                    }
                },
            };
            // Whether or not validation is on: `.`, `..` and an empty value would name
            // another resource once the URL is normalised.
            target::check_segment(op.id, name, value)?;
            signer::push_encoded(&mut out, value);
            rest = &rest[open + close + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }

    fn project_id(&self, op: &'static OperationInfo) -> Result<&str, Error> {
        self.inner
            .project_id
            .as_deref()
            .filter(|p| !p.is_empty())
            .ok_or_else(|| {
                Error::config(format!(
                    "{} needs a project id: set it with Config::with_project_id or the \
                 HUAWEICLOUD_SDK_PROJECT_ID environment variable",
                    op.id
                ))
            })
    }

    #[allow(clippy::too_many_arguments)]
    async fn attempt(
        &self,
        op: &'static OperationInfo,
        path: &str,
        path_and_query: &str,
        query: &[(String, String)],
        headers: &[(String, String)],
        body: AttemptBody<'_>,
        timeout: Duration,
        attempt: u32,
        stream_reply: bool,
    ) -> Outcome {
        let inner = &*self.inner;
        // Signed requests get a fresh X-Sdk-Date and signature on every attempt.
        let signed = match &inner.credentials {
            Some(Credentials::AkSk(key)) => Some(signer::sign(
                &signer::SignableRequest {
                    method: op.method.as_str(),
                    authority: &inner.authority,
                    path,
                    query,
                    headers,
                    // A stream is signed as an unsigned payload (the header says so);
                    // a non-empty stand-in makes the signer use that header.
                    body: if body.streamed { b"stream" } else { body.bytes },
                },
                key.ak(),
                key.sk().expose(),
                &signer::sdk_date(SystemTime::now()),
            )),
            _ => None,
        };
        let wire_headers = match &signed {
            Some(signed) => signed.headers.as_slice(),
            None => headers,
        };
        #[cfg(feature = "mock")]
        if let Some(mock) = &inner.mock {
            return mock_outcome(mock, op, path_and_query, query, wire_headers, body.bytes);
        }
        let url = format!("{}{}", inner.endpoint, path_and_query);
        let attempt_end = Instant::now() + timeout;
        let mut builder = inner.http.request(op.method.to_reqwest(), url);
        // A download's body is read after the call returns, at the caller's
        // pace: the attempt timeout bounds the wait for its head, not the
        // transfer (reqwest's timeout would cut the body too).
        if !stream_reply {
            builder = builder.timeout(timeout);
        }
        for (name, value) in wire_headers {
            // reqwest writes Host from the URL; it equals the signed value.
            if !name.eq_ignore_ascii_case("host") {
                builder = builder.header(name.as_str(), value.as_str());
            }
        }
        if let Some(stream) = body.stream {
            builder = builder.body(stream);
        } else if !body.bytes.is_empty() {
            builder = builder.body(body.bytes.clone());
        }
        let request = match builder.build() {
            Ok(r) => r,
            Err(e) => {
                return Outcome::Failed {
                    error: self.transport_error(op, TransportKind::Request, attempt, e),
                    reached_server: false,
                };
            }
        };
        let sent = inner.http.execute(request);
        let response = if stream_reply {
            match tokio::time::timeout_at(attempt_end, sent).await {
                Ok(result) => result,
                Err(_) => return self.attempt_timed_out(op, attempt, timeout),
            }
        } else {
            sent.await
        };
        let response = match response {
            Ok(r) => r,
            Err(e) => return self.failure(op, attempt, timeout, e),
        };
        let status = response.status().as_u16();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let request_id = header("x-request-id");
        let content_type = header("content-type");
        let retry_after =
            header("retry-after").and_then(|v| parse_retry_after(&v, SystemTime::now()));
        if stream_reply && (200..300).contains(&status) {
            return Outcome::Streaming {
                status,
                request_id,
                content_type,
                response,
            };
        }
        let read = read_bounded(response, inner.max_response_bytes);
        let read = if stream_reply {
            match tokio::time::timeout_at(attempt_end, read).await {
                Ok(result) => result,
                Err(_) => return self.attempt_timed_out(op, attempt, timeout),
            }
        } else {
            read.await
        };
        match read {
            Ok((body, truncated)) => Outcome::Reply {
                status,
                request_id,
                content_type,
                retry_after,
                body,
                truncated,
            },
            Err(e) => self.failure(op, attempt, timeout, e),
        }
    }

    /// An attempt that ran out of time without reqwest's timeout (downloads).
    fn attempt_timed_out(
        &self,
        op: &'static OperationInfo,
        attempt: u32,
        timeout: Duration,
    ) -> Outcome {
        Outcome::Failed {
            error: Error::Timeout(Box::new(TimeoutError {
                operation: op.id,
                host: self.inner.authority.clone(),
                kind: TimeoutKind::Attempt,
                after: timeout,
                attempts: attempt,
            })),
            reached_server: true,
        }
    }

    fn failure(
        &self,
        op: &'static OperationInfo,
        attempt: u32,
        timeout: Duration,
        e: reqwest::Error,
    ) -> Outcome {
        let connect = e.is_connect();
        if e.is_timeout() {
            let kind = if connect {
                TimeoutKind::Connect
            } else {
                TimeoutKind::Attempt
            };
            return Outcome::Failed {
                error: Error::Timeout(Box::new(TimeoutError {
                    operation: op.id,
                    host: self.inner.authority.clone(),
                    kind,
                    after: timeout,
                    attempts: attempt,
                })),
                reached_server: !connect,
            };
        }
        let kind = if connect {
            TransportKind::Connect
        } else {
            TransportKind::Connection
        };
        Outcome::Failed {
            error: self.transport_error(op, kind, attempt, e),
            reached_server: !connect,
        }
    }

    fn transport_error(
        &self,
        op: &'static OperationInfo,
        kind: TransportKind,
        attempt: u32,
        e: reqwest::Error,
    ) -> Error {
        Error::Transport(Box::new(TransportError {
            operation: op.id,
            host: self.inner.authority.clone(),
            kind,
            attempts: attempt,
            // reqwest errors print the URL, which holds no secret (credentials travel in
            // headers), so the chain is safe to keep.
            source: Some(Box::new(e)),
        }))
    }
}

/// What a mock answers, as the outcome of an attempt.
#[cfg(feature = "mock")]
fn mock_outcome(
    mock: &crate::mock::Mock,
    op: &'static OperationInfo,
    path_and_query: &str,
    query: &[(String, String)],
    headers: &[(String, String)],
    body: &bytes::Bytes,
) -> Outcome {
    const HIDDEN: [&str; 3] = ["authorization", "x-security-token", "x-auth-token"];
    let path = path_and_query
        .split('?')
        .next()
        .unwrap_or_default()
        .to_owned();
    let reply = mock.answer(crate::mock::MockCall {
        operation: op.id,
        method: op.method,
        path,
        query: query.to_vec(),
        headers: headers
            .iter()
            .filter(|(n, _)| !HIDDEN.contains(&n.to_ascii_lowercase().as_str()))
            .cloned()
            .collect(),
        body: body.clone(),
    });
    let header = |name: &str| {
        reply
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    Outcome::Reply {
        status: reply.status,
        request_id: header("x-request-id"),
        content_type: header("content-type"),
        retry_after: header("retry-after").and_then(|v| parse_retry_after(&v, SystemTime::now())),
        body: reply.body,
        truncated: false,
    }
}

/// Whether the URL's host is `localhost` or a loopback address (127.0.0.0/8, ::1).
fn is_loopback(url: &reqwest::Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    match host.parse::<std::net::IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => {
            let host = host.to_ascii_lowercase();
            host == "localhost" || host.ends_with(".localhost")
        }
    }
}

/// A success reply read whole, for operations whose body type depends on the
/// status.
#[derive(Debug)]
pub struct RawReply {
    reply: Reply,
    host: String,
}

impl RawReply {
    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.reply.status
    }

    /// The body decoded as JSON.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, Error> {
        decode(&self.reply, &self.host)
    }

    /// The body as text.
    pub fn text(&self) -> Result<String, Error> {
        match String::from_utf8(self.reply.body.to_vec()) {
            Ok(text) => Ok(text),
            Err(e) => Err(Error::Decode(Box::new(DecodeError {
                operation: self.reply.op,
                host: self.host.clone(),
                status: self.reply.status,
                request_id: self.reply.request_id.clone(),
                content_type: self.reply.content_type.clone(),
                path: ".".to_owned(),
                message: format!("the body is not UTF-8 text: {e}"),
                excerpt: excerpt(
                    &String::from_utf8_lossy(&self.reply.body),
                    DecodeError::EXCERPT_LEN,
                ),
            }))),
        }
    }

    /// The body as a download (already read).
    pub fn into_download(self) -> Download {
        Download {
            operation: self.reply.op,
            host: self.host,
            status: self.reply.status,
            request_id: self.reply.request_id,
            content_type: self.reply.content_type,
            limit: self.reply.limit,
            read_timeout: Duration::MAX,
            body: DownloadBody::Buffered(Some(self.reply.body)),
        }
    }
}

/// A success reply, before decoding.
#[derive(Debug)]
struct Reply {
    op: &'static str,
    status: u16,
    request_id: Option<String>,
    content_type: Option<String>,
    body: bytes::Bytes,
    truncated: bool,
    limit: usize,
}

fn decode<T: DeserializeOwned>(reply: &Reply, host: &str) -> Result<T, Error> {
    let fail = |path: String, message: String| {
        Error::Decode(Box::new(DecodeError {
            operation: reply.op,
            host: host.to_owned(),
            status: reply.status,
            request_id: reply.request_id.clone(),
            content_type: reply.content_type.clone(),
            path,
            message,
            excerpt: excerpt(
                &String::from_utf8_lossy(&reply.body),
                DecodeError::EXCERPT_LEN,
            ),
        }))
    };
    if reply.truncated {
        return Err(fail(
            ".".to_owned(),
            format!(
                "the reply is larger than the limit of {} bytes",
                reply.limit
            ),
        ));
    }
    if let Some(ct) = &reply.content_type {
        let essence = ct
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if !(essence == "application/json" || essence.ends_with("+json")) {
            return Err(fail(
                ".".to_owned(),
                format!("expected a JSON reply, got Content-Type `{ct}`"),
            ));
        }
    }
    if reply.body.iter().all(u8::is_ascii_whitespace) {
        return Err(fail(".".to_owned(), "the reply body is empty".to_owned()));
    }
    // The fast path decodes directly; only a reply it refuses is read again.
    match serde_json::from_slice(&reply.body) {
        Ok(value) => Ok(value),
        Err(_) => decode_lenient(reply).map_err(|f| fail(f.path, f.message)),
    }
}

/// The slow path of [`decode`]: reads the body as a JSON tree and decodes `T`
/// from it with the path tracked and the lossless conversions of [`lenient`]
/// (a number where the model says string, `"8000"` where it says integer, ...),
/// logging one warning per conversion. Anything else fails at its path, as the
/// fast path would have.
#[cold]
#[inline(never)]
fn decode_lenient<T: DeserializeOwned>(reply: &Reply) -> Result<T, lenient::Failure> {
    let tree = lenient::parse(&reply.body)?;
    let (value, conversions) = lenient::from_value(&tree)?;
    for conversion in &conversions {
        tracing::warn!(
            operation = reply.op,
            // The path's keys and the request id come from the server.
            path = %shown(&conversion.path),
            found = conversion.found,
            read_as = conversion.read_as,
            request_id = reply.request_id.as_deref().map(|id| shown(id).to_string()),
            "reply value has another JSON type than the API declares; read it as the declared type"
        );
    }
    Ok(value)
}

/// Reads at most `limit` bytes of the body; the flag says whether more was sent.
/// A body that arrives in one piece (most replies) is kept as it came, without
/// a copy.
async fn read_bounded(
    mut response: reqwest::Response,
    limit: usize,
) -> Result<(bytes::Bytes, bool), reqwest::Error> {
    let Some(first) = response.chunk().await? else {
        return Ok((bytes::Bytes::new(), false));
    };
    if first.len() > limit {
        return Ok((first.slice(..limit), true));
    }
    let Some(second) = response.chunk().await? else {
        return Ok((first, false));
    };
    let announced = response.content_length().unwrap_or(0) as usize;
    let mut body = Vec::with_capacity(announced.min(limit).min(64 * 1024));
    body.extend_from_slice(&first);
    let mut next = Some(second);
    while let Some(chunk) = next {
        let room = limit - body.len();
        if chunk.len() > room {
            body.extend_from_slice(&chunk[..room]);
            return Ok((body.into(), true));
        }
        body.extend_from_slice(&chunk);
        next = response.chunk().await?;
    }
    Ok((body.into(), false))
}

/// The query string as sent: `E(name)=value` pairs (values already encoded),
/// sorted by name; a name's values keep their order (a list's order is part of
/// its value).
fn wire_query(query: &[QueryPair]) -> String {
    let mut order: Vec<&QueryPair> = query.iter().collect();
    order.sort_by(|a, b| a.name.cmp(&b.name));
    order
        .iter()
        .map(|p| format!("{}={}", signer::encode(&p.name), p.wire))
        .collect::<Vec<_>>()
        .join("&")
}

/// `Retry-After`: delay-seconds, or an HTTP date (IMF-fixdate) relative to `now`.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    // "Sun, 06 Nov 1994 08:49:37 GMT"
    let parts: Vec<&str> = value.split_whitespace().collect();
    let [_, day, month, year, time, "GMT"] = parts.as_slice() else {
        return None;
    };
    let month = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    .iter()
    .position(|m| m == month)? as i64
        + 1;
    let (day, year): (i64, i64) = (day.parse().ok()?, year.parse().ok()?);
    let hms: Vec<i64> = time
        .split(':')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let [h, m, s] = hms.as_slice() else {
        return None;
    };
    // Out-of-range fields are a malformed header, not arithmetic to overflow on.
    let in_range = (1..=31).contains(&day)
        && (1970..=9999).contains(&year)
        && (0..24).contains(h)
        && (0..60).contains(m)
        && (0..61).contains(s);
    if !in_range {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let at = days * 86_400 + h * 3600 + m * 60 + s;
    let now = now.duration_since(SystemTime::UNIX_EPOCH).ok()?.as_secs() as i64;
    Some(Duration::from_secs(at.saturating_sub(now).max(0) as u64))
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Back-off with "equal jitter": half the exponential step, plus a random part
/// of the other half, so waits spread out but never collapse to zero.
pub(crate) struct Jitter(u64);

impl Jitter {
    pub(crate) fn new() -> Self {
        let seed = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        Jitter(seed | 1)
    }

    fn next(&mut self) -> u64 {
        // xorshift64
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// The wait after failed attempt number `attempt` (1-based).
    fn backoff(&mut self, policy: &RetryPolicy, attempt: u32) -> Duration {
        self.between(policy.initial_backoff, policy.max_backoff, attempt)
    }

    /// The `n`th (1-based) exponential step from `first` doubling up to `max`,
    /// with equal jitter.
    pub(crate) fn between(&mut self, first: Duration, max: Duration, n: u32) -> Duration {
        let step = first
            .saturating_mul(1u32 << n.saturating_sub(1).min(20))
            .min(max);
        let half = step / 2;
        let spread = u64::try_from(half.as_nanos()).unwrap_or(u64::MAX);
        let extra = match spread.checked_add(1) {
            Some(modulus) => self.next() % modulus,
            None => self.next(),
        };
        half.saturating_add(Duration::from_nanos(extra))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_forms() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777); // 1994-11-06T08:49:37Z
        assert_eq!(parse_retry_after("3", now), Some(Duration::from_secs(3)));
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:47 GMT", now),
            Some(Duration::from_secs(10))
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:27 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 9223372036854775807 08:49:47 GMT", now),
            None
        );
        assert_eq!(
            parse_retry_after("Sun, 99 Nov 1994 99:49:47 GMT", now),
            None
        );
    }

    #[test]
    fn wire_query_sorts_names_and_keeps_each_names_order() {
        let pairs = [("b", "2"), ("a", "z z"), ("b", "1"), ("a", "a")]
            .map(|(n, v)| QueryPair::new(n.to_owned(), v.to_owned()));
        assert_eq!(wire_query(&pairs), "a=z%20z&a=a&b=2&b=1");
        assert_eq!(wire_query(&[]), "");
    }

    #[test]
    fn backoff_is_bounded() {
        let policy = RetryPolicy::default()
            .with_backoff(Duration::from_millis(100), Duration::from_millis(1000));
        let mut j = Jitter::new();
        for attempt in 1..10 {
            let step = Duration::from_millis(100 * (1u64 << (attempt - 1)))
                .min(Duration::from_millis(1000));
            for _ in 0..50 {
                let b = j.backoff(&policy, attempt);
                assert!(
                    b >= step / 2 && b <= step,
                    "attempt {attempt}: {b:?} outside [{:?}, {step:?}]",
                    step / 2
                );
            }
        }
    }
}
