//! JSON-RPC 2.0 framing: parses a request body (single call or batch), validates each call,
//! hands the valid ones to the executor as one job, and builds the response body.

use crate::json::{code, response_err, response_ok, RpcError, RpcResult};
use serde_json::Value;
use std::sync::mpsc::{sync_channel, Sender};

/// One validated call.
pub struct Call {
    pub method: String,
    pub params: Vec<Value>,
}

/// Work for the executor thread.
pub enum Job {
    /// Calls to run in order; the results go back on the channel.
    Rpc(Vec<Call>, std::sync::mpsc::SyncSender<Vec<RpcResult>>),
    /// Arbitrary in-process access to the node (tests, tools).
    Exec(Box<dyn FnOnce(&mut crate::node::Node) + Send>),
    Stop,
}

enum Slot {
    /// A call to run; respond with this id (None: a notification, no response).
    Run(Option<Value>),
    /// Invalid entry: respond with this error right away.
    Invalid(Value, RpcError),
}

fn validate(v: Value) -> (Slot, Option<Call>) {
    let Value::Object(mut o) = v else {
        return (
            Slot::Invalid(
                Value::Null,
                RpcError::new(code::INVALID_REQUEST, "invalid request: expected an object"),
            ),
            None,
        );
    };
    let id = o.remove("id");
    let id_ok = matches!(
        id,
        None | Some(Value::Null | Value::String(_) | Value::Number(_))
    );
    if !id_ok {
        return (
            Slot::Invalid(
                Value::Null,
                RpcError::new(
                    code::INVALID_REQUEST,
                    "invalid request: id must be a string, number or null",
                ),
            ),
            None,
        );
    }
    let rid = id.clone().unwrap_or(Value::Null);
    match o.get("jsonrpc") {
        None => {}
        Some(Value::String(s)) if s == "2.0" => {}
        Some(_) => {
            return (
                Slot::Invalid(
                    rid,
                    RpcError::new(
                        code::INVALID_REQUEST,
                        "invalid request: jsonrpc must be \"2.0\"",
                    ),
                ),
                None,
            )
        }
    }
    let method = match o.remove("method") {
        Some(Value::String(m)) if m.len() <= 256 => m,
        Some(Value::String(_)) => {
            return (
                Slot::Invalid(
                    rid,
                    RpcError::new(code::METHOD_NOT_FOUND, "method name too long"),
                ),
                None,
            )
        }
        _ => {
            return (
                Slot::Invalid(
                    rid,
                    RpcError::new(
                        code::INVALID_REQUEST,
                        "invalid request: method must be a string",
                    ),
                ),
                None,
            )
        }
    };
    let params = match o.remove("params") {
        None | Some(Value::Null) => vec![],
        Some(Value::Array(a)) => a,
        Some(_) => {
            return (
                Slot::Invalid(
                    rid,
                    RpcError::params("params must be an array (positional)"),
                ),
                None,
            )
        }
    };
    (Slot::Run(id), Some(Call { method, params }))
}

/// Handles one HTTP body; None when nothing is to be sent back (only notifications).
pub fn handle_body(body: &[u8], jobs: &Sender<Job>, max_batch: usize) -> Option<Vec<u8>> {
    let parsed: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => {
            let err = RpcError::new(code::PARSE_ERROR, format!("parse error: {e}"));
            return Some(serde_json::to_vec(&response_err(&Value::Null, &err)).unwrap_or_default());
        }
    };
    let (items, batch) = match parsed {
        Value::Array(a) => {
            if a.is_empty() {
                let err = RpcError::new(code::INVALID_REQUEST, "invalid request: empty batch");
                return Some(
                    serde_json::to_vec(&response_err(&Value::Null, &err)).unwrap_or_default(),
                );
            }
            if a.len() > max_batch {
                let err = RpcError::new(
                    code::INVALID_REQUEST,
                    format!(
                        "invalid request: batch of {} calls, at most {max_batch}",
                        a.len()
                    ),
                );
                return Some(
                    serde_json::to_vec(&response_err(&Value::Null, &err)).unwrap_or_default(),
                );
            }
            (a, true)
        }
        v => (vec![v], false),
    };
    let mut slots = Vec::with_capacity(items.len());
    let mut calls = Vec::new();
    for item in items {
        let (slot, call) = validate(item);
        slots.push(slot);
        calls.extend(call);
    }
    let mut results = if calls.is_empty() {
        Vec::new()
    } else {
        let (tx, rx) = sync_channel(1);
        let n = calls.len();
        let sent = jobs.send(Job::Rpc(calls, tx)).is_ok();
        match rx.recv() {
            Ok(r) if sent => r,
            _ => (0..n)
                .map(|_| Err(RpcError::new(code::INTERNAL, "the devnet is shutting down")))
                .collect(),
        }
    }
    .into_iter();
    let mut out = Vec::new();
    for slot in slots {
        match slot {
            Slot::Invalid(id, e) => out.push(response_err(&id, &e)),
            Slot::Run(id) => {
                let r = results
                    .next()
                    .unwrap_or_else(|| Err(RpcError::new(code::INTERNAL, "missing result")));
                if let Some(id) = id {
                    out.push(match r {
                        Ok(v) => response_ok(&id, v),
                        Err(e) => response_err(&id, &e),
                    });
                }
            }
        }
    }
    if out.is_empty() {
        return None;
    }
    let v = if batch {
        Value::Array(out)
    } else {
        out.pop().unwrap()
    };
    Some(serde_json::to_vec(&v).unwrap_or_default())
}
