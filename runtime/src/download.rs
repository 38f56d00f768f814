//! Success replies that are not decoded as one JSON value: downloads read whole
//! (up to a limit) or chunk by chunk, and replies whose body type depends on
//! the status.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;

use crate::Error;
use crate::error::{DecodeError, TimeoutError, TimeoutKind, TransportError, TransportKind};

/// A success reply whose body is bytes (a file, an image, an archive...). Read it
/// whole with [`bytes`](Self::bytes) (bounded by the client's
/// `max_response_bytes`, or a limit of your choice) or piece by piece with
/// [`chunk`](Self::chunk), which holds at most one chunk in memory.
///
/// Reading is not bounded by the attempt timeout or the deadline (they bound
/// the wait for the reply's head): a download takes as long as it takes, but a
/// wait of longer than the attempt timeout for the next piece ends it with
/// [`Error::Timeout`] ([`TimeoutKind::Read`]).
pub struct Download {
    pub(crate) operation: &'static str,
    pub(crate) host: String,
    pub(crate) status: u16,
    pub(crate) request_id: Option<String>,
    pub(crate) content_type: Option<String>,
    pub(crate) limit: usize,
    /// The longest wait for the next piece of a streaming body.
    pub(crate) read_timeout: Duration,
    pub(crate) body: Body,
}

pub(crate) enum Body {
    /// Already read (a reply whose type depended on its status).
    Buffered(Option<Bytes>),
    /// Still on the wire.
    Streaming(reqwest::Response),
}

impl fmt::Debug for Download {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Download")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("request_id", &self.request_id)
            .field("content_type", &self.content_type)
            .finish_non_exhaustive()
    }
}

impl Download {
    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The reply's `Content-Type`.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// The `X-Request-Id` response header.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The announced length (`Content-Length`), if any.
    pub fn content_length(&self) -> Option<u64> {
        match &self.body {
            Body::Buffered(b) => b.as_ref().map(|b| b.len() as u64),
            Body::Streaming(r) => r.content_length(),
        }
    }

    /// The whole body, up to the client's `max_response_bytes`.
    ///
    /// # Errors
    /// [`Error::Decode`] when the body is longer than the limit;
    /// [`Error::Transport`] when the connection fails while reading.
    pub async fn bytes(self) -> Result<Bytes, Error> {
        let limit = self.limit;
        self.bytes_up_to(limit).await
    }

    /// The whole body, up to `limit` bytes.
    ///
    /// # Errors
    /// As for [`bytes`](Self::bytes).
    pub async fn bytes_up_to(mut self, limit: usize) -> Result<Bytes, Error> {
        let mut out: Vec<u8> = Vec::new();
        while let Some(chunk) = self.chunk().await? {
            if out.len() + chunk.len() > limit {
                return Err(self.too_large(limit));
            }
            out.extend_from_slice(&chunk);
        }
        Ok(out.into())
    }

    /// The next piece of the body; `None` at its end.
    ///
    /// # Errors
    /// [`Error::Transport`] when the connection fails while reading;
    /// [`Error::Timeout`] when nothing arrives for longer than the attempt timeout.
    pub async fn chunk(&mut self) -> Result<Option<Bytes>, Error> {
        match &mut self.body {
            Body::Buffered(b) => Ok(b.take()),
            Body::Streaming(r) => {
                let Ok(read) = tokio::time::timeout(self.read_timeout, r.chunk()).await else {
                    return Err(Error::Timeout(Box::new(TimeoutError {
                        operation: self.operation,
                        host: self.host.clone(),
                        kind: TimeoutKind::Read,
                        after: self.read_timeout,
                        attempts: 1,
                    })));
                };
                read.map_err(|e| {
                    Error::Transport(Box::new(TransportError {
                        operation: self.operation,
                        host: self.host.clone(),
                        kind: TransportKind::Connection,
                        attempts: 1,
                        source: Some(Box::new(e)),
                    }))
                })
            }
        }
    }

    /// The error of a body over `limit`. It shows none of the body: a download
    /// is opaque bytes that may be secret (a key, an export).
    fn too_large(&self, limit: usize) -> Error {
        Error::Decode(Box::new(DecodeError {
            operation: self.operation,
            host: self.host.clone(),
            status: self.status,
            request_id: self.request_id.clone(),
            content_type: self.content_type.clone(),
            path: ".".to_owned(),
            message: format!(
                "the body is larger than the limit of {limit} bytes; read it with chunk() instead"
            ),
            excerpt: String::new(),
        }))
    }
}
