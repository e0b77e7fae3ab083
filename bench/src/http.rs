//! A minimal HTTP/1.1 client over one keep-alive TCP connection: enough to
//! drive Embark, and cheap enough not to steal the CPU the server needs.
//!
//! It writes a prepared request, then reads the status line, the headers and a
//! body delimited by `Content-Length`, by chunked transfer-encoding, or by the
//! end of the connection. Interim `1xx` answers are skipped.

use std::io;
use std::net::SocketAddr;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// Longest status, header or chunk-size line accepted.
const MAX_LINE: u64 = 64 * 1024;
/// Most headers accepted in one answer.
const MAX_HEADERS: usize = 200;
/// Largest body accepted.
const MAX_BODY: usize = 64 * 1024 * 1024;

/// The bytes of a request without a body, ready to be sent again and again.
pub fn request(method: &str, path: &str, host: &str, headers: &[(&str, String)]) -> Vec<u8> {
    let mut r = format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: embark-bench\r\n");
    for (name, value) in headers {
        r.push_str(name);
        r.push_str(": ");
        r.push_str(value);
        r.push_str("\r\n");
    }
    r.push_str("\r\n");
    r.into_bytes()
}

/// The bytes of a request with a body (`Content-Length` is added).
pub fn request_with_body(
    method: &str,
    path: &str,
    host: &str,
    headers: &[(&str, String)],
    content_type: &str,
    body: &[u8],
) -> Vec<u8> {
    let mut all: Vec<(&str, String)> = headers.to_vec();
    all.push(("Content-Type", content_type.to_string()));
    all.push(("Content-Length", body.len().to_string()));
    let mut r = request(method, path, host, &all);
    r.extend_from_slice(body);
    r
}

/// The status line and headers of an answer whose body is read as a stream.
#[derive(Clone, Copy, Debug)]
pub struct Head {
    pub status: u16,
    /// The server will close the connection after this answer.
    pub closes: bool,
    pub body: BodyKind,
}

/// How the body of an answer is delimited.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyKind {
    None,
    Length(usize),
    Chunked,
    /// By the end of the connection.
    UntilClose,
}

/// What came back (the body itself stays in the connection, see [`Connection::body`]).
#[derive(Clone, Copy, Debug)]
pub struct Response {
    pub status: u16,
    /// The server will close the connection after this answer.
    pub closes: bool,
}

impl Response {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// One keep-alive connection. Its buffers are reused from request to request.
pub struct Connection {
    stream: BufReader<TcpStream>,
    line: Vec<u8>,
    body: Vec<u8>,
}

impl Connection {
    pub async fn open(addr: SocketAddr) -> io::Result<Connection> {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        Ok(Connection {
            stream: BufReader::with_capacity(64 * 1024, stream),
            line: Vec::with_capacity(256),
            body: Vec::new(),
        })
    }

    /// Sends a prepared request and reads the whole answer.
    pub async fn send(&mut self, request: &[u8]) -> io::Result<Response> {
        self.stream.get_mut().write_all(request).await?;
        self.read_response().await
    }

    /// The body of the last answer (decoded from chunks if it was chunked).
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// Sends a prepared request and reads only the status line and headers, for an
    /// answer that streams (Server-Sent Events): its body is then read piece by piece
    /// with [`Connection::read_some`], and the connection serves nothing else.
    pub async fn send_streaming(&mut self, request: &[u8]) -> io::Result<Head> {
        self.stream.get_mut().write_all(request).await?;
        self.read_head().await
    }

    /// The next bytes of a streamed body, as they arrive (0 at the end of the connection).
    pub async fn read_some(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        // The buffered reader hands out what it read past the headers first.
        self.stream.read(buf).await
    }

    async fn read_response(&mut self) -> io::Result<Response> {
        let head = self.read_head().await?;
        self.body.clear();
        match head.body {
            BodyKind::None => {}
            BodyKind::Chunked => self.read_chunked_body().await?,
            BodyKind::Length(n) => {
                self.body.resize(n, 0);
                self.stream.read_exact(&mut self.body).await?;
            }
            BodyKind::UntilClose => {
                (&mut self.stream).take(MAX_BODY as u64).read_to_end(&mut self.body).await?;
            }
        }
        Ok(Response { status: head.status, closes: head.closes })
    }

    /// Reads the status line and the headers of the final answer (interim `1xx` ones skipped).
    async fn read_head(&mut self) -> io::Result<Head> {
        loop {
            self.read_line().await?;
            let status = parse_status_line(&self.line)?;
            let mut content_length: Option<usize> = None;
            let mut chunked = false;
            let mut closes = false;
            let mut headers = 0;
            loop {
                self.read_line().await?;
                if self.line.is_empty() {
                    break;
                }
                headers += 1;
                if headers > MAX_HEADERS {
                    return Err(invalid("too many headers"));
                }
                let Some(colon) = self.line.iter().position(|&b| b == b':') else {
                    return Err(invalid("a header line without a colon"));
                };
                let name = &self.line[..colon];
                let value = std::str::from_utf8(&self.line[colon + 1..])
                    .map_err(|_| invalid("a header that is not UTF-8"))?
                    .trim();
                if name.eq_ignore_ascii_case(b"content-length") {
                    let n: usize = value.parse().map_err(|_| invalid("a bad Content-Length"))?;
                    if n > MAX_BODY {
                        return Err(invalid("a body too large"));
                    }
                    content_length = Some(n);
                } else if name.eq_ignore_ascii_case(b"transfer-encoding") {
                    chunked = value.split(',').any(|c| c.trim().eq_ignore_ascii_case("chunked"));
                } else if name.eq_ignore_ascii_case(b"connection") {
                    closes = value.split(',').any(|c| c.trim().eq_ignore_ascii_case("close"));
                }
            }
            if (100..200).contains(&status) {
                // An interim answer (100 Continue): the real one follows.
                continue;
            }
            let body = if status == 204 || status == 304 {
                // No body by definition.
                BodyKind::None
            } else if chunked {
                BodyKind::Chunked
            } else if let Some(n) = content_length {
                BodyKind::Length(n)
            } else {
                // Delimited by the end of the connection.
                closes = true;
                BodyKind::UntilClose
            };
            return Ok(Head { status, closes, body });
        }
    }

    async fn read_chunked_body(&mut self) -> io::Result<()> {
        loop {
            self.read_line().await?;
            let size_text = std::str::from_utf8(&self.line).map_err(|_| invalid("a bad chunk size"))?;
            let size_text = size_text.split(';').next().unwrap_or("").trim();
            let size = usize::from_str_radix(size_text, 16).map_err(|_| invalid("a bad chunk size"))?;
            if size == 0 {
                // Trailers, up to an empty line.
                loop {
                    self.read_line().await?;
                    if self.line.is_empty() {
                        return Ok(());
                    }
                }
            }
            let start = self.body.len();
            if start + size > MAX_BODY {
                return Err(invalid("a body too large"));
            }
            self.body.resize(start + size, 0);
            self.stream.read_exact(&mut self.body[start..]).await?;
            self.read_line().await?;
            if !self.line.is_empty() {
                return Err(invalid("a chunk not followed by CRLF"));
            }
        }
    }

    /// Reads one line into `self.line`, without its line ending.
    async fn read_line(&mut self) -> io::Result<()> {
        self.line.clear();
        let n = (&mut self.stream).take(MAX_LINE).read_until(b'\n', &mut self.line).await?;
        if n == 0 {
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "the server closed the connection"));
        }
        if self.line.last() != Some(&b'\n') {
            return Err(if n as u64 >= MAX_LINE {
                invalid("a line too long")
            } else {
                io::ErrorKind::UnexpectedEof.into()
            });
        }
        self.line.pop();
        if self.line.last() == Some(&b'\r') {
            self.line.pop();
        }
        Ok(())
    }
}

/// `HTTP/1.1 200 OK` → 200.
fn parse_status_line(line: &[u8]) -> io::Result<u16> {
    let text = std::str::from_utf8(line).map_err(|_| invalid("a status line that is not UTF-8"))?;
    let mut parts = text.splitn(3, ' ');
    let version = parts.next().unwrap_or("");
    if !version.starts_with("HTTP/1.") {
        return Err(invalid("not an HTTP/1.x answer"));
    }
    parts
        .next()
        .and_then(|s| s.parse().ok())
        .filter(|s| (100..1000).contains(s))
        .ok_or_else(|| invalid("a bad status code"))
}

fn invalid(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("the server sent {what}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::net::TcpListener;

    /// Serves `answers` (raw bytes), one per request read, then closes.
    async fn canned(answers: Vec<&'static [u8]>) -> SocketAddr {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let (stream, _) = listener.accept().await.unwrap();
            let mut stream = BufReader::new(stream);
            for answer in answers {
                // Read a request: lines up to the empty one.
                let mut line = Vec::new();
                loop {
                    line.clear();
                    stream.read_until(b'\n', &mut line).await.unwrap();
                    if line == b"\r\n" {
                        break;
                    }
                }
                stream.get_mut().write_all(answer).await.unwrap();
            }
        });
        addr
    }

    #[tokio::test]
    async fn reads_length_chunked_and_interim_answers_on_one_connection() {
        let addr = canned(vec![
            b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
            b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\na;ext=1\r\n0123456789\r\n0\r\nX-Trailer: y\r\n\r\n",
            b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 303 See Other\r\nlocation: /login\r\ncontent-length: 0\r\n\r\n",
            b"HTTP/1.1 204 No Content\r\n\r\n",
            b"HTTP/1.1 500 Internal Server Error\r\nConnection: close\r\n\r\nboom",
        ])
        .await;
        let mut c = Connection::open(addr).await.unwrap();
        let req = request("GET", "/", "x", &[]);
        let r = c.send(&req).await.unwrap();
        assert_eq!((r.status, r.closes, c.body()), (200, false, &b"hello"[..]));
        let r = c.send(&req).await.unwrap();
        assert_eq!((r.status, c.body()), (200, &b"abc0123456789"[..]));
        let r = c.send(&req).await.unwrap();
        assert_eq!((r.status, r.is_success(), c.body()), (303, false, &b""[..]));
        let r = c.send(&req).await.unwrap();
        assert_eq!(r.status, 204);
        let r = c.send(&req).await.unwrap();
        assert_eq!((r.status, r.closes, c.body()), (500, true, &b"boom"[..]));
        assert!(c.send(&req).await.is_err());
    }

    #[tokio::test]
    async fn a_streamed_body_is_read_as_it_comes_after_the_head() {
        let addr = canned(vec![
            b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n",
        ])
        .await;
        let mut c = Connection::open(addr).await.unwrap();
        let head = c.send_streaming(&request("GET", "/live", "x", &[])).await.unwrap();
        assert_eq!((head.status, head.body), (200, BodyKind::Chunked));
        let mut got = Vec::new();
        let mut buf = [0u8; 4];
        loop {
            let n = c.read_some(&mut buf).await.unwrap();
            if n == 0 {
                break;
            }
            got.extend_from_slice(&buf[..n]);
        }
        assert_eq!(got, b"5\r\nhello\r\n");
    }

    #[test]
    fn requests_carry_their_headers() {
        let r = request_with_body("POST", "/f", "h", &[("X-A", "1".into())], "application/json", b"{}");
        assert_eq!(
            r,
            b"POST /f HTTP/1.1\r\nHost: h\r\nUser-Agent: embark-bench\r\nX-A: 1\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
        );
        let r = request("GET", "/users", "127.0.0.1:1", &[("Cookie", "a=b".into())]);
        assert_eq!(r, b"GET /users HTTP/1.1\r\nHost: 127.0.0.1:1\r\nUser-Agent: embark-bench\r\nCookie: a=b\r\n\r\n");
        assert!(parse_status_line(b"HTTP/1.1 404 Not Found").unwrap() == 404);
        assert!(parse_status_line(b"SSH-2.0").is_err());
    }
}
