//! A small HTTP/1.1 server on `std::net`: one thread per connection (bounded), keep-alive,
//! `Content-Length` and chunked bodies with a size cap, `Expect: 100-continue`, CORS, and
//! timeouts so idle or slow clients cannot hold the server.

use crate::rpc::{handle_body, Job};
use std::collections::HashMap;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const MAX_HEADER_BYTES: usize = 64 * 1024;
const MAX_HEADERS: usize = 100;

pub struct HttpLimits {
    pub max_body_bytes: usize,
    pub max_connections: usize,
    pub max_batch: usize,
    pub idle_timeout: Duration,
}

pub struct HttpShared {
    pub jobs: Mutex<Sender<Job>>,
    pub limits: HttpLimits,
    pub stop: AtomicBool,
    active: AtomicUsize,
    next_id: AtomicU64,
    conns: Mutex<HashMap<u64, TcpStream>>,
}

impl HttpShared {
    pub fn new(jobs: Sender<Job>, limits: HttpLimits) -> Self {
        Self {
            jobs: Mutex::new(jobs),
            limits,
            stop: AtomicBool::new(false),
            active: AtomicUsize::new(0),
            next_id: AtomicU64::new(0),
            conns: Mutex::new(HashMap::new()),
        }
    }

    /// Closes every open connection (their threads then end).
    pub fn close_all(&self) {
        let conns = std::mem::take(&mut *self.conns.lock().unwrap_or_else(|e| e.into_inner()));
        for (_, s) in conns {
            let _ = s.shutdown(Shutdown::Both);
        }
    }
}

pub fn accept_loop(listener: TcpListener, shared: Arc<HttpShared>) {
    for stream in listener.incoming() {
        if shared.stop.load(Ordering::SeqCst) {
            break;
        }
        let Ok(stream) = stream else {
            // e.g. out of file descriptors: back off a little instead of spinning
            std::thread::sleep(Duration::from_millis(10));
            continue;
        };
        if shared.active.load(Ordering::SeqCst) >= shared.limits.max_connections {
            let mut s = stream;
            let _ = s.set_write_timeout(Some(Duration::from_secs(1)));
            let _ = write_response(
                &mut s,
                503,
                "Service Unavailable",
                "text/plain",
                b"too many connections\n",
                false,
            );
            continue;
        }
        shared.active.fetch_add(1, Ordering::SeqCst);
        let id = shared.next_id.fetch_add(1, Ordering::SeqCst);
        if let Ok(c) = stream.try_clone() {
            shared
                .conns
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(id, c);
        }
        let sh = shared.clone();
        let spawned = std::thread::Builder::new()
            .name("vvv-devnet-conn".into())
            .stack_size(1024 * 1024)
            .spawn(move || {
                let _ = serve_conn(stream, &sh);
                sh.conns
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .remove(&id);
                sh.active.fetch_sub(1, Ordering::SeqCst);
            });
        if spawned.is_err() {
            shared
                .conns
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .remove(&id);
            shared.active.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

struct Head {
    method: String,
    version_11: bool,
    content_length: Option<usize>,
    chunked: bool,
    other_encoding: bool,
    bad_length: bool,
    close: bool,
    keep_alive: bool,
    expect_continue: bool,
    /// `Upgrade: websocket`
    websocket: bool,
    ws_key: Option<String>,
}

enum HeadResult {
    Eof,
    Bad(&'static str),
    TooLarge,
    Ok(Head),
}

/// Reads one line (up to `budget` bytes); Err(InvalidData) when longer.
fn read_line(r: &mut BufReader<TcpStream>, budget: &mut usize) -> io::Result<Vec<u8>> {
    let mut line = Vec::new();
    let n = r
        .by_ref()
        .take(*budget as u64 + 1)
        .read_until(b'\n', &mut line)?;
    if n > *budget {
        return Err(io::Error::new(io::ErrorKind::InvalidData, "line too long"));
    }
    *budget -= n;
    Ok(line)
}

fn read_head(r: &mut BufReader<TcpStream>) -> io::Result<HeadResult> {
    let mut budget = MAX_HEADER_BYTES;
    let mut request_line = Vec::new();
    for _ in 0..4 {
        request_line = match read_line(r, &mut budget) {
            Ok(l) => l,
            Err(e) if e.kind() == io::ErrorKind::InvalidData => return Ok(HeadResult::TooLarge),
            Err(e) => return Err(e),
        };
        if request_line.is_empty() {
            return Ok(HeadResult::Eof);
        }
        if request_line != b"\r\n" && request_line != b"\n" {
            break;
        }
    }
    let line = String::from_utf8_lossy(&request_line);
    let mut parts = line.split_whitespace();
    let (Some(method), Some(_target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Ok(HeadResult::Bad("malformed request line"));
    };
    let version_11 = match version {
        "HTTP/1.1" => true,
        "HTTP/1.0" => false,
        _ => return Ok(HeadResult::Bad("unsupported HTTP version")),
    };
    let mut head = Head {
        method: method.to_string(),
        version_11,
        content_length: None,
        chunked: false,
        other_encoding: false,
        bad_length: false,
        close: false,
        keep_alive: false,
        expect_continue: false,
        websocket: false,
        ws_key: None,
    };
    let mut count = 0;
    loop {
        let l = match read_line(r, &mut budget) {
            Ok(l) => l,
            Err(e) if e.kind() == io::ErrorKind::InvalidData => return Ok(HeadResult::TooLarge),
            Err(e) => return Err(e),
        };
        if l.is_empty() {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "eof in headers",
            ));
        }
        if l == b"\r\n" || l == b"\n" {
            break;
        }
        count += 1;
        if count > MAX_HEADERS {
            return Ok(HeadResult::TooLarge);
        }
        let l = String::from_utf8_lossy(&l);
        let Some((name, value)) = l.split_once(':') else {
            return Ok(HeadResult::Bad("malformed header"));
        };
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "content-length" => match value.parse::<usize>() {
                Ok(n) if head.content_length.is_none_or(|m| m == n) => {
                    head.content_length = Some(n)
                }
                _ => head.bad_length = true,
            },
            "transfer-encoding" => {
                let v = value.to_ascii_lowercase();
                if v == "chunked" {
                    head.chunked = true;
                } else if v != "identity" {
                    head.other_encoding = true;
                }
            }
            "connection" => {
                let v = value.to_ascii_lowercase();
                head.close |= v.contains("close");
                head.keep_alive |= v.contains("keep-alive");
            }
            "expect" => head.expect_continue = value.eq_ignore_ascii_case("100-continue"),
            "upgrade" => head.websocket = value.eq_ignore_ascii_case("websocket"),
            "sec-websocket-key" => head.ws_key = Some(value.to_string()),
            _ => {}
        }
    }
    Ok(HeadResult::Ok(head))
}

/// Reads a chunked body up to `max` bytes; None when larger.
fn read_chunked(r: &mut BufReader<TcpStream>, max: usize) -> io::Result<Option<Vec<u8>>> {
    let mut body = Vec::new();
    loop {
        let mut budget = 1024;
        let line = read_line(r, &mut budget)?;
        let line = String::from_utf8_lossy(&line);
        let size_str = line.trim().split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size_str, 16)
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "bad chunk size"))?;
        if size == 0 {
            // trailers
            let mut budget = MAX_HEADER_BYTES;
            loop {
                let l = read_line(r, &mut budget)?;
                if l.is_empty() || l == b"\r\n" || l == b"\n" {
                    return Ok(Some(body));
                }
            }
        }
        if body.len().saturating_add(size) > max {
            return Ok(None);
        }
        let start = body.len();
        body.resize(start + size, 0);
        r.read_exact(&mut body[start..])?;
        let mut crlf = [0u8; 2];
        r.read_exact(&mut crlf)?;
        if &crlf != b"\r\n" {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "bad chunk terminator",
            ));
        }
    }
}

fn write_response(
    w: &mut TcpStream,
    status: u16,
    reason: &str,
    ctype: &str,
    body: &[u8],
    keep_alive: bool,
) -> io::Result<()> {
    let mut out = Vec::with_capacity(body.len() + 256);
    write!(
        out,
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nAccess-Control-Allow-Origin: *\r\nConnection: {}\r\n\r\n",
        body.len(),
        if keep_alive { "keep-alive" } else { "close" }
    )?;
    out.extend_from_slice(body);
    w.write_all(&out)?;
    w.flush()
}

fn json_error_body(code: i64, msg: &str) -> Vec<u8> {
    serde_json::to_vec(
        &serde_json::json!({"jsonrpc": "2.0", "id": null, "error": {"code": code, "message": msg}}),
    )
    .unwrap_or_default()
}

/// Answers a request that ends the connection: a plain-text error, written best-effort.
fn refuse(w: &mut TcpStream, status: u16, reason: &str, body: &[u8]) {
    let _ = write_response(w, status, reason, "text/plain", body, false);
}

/// A JSON-RPC error for a body over the size limit (413), written best-effort.
fn refuse_too_large(w: &mut TcpStream, msg: &str) {
    let body = json_error_body(-32600, msg);
    let _ = write_response(
        w,
        413,
        "Payload Too Large",
        "application/json",
        &body,
        false,
    );
}

/// What to do with a request once its head is read.
enum Route {
    /// Answered (or refused): close the connection.
    Close,
    /// Answered: read the next request.
    Next,
    /// A WebSocket upgrade with this key.
    WebSocket(String),
    /// A JSON-RPC POST: read its body.
    Post,
}

/// Checks a request's head and answers what needs no body (errors, CORS preflight).
fn route(
    head: &Head,
    keep_alive: bool,
    w: &mut TcpStream,
    limits: &HttpLimits,
) -> io::Result<Route> {
    if head.bad_length || (head.chunked && head.content_length.is_some()) {
        refuse(w, 400, "Bad Request", b"invalid Content-Length\n");
        return Ok(Route::Close);
    }
    if head.other_encoding {
        refuse(
            w,
            501,
            "Not Implemented",
            b"unsupported transfer encoding\n",
        );
        return Ok(Route::Close);
    }
    if head.method == "GET" && head.websocket {
        let Some(key) = head.ws_key.clone() else {
            refuse(w, 400, "Bad Request", b"missing Sec-WebSocket-Key\n");
            return Ok(Route::Close);
        };
        return Ok(Route::WebSocket(key));
    }
    match head.method.as_str() {
        "POST" => {}
        "OPTIONS" => {
            let msg = "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Methods: POST, OPTIONS\r\nAccess-Control-Allow-Headers: *\r\nAccess-Control-Max-Age: 86400\r\nContent-Length: 0\r\n\r\n";
            w.write_all(msg.as_bytes())?;
            if !keep_alive || head.content_length.unwrap_or(0) > 0 || head.chunked {
                return Ok(Route::Close);
            }
            return Ok(Route::Next);
        }
        _ => {
            refuse(
                w,
                405,
                "Method Not Allowed",
                b"vvv-devnet: JSON-RPC 2.0 over HTTP POST\n",
            );
            return Ok(Route::Close);
        }
    }
    if let Some(n) = head.content_length.filter(|n| *n > limits.max_body_bytes) {
        refuse_too_large(
            w,
            &format!(
                "request body of {n} bytes is larger than the limit of {} bytes",
                limits.max_body_bytes
            ),
        );
        return Ok(Route::Close);
    }
    Ok(Route::Post)
}

/// A POST's body (None: refused, close the connection).
fn read_body(
    r: &mut BufReader<TcpStream>,
    w: &mut TcpStream,
    head: &Head,
    limits: &HttpLimits,
) -> io::Result<Option<Vec<u8>>> {
    if head.expect_continue {
        w.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
    }
    if !head.chunked {
        let mut b = vec![0u8; head.content_length.unwrap_or(0)];
        r.read_exact(&mut b)?;
        return Ok(Some(b));
    }
    match read_chunked(r, limits.max_body_bytes) {
        Ok(Some(b)) => Ok(Some(b)),
        Ok(None) => {
            refuse_too_large(
                w,
                &format!(
                    "request body is larger than the limit of {} bytes",
                    limits.max_body_bytes
                ),
            );
            Ok(None)
        }
        Err(e) if e.kind() == io::ErrorKind::InvalidData => {
            refuse(w, 400, "Bad Request", b"malformed chunked body\n");
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

fn serve_conn(stream: TcpStream, shared: &HttpShared) -> io::Result<()> {
    let limits = &shared.limits;
    stream.set_read_timeout(Some(limits.idle_timeout))?;
    stream.set_write_timeout(Some(limits.idle_timeout))?;
    let _ = stream.set_nodelay(true);
    let mut w = stream.try_clone()?;
    let mut r = BufReader::with_capacity(64 * 1024, stream);
    let jobs = shared
        .jobs
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    loop {
        if shared.stop.load(Ordering::SeqCst) {
            return Ok(());
        }
        let head = match read_head(&mut r)? {
            HeadResult::Eof => return Ok(()),
            HeadResult::Bad(why) => {
                refuse(&mut w, 400, "Bad Request", format!("{why}\n").as_bytes());
                return Ok(());
            }
            HeadResult::TooLarge => {
                refuse(
                    &mut w,
                    431,
                    "Request Header Fields Too Large",
                    b"request head too large\n",
                );
                return Ok(());
            }
            HeadResult::Ok(h) => h,
        };
        let keep_alive = if head.version_11 {
            !head.close
        } else {
            head.keep_alive && !head.close
        };
        match route(&head, keep_alive, &mut w, limits)? {
            Route::Close => return Ok(()),
            Route::Next => continue,
            Route::WebSocket(key) => {
                let msg = format!(
                    "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {}\r\n\r\n",
                    crate::ws::accept_key(&key)
                );
                w.write_all(msg.as_bytes())?;
                return crate::ws::serve(r, w, shared, jobs);
            }
            Route::Post => {}
        }
        let Some(body) = read_body(&mut r, &mut w, &head, limits)? else {
            return Ok(());
        };
        match handle_body(&body, &jobs, limits.max_batch) {
            Some(resp) => write_response(&mut w, 200, "OK", "application/json", &resp, keep_alive)?,
            None => {
                let msg = format!("HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\nConnection: {}\r\n\r\n", if keep_alive { "keep-alive" } else { "close" });
                w.write_all(msg.as_bytes())?;
            }
        }
        if !keep_alive {
            return Ok(());
        }
    }
}
