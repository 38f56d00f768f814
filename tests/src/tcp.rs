//! A tiny HTTP/1.1 server on 127.0.0.1 for what a mock server cannot show: the
//! framing of a streamed request body (`Transfer-Encoding: chunked`, byte for
//! byte), replies written piece by piece at the test's pace (a slow or stalled
//! download), and replies larger than any limit.
//!
//! Each connection carries one request: the server reads it whole (head, then a
//! `Content-Length` or chunked body), records it, and hands the connection to the
//! test's handler, which writes whatever reply it likes (with
//! `Connection: close`, so the client never reuses the connection).

use std::future::Future;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// How long the server waits for the rest of a request before giving up on it.
const READ_LIMIT: Duration = Duration::from_secs(10);

/// One request as it arrived.
#[derive(Clone, Debug)]
pub struct RawRequest {
    /// `GET`, `PUT`, ...
    pub method: String,
    /// The request target: path and query, as sent.
    pub target: String,
    /// Header names and values as sent, in order.
    pub headers: Vec<(String, String)>,
    /// The body as it came off the wire (chunk framing included).
    pub wire_body: Vec<u8>,
    /// The body after removing the chunk framing.
    pub body: Vec<u8>,
    /// The sizes of the chunks of a chunked body, in order (without the final 0).
    pub chunks: Vec<usize>,
}

impl RawRequest {
    /// The values of header `name` (case-insensitive).
    pub fn header_values(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The one value of header `name`, if it was sent (several: a panic).
    #[track_caller]
    pub fn header(&self, name: &str) -> Option<&str> {
        let values = self.header_values(name);
        assert!(
            values.len() <= 1,
            "header {name} sent {} times",
            values.len()
        );
        values.first().copied()
    }

    /// The path part of the target.
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or_default()
    }

    /// The query part of the target (`None`: no `?`).
    pub fn query(&self) -> Option<&str> {
        self.target.split_once('?').map(|(_, q)| q)
    }
}

/// A running server; dropped with the test (its task is aborted).
pub struct RawServer {
    address: SocketAddr,
    requests: Arc<Mutex<Vec<RawRequest>>>,
    task: JoinHandle<()>,
}

impl Drop for RawServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl RawServer {
    /// Starts a server whose `handler` writes the reply to request number `index`
    /// (0-based) on `stream`.
    pub async fn start<F, Fut>(handler: F) -> RawServer
    where
        F: Fn(usize, RawRequest, TcpStream) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("cannot listen on 127.0.0.1: {e}"));
        let address = listener
            .local_addr()
            .unwrap_or_else(|e| panic!("no local address: {e}"));
        let requests: Arc<Mutex<Vec<RawRequest>>> = Arc::default();
        let seen = Arc::clone(&requests);
        let handler = Arc::new(handler);
        let task = tokio::spawn(async move {
            loop {
                let Ok((mut stream, _)) = listener.accept().await else {
                    return;
                };
                let seen = Arc::clone(&seen);
                let handler = Arc::clone(&handler);
                tokio::spawn(async move {
                    let Ok(Some(request)) =
                        tokio::time::timeout(READ_LIMIT, read_request(&mut stream)).await
                    else {
                        return;
                    };
                    let index = {
                        let mut list = seen.lock().unwrap_or_else(|e| e.into_inner());
                        list.push(request.clone());
                        list.len() - 1
                    };
                    handler(index, request, stream).await;
                });
            }
        });
        RawServer {
            address,
            requests,
            task,
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn uri(&self) -> String {
        format!("http://{}", self.address)
    }

    /// `127.0.0.1:<port>`, as the client sends it in `Host`.
    pub fn authority(&self) -> String {
        self.address.to_string()
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<RawRequest> {
        self.requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

/// Writes a complete reply: status line, the headers, `Content-Length`,
/// `Connection: close`, then `body`.
pub async fn write_reply(
    stream: &mut TcpStream,
    status: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) {
    let mut head = format!("HTTP/1.1 {status}\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    ));
    let _ = stream.write_all(head.as_bytes()).await;
    let _ = stream.write_all(body).await;
    let _ = stream.flush().await;
}

/// Writes the head of a chunked reply (`Transfer-Encoding: chunked`,
/// `Connection: close`); follow with [`write_chunk`] and [`end_chunks`].
pub async fn start_chunked(stream: &mut TcpStream, status: &str, headers: &[(&str, &str)]) -> bool {
    let mut head = format!("HTTP/1.1 {status}\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
    stream.write_all(head.as_bytes()).await.is_ok() && stream.flush().await.is_ok()
}

/// Writes one chunk; `false` once the client has gone.
pub async fn write_chunk(stream: &mut TcpStream, data: &[u8]) -> bool {
    let mut framed = format!("{:x}\r\n", data.len()).into_bytes();
    framed.extend_from_slice(data);
    framed.extend_from_slice(b"\r\n");
    stream.write_all(&framed).await.is_ok() && stream.flush().await.is_ok()
}

/// Writes the last chunk.
pub async fn end_chunks(stream: &mut TcpStream) {
    let _ = stream.write_all(b"0\r\n\r\n").await;
    let _ = stream.flush().await;
}

/// Reads one request; `None` when the connection closes before a whole one.
async fn read_request(stream: &mut TcpStream) -> Option<RawRequest> {
    let mut buffer: Vec<u8> = Vec::new();
    let head_end = loop {
        if let Some(at) = find(&buffer, b"\r\n\r\n") {
            break at;
        }
        read_more(stream, &mut buffer).await?;
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut rest = buffer[head_end + 4..].to_vec();
    let mut lines = head.split("\r\n");
    let request_line = lines.next()?;
    let mut words = request_line.split(' ');
    let method = words.next()?.to_owned();
    let target = words.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let value = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    let mut request = RawRequest {
        method,
        target,
        headers: headers.clone(),
        wire_body: Vec::new(),
        body: Vec::new(),
        chunks: Vec::new(),
    };
    if value("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        // size CRLF data CRLF ... 0 CRLF CRLF (no trailers from this client)
        let mut at = 0;
        loop {
            let line_end = loop {
                if let Some(end) = find(&rest[at..], b"\r\n") {
                    break at + end;
                }
                read_more(stream, &mut rest).await?;
            };
            let size_text = String::from_utf8_lossy(&rest[at..line_end]).into_owned();
            let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
            let data_start = line_end + 2;
            while rest.len() < data_start + size + 2 {
                read_more(stream, &mut rest).await?;
            }
            if size == 0 {
                request.wire_body = rest[..data_start + 2].to_vec();
                break;
            }
            request.chunks.push(size);
            request
                .body
                .extend_from_slice(&rest[data_start..data_start + size]);
            at = data_start + size + 2;
        }
    } else {
        let length: usize = value("content-length")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        while rest.len() < length {
            read_more(stream, &mut rest).await?;
        }
        request.body = rest[..length].to_vec();
        request.wire_body = request.body.clone();
    }
    Some(request)
}

async fn read_more(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<()> {
    let mut chunk = [0u8; 8192];
    match stream.read(&mut chunk).await {
        Ok(0) | Err(_) => None,
        Ok(n) => {
            buffer.extend_from_slice(&chunk[..n]);
            Some(())
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
