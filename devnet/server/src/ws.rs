//! JSON-RPC over WebSocket (RFC 6455) on the HTTP port: every method, plus `eth_subscribe`
//! (`newHeads`, `logs`, `newPendingTransactions`) and `eth_unsubscribe`, whose notifications
//! a connection pushes as blocks are mined (it polls the chain every 50 ms).

use crate::http::HttpShared;
use crate::json::{code, response_err, response_ok, to_value, RpcError};
use crate::node::{LogFilter, Node};
use crate::rpc::{handle_body, Job};
use serde_json::{json, Value};
use sha1::{Digest, Sha1};
use std::io::{self, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

const GUID: &str = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
const POLL: Duration = Duration::from_millis(50);
/// Most subscriptions one connection may hold.
const MAX_SUBSCRIPTIONS: usize = 128;

/// `Sec-WebSocket-Accept` for a client key.
pub fn accept_key(key: &str) -> String {
    let digest = Sha1::digest(format!("{key}{GUID}").as_bytes());
    base64(&digest)
}

fn base64(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for c in bytes.chunks(3) {
        let n = (c[0] as u32) << 16
            | (*c.get(1).unwrap_or(&0) as u32) << 8
            | *c.get(2).unwrap_or(&0) as u32;
        for i in 0..4 {
            if i <= c.len() {
                out.push(T[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

enum Incoming {
    Text(Vec<u8>),
    Ping(Vec<u8>),
    Close,
}

/// Reads one (possibly fragmented) message; control frames come back as they arrive.
fn read_message(r: &mut impl Read, max: usize) -> io::Result<Incoming> {
    let mut message = Vec::new();
    loop {
        let mut h = [0u8; 2];
        r.read_exact(&mut h)?;
        let fin = h[0] & 0x80 != 0;
        let opcode = h[0] & 0x0f;
        let masked = h[1] & 0x80 != 0;
        let mut len = (h[1] & 0x7f) as u64;
        if len == 126 {
            let mut b = [0u8; 2];
            r.read_exact(&mut b)?;
            len = u16::from_be_bytes(b) as u64;
        } else if len == 127 {
            let mut b = [0u8; 8];
            r.read_exact(&mut b)?;
            len = u64::from_be_bytes(b);
        }
        if !masked {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "unmasked client frame",
            ));
        }
        if len as usize > max || message.len() + len as usize > max {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "message too large",
            ));
        }
        let mut mask = [0u8; 4];
        r.read_exact(&mut mask)?;
        let mut payload = vec![0u8; len as usize];
        r.read_exact(&mut payload)?;
        for (i, b) in payload.iter_mut().enumerate() {
            *b ^= mask[i % 4];
        }
        match opcode {
            0x8 => return Ok(Incoming::Close),
            0x9 => return Ok(Incoming::Ping(payload)),
            0xA => continue,
            0x0..=0x2 => {
                message.extend(payload);
                if fin {
                    return Ok(Incoming::Text(message));
                }
            }
            _ => return Err(io::Error::new(io::ErrorKind::InvalidData, "bad opcode")),
        }
    }
}

fn write_frame(w: &mut impl Write, opcode: u8, payload: &[u8]) -> io::Result<()> {
    let mut head = vec![0x80 | opcode];
    match payload.len() {
        n if n < 126 => head.push(n as u8),
        n if n < 65536 => {
            head.push(126);
            head.extend((n as u16).to_be_bytes());
        }
        n => {
            head.push(127);
            head.extend((n as u64).to_be_bytes());
        }
    }
    w.write_all(&head)?;
    w.write_all(payload)
}

enum SubKind {
    Heads,
    Logs(LogFilter),
    PendingTxs,
}
struct Subscription {
    id: String,
    kind: SubKind,
    last: u64,
}

/// Runs `f` on the chain thread and waits for its answer.
fn on_node<R: Send + 'static>(
    jobs: &Sender<Job>,
    f: impl FnOnce(&mut Node) -> R + Send + 'static,
) -> Option<R> {
    let (tx, rx) = channel();
    jobs.send(Job::Exec(Box::new(move |n: &mut Node| {
        let _ = tx.send(f(n));
    })))
    .ok()?;
    rx.recv().ok()
}

/// Serves a WebSocket connection after the handshake.
pub fn serve(
    r: BufReader<TcpStream>,
    mut w: TcpStream,
    shared: &HttpShared,
    jobs: Sender<Job>,
) -> io::Result<()> {
    let max = shared.limits.max_body_bytes;
    // no read timeout: the reader thread blocks; the connection ends when it closes
    r.get_ref().set_read_timeout(None)?;
    let (in_tx, in_rx): (Sender<io::Result<Incoming>>, Receiver<_>) = channel();
    let mut reader = r;
    std::thread::spawn(move || loop {
        let m = read_message(&mut reader, max);
        let stop = !matches!(m, Ok(Incoming::Text(_)) | Ok(Incoming::Ping(_)));
        if in_tx.send(m).is_err() || stop {
            return;
        }
    });
    let mut subs: Vec<Subscription> = Vec::new();
    let mut next_sub: u64 = 1;
    loop {
        if shared.stop.load(Ordering::SeqCst) {
            let _ = write_frame(&mut w, 0x8, &[]);
            return Ok(());
        }
        match in_rx.recv_timeout(POLL) {
            Ok(Ok(Incoming::Text(body))) => {
                let resp = handle_ws_body(&body, &jobs, shared, &mut subs, &mut next_sub);
                if let Some(resp) = resp {
                    write_frame(&mut w, 0x1, &resp)?;
                }
            }
            Ok(Ok(Incoming::Ping(p))) => write_frame(&mut w, 0xA, &p)?,
            Ok(Ok(Incoming::Close)) | Ok(Err(_)) | Err(RecvTimeoutError::Disconnected) => {
                let _ = write_frame(&mut w, 0x8, &[]);
                return Ok(());
            }
            Err(RecvTimeoutError::Timeout) => {}
        }
        if !subs.is_empty() {
            push_notifications(&mut w, &jobs, &mut subs)?;
        }
    }
}

fn handle_ws_body(
    body: &[u8],
    jobs: &Sender<Job>,
    shared: &HttpShared,
    subs: &mut Vec<Subscription>,
    next_sub: &mut u64,
) -> Option<Vec<u8>> {
    // eth_subscribe / eth_unsubscribe are per connection; everything else is plain JSON-RPC
    if let Ok(Value::Object(o)) = serde_json::from_slice::<Value>(body) {
        let method = o.get("method").and_then(|m| m.as_str()).unwrap_or("");
        if method == "eth_subscribe" || method == "eth_unsubscribe" {
            let id = o.get("id").cloned().unwrap_or(Value::Null);
            let params = match o.get("params") {
                Some(Value::Array(a)) => a.clone(),
                None | Some(Value::Null) => vec![],
                Some(_) => {
                    let e = RpcError::params("params must be an array");
                    return serde_json::to_vec(&response_err(&id, &e)).ok();
                }
            };
            let res = if method == "eth_subscribe" {
                subscribe(&params, jobs, subs, next_sub)
            } else {
                let sid = params.first().and_then(|v| v.as_str()).unwrap_or("");
                let before = subs.len();
                subs.retain(|s| s.id != sid);
                Ok(json!(subs.len() != before))
            };
            let v = match res {
                Ok(r) => response_ok(&id, r),
                Err(e) => response_err(&id, &e),
            };
            return serde_json::to_vec(&v).ok();
        }
    }
    handle_body(body, jobs, shared.limits.max_batch)
}

fn subscribe(
    params: &[Value],
    jobs: &Sender<Job>,
    subs: &mut Vec<Subscription>,
    next_sub: &mut u64,
) -> Result<Value, RpcError> {
    if subs.len() >= MAX_SUBSCRIPTIONS {
        return Err(RpcError::server(format!(
            "too many subscriptions on this connection (at most {MAX_SUBSCRIPTIONS})"
        )));
    }
    let kind = match params.first().and_then(|v| v.as_str()) {
        Some("newHeads") if params.len() == 1 => SubKind::Heads,
        Some("newPendingTransactions") => SubKind::PendingTxs,
        Some("logs") if params.len() <= 2 => {
            let criteria = params.get(1).cloned().unwrap_or_else(|| json!({}));
            if !criteria.is_object() {
                return Err(RpcError::params(
                    "logs subscription: expected a filter object",
                ));
            }
            let criteria = LogFilter::parse(&criteria)?;
            // validate the filter now (an empty window)
            let c = criteria.clone();
            let check = on_node(jobs, move |n| {
                let latest = n.chain.block_number();
                let w = n.logs_window(&c, latest, latest)?;
                match w {
                    Some(w) => n.get_logs(&w).map(|_| ()),
                    None => Ok(()),
                }
            })
            .ok_or_else(|| RpcError::new(code::INTERNAL, "node stopped"))?;
            check?;
            SubKind::Logs(criteria)
        }
        Some(other) => {
            return Err(RpcError::params(format!(
                "unsupported subscription {other:?} (newHeads, logs, newPendingTransactions)"
            )))
        }
        None => return Err(RpcError::params("missing subscription name")),
    };
    let last = on_node(jobs, |n| n.chain.block_number())
        .ok_or_else(|| RpcError::new(code::INTERNAL, "node stopped"))?;
    let id = format!("0x{:032x}", *next_sub);
    *next_sub += 1;
    subs.push(Subscription {
        id: id.clone(),
        kind,
        last,
    });
    Ok(json!(id))
}

/// Sends what each subscription has not seen yet.
fn push_notifications(
    w: &mut TcpStream,
    jobs: &Sender<Job>,
    subs: &mut [Subscription],
) -> io::Result<()> {
    let wanted: Vec<(u64, Option<LogFilter>, u8)> = subs
        .iter()
        .map(|s| match &s.kind {
            SubKind::Heads => (s.last, None, 0),
            SubKind::Logs(c) => (s.last, Some(c.clone()), 1),
            SubKind::PendingTxs => (s.last, None, 2),
        })
        .collect();
    let Some((latest, results)) = on_node(jobs, move |n| {
        let latest = n.chain.block_number();
        let results: Vec<Vec<Value>> = wanted
            .iter()
            .map(|(last, criteria, kind)| {
                if *last >= latest {
                    return vec![];
                }
                match kind {
                    0 => (last + 1..=latest)
                        .filter_map(|b| n.chain.block(b).cloned())
                        .filter_map(|b| to_value(&n.rpc_block(&b, false)).ok())
                        .collect(),
                    2 => (last + 1..=latest)
                        .filter_map(|b| n.chain.block(b).cloned())
                        .flat_map(|b| b.transactions.into_iter())
                        .map(|h| json!(format!("{h:#x}")))
                        .collect(),
                    _ => {
                        let c = criteria.as_ref().expect("logs criteria");
                        match n.logs_window(c, last + 1, latest) {
                            Ok(Some(w)) => n
                                .get_logs(&w)
                                .unwrap_or_default()
                                .iter()
                                .filter_map(|l| to_value(l).ok())
                                .collect(),
                            _ => vec![],
                        }
                    }
                }
            })
            .collect();
        (latest, results)
    }) else {
        return Err(io::Error::other("node stopped"));
    };
    for (s, items) in subs.iter_mut().zip(results) {
        s.last = s.last.max(latest);
        for item in items {
            let note = json!({
                "jsonrpc": "2.0",
                "method": "eth_subscription",
                "params": {"subscription": s.id, "result": item},
            });
            write_frame(w, 0x1, &serde_json::to_vec(&note).unwrap_or_default())?;
        }
    }
    Ok(())
}
