//! An incremental reader of a Server-Sent Events body: it takes the bytes of the
//! answer as they come off the socket, in pieces cut anywhere (inside a chunk-size
//! line, between `\r` and `\n`, in the middle of a UTF-8 character…), undoes the
//! chunked transfer-encoding if there is one, and hands back the `data` of every
//! complete event. It never waits for the end of the body, which never comes: the
//! live stream stays open for as long as the page does.
//!
//! Only what Embark sends is understood: `data:` lines (several are joined with
//! `\n`, as a browser would), comment lines (`:` first, the keep-alives) and the
//! blank line that ends an event. `event:`, `id:` and `retry:` are accepted and
//! ignored. Lines end with `\n` or `\r\n` (a lone `\r`, allowed by the standard,
//! is not taken as a line end: no server we talk to sends one).

use std::io;

/// Longest chunk-size or trailer line accepted.
const MAX_CHUNK_LINE: usize = 4 * 1024;
/// Longest event line, and largest event, accepted.
const MAX_EVENT: usize = 1024 * 1024;

/// Where the chunked decoder is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Chunk {
    /// Reading a chunk-size line (into `Decoder::chunk_line`).
    Size,
    /// This many bytes of chunk data still to come.
    Data(usize),
    /// The CRLF after a chunk's data.
    DataEnd,
    /// After the last (empty) chunk: trailer lines up to an empty one.
    Trailers,
    /// The body is complete.
    Done,
}

/// The reader of one live stream.
pub struct Decoder {
    /// `None` when the body is not chunked (then it lasts until the connection closes).
    chunk: Option<Chunk>,
    chunk_line: Vec<u8>,
    /// The event line being read.
    line: Vec<u8>,
    /// The `data` of the event being read, and whether it had any `data:` line.
    data: Vec<u8>,
    has_data: bool,
    /// Comment lines seen (the server's keep-alives).
    pub comments: u64,
}

impl Decoder {
    /// A reader for a body sent with `Transfer-Encoding: chunked` (`chunked`) or as is.
    pub fn new(chunked: bool) -> Decoder {
        Decoder {
            chunk: chunked.then_some(Chunk::Size),
            chunk_line: Vec::new(),
            line: Vec::with_capacity(512),
            data: Vec::with_capacity(512),
            has_data: false,
            comments: 0,
        }
    }

    /// Whether the body has ended (the last chunk and the trailers were read).
    pub fn is_done(&self) -> bool {
        self.chunk == Some(Chunk::Done)
    }

    /// Reads the next piece of the body; pushes the data of each event it completes onto `events`.
    pub fn feed(&mut self, mut input: &[u8], events: &mut Vec<String>) -> io::Result<()> {
        let Some(mut state) = self.chunk else {
            return self.events(input, events);
        };
        while !input.is_empty() {
            state = match state {
                Chunk::Size | Chunk::DataEnd | Chunk::Trailers => {
                    let Some(line) = take_line(&mut self.chunk_line, &mut input, MAX_CHUNK_LINE)? else {
                        break;
                    };
                    let next = match state {
                        Chunk::Size => {
                            let text = std::str::from_utf8(line).map_err(|_| invalid("a bad chunk size"))?;
                            let text = text.split(';').next().unwrap_or("").trim();
                            match usize::from_str_radix(text, 16).map_err(|_| invalid("a bad chunk size"))? {
                                0 => Chunk::Trailers,
                                n => Chunk::Data(n),
                            }
                        }
                        Chunk::DataEnd if line.is_empty() => Chunk::Size,
                        Chunk::DataEnd => return Err(invalid("a chunk not followed by CRLF")),
                        _ if line.is_empty() => Chunk::Done,
                        _ => Chunk::Trailers,
                    };
                    self.chunk_line.clear();
                    next
                }
                Chunk::Data(left) => {
                    let n = left.min(input.len());
                    let (data, rest) = input.split_at(n);
                    input = rest;
                    self.events(data, events)?;
                    if n == left {
                        Chunk::DataEnd
                    } else {
                        Chunk::Data(left - n)
                    }
                }
                Chunk::Done => return Err(invalid("bytes after the end of the body")),
            };
            self.chunk = Some(state);
        }
        Ok(())
    }

    /// Reads decoded bytes of the event stream.
    fn events(&mut self, mut input: &[u8], events: &mut Vec<String>) -> io::Result<()> {
        while !input.is_empty() {
            let Some(line) = take_line(&mut self.line, &mut input, MAX_EVENT)? else {
                break;
            };
            if line.is_empty() {
                // The end of an event (nothing to hand over if it only had comments).
                if self.has_data {
                    events.push(String::from_utf8_lossy(&self.data).into_owned());
                    self.data.clear();
                    self.has_data = false;
                }
            } else if line[0] == b':' {
                self.comments += 1;
            } else {
                let (field, value) = match line.iter().position(|&b| b == b':') {
                    Some(colon) => {
                        let value = &line[colon + 1..];
                        (&line[..colon], value.strip_prefix(b" ").unwrap_or(value))
                    }
                    None => (line, &[][..]),
                };
                if field == b"data" {
                    if self.has_data {
                        self.data.push(b'\n');
                    }
                    if self.data.len() + value.len() > MAX_EVENT {
                        return Err(invalid("an event too large"));
                    }
                    self.data.extend_from_slice(value);
                    self.has_data = true;
                }
            }
            self.line.clear();
        }
        Ok(())
    }
}

/// Moves bytes from `input` into `buf` up to and including a `\n`. Returns the complete
/// line (in `buf`, without `\n` or `\r\n`; the caller clears `buf` once done with it),
/// or `None` if `input` ran out first.
fn take_line<'b>(buf: &'b mut Vec<u8>, input: &mut &[u8], max: usize) -> io::Result<Option<&'b [u8]>> {
    let (piece, complete) = match input.iter().position(|&b| b == b'\n') {
        Some(i) => (&input[..=i], true),
        None => (*input, false),
    };
    *input = &input[piece.len()..];
    if buf.len() + piece.len() > max + 2 {
        return Err(invalid("a line too long"));
    }
    buf.extend_from_slice(piece);
    if !complete {
        return Ok(None);
    }
    let mut end = buf.len() - 1;
    if end > 0 && buf[end - 1] == b'\r' {
        end -= 1;
    }
    Ok(Some(&buf[..end]))
}

fn invalid(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("the live stream had {what}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What axum sends: a keep-alive comment, two events (one with two data lines),
    /// then a named event, with chunk boundaries inside lines and a chunk extension.
    const EVENTS: &[u8] = b": keep-alive\n\ndata: {\"kind\":\"field\",\"value\":\"#1 \xc3\xa9t\xc3\xa9\"}\n\ndata:a\r\ndata: b\r\n\r\nevent: x\nid: 3\ndata: last\n\n";

    /// `body` cut into chunks of the given sizes (the last one takes the rest), then the end.
    fn chunked(body: &[u8], sizes: &[usize]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut rest = body;
        for (i, &n) in sizes.iter().enumerate() {
            let n = if i + 1 == sizes.len() { rest.len() } else { n.min(rest.len()) };
            let (chunk, r) = rest.split_at(n);
            rest = r;
            if chunk.is_empty() {
                continue;
            }
            out.extend_from_slice(format!("{:x}", chunk.len()).as_bytes());
            if i == 1 {
                out.extend_from_slice(b";name=value");
            }
            out.extend_from_slice(b"\r\n");
            out.extend_from_slice(chunk);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"0\r\nX-Trailer: y\r\n\r\n");
        out
    }

    fn expected() -> Vec<String> {
        vec!["{\"kind\":\"field\",\"value\":\"#1 été\"}".to_string(), "a\nb".to_string(), "last".to_string()]
    }

    /// Feeds `wire` cut at `cuts`, checking that nothing comes out before its blank line.
    fn decode(wire: &[u8], cuts: &[usize], chunked: bool) -> (Vec<String>, Decoder) {
        let mut d = Decoder::new(chunked);
        let mut events = Vec::new();
        let mut from = 0;
        for &c in cuts.iter().chain(std::iter::once(&wire.len())) {
            d.feed(&wire[from..c], &mut events).unwrap();
            from = c;
        }
        (events, d)
    }

    #[test]
    fn every_single_cut_of_a_chunked_stream_gives_the_same_events() {
        for sizes in [&[EVENTS.len()][..], &[1, 2, 3, 5, 8, 13, 21, 34], &[7, 40, 1, 1, 1, 9]] {
            let wire = chunked(EVENTS, sizes);
            for cut in 0..=wire.len() {
                let (events, d) = decode(&wire, &[cut], true);
                assert_eq!(events, expected(), "chunks {sizes:?}, cut at {cut}");
                assert!(d.is_done());
                assert_eq!(d.comments, 1);
            }
            for (a, b) in [(1, 2), (3, 17), (5, 6), (20, 60)] {
                let cuts: Vec<usize> = [a, b].into_iter().filter(|&c| c <= wire.len()).collect();
                assert_eq!(decode(&wire, &cuts, true).0, expected(), "chunks {sizes:?}, cuts {cuts:?}");
            }
        }
    }

    #[test]
    fn one_byte_at_a_time_and_unchunked() {
        let wire = chunked(EVENTS, &[3, 4, 5]);
        let every: Vec<usize> = (1..wire.len()).collect();
        assert_eq!(decode(&wire, &every, true).0, expected());
        let every: Vec<usize> = (1..EVENTS.len()).collect();
        let (events, d) = decode(EVENTS, &every, false);
        assert_eq!(events, expected());
        assert!(!d.is_done());
    }

    #[test]
    fn an_event_is_handed_over_only_when_its_blank_line_arrives() {
        let mut d = Decoder::new(true);
        let mut events = Vec::new();
        d.feed(b"8\r\ndata: x\n\r\n", &mut events).unwrap();
        assert!(events.is_empty());
        d.feed(b"1\r\n\n\r\n", &mut events).unwrap();
        assert_eq!(events, ["x"]);
    }

    #[test]
    fn broken_framing_is_an_error() {
        let mut events = Vec::new();
        assert!(Decoder::new(true).feed(b"zz\r\n", &mut events).is_err());
        assert!(Decoder::new(true).feed(b"2\r\nabX\r\n", &mut events).is_err());
        assert!(Decoder::new(true).feed(&[b'1'; MAX_CHUNK_LINE + 10], &mut events).is_err());
        let mut done = Decoder::new(true);
        done.feed(b"0\r\n\r\n", &mut events).unwrap();
        assert!(done.is_done());
        assert!(done.feed(b"1", &mut events).is_err());
    }
}
