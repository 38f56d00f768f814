//! The escape hatch: a signed request to an API the crate does not cover yet.

use crate::Error;
use crate::client::{BoxFuture, Method, Request, ServiceClient};

/// A request to any path of a service, with the same authentication, timeouts,
/// retries, size limits and errors as the generated operations. Made by each
/// service client's `raw` method; `.await` it (or call [`send`](Self::send)).
///
/// ```no_run
/// # async fn run(client: huaweicloud_sdk_gaussdb::Client) -> Result<(), huaweicloud_sdk_gaussdb::Error> {
/// use huaweicloud_sdk_gaussdb::Method;
///
/// let flavors = client
///     .raw(Method::Get, "/v3/{project_id}/starrocks/flavors")
///     .query("availability_zone_mode", "single")
///     .await?;
/// println!("{flavors}");
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
#[must_use = "a request does nothing until it is awaited or sent"]
pub struct RawCall {
    client: ServiceClient,
    request: Request,
    body: Option<serde_json::Value>,
}

impl RawCall {
    /// A raw call of `method` on `path` (sent as given: percent-encode its
    /// segments yourself; `{project_id}` is filled from the configuration).
    pub(crate) fn new(client: ServiceClient, method: Method, path: impl Into<String>) -> Self {
        RawCall {
            client,
            request: Request::raw(method, path),
            body: None,
        }
    }

    /// Adds a query pair (repeat for repeated keys).
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.request.query(name, value);
        self
    }

    /// Adds a header.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.request.header(name, value);
        self
    }

    /// Sets the JSON request body.
    pub fn json(mut self, body: serde_json::Value) -> Self {
        self.body = Some(body);
        self
    }

    /// Sends the request and returns the reply body as JSON (`null` when empty).
    ///
    /// # Errors
    /// As for any operation: API, transport, timeout, decode or configuration errors.
    pub async fn send(mut self) -> Result<serde_json::Value, Error> {
        if let Some(body) = &self.body {
            self.request.json_body("application/json", body)?;
        }
        self.client.send_value(self.request).await
    }
}

impl std::future::IntoFuture for RawCall {
    type Output = Result<serde_json::Value, Error>;
    type IntoFuture = BoxFuture<Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}
