//! Success replies that are not decoded as one JSON value: downloads read whole
//! (up to a limit) or chunk by chunk, and replies whose body type depends on
//! the status.

use std::fmt;

use bytes::Bytes;

use crate::Error;
use crate::error::{DecodeError, TransportError, TransportKind, excerpt};

/// A success reply whose body is bytes (a file, an image, an archive...). Read it
/// whole with [`bytes`](Self::bytes) (bounded by the client's
/// `max_response_bytes`, or a limit of your choice) or piece by piece with
/// [`chunk`](Self::chunk), which holds at most one chunk in memory.
pub struct Download {
    pub(crate) operation: &'static str,
    pub(crate) host: String,
    pub(crate) status: u16,
    pub(crate) request_id: Option<String>,
    pub(crate) content_type: Option<String>,
    pub(crate) limit: usize,
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
                return Err(self.too_large(limit, &out));
            }
            out.extend_from_slice(&chunk);
        }
        Ok(out.into())
    }

    /// The next piece of the body; `None` at its end.
    ///
    /// # Errors
    /// [`Error::Transport`] when the connection fails while reading.
    pub async fn chunk(&mut self) -> Result<Option<Bytes>, Error> {
        match &mut self.body {
            Body::Buffered(b) => Ok(b.take()),
            Body::Streaming(r) => r.chunk().await.map_err(|e| {
                Error::Transport(Box::new(TransportError {
                    operation: self.operation,
                    host: self.host.clone(),
                    kind: TransportKind::Connection,
                    attempts: 1,
                    source: Some(Box::new(e)),
                }))
            }),
        }
    }

    fn too_large(&self, limit: usize, start: &[u8]) -> Error {
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
            excerpt: excerpt(&String::from_utf8_lossy(start), DecodeError::EXCERPT_LEN),
        }))
    }
}
