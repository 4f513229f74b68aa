//! The `debug_` methods: `debug_traceTransaction` and `debug_traceCall` with geth's struct
//! logger, its `callTracer`, Nitro's `stylusTracer` and `cargo stylus`'s JavaScript hostio
//! tracer (recognised, not run). The traces stay hand-built JSON: alloy's eth types have none.

use super::errors::{decode_error_string, decode_panic, tx_error_message};
use super::{CallParams, Node};
use crate::json::*;
use alloy_consensus::{Transaction as _, TxEnvelope};
use alloy_eips::eip2718::Decodable2718;
use alloy_primitives::B256;
use serde_json::{json, Map, Value};
use vvv_devnet_engine::{
    BlockOverride, CallFrame, CallRequest, CallResult, CallTrace, Devnet, HostioRecord, StructLog,
    StructLogConfig,
};

impl Node {
    /// `debug_traceTransaction`: the transaction re-run on the state before its block, in its
    /// block's environment, with the tracer asked for.
    pub(super) fn trace_transaction(&mut self, h: B256, tracer: Tracer) -> RpcResult {
        let r = self
            .chain
            .receipt(h)
            .cloned()
            .ok_or_else(|| RpcError::server(format!("transaction {h:#x} not found")))?;
        let raw = self.chain.raw_transaction(&h).cloned().ok_or_else(|| {
            RpcError::server("transaction was not signed (impersonated): cannot replay")
        })?;
        let env =
            TxEnvelope::decode_2718(&mut &raw[..]).map_err(|e| RpcError::server(e.to_string()))?;
        let block = self
            .chain
            .block(r.block_number)
            .cloned()
            .ok_or_else(|| RpcError::server("block not found"))?;
        let req = CallRequest {
            from: r.from,
            to: env.to(),
            value: env.value(),
            data: env.input().clone(),
            gas: Some(env.gas_limit()),
            gas_price: Some(r.effective_gas_price),
            access_list: env
                .access_list()
                .map(|l| {
                    l.0.iter()
                        .map(|i| (i.address, i.storage_keys.clone()))
                        .collect()
                })
                .unwrap_or_default(),
            block: Some(BlockOverride {
                number: Some(block.number),
                time: Some(block.timestamp),
                ..Default::default()
            }),
        };
        self.trace(&req, Some(r.block_number.saturating_sub(1)), tracer)
    }

    /// `debug_traceCall`: the call on the state of the block asked for.
    pub(super) fn trace_call(&mut self, c: CallParams, tracer: Tracer) -> RpcResult {
        let req = self.call_request(&c.tx);
        let at = self.call_block(c.block)?;
        self.prepare_time();
        self.trace(&req, at, tracer)
    }

    /// Runs `req` on the state of block `at` with a tracer: the `callTracer`'s top frame, or
    /// the Stylus hostio trace (native or as the `cargo stylus` JavaScript tracer returns it).
    fn trace(&mut self, req: &CallRequest, at: Option<u64>, tracer: Tracer) -> RpcResult {
        if let Tracer::Struct(config) = tracer {
            let (res, logs) = self
                .chain
                .struct_log_at(req, at, config, self.settings.trace_limits)
                .map_err(|e| RpcError::server(tx_error_message(&e)))?;
            let logs = logs.map_err(|e| RpcError::server(format!("struct logger: {e}")))?;
            return Ok(struct_log_json(&res, &logs));
        }
        if let Tracer::Call {
            only_top_call,
            with_log,
        } = tracer
        {
            let (res, trace) = self
                .chain
                .call_trace_at(req, at, &[], self.settings.trace_limits)
                .map_err(|e| RpcError::server(tx_error_message(&e)))?;
            let mut trace = trace.map_err(|e| RpcError::server(format!("callTracer: {e}")))?;
            if only_top_call {
                // geth sees no inner frame, so every log of the top frame is at position 0
                trace.calls.clear();
                trace.logs.iter_mut().for_each(|l| l.position = 0);
            }
            return Ok(call_frame_json(req, &res, trace, with_log));
        }
        let (_, trace) = self
            .chain
            .trace_call_at(req, at, &[], self.settings.trace_limits)
            .map_err(|e| RpcError::server(tx_error_message(&e)))?;
        let records = trace.map_err(|e| RpcError::server(format!("stylusTracer: {e}")))?;
        Ok(hostio_trace_json(&records, tracer == Tracer::StylusJs))
    }
}

/// The JavaScript tracer of `cargo stylus` (stylus-tools 0.10.10, `src/core/tracing/query.js`,
/// MIT OR Apache-2.0). The devnet runs no JavaScript: it recognises this program and answers
/// what Nitro's JavaScript engine would compute with it from the same hostio trace.
pub const CARGO_STYLUS_JS_TRACER: &str = include_str!("stylus_trace_query.js");

/// The tracers `debug_traceTransaction`/`debug_traceCall` serve.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tracer {
    /// geth's struct logger (no `tracer` given): every EVM opcode, with its options.
    Struct(StructLogConfig),
    /// geth's `callTracer`: the transaction's frame and, unless `onlyTopCall`, every frame
    /// below it; with `withLog`, the logs each frame emitted.
    Call { only_top_call: bool, with_log: bool },
    /// Nitro's native `stylusTracer` (`cargo stylus trace --use-native-tracer`).
    Stylus,
    /// The JavaScript hostio tracer `cargo stylus trace`/`simulate` send by default.
    StylusJs,
}

/// Whether `tracer` is `CARGO_STYLUS_JS_TRACER`, up to whitespace (formatting is all a client's
/// copy may change; the program is compared character for character).
fn is_cargo_stylus_js_tracer(tracer: &str) -> bool {
    let program = |s: &str| -> String { s.chars().filter(|c| !c.is_whitespace()).collect() };
    program(tracer) == program(CARGO_STYLUS_JS_TRACER)
}

pub(super) fn tracer(opts: Option<&Value>) -> RpcResult<Tracer> {
    if let Some(o) = opts {
        if !o.is_object() {
            return Err(RpcError::params("tracer options must be an object"));
        }
    }
    match opts.and_then(|o| o.get("tracer")) {
        None | Some(Value::Null) => struct_log_config(opts).map(Tracer::Struct),
        Some(Value::String(t)) if t == "callTracer" => {
            let config = opts.and_then(|o| o.get("tracerConfig"));
            let flag = |name: &str| match config.and_then(|c| c.get(name)) {
                None | Some(Value::Null) => Ok(false),
                Some(Value::Bool(b)) => Ok(*b),
                Some(_) => Err(RpcError::params(format!("tracerConfig.{name} must be a boolean"))),
            };
            Ok(Tracer::Call {
                only_top_call: flag("onlyTopCall")?,
                with_log: flag("withLog")?,
            })
        }
        Some(Value::String(t)) if t == "stylusTracer" => Ok(Tracer::Stylus),
        Some(Value::String(t)) if is_cargo_stylus_js_tracer(t) => Ok(Tracer::StylusJs),
        Some(Value::String(t)) if t.trim_start().starts_with('{') => Err(RpcError::server(
            "vvv-devnet does not run JavaScript tracers (it recognises only cargo stylus's hostio tracer); use {\"tracer\": \"callTracer\"} or {\"tracer\": \"stylusTracer\"}",
        )),
        Some(Value::String(t)) => Err(RpcError::server(format!(
            "tracer {t:?} is not supported by vvv-devnet (only \"callTracer\" and \"stylusTracer\")"
        ))),
        Some(_) => Err(RpcError::params("tracer must be a string")),
    }
}

/// The struct logger's options (geth's `logger.Config`, at the top level of the trace options).
fn struct_log_config(opts: Option<&Value>) -> RpcResult<StructLogConfig> {
    let flag = |name: &str| match opts.and_then(|o| o.get(name)) {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(_) => Err(RpcError::params(format!("{name} must be a boolean"))),
    };
    let limit = match opts.and_then(|o| o.get("limit")) {
        None | Some(Value::Null) => 0,
        Some(v) => v
            .as_u64()
            .and_then(|n| usize::try_from(n).ok())
            .ok_or_else(|| RpcError::params("limit must be a non-negative integer"))?,
    };
    Ok(StructLogConfig {
        enable_memory: flag("enableMemory")?,
        disable_stack: flag("disableStack")?,
        disable_storage: flag("disableStorage")?,
        enable_return_data: flag("enableReturnData")?,
        limit,
    })
}

/// geth's struct logger result: the gas used, whether the call failed, its return data (hex
/// without `0x`, as geth writes it; empty when it failed other than by reverting) and one object
/// per opcode, with geth's field names and encodings (stack items as `0x` quantities, memory as
/// 32-byte words and storage as 32-byte hex without `0x`).
fn struct_log_json(r: &CallResult, logs: &[StructLog]) -> Value {
    // geth writes these without 0x
    let hex_plain = |b: &[u8]| alloy_primitives::hex::encode(b);
    let entries: Vec<Value> = logs
        .iter()
        .map(|l| {
            let mut o = json!({
                "pc": l.pc,
                "op": l.op_name(),
                "gas": l.gas,
                "gasCost": l.gas_cost,
                "depth": l.depth,
            });
            let m = o.as_object_mut().expect("an object");
            if let Some(e) = &l.error {
                m.insert("error".into(), json!(e));
            }
            if let Some(stack) = &l.stack {
                m.insert(
                    "stack".into(),
                    json!(stack.iter().map(|v| format!("{v:#x}")).collect::<Vec<_>>()),
                );
            }
            if let Some(d) = l.return_data.as_ref().filter(|d| !d.is_empty()) {
                m.insert("returnData".into(), json!(d));
            }
            if let Some(memory) = &l.memory {
                m.insert(
                    "memory".into(),
                    json!(memory.chunks_exact(32).map(hex_plain).collect::<Vec<_>>()),
                );
            }
            if let Some(storage) = &l.storage {
                let slots: serde_json::Map<String, Value> = storage
                    .iter()
                    .map(|(k, v)| (hex_plain(k.as_slice()), json!(hex_plain(v.as_slice()))))
                    .collect();
                m.insert("storage".into(), Value::Object(slots));
            }
            if l.refund != 0 {
                m.insert("refund".into(), json!(l.refund));
            }
            o
        })
        .collect();
    let return_value = if r.success || r.reverted {
        hex_plain(&r.output)
    } else {
        String::new()
    };
    json!({
        "gas": r.gas_used,
        "failed": !r.success,
        "returnValue": return_value,
        "structLogs": entries,
    })
}

/// The hostio trace as Nitro's `stylusTracer` marshals it: `name`, `args`, `outs`, `startInk`,
/// `endInk`, plus `address` and `steps` for calls. With `js`, as `cargo stylus`'s JavaScript
/// tracer builds it instead: a frame no hostio claimed is the object its `enter` pushed,
/// `{address, steps, name}` without the other fields.
fn hostio_trace_json(records: &[HostioRecord], js: bool) -> Value {
    let list = records
        .iter()
        .map(|r| {
            let mut o = Map::new();
            if r.is_hostio || !js {
                o.insert("name".into(), json!(r.name));
                o.insert("args".into(), data(&r.args));
                o.insert("outs".into(), data(&r.outs));
                o.insert("startInk".into(), json!(r.start_ink));
                o.insert("endInk".into(), json!(r.end_ink));
            }
            if let Some((address, steps)) = &r.frame {
                // Nitro marshals a common.Address (JS: toHex) in lower case
                o.insert("address".into(), json!(format!("{address:#x}")));
                o.insert("steps".into(), hostio_trace_json(steps, js));
            }
            if !r.is_hostio && js {
                o.insert("name".into(), json!(r.name));
            }
            Value::Object(o)
        })
        .collect();
    Value::Array(list)
}

/// geth's `callTracer` frame for the transaction (its gas and `gasUsed` are the transaction's),
/// with the frames it entered (`calls`, omitted when empty, as geth's) and, with `with_log`, the
/// logs of each frame.
fn call_frame_json(req: &CallRequest, r: &CallResult, trace: CallTrace, with_log: bool) -> Value {
    let error = (!r.success).then(|| {
        if r.reverted {
            "execution reverted".to_string()
        } else {
            r.halt.clone().unwrap_or_default()
        }
    });
    let top = CallFrame {
        kind: if req.to.is_some() { "CALL" } else { "CREATE" },
        from: req.from,
        to: req.to.unwrap_or_default(),
        value: Some(req.value),
        // the gas the frame is entered with: the limit less the intrinsic gas, as geth reports
        // it (its `gasUsed` is the transaction's, intrinsic gas included)
        gas: req
            .gas
            .unwrap_or_default()
            .saturating_sub(Devnet::request_intrinsic_gas(req)),
        gas_used: r.gas_used,
        input: req.data.clone(),
        output: r.output.clone(),
        error,
        calls: trace.calls,
        logs: trace.logs,
    };
    let mut o = frame_json(&top, with_log);
    if req.to.is_none() {
        // a creation's top frame has no `to` here (the address is in the receipt)
        if let Some(o) = o.as_object_mut() {
            o.remove("to");
        }
    }
    o
}

/// geth's `callTracer` JSON of a frame and the frames below it.
fn frame_json(f: &CallFrame, with_log: bool) -> Value {
    let mut o = json!({
        "type": f.kind,
        "from": addr(&f.from),
        "to": addr(&f.to),
        "gas": qty(f.gas),
        "gasUsed": qty(f.gas_used),
        "input": data(&f.input),
    });
    if let Some(value) = f.value {
        o["value"] = qty_u256(value);
    }
    if !f.output.is_empty() {
        o["output"] = data(&f.output);
    }
    if let Some(error) = &f.error {
        o["error"] = json!(error);
        // geth decodes the reason of a revert whose data is `Error(string)` or `Panic(uint256)`
        if error == "execution reverted" {
            let reason = decode_error_string(&f.output).or_else(|| decode_panic(&f.output));
            if let Some(reason) = reason {
                o["revertReason"] = json!(reason);
            }
        }
    }
    if !f.calls.is_empty() {
        o["calls"] = f.calls.iter().map(|c| frame_json(c, with_log)).collect();
    }
    if with_log && !f.logs.is_empty() {
        o["logs"] = f
            .logs
            .iter()
            .map(|l| {
                json!({
                    "address": addr(&l.log.address),
                    "topics": l.log.topics(),
                    "data": data(&l.log.data.data),
                    "position": qty(l.position as u64),
                })
            })
            .collect();
    }
    o
}
