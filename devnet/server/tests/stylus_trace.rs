//! The Stylus hostio trace (issue 11, `cargo stylus trace`): `debug_traceTransaction` and
//! `debug_traceCall` with Nitro's native `stylusTracer` and with the JavaScript tracer
//! `cargo stylus` sends, on a VVV transfer and on a program that calls the token.

mod common;

use alloy::primitives::{Address, Bytes, B256, U256};
use alloy::sol_types::{SolCall, SolEvent};
use common::*;
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::time::Instant;

/// A program that calls `call_contract(args[..20], args[20..])` with all its gas and no value,
/// then returns the callee's return data (read back with `read_return_data`) and status.
const FORWARDER: &str = r#"(module
    (import "vm_hooks" "read_args" (func $read_args (param i32)))
    (import "vm_hooks" "call_contract" (func $call (param i32 i32 i32 i32 i64 i32) (result i32)))
    (import "vm_hooks" "read_return_data" (func $read_return_data (param i32 i32 i32) (result i32)))
    (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
    (memory (export "memory") 1 1)
    (func (export "user_entrypoint") (param $len i32) (result i32)
        (local $status i32)
        (call $read_args (i32.const 0))
        ;; value: the zero word at 4096; return data length written at 4352
        (local.set $status (call $call (i32.const 0) (i32.const 20)
            (i32.sub (local.get $len) (i32.const 20)) (i32.const 4096) (i64.const -1)
            (i32.const 4352)))
        (call $write_result (i32.const 8192)
            (call $read_return_data (i32.const 8192) (i32.const 0) (i32.load (i32.const 4352))))
        (local.get $status)))"#;

fn send(a: SocketAddr, tx: Value) -> (Value, Value) {
    let h = rpc_ok(a, "eth_sendTransaction", json!([tx]));
    let r = rpc_ok(a, "eth_getTransactionReceipt", json!([h]));
    assert_eq!(r["status"], "0x1", "{tx}: {r}");
    (h, r)
}

/// Deploys (and activates) `code` through the StylusDeployer; returns the program and the
/// deployment's transaction hash.
fn deploy(a: SocketAddr, from: Address, code: &[u8], ctor: Bytes) -> (Address, Value) {
    let call = IStylusDeployer::deployCall {
        bytecode: init_code(code),
        initData: ctor,
        initValue: U256::ZERO,
        salt: B256::ZERO,
    };
    let (h, r) = send(
        a,
        json!({"from": from, "to": STYLUS_DEPLOYER, "value": "0xde0b6b3a7640000",
               "data": Bytes::from(call.abi_encode()), "gas": "0x1c9c380"}),
    );
    let log = r["logs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["topics"][0] == json!(IStylusDeployer::ContractDeployed::SIGNATURE_HASH))
        .expect("ContractDeployed");
    let d = log["data"].as_str().unwrap();
    (d[d.len() - 40..].parse().unwrap(), h)
}

fn bytes(v: &Value) -> Vec<u8> {
    alloy::hex::decode(v.as_str().expect("hex string").trim_start_matches("0x")).unwrap()
}

fn names(records: &Value) -> Vec<&str> {
    records
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect()
}

fn the<'a>(records: &'a Value, name: &str) -> &'a Value {
    records
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("no {name} in {records}"))
}

/// Checks the records of one program's execution: it starts with `user_entrypoint` (the
/// calldata length), reads the calldata with `read_args`, ends with `user_returned` (status 0), every
/// hostio's ink falls or stays, and each starts with no more ink than the one before ended.
fn check_program_frame(records: &Value, calldata: &[u8]) {
    let list = records.as_array().unwrap();
    let n = names(records);
    assert_eq!(n[0], "user_entrypoint", "{n:?}");
    assert_eq!(*n.last().unwrap(), "user_returned", "{n:?}");
    assert_eq!(
        bytes(&list[0]["args"]),
        (calldata.len() as u32).to_be_bytes()
    );
    assert!(bytes(&list[0]["outs"]).is_empty());
    let read_args = the(records, "read_args");
    assert!(bytes(&read_args["args"]).is_empty());
    assert_eq!(bytes(&read_args["outs"]), calldata);
    let last = list.last().unwrap();
    assert_eq!(bytes(&last["outs"]), [0, 0, 0, 0]);
    // Nitro stamps entry and return with the ink the program started with
    let entry_ink = list[0]["startInk"].as_u64().unwrap();
    assert!(entry_ink > 0);
    assert_eq!(list[0]["endInk"], entry_ink);
    assert_eq!(last["startInk"], entry_ink);
    assert_eq!(last["endInk"], entry_ink);
    let mut before = entry_ink;
    for r in &list[1..list.len() - 1] {
        let (start, end) = (
            r["startInk"].as_u64().unwrap(),
            r["endInk"].as_u64().unwrap(),
        );
        assert!(start <= before, "{r} starts above {before}");
        assert!(end < start, "{r}: a hostio costs ink");
        before = end;
    }
}

#[test]
fn stylus_tracer_records_a_transfer_and_nested_calls() {
    let Some(code) = token_code() else { return };
    let t0 = Instant::now();
    let s = start();
    let a = s.addr();
    let dev = s.accounts()[0].address;
    let bob = Address::repeat_byte(0xb0);
    let (token, _) = deploy(a, dev, &code, ctor_data(dev));
    let transfer = IVvv::transferCall {
        to: bob,
        value: U256::from(1234),
    }
    .abi_encode();
    let (h, receipt) = send(
        a,
        json!({"from": dev, "to": token, "data": Bytes::from(transfer.clone())}),
    );

    // -- the transfer, as Nitro's native tracer records it
    let t = rpc_ok(
        a,
        "debug_traceTransaction",
        json!([h, {"tracer": "stylusTracer"}]),
    );
    eprintln!("transfer hostios: {:?}", names(&t));
    check_program_frame(&t, &transfer);
    // the token's transfer (openzeppelin-stylus ERC-20 on stylus-sdk): the SDK's entry checks
    // (reentrancy, memory), the calldata, non-payable check, the two balances read and
    // cached, the Transfer log, the storage flush, the result
    assert_eq!(
        names(&t),
        [
            "user_entrypoint",
            "msg_reentrant",
            "pay_for_memory_grow",
            "read_args",
            "msg_value",
            "msg_sender",
            "storage_load_bytes32",
            "storage_cache_bytes32",
            "storage_load_bytes32",
            "storage_cache_bytes32",
            "emit_log",
            "storage_flush_cache",
            "write_result",
            "user_returned"
        ]
    );
    assert_eq!(bytes(&the(&t, "msg_sender")["outs"]), dev.as_slice());
    for r in t.as_array().unwrap() {
        let (args, outs) = (bytes(&r["args"]).len(), bytes(&r["outs"]).len());
        match r["name"].as_str().unwrap() {
            "storage_load_bytes32" => assert_eq!((args, outs), (32, 32), "{r}"),
            "storage_cache_bytes32" => assert_eq!((args, outs), (64, 0), "{r}"),
            "storage_flush_cache" => assert_eq!((args, outs), (1, 0), "{r}"),
            "native_keccak256" => assert_eq!(outs, 32, "{r}"),
            "msg_value" => assert_eq!((args, outs), (0, 32), "{r}"),
            _ => {}
        }
        assert!(
            r.get("steps").is_none() && r.get("address").is_none(),
            "{r}"
        );
    }
    // the log: topic count, then the topics and the data exactly as the receipt has them
    let log = bytes(&the(&t, "emit_log")["args"]);
    let rl = &receipt["logs"][0];
    let mut want = 3u32.to_be_bytes().to_vec();
    for topic in rl["topics"].as_array().unwrap() {
        want.extend(bytes(topic));
    }
    want.extend(bytes(&rl["data"]));
    assert_eq!(log, want);
    assert_eq!(&log[4..36], IVvv::Transfer::SIGNATURE_HASH.as_slice());
    assert_eq!(
        bytes(&the(&t, "write_result")["args"]),
        U256::from(1).to_be_bytes::<32>()
    );
    // the balance written last for bob: 1234
    let caches: Vec<_> = t
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["name"] == "storage_cache_bytes32")
        .map(|r| bytes(&r["args"]))
        .collect();
    assert!(
        caches
            .iter()
            .any(|c| c[32..] == U256::from(1234).to_be_bytes::<32>()),
        "{caches:?}"
    );

    // -- cargo stylus's JavaScript tracer gets the same records (no EVM frames here)
    let js = rpc_ok(
        a,
        "debug_traceTransaction",
        json!([h, {"tracer": vvv_devnet::node::CARGO_STYLUS_JS_TRACER}]),
    );
    assert_eq!(js, t);
    // debug_traceCall of the same call on the same state gives the same hostios
    let block = rpc_ok(a, "eth_getTransactionByHash", json!([h]))["blockNumber"].clone();
    let parent = format!("0x{:x}", hex_u64(&block) - 1);
    let c = rpc_ok(
        a,
        "debug_traceCall",
        json!([{"from": dev, "to": token, "data": Bytes::from(transfer.clone())}, parent, {"tracer": "stylusTracer"}]),
    );
    assert_eq!(names(&c), names(&t));

    // -- a program calling the token: call_contract carries the callee's records as steps
    let fwd = wat::parse_str(FORWARDER).unwrap();
    let (forwarder, deploy_hash) = deploy(
        a,
        dev,
        &vvv_devnet::engine::compress_program(&fwd),
        Bytes::new(),
    );
    send(
        a,
        json!({"from": dev, "to": token, "data": Bytes::from(IVvv::transferCall { to: forwarder, value: U256::from(1000) }.abi_encode())}),
    );
    let inner = IVvv::transferCall {
        to: bob,
        value: U256::from(7),
    }
    .abi_encode();
    let mut outer = token.to_vec();
    outer.extend(&inner);
    let (h2, _) = send(
        a,
        json!({"from": dev, "to": forwarder, "data": Bytes::from(outer.clone())}),
    );
    let t = rpc_ok(
        a,
        "debug_traceTransaction",
        json!([h2, {"tracer": "stylusTracer"}]),
    );
    eprintln!("forwarder hostios: {:?}", names(&t));
    check_program_frame(&t, &outer);
    assert_eq!(
        names(&t),
        [
            "user_entrypoint",
            "read_args",
            "call_contract",
            "read_return_data",
            "write_result",
            "user_returned"
        ]
    );
    let call = the(&t, "call_contract");
    assert_eq!(call["address"], lower(token));
    let args = bytes(&call["args"]);
    // address, requested gas (u64::MAX as the program passed it), value, calldata
    assert_eq!(&args[..20], token.as_slice());
    assert_eq!(args[20..28], u64::MAX.to_be_bytes());
    assert_eq!(args[28..60], [0u8; 32]);
    assert_eq!(&args[60..], &inner[..]);
    // return data length (the ABI `true`, 32 bytes), status 0
    assert_eq!(bytes(&call["outs"]), [0, 0, 0, 32, 0]);
    let steps = &call["steps"];
    check_program_frame(steps, &inner);
    assert_eq!(
        bytes(&the(steps, "msg_sender")["outs"]),
        forwarder.as_slice()
    );
    // the callee ran inside the call: its ink lies between the call's start and end
    let (start, end) = (
        call["startInk"].as_u64().unwrap(),
        call["endInk"].as_u64().unwrap(),
    );
    assert!(steps[0]["startInk"].as_u64().unwrap() < start - end);
    let rr = the(&t, "read_return_data");
    assert_eq!(bytes(&rr["args"]), [0, 0, 0, 0, 0, 0, 0, 32]);
    assert_eq!(bytes(&rr["outs"]), U256::from(1).to_be_bytes::<32>());
    let js = rpc_ok(
        a,
        "debug_traceTransaction",
        json!([h2, {"tracer": vvv_devnet::node::CARGO_STYLUS_JS_TRACER}]),
    );
    assert_eq!(js, t);
    // and through debug_traceCall at the latest block
    let c = rpc_ok(
        a,
        "debug_traceCall",
        json!([{"from": dev, "to": forwarder, "data": Bytes::from(outer)}, "latest", {"tracer": "stylusTracer"}]),
    );
    assert_eq!(names(&the(&c, "call_contract")["steps"]), names(steps));

    // -- an EVM transaction: frames no hostio claims. The deployment: the program created,
    // ArbWasm called to activate it, the unused activation value refunded.
    let d = rpc_ok(
        a,
        "debug_traceTransaction",
        json!([deploy_hash, {"tracer": "stylusTracer"}]),
    );
    let frames = d.as_array().unwrap();
    assert_eq!(frames[0]["name"], "evm_create1", "{d}");
    assert_eq!(frames[0]["address"], lower(forwarder));
    assert_eq!(frames[0]["steps"], json!([]));
    assert_eq!(
        (frames[0]["args"].clone(), frames[0]["startInk"].clone()),
        (json!("0x"), json!(0))
    );
    assert!(
        frames
            .iter()
            .any(|f| f["name"] == "evm_call_contract" && f["address"] == lower(ARB_WASM)),
        "{d}"
    );
    // the JavaScript tracer's `enter` builds these as {address, steps, name} only
    let dj = rpc_ok(
        a,
        "debug_traceTransaction",
        json!([deploy_hash, {"tracer": vvv_devnet::node::CARGO_STYLUS_JS_TRACER}]),
    );
    assert_eq!(
        dj[0],
        json!({"address": lower(forwarder), "steps": [], "name": "evm_create1"})
    );
    assert_eq!(dj.as_array().unwrap().len(), frames.len());
    eprintln!("stylus tracer test: {:.1?}", t0.elapsed());
}

#[test]
fn stylus_tracer_limits_and_bad_input_answer_clear_errors() {
    let Some(code) = token_code() else { return };
    let s = start_with(|c| c.trace_limits.max_records = 10);
    let a = s.addr();
    let dev = s.accounts()[0].address;
    let (token, _) = deploy(a, dev, &code, ctor_data(dev));
    let transfer = Bytes::from(
        IVvv::transferCall {
            to: Address::repeat_byte(1),
            value: U256::from(1),
        }
        .abi_encode(),
    );
    let (h, _) = send(a, json!({"from": dev, "to": token, "data": transfer}));
    // a transfer makes more than 10 records: refused, saying why
    let e = rpc_err(
        a,
        "debug_traceTransaction",
        json!([h, {"tracer": "stylusTracer"}]),
    );
    assert_eq!(e["code"], -32000);
    let m = e["message"].as_str().unwrap();
    assert!(m.contains("limit of 10 records"), "{e}");
    let e = rpc_err(
        a,
        "debug_traceCall",
        json!([{"from": dev, "to": token, "data": transfer}, "latest", {"tracer": "stylusTracer"}]),
    );
    assert!(e["message"].as_str().unwrap().contains("limit"), "{e}");
    // the chain is untouched and still traces with the callTracer
    let t = rpc_ok(
        a,
        "debug_traceTransaction",
        json!([h, {"tracer": "callTracer"}]),
    );
    assert_eq!(t["to"], json!(token.to_checksum(None)));
    // bad tracers
    let e = rpc_err(a, "debug_traceTransaction", json!([h, {"tracer": 5}]));
    assert_eq!(e["code"], -32602, "{e}");
    let e = rpc_err(a, "debug_traceTransaction", json!([h, "stylusTracer"]));
    assert_eq!(e["code"], -32602, "{e}");
    let e = rpc_err(
        a,
        "debug_traceTransaction",
        json!([h, {"tracer": "prestateTracer"}]),
    );
    assert!(
        e["message"].as_str().unwrap().contains("stylusTracer"),
        "{e}"
    );
    // another JavaScript program (cargo stylus's with one character changed) is not run
    let other = vvv_devnet::node::CARGO_STYLUS_JS_TRACER.replace("substring(4)", "substring(3)");
    let e = rpc_err(a, "debug_traceTransaction", json!([h, {"tracer": other}]));
    assert!(e["message"].as_str().unwrap().contains("JavaScript"), "{e}");
    // formatting is all a client may change
    let reformatted = vvv_devnet::node::CARGO_STYLUS_JS_TRACER.replace("\n", " \r\n\t");
    let s2 = rpc(
        a,
        "debug_traceTransaction",
        json!([h, {"tracer": reformatted}]),
    );
    assert!(s2["error"]["message"]
        .as_str()
        .unwrap()
        .contains("limit of 10 records"));
}

/// The JavaScript tracer the devnet recognises is byte for byte the one `cargo stylus` 0.10.10
/// sends (checked when the `stylus-tools` source is in the cargo registry, as after installing
/// cargo-stylus; `VVV_REQUIRE_STYLUS_TOOLS=1` makes its absence a failure).
#[test]
fn recognised_js_tracer_is_cargo_stylus_query() {
    let home = std::env::var("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| {
            std::path::PathBuf::from(std::env::var("HOME").unwrap()).join(".cargo")
        });
    let found = std::fs::read_dir(home.join("registry/src"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|d| {
            d.path()
                .join("stylus-tools-0.10.10/src/core/tracing/query.js")
        })
        .find(|f| f.exists());
    let Some(f) = found else {
        assert!(
            std::env::var("VVV_REQUIRE_STYLUS_TOOLS").is_err(),
            "stylus-tools 0.10.10 source not found"
        );
        eprintln!("SKIP: stylus-tools 0.10.10 source not in the cargo registry");
        return;
    };
    assert_eq!(
        std::fs::read_to_string(f).unwrap(),
        vvv_devnet::node::CARGO_STYLUS_JS_TRACER
    );
}

/// An address as JSON-RPC results carry it in traces (lower case, as Nitro marshals it).
fn lower(a: Address) -> Value {
    json!(format!("{a:#x}"))
}

fn hex_u64(v: &Value) -> u64 {
    u64::from_str_radix(v.as_str().unwrap().trim_start_matches("0x"), 16).unwrap()
}

/// Deploys the VVV token (`code`, `dev` holding the supply) and the FORWARDER program: their
/// addresses and the forwarder's deployment transaction.
fn token_and_forwarder(a: SocketAddr, dev: Address, code: &[u8]) -> (Address, Address, Value) {
    let (token, _) = deploy(a, dev, code, ctor_data(dev));
    let forwarder = wat::parse_str(FORWARDER).unwrap();
    let forwarder = vvv_devnet::engine::compress_program(&forwarder);
    let (forwarder, deploy_hash) = deploy(a, dev, &forwarder, Bytes::new());
    (token, forwarder, deploy_hash)
}

/// EVM code that STATICCALLs the address in the first 20 bytes of its calldata with no input
/// and all its gas, then stops (whatever the call returned).
const STATIC_CALLER: &str = "600060006000600060003560601c5afa00";

/// geth's `callTracer` nests every frame below the transaction's: a Stylus program's
/// `call_contract` into another program (input, output, gas, value), the callee's revert with
/// its data and a failing outer frame, EVM code's STATICCALL (no `value`), a deployment's create
/// and activation frames; `onlyTopCall` drops them.
#[test]
fn call_tracer_nests_the_frames_of_programs_and_evm_code() {
    let Some(code) = token_code() else { return };
    let s = start();
    let a = s.addr();
    let dev = s.accounts()[0].address;
    let bob = Address::repeat_byte(0xb0);
    let (token, forwarder, deploy_hash) = token_and_forwarder(a, dev, &code);
    let fund = IVvv::transferCall {
        to: forwarder,
        value: U256::from(1000),
    };
    send(
        a,
        json!({"from": dev, "to": token, "data": Bytes::from(fund.abi_encode())}),
    );
    let forward = |call: &IVvv::transferCall| {
        let mut data = token.to_vec();
        data.extend(call.abi_encode());
        Bytes::from(data)
    };
    let trace = |h: &Value, config: Value| {
        let mut options = json!({"tracer": "callTracer"});
        if !config.is_null() {
            options["tracerConfig"] = config;
        }
        rpc_ok(a, "debug_traceTransaction", json!([h, options]))
    };

    // -- a program calls a program
    let inner = IVvv::transferCall {
        to: bob,
        value: U256::from(7),
    };
    let (h, receipt) = send(
        a,
        // more gas than it needs: at the estimate the callee gets exactly what it uses
        json!({"from": dev, "to": forwarder, "data": forward(&inner), "gas": "0x200000"}),
    );
    let t = trace(&h, Value::Null);
    assert_eq!(
        (&t["type"], &t["from"], &t["to"]),
        (&json!("CALL"), &cs(dev), &cs(forwarder)),
        "{t}"
    );
    assert_eq!(t["gasUsed"], receipt["gasUsed"]);
    let calls = t["calls"].as_array().expect("the forwarder's call");
    assert_eq!(calls.len(), 1, "{t}");
    let c = &calls[0];
    assert_eq!(c["type"], "CALL");
    assert_eq!(c["from"], cs(forwarder));
    assert_eq!(c["to"], cs(token));
    assert_eq!(c["value"], "0x0");
    assert_eq!(bytes(&c["input"]), inner.abi_encode());
    assert_eq!(bytes(&c["output"]), U256::from(1).to_be_bytes::<32>());
    assert!(c.get("error").is_none() && c.get("calls").is_none(), "{c}");
    let (gas, used) = (hex_u64(&c["gas"]), hex_u64(&c["gasUsed"]));
    let outer_used = hex_u64(&t["gasUsed"]);
    assert!(used > 0 && used < gas && used < outer_used, "{c}");
    // onlyTopCall: the same frame without its calls
    let top = trace(&h, json!({"onlyTopCall": true}));
    assert!(top.get("calls").is_none(), "{top}");
    assert_eq!(top["gasUsed"], t["gasUsed"]);
    let e = rpc_err(
        a,
        "debug_traceTransaction",
        json!([h, {"tracer": "callTracer", "tracerConfig": {"onlyTopCall": "yes"}}]),
    );
    assert_eq!(e["code"], -32602, "{e}");

    // -- the callee reverts (more than the forwarder holds): both frames fail, the inner one
    // with the token's custom error as output
    let too_much = IVvv::transferCall {
        to: bob,
        value: U256::from(1_000_000),
    };
    let t = rpc_ok(
        a,
        "debug_traceCall",
        json!([{"from": dev, "to": forwarder, "data": forward(&too_much)}, "latest", {"tracer": "callTracer"}]),
    );
    assert_eq!(t["error"], "execution reverted", "{t}");
    let c = &t["calls"][0];
    assert_eq!(c["error"], "execution reverted", "{t}");
    let revert = bytes(&c["output"]);
    assert_eq!(
        bytes(&t["output"]),
        revert,
        "the forwarder returns the callee's revert data"
    );
    assert_eq!(
        revert.len(),
        4 + 3 * 32,
        "ERC20InsufficientBalance(sender, balance, needed)"
    );
    assert_eq!(&revert[4 + 12..4 + 32], forwarder.as_slice());

    // -- EVM code: a STATICCALL has no value; the callee (the token, given no calldata) reverts
    let runtime = alloy::hex::decode(STATIC_CALLER).unwrap();
    let h = rpc_ok(
        a,
        "eth_sendTransaction",
        json!([{"from": dev, "data": init_code(&runtime)}]),
    );
    let caller = rpc_ok(a, "eth_getTransactionReceipt", json!([h]))["contractAddress"].clone();
    let t = rpc_ok(
        a,
        "debug_traceCall",
        json!([{"from": dev, "to": caller, "data": Bytes::from(token.to_vec())}, "latest", {"tracer": "callTracer"}]),
    );
    assert!(
        t.get("error").is_none(),
        "the EVM caller stops normally: {t}"
    );
    let c = &t["calls"][0];
    assert_eq!(c["type"], "STATICCALL", "{t}");
    assert_eq!((&c["from"], &c["to"]), (&caller, &cs(token)));
    assert!(c.get("value").is_none(), "{c}");
    assert_eq!(c["input"], "0x");
    assert_eq!(c["error"], "execution reverted");

    // -- the deployment through the StylusDeployer: the program created, then activated
    let d = trace(&deploy_hash, Value::Null);
    let calls = d["calls"].as_array().expect("the deployer's frames");
    let kinds: Vec<_> = calls.iter().map(|c| c["type"].as_str().unwrap()).collect();
    eprintln!("deployment frames: {kinds:?}");
    let create = calls
        .iter()
        .find(|c| c["type"] == "CREATE" || c["type"] == "CREATE2")
        .unwrap_or_else(|| panic!("no create in {d}"));
    assert_eq!(create["from"], cs(STYLUS_DEPLOYER));
    assert_eq!(create["to"], cs(forwarder));
    assert!(
        calls.iter().any(|c| c["to"] == cs(ARB_WASM)),
        "activation through ArbWasm: {d}"
    );
}

/// An address as the node writes it (EIP-55).
fn cs(a: Address) -> Value {
    json!(a.to_checksum(None))
}

/// EVM code for the struct logger: without calldata it adds 1 to slot 0, calls itself with one
/// byte of calldata (100,000 gas) and returns the word 42; with calldata it jumps to 40, stores 7
/// in slot 1, reads it back and stops.
const COUNTER: &str = "366028576000546001016000556000600060016000600030620186a0f150602a60005260206000f35b60076001556001545000";

/// The opcodes COUNTER runs, with their depths and program counters, as geth logs them.
const COUNTER_OPS: [(&str, u64, u64); 35] = [
    ("CALLDATASIZE", 1, 0),
    ("PUSH1", 1, 1),
    ("JUMPI", 1, 3),
    ("PUSH1", 1, 4),
    ("SLOAD", 1, 6),
    ("PUSH1", 1, 7),
    ("ADD", 1, 9),
    ("PUSH1", 1, 10),
    ("SSTORE", 1, 12),
    ("PUSH1", 1, 13),
    ("PUSH1", 1, 15),
    ("PUSH1", 1, 17),
    ("PUSH1", 1, 19),
    ("PUSH1", 1, 21),
    ("ADDRESS", 1, 23),
    ("PUSH3", 1, 24),
    ("CALL", 1, 28),
    ("CALLDATASIZE", 2, 0),
    ("PUSH1", 2, 1),
    ("JUMPI", 2, 3),
    ("JUMPDEST", 2, 40),
    ("PUSH1", 2, 41),
    ("PUSH1", 2, 43),
    ("SSTORE", 2, 45),
    ("PUSH1", 2, 46),
    ("SLOAD", 2, 48),
    ("POP", 2, 49),
    ("STOP", 2, 50),
    ("POP", 1, 29),
    ("PUSH1", 1, 30),
    ("PUSH1", 1, 32),
    ("MSTORE", 1, 34),
    ("PUSH1", 1, 35),
    ("PUSH1", 1, 37),
    ("RETURN", 1, 39),
];

fn word_hex(n: u8) -> String {
    format!("{:064x}", n)
}

/// geth's struct logger (no tracer): every opcode of EVM code with its pc, depth, gas and cost,
/// the stack, the storage seen at SLOAD/SSTORE (per contract, across frames) and on request the
/// memory; `limit` and `disableStack`; a Stylus program runs no opcodes (as on Nitro); bad options
/// are refused.
#[test]
fn struct_logger_logs_every_evm_opcode() {
    let s = start();
    let a = s.addr();
    let dev = s.accounts()[0].address;
    let runtime = alloy::hex::decode(COUNTER).unwrap();
    let h = rpc_ok(
        a,
        "eth_sendTransaction",
        json!([{"from": dev, "data": init_code(&runtime)}]),
    );
    let counter = rpc_ok(a, "eth_getTransactionReceipt", json!([h]))["contractAddress"].clone();
    let (h, r) = send(a, json!({"from": dev, "to": counter, "gas": "0x100000"}));

    let t = rpc_ok(a, "debug_traceTransaction", json!([h, {}]));
    assert_eq!(t["failed"], false, "{t}");
    assert_eq!(t["returnValue"], word_hex(42));
    assert_eq!(t["gas"].as_u64(), Some(hex_u64(&r["gasUsed"])));
    let logs = t["structLogs"].as_array().expect("structLogs");
    let ops: Vec<(&str, u64, u64)> = logs
        .iter()
        .map(|l| {
            (
                l["op"].as_str().unwrap(),
                l["depth"].as_u64().unwrap(),
                l["pc"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(ops, COUNTER_OPS);
    // gas: each opcode's cost is what it took from the gas left (within a frame)
    for pair in logs.windows(2) {
        if pair[0]["depth"] == pair[1]["depth"] && pair[0]["op"] != "CALL" {
            let (gas, cost) = (
                pair[0]["gas"].as_u64().unwrap(),
                pair[0]["gasCost"].as_u64().unwrap(),
            );
            assert_eq!(pair[1]["gas"].as_u64(), Some(gas - cost), "{}", pair[0]);
        }
    }
    let cost = |i: usize| logs[i]["gasCost"].as_u64().unwrap();
    assert_eq!(
        (cost(0), cost(1), cost(2)),
        (2, 3, 10),
        "CALLDATASIZE, PUSH1, JUMPI"
    );
    assert_eq!(cost(4), 2_100, "a cold SLOAD");
    assert_eq!(cost(8), 20_000, "SSTORE from zero of a slot SLOAD warmed");
    assert!(
        cost(16) >= 100_000,
        "the CALL's cost includes the gas it gives: {}",
        cost(16)
    );
    assert_eq!(cost(25), 100, "a warm SLOAD");
    // stack (bottom first) and storage
    assert_eq!(
        logs[8]["stack"],
        json!(["0x1", "0x0"]),
        "SSTORE(key 0, value 1)"
    );
    assert_eq!(logs[8]["storage"], json!({word_hex(0): word_hex(1)}));
    assert_eq!(
        logs[4]["storage"],
        json!({word_hex(0): word_hex(0)}),
        "SLOAD reads 0"
    );
    assert_eq!(
        logs[25]["storage"],
        json!({word_hex(0): word_hex(1), word_hex(1): word_hex(7)}),
        "the same contract's slots across frames"
    );
    assert!(logs[0].get("storage").is_none() && logs[0].get("memory").is_none());
    assert_eq!(logs[0]["stack"], json!([]));

    // options: memory, limit, no stack
    let t = rpc_ok(
        a,
        "debug_traceTransaction",
        json!([h, {"enableMemory": true, "limit": 33}]),
    );
    let logs = t["structLogs"].as_array().unwrap();
    assert_eq!(logs.len(), 33);
    assert_eq!(logs[32]["op"], "PUSH1");
    assert_eq!(
        logs[32]["memory"],
        json!([word_hex(42)]),
        "after MSTORE(0, 42)"
    );
    assert_eq!(logs[0]["memory"], json!([]));
    let t = rpc_ok(
        a,
        "debug_traceTransaction",
        json!([h, {"disableStack": true, "disableStorage": true}]),
    );
    let logs = t["structLogs"].as_array().unwrap();
    assert_eq!(logs.len(), 35);
    assert!(logs
        .iter()
        .all(|l| l.get("stack").is_none() && l.get("storage").is_none()));

    // debug_traceCall: the same on the latest state (slot 0 is now 1: 1 + 1 stored, warm)
    let t = rpc_ok(
        a,
        "debug_traceCall",
        json!([{"from": dev, "to": counter, "gas": "0x100000"}, "latest", {}]),
    );
    let logs = t["structLogs"].as_array().unwrap();
    assert_eq!(logs[8]["stack"], json!(["0x2", "0x0"]), "{}", logs[8]);

    // out of gas in SLOAD (21,000 + 18 for the four opcodes before it + 100): the opcode that
    // could not run carries geth's error; no return value
    let h = rpc_ok(
        a,
        "eth_sendTransaction",
        json!([{"from": dev, "to": counter, "gas": "0x527e"}]),
    );
    let t = rpc_ok(a, "debug_traceTransaction", json!([h]));
    let last = t["structLogs"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        (&last["op"], &last["error"]),
        (&json!("SLOAD"), &json!("out of gas")),
        "{t}"
    );
    assert_eq!(
        (&t["failed"], &t["returnValue"]),
        (&json!(true), &json!(""))
    );

    // a Stylus program executes no opcodes
    if let Some(code) = token_code() {
        let (token, _) = deploy(a, dev, &code, ctor_data(dev));
        let call = IVvv::transferCall {
            to: Address::repeat_byte(0xb0),
            value: U256::from(5),
        };
        let (h, r) = send(
            a,
            json!({"from": dev, "to": token, "data": Bytes::from(call.abi_encode())}),
        );
        let t = rpc_ok(a, "debug_traceTransaction", json!([h]));
        assert_eq!(t["structLogs"], json!([]), "{t}");
        assert_eq!(t["returnValue"], word_hex(1), "transfer returned true");
        assert_eq!(t["gas"].as_u64(), Some(hex_u64(&r["gasUsed"])));
    }

    // bad options change nothing and say which field
    for (options, field) in [
        (json!({"enableMemory": "yes"}), "enableMemory"),
        (json!({"limit": -1}), "limit"),
        (json!({"disableStack": 1}), "disableStack"),
    ] {
        let e = rpc_err(a, "debug_traceTransaction", json!([h, options]));
        assert_eq!(e["code"], -32602, "{e}");
        assert!(e["message"].as_str().unwrap().contains(field), "{e}");
    }
}

/// EVM code that calls `calldata[..20]` with `calldata[20..]` and all its gas, then reverts.
const CALL_THEN_REVERT: &str = "366014900380601460003760006000826000600060003560601c5af160006000fd";

/// geth's `withLog`: each frame carries the logs it emitted itself, at the position of its next
/// call; a failed frame has none; `onlyTopCall` keeps only the top frame's; without `withLog`
/// there is no `logs` field.
#[test]
fn call_tracer_with_log_puts_each_log_in_its_frame() {
    let Some(code) = token_code() else { return };
    let s = start();
    let a = s.addr();
    let dev = s.accounts()[0].address;
    let bob = Address::repeat_byte(0xb0);
    let (token, forwarder, _) = token_and_forwarder(a, dev, &code);
    let transfer = |to: Address, value: u64| IVvv::transferCall {
        to,
        value: U256::from(value),
    };
    let forward = |value: u64| {
        let mut data = token.to_vec();
        data.extend(transfer(bob, value).abi_encode());
        Bytes::from(data)
    };
    let trace = |h: &Value, config: Value| {
        let options = json!({"tracer": "callTracer", "tracerConfig": config});
        rpc_ok(a, "debug_traceTransaction", json!([h, options]))
    };
    let transfer_log = |from: Address, to: Address, value: u64| {
        json!({
            "address": cs(token),
            "topics": [
                IVvv::Transfer::SIGNATURE_HASH,
                B256::left_padding_from(from.as_slice()),
                B256::left_padding_from(to.as_slice()),
            ],
            "data": Bytes::from(U256::from(value).to_be_bytes::<32>().to_vec()),
            "position": "0x0",
        })
    };

    // the token's own transaction: the log is the top frame's
    let (h, _) = send(
        a,
        json!({"from": dev, "to": token, "data": Bytes::from(transfer(forwarder, 1000).abi_encode())}),
    );
    let t = trace(&h, json!({"withLog": true}));
    assert_eq!(
        t["logs"],
        json!([transfer_log(dev, forwarder, 1000)]),
        "{t}"
    );
    assert!(trace(&h, Value::Null).get("logs").is_none());

    // through the forwarder: the log is in the token's frame, not the forwarder's
    let (h, _) = send(
        a,
        json!({"from": dev, "to": forwarder, "data": forward(7), "gas": "0x200000"}),
    );
    let t = trace(&h, json!({"withLog": true}));
    assert!(t.get("logs").is_none(), "{t}");
    assert_eq!(
        t["calls"][0]["logs"],
        json!([transfer_log(forwarder, bob, 7)]),
        "{t}"
    );
    let top = trace(&h, json!({"withLog": true, "onlyTopCall": true}));
    assert!(
        top.get("logs").is_none() && top.get("calls").is_none(),
        "{top}"
    );

    // a failing call leaves no log anywhere (the forwarder holds 993)
    let h = rpc_ok(
        a,
        "eth_sendTransaction",
        json!([{"from": dev, "to": forwarder, "data": forward(5_000), "gas": "0x200000"}]),
    );
    let t = trace(&h, json!({"withLog": true}));
    assert_eq!(t["calls"][0]["error"], "execution reverted", "{t}");
    assert!(
        t.get("logs").is_none() && t["calls"][0].get("logs").is_none(),
        "{t}"
    );

    // EVM code that forwards a transfer then reverts: the token's frame succeeded and logged,
    // but its caller failed, so geth drops the log
    let runtime = alloy::hex::decode(CALL_THEN_REVERT).unwrap();
    let h = rpc_ok(
        a,
        "eth_sendTransaction",
        json!([{"from": dev, "data": init_code(&runtime)}]),
    );
    let reverter: Address = rpc_ok(a, "eth_getTransactionReceipt", json!([h]))["contractAddress"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    send(
        a,
        json!({"from": dev, "to": token, "data": Bytes::from(transfer(reverter, 10).abi_encode())}),
    );
    let mut data = token.to_vec();
    data.extend(transfer(bob, 3).abi_encode());
    let h = rpc_ok(
        a,
        "eth_sendTransaction",
        json!([{"from": dev, "to": reverter, "data": Bytes::from(data), "gas": "0x200000"}]),
    );
    let t = trace(&h, json!({"withLog": true}));
    assert_eq!(t["error"], "execution reverted", "{t}");
    assert!(
        t["calls"][0].get("error").is_none(),
        "the transfer itself succeeded: {t}"
    );
    assert!(t["calls"][0].get("logs").is_none(), "{t}");

    let e = rpc_err(
        a,
        "debug_traceTransaction",
        json!([h, {"tracer": "callTracer", "tracerConfig": {"withLog": "yes"}}]),
    );
    assert!(e["message"].as_str().unwrap().contains("withLog"), "{e}");
}

/// A SELFDESTRUCT is an opcode, not a frame, in revm: the tracers report it as geth and Nitro
/// do — a `SELFDESTRUCT` frame from the contract to the beneficiary with the contract's balance,
/// no gas and no input (callTracer), an `evm_self_destruct` record at the beneficiary
/// (stylusTracer).
#[test]
fn tracers_report_a_selfdestruct_as_a_frame() {
    let s = start();
    let a = s.addr();
    let dev = s.accounts()[0].address;
    let bob = Address::repeat_byte(0xb0);
    // PUSH20 bob SELFDESTRUCT, deployed with 1,000 wei
    let mut runtime = vec![0x73];
    runtime.extend_from_slice(bob.as_slice());
    runtime.push(0xff);
    let h = rpc_ok(
        a,
        "eth_sendTransaction",
        json!([{"from": dev, "data": init_code(&runtime), "value": "0x3e8"}]),
    );
    let doomed = rpc_ok(a, "eth_getTransactionReceipt", json!([h]))["contractAddress"].clone();
    let (h, _) = send(a, json!({"from": dev, "to": doomed, "gas": "0x186a0"}));
    assert_eq!(rpc_ok(a, "eth_getBalance", json!([bob, "latest"])), "0x3e8");

    let t = rpc_ok(
        a,
        "debug_traceTransaction",
        json!([h, {"tracer": "callTracer"}]),
    );
    assert_eq!(
        t["gas"], "0x13498",
        "entered with 100,000 less 21,000 intrinsic gas, as geth"
    );
    assert_eq!(
        t["calls"],
        json!([{"type": "SELFDESTRUCT", "from": doomed, "to": cs(bob), "value": "0x3e8",
                "gas": "0x0", "gasUsed": "0x0", "input": "0x"}]),
        "{t}"
    );
    let records = rpc_ok(
        a,
        "debug_traceTransaction",
        json!([h, {"tracer": "stylusTracer"}]),
    );
    assert_eq!(names(&records), ["evm_self_destruct"], "{records}");
    assert_eq!(records[0]["address"], lower(bob), "{records}");
    // the struct logger sees the opcode itself
    let logs = rpc_ok(a, "debug_traceTransaction", json!([h]))["structLogs"].clone();
    assert_eq!(logs[1]["op"], "SELFDESTRUCT", "{logs}");
}
