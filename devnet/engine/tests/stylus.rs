//! Small WAT programs exercising host functions, nesting, traps, metering and activation.

mod common;

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{SolCall, SolError};
use common::*;
use vvv_devnet_engine::{arbos, compress_program, CallRequest, Devnet, HostioRecord, TraceLimits};

const IMPORTS: &str = r#"
  (import "vm_hooks" "read_args" (func $read_args (param i32)))
  (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
  (import "vm_hooks" "storage_load_bytes32" (func $sload (param i32 i32)))
  (import "vm_hooks" "storage_cache_bytes32" (func $scache (param i32 i32)))
  (import "vm_hooks" "storage_flush_cache" (func $flush (param i32)))
  (import "vm_hooks" "call_contract" (func $call (param i32 i32 i32 i32 i64 i32) (result i32)))
  (import "vm_hooks" "static_call_contract" (func $scall (param i32 i32 i32 i64 i32) (result i32)))
  (import "vm_hooks" "read_return_data" (func $rrd (param i32 i32 i32) (result i32)))
  (import "vm_hooks" "emit_log" (func $log (param i32 i32 i32)))
  (import "vm_hooks" "msg_sender" (func $sender (param i32)))
  (import "vm_hooks" "msg_value" (func $value (param i32)))
  (import "vm_hooks" "msg_reentrant" (func $reentrant (result i32)))
  (import "vm_hooks" "block_timestamp" (func $ts (result i64)))
  (import "vm_hooks" "block_number" (func $number (result i64)))
  (import "vm_hooks" "chainid" (func $chainid (result i64)))
  (import "vm_hooks" "contract_address" (func $address (param i32)))
  (import "vm_hooks" "tx_origin" (func $origin (param i32)))
  (import "vm_hooks" "native_keccak256" (func $keccak (param i32 i32 i32)))
  (import "vm_hooks" "evm_gas_left" (func $gas_left (result i64)))
  (import "vm_hooks" "transient_store_bytes32" (func $tstore (param i32 i32)))
  (import "vm_hooks" "transient_load_bytes32" (func $tload (param i32 i32)))
  (import "vm_hooks" "account_balance" (func $balance (param i32 i32)))
  (import "vm_hooks" "exit_early" (func $exit (param i32)))
  (import "vm_hooks" "pay_for_memory_grow" (func $pay (param i32)))
  (import "console" "log_txt" (func $log_txt (param i32 i32)))
"#;

fn program(body: &str) -> String {
    format!(
        r#"(module {IMPORTS}
  (memory (export "memory") 1)
  (data (i32.const 4096) "hello")
  (func (export "user_entrypoint") (param $len i32) (result i32)
    {body}))"#
    )
}

/// Echo: returns its calldata; reverts (status 1) when the first byte is 0xff.
const ECHO: &str = r#"
    (call $read_args (i32.const 0))
    (call $write_result (i32.const 0) (local.get $len))
    (if (result i32) (i32.eq (i32.load8_u (i32.const 0)) (i32.const 255))
      (then (i32.const 1)) (else (i32.const 0)))"#;

/// Store: writes word args[0..32] to slot args[32..64] (or reverts after writing if args[64]==1).
const STORE: &str = r#"
    (call $read_args (i32.const 0))
    (call $scache (i32.const 32) (i32.const 0))
    (call $flush (i32.const 0))
    (i32.eq (i32.load8_u (i32.const 64)) (i32.const 1))"#;

/// Load: returns the word in slot args[0..32].
const LOAD: &str = r#"
    (call $read_args (i32.const 0))
    (call $sload (i32.const 0) (i32.const 32))
    (call $write_result (i32.const 32) (i32.const 32))
    (i32.const 0)"#;

/// Forward: calls address args[0..20] with args[20..] and returns its status and return data.
const FORWARD: &str = r#"
    (local $status i32) (local $rlen i32)
    (call $read_args (i32.const 0))
    (local.set $status (call $call (i32.const 0) (i32.const 20) (i32.sub (local.get $len) (i32.const 20))
       (i32.const 2048) (i64.const -1) (i32.const 1024)))
    (local.set $rlen (call $rrd (i32.const 3000) (i32.const 0) (i32.load (i32.const 1024))))
    (call $write_result (i32.const 3000) (local.get $rlen))
    (local.get $status)"#;

fn setup() -> (Devnet, Key) {
    let k = Key::new(3);
    (chain_with(&k), k)
}

fn echo_ok(chain: &mut Devnet, from: Address, to: Address) {
    let r = call(chain, from, to, vec![1, 2, 3]);
    assert!(r.success, "{r:?}");
    assert_eq!(r.output.as_ref(), &[1, 2, 3]);
}

#[test]
fn args_result_and_revert_status() {
    let (mut chain, k) = setup();
    let p = deploy_wat(&mut chain, &k, &program(ECHO));
    echo_ok(&mut chain, k.address, p);
    let r = call(&mut chain, k.address, p, vec![0xff, 9]);
    assert!(!r.success && r.reverted);
    assert_eq!(r.output.as_ref(), &[0xff, 9]);
}

#[test]
fn storage_roundtrip_and_revert_rolls_back() {
    let (mut chain, k) = setup();
    let s = deploy_wat(&mut chain, &k, &program(STORE));
    let l = deploy_wat(&mut chain, &k, &program(LOAD));
    let mut args = B256::repeat_byte(0xAB).to_vec();
    args.extend(B256::with_last_byte(7));
    let r = send(&mut chain, &k, Some(s), U256::ZERO, args.clone());
    assert!(r.status, "{r:?}");
    assert_eq!(
        chain.storage(s, U256::from(7)),
        U256::from_be_bytes([0xAB; 32])
    );
    // reverted write leaves storage alone
    let mut args2 = B256::repeat_byte(0xCD).to_vec();
    args2.extend(B256::with_last_byte(7));
    args2.push(1);
    let r = send(&mut chain, &k, Some(s), U256::ZERO, args2);
    assert!(!r.status);
    assert_eq!(
        chain.storage(s, U256::from(7)),
        U256::from_be_bytes([0xAB; 32])
    );
    // a different program reads its own (empty) storage
    let r = call(&mut chain, k.address, l, B256::with_last_byte(7).to_vec());
    assert_eq!(r.output.as_ref(), &[0u8; 32]);
}

#[test]
fn unactivated_program_fails_like_nitro() {
    let (mut chain, k) = setup();
    let p = deploy_code(&mut chain, &k, &wat_code(&program(ECHO)));
    let r = call(&mut chain, k.address, p, vec![1]);
    assert!(r.reverted);
    assert_eq!(
        r.output.as_ref(),
        arbos::IArbWasm::ProgramNotActivated {}
            .abi_encode()
            .as_slice()
    );
    let view = call(
        &mut chain,
        k.address,
        arbos::ARB_WASM,
        arbos::IArbWasm::programVersionCall { program: p }.abi_encode(),
    );
    assert!(view.reverted);
    activate(&mut chain, &k, p);
    echo_ok(&mut chain, k.address, p);
    let v = call(
        &mut chain,
        k.address,
        arbos::ARB_WASM,
        arbos::IArbWasm::programVersionCall { program: p }.abi_encode(),
    );
    assert_eq!(U256::from_be_slice(&v.output), U256::from(2));
    // activating again: ProgramUpToDate
    let data = arbos::IArbWasm::activateProgramCall { program: p }.abi_encode();
    let r = chain
        .call(&CallRequest {
            from: k.address,
            to: Some(arbos::ARB_WASM),
            value: eth(1),
            data: data.into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        r.output.as_ref(),
        arbos::IArbWasm::ProgramUpToDate {}.abi_encode().as_slice()
    );
}

#[test]
fn views_of_arbwasm_and_arbsys() {
    let (mut chain, k) = setup();
    let v = call(
        &mut chain,
        k.address,
        arbos::ARB_WASM,
        arbos::IArbWasm::inkPriceCall {}.abi_encode(),
    );
    assert_eq!(U256::from_be_slice(&v.output), U256::from(10_000));
    let v = call(
        &mut chain,
        k.address,
        arbos::ARB_WASM,
        arbos::IArbWasm::stylusVersionCall {}.abi_encode(),
    );
    assert_eq!(U256::from_be_slice(&v.output), U256::from(2));
    let v = call(
        &mut chain,
        k.address,
        arbos::ARB_SYS,
        arbos::IArbSys::arbChainIDCall {}.abi_encode(),
    );
    assert_eq!(U256::from_be_slice(&v.output), U256::from(412_346));
    let v = call(
        &mut chain,
        k.address,
        arbos::ARB_SYS,
        arbos::IArbSys::arbBlockNumberCall {}.abi_encode(),
    );
    assert_eq!(
        U256::from_be_slice(&v.output),
        U256::from(chain.block_number() + 1)
    );
}

#[test]
fn env_hostios_and_logs_and_keccak() {
    let (mut chain, k) = setup();
    let body = r#"
    (call $sender (i32.const 0))
    (call $address (i32.const 20))
    (call $origin (i32.const 40))
    (i64.store (i32.const 60) (call $ts))
    (i64.store (i32.const 68) (call $number))
    (i64.store (i32.const 76) (call $chainid))
    (i32.store (i32.const 84) (call $reentrant))
    (call $keccak (i32.const 4096) (i32.const 5) (i32.const 88))
    (call $value (i32.const 120))
    (i64.store (i32.const 152) (call $gas_left))
    (call $tstore (i32.const 88) (i32.const 0))
    (call $tload (i32.const 88) (i32.const 160))
    (call $balance (i32.const 0) (i32.const 192))
    (call $log_txt (i32.const 4096) (i32.const 5))
    (call $log (i32.const 88) (i32.const 37) (i32.const 1))
    (call $write_result (i32.const 0) (i32.const 224))
    (i32.const 0)"#;
    let p = deploy_wat(&mut chain, &k, &program(body));
    chain.set_next_timestamp(1_700_100_000);
    let r = send(&mut chain, &k, Some(p), U256::from(5), vec![]);
    assert!(r.status, "{r:?}");
    let o = r.output.as_ref();
    assert_eq!(&o[0..20], k.address.as_slice());
    assert_eq!(&o[20..40], p.as_slice());
    assert_eq!(&o[40..60], k.address.as_slice());
    assert_eq!(
        u64::from_le_bytes(o[60..68].try_into().unwrap()),
        1_700_100_000
    );
    assert_eq!(
        u64::from_le_bytes(o[68..76].try_into().unwrap()),
        r.block_number
    );
    assert_eq!(u64::from_le_bytes(o[76..84].try_into().unwrap()), 412_346);
    assert_eq!(u32::from_le_bytes(o[84..88].try_into().unwrap()), 0);
    assert_eq!(
        &o[88..120],
        alloy_primitives::keccak256(b"hello").as_slice()
    );
    assert_eq!(U256::from_be_slice(&o[120..152]), U256::from(5));
    assert!(u64::from_le_bytes(o[152..160].try_into().unwrap()) > 1_000_000);
    assert_eq!(
        &o[160..180],
        k.address.as_slice(),
        "transient value (first 20 bytes = sender)"
    );
    assert!(U256::from_be_slice(&o[192..224]) > eth(900));
    assert_eq!(chain.balance(p), U256::from(5));
    assert_eq!(r.logs.len(), 1);
    assert_eq!(r.logs[0].address, p);
    assert_eq!(
        r.logs[0].data.topics()[0],
        alloy_primitives::keccak256(b"hello")
    );
    assert_eq!(r.logs[0].data.data.len(), 5);
    assert!(chain.take_console().contains(&"hello".to_string()));
}

#[test]
fn nested_calls_in_all_directions() {
    let (mut chain, k) = setup();
    let echo = deploy_wat(&mut chain, &k, &program(ECHO));
    let fwd = deploy_wat(&mut chain, &k, &program(FORWARD));
    // EVM contract returning 42
    let evm42 = Address::repeat_byte(0x42);
    chain.set_code(
        evm42,
        bytes(&[0x60, 0x2a, 0x5f, 0x52, 0x60, 0x20, 0x5f, 0xf3]),
    );
    // Wasm -> Wasm
    let mut args = echo.to_vec();
    args.extend([7, 8]);
    let r = call(&mut chain, k.address, fwd, args);
    assert!(r.success, "{r:?}");
    assert_eq!(r.output.as_ref(), &[7, 8]);
    // Wasm -> Wasm revert propagates data and status
    let mut args = echo.to_vec();
    args.extend([0xff, 1]);
    let r = call(&mut chain, k.address, fwd, args);
    assert!(r.reverted);
    assert_eq!(r.output.as_ref(), &[0xff, 1]);
    // Wasm -> EVM
    let r = call(&mut chain, k.address, fwd, evm42.to_vec());
    assert!(r.success);
    assert_eq!(U256::from_be_slice(&r.output), U256::from(42));
    // EVM -> Wasm: an EVM forwarder that CALLs the echo program with its calldata
    let evm_fwd = Address::repeat_byte(0x43);
    chain.set_code(evm_fwd, bytes(&evm_forwarder(echo, false)));
    let r = call(&mut chain, k.address, evm_fwd, vec![5, 6, 7]);
    assert!(r.success, "{r:?}");
    assert_eq!(r.output.as_ref(), &[5, 6, 7]);
    // EVM -> Wasm -> EVM -> Wasm
    let mut args = evm_fwd.to_vec();
    args.extend([9, 9]);
    let r = call(&mut chain, k.address, fwd, args);
    assert!(r.success, "{r:?}");
    assert_eq!(r.output.as_ref(), &[9, 9]);
}

/// EVM code: forwards calldata to `target` (CALL or STATICCALL) and returns/reverts its data.
fn evm_forwarder(target: Address, stat: bool) -> Vec<u8> {
    let mut c = vec![0x36, 0x5f, 0x5f, 0x37];
    if stat {
        c.extend([0x5f, 0x5f, 0x36, 0x5f, 0x73]);
    } else {
        c.extend([0x5f, 0x5f, 0x36, 0x5f, 0x5f, 0x73]);
    }
    c.extend(target.as_slice());
    c.extend([0x5a, if stat { 0xfa } else { 0xf1 }]);
    c.extend([0x3d, 0x5f, 0x5f, 0x3e]);
    let dest = c.len() + 6;
    c.extend([
        0x60, dest as u8, 0x57, 0x3d, 0x5f, 0xfd, 0x5b, 0x3d, 0x5f, 0xf3,
    ]);
    c
}

#[test]
fn inner_revert_is_rolled_back_and_static_writes_fail() {
    let (mut chain, k) = setup();
    let store = deploy_wat(&mut chain, &k, &program(STORE));
    let fwd = deploy_wat(&mut chain, &k, &program(FORWARD));
    // inner call writes then reverts; the outer forwarder swallows nothing, but the write is undone
    let mut args = store.to_vec();
    args.extend(B256::repeat_byte(1));
    args.extend(B256::with_last_byte(3));
    args.push(1);
    let r = send(&mut chain, &k, Some(fwd), U256::ZERO, args);
    assert!(!r.status);
    assert_eq!(chain.storage(store, U256::from(3)), U256::ZERO);
    // static call into a program that writes storage fails
    let sfwd = Address::repeat_byte(0x44);
    chain.set_code(sfwd, bytes(&evm_forwarder(store, true)));
    let mut args = B256::repeat_byte(1).to_vec();
    args.extend(B256::with_last_byte(3));
    let r = call(&mut chain, k.address, sfwd, args.clone());
    assert!(!r.success);
    // the same call made normally succeeds
    let plain = Address::repeat_byte(0x45);
    chain.set_code(plain, bytes(&evm_forwarder(store, false)));
    let r = send(&mut chain, &k, Some(plain), U256::ZERO, args);
    assert!(r.status, "{r:?}");
    assert_eq!(
        chain.storage(store, U256::from(3)),
        U256::from_be_bytes([1; 32])
    );
}

#[test]
fn infinite_loop_runs_out_of_gas_and_traps_revert_empty() {
    let (mut chain, k) = setup();
    let looping = deploy_wat(&mut chain, &k, &program("(loop $l (br $l)) (i32.const 0)"));
    let start = std::time::Instant::now();
    let r = chain
        .call(&CallRequest {
            from: k.address,
            to: Some(looping),
            gas: Some(500_000),
            ..Default::default()
        })
        .unwrap();
    assert!(!r.success && !r.reverted, "{r:?}");
    assert_eq!(r.gas_used, 500_000);
    // It ends by running out of gas, not by a timeout: ~5 s in a debug build (the interpreter
    // is unoptimized there), generous for a loaded 2-core machine.
    assert!(start.elapsed().as_secs() < 60);
    let trap = deploy_wat(&mut chain, &k, &program("(unreachable)"));
    let r = chain
        .call(&CallRequest {
            from: k.address,
            to: Some(trap),
            gas: Some(1_000_000),
            ..Default::default()
        })
        .unwrap();
    assert!(r.reverted && r.output.is_empty(), "{r:?}");
    assert!(
        r.gas_used < 100_000,
        "a trap keeps the remaining gas: {}",
        r.gas_used
    );
    let exit = deploy_wat(&mut chain, &k, &program("(call $write_result (i32.const 4096) (i32.const 5)) (call $exit (i32.const 1)) (i32.const 0)"));
    let r = call(&mut chain, k.address, exit, vec![]);
    assert!(r.reverted && r.output.as_ref() == b"hello");
}

fn activation_error(chain: &mut Devnet, k: &Key, code: &[u8]) -> String {
    let addr = Address::repeat_byte(0x99);
    chain.set_code(addr, bytes(code));
    let data = arbos::IArbWasm::activateProgramCall { program: addr }.abi_encode();
    let r = chain
        .call(&CallRequest {
            from: k.address,
            to: Some(arbos::ARB_WASM),
            value: eth(1),
            data: data.into(),
            ..Default::default()
        })
        .unwrap();
    assert!(r.reverted, "activation should fail");
    arbos::Error::abi_decode(&r.output)
        .map(|e| e.message)
        .unwrap_or_else(|_| format!("raw {:?}", r.output))
}

#[test]
fn activation_rejections_have_reasons() {
    let (mut chain, k) = setup();
    let forbidden = r#"(module (import "env" "abort" (func)) (memory (export "memory") 1)
        (func (export "user_entrypoint") (param i32) (result i32) (i32.const 0)))"#;
    assert!(activation_error(&mut chain, &k, &wat_code(forbidden))
        .contains("forbidden import env::abort"));
    let badsig = r#"(module (import "vm_hooks" "read_args" (func (param i64))) (memory (export "memory") 1)
        (func (export "user_entrypoint") (param i32) (result i32) (i32.const 0)))"#;
    assert!(activation_error(&mut chain, &k, &wat_code(badsig)).contains("wrong signature"));
    let no_entry = r#"(module (memory (export "memory") 1) (func (export "main") (param i32) (result i32) (i32.const 0)))"#;
    assert!(activation_error(&mut chain, &k, &wat_code(no_entry)).contains("user_entrypoint"));
    let no_mem =
        r#"(module (func (export "user_entrypoint") (param i32) (result i32) (i32.const 0)))"#;
    assert!(activation_error(&mut chain, &k, &wat_code(no_mem)).contains("memory"));
    let big_mem = r#"(module (memory (export "memory") 200) (func (export "user_entrypoint") (param i32) (result i32) (i32.const 0)))"#;
    assert!(activation_error(&mut chain, &k, &wat_code(big_mem)).contains("memory exceeds limit"));
    let floats = r#"(module (memory (export "memory") 1) (func (export "user_entrypoint") (param i32) (result i32) (drop (f32.const 1)) (i32.const 0)))"#;
    assert!(activation_error(&mut chain, &k, &wat_code(floats)).contains("unsupported operator"));
    // uncompressed size over 128 KiB (compresses well, decompresses too big)
    let huge = format!(
        r#"(module (memory (export "memory") 4) (data (i32.const 0) "{}")
        (func (export "user_entrypoint") (param i32) (result i32) (i32.const 0)))"#,
        "a".repeat(140_000)
    );
    assert!(activation_error(&mut chain, &k, &wat_code(&huge)).contains("decompression"));
    // compressed size over 24 KiB (incompressible data)
    let mut x: u64 = 0x1234_5678;
    let noise: String = (0..30_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            format!("\\{:02x}", x as u8)
        })
        .collect();
    let incompressible = format!(
        r#"(module (memory (export "memory") 1) (data (i32.const 0) "{noise}")
        (func (export "user_entrypoint") (param i32) (result i32) (i32.const 0)))"#
    );
    let code = wat_code(&incompressible);
    assert!(code.len() > 24 * 1024);
    assert!(activation_error(&mut chain, &k, &code).contains("24 KiB"));
    // not Wasm at all
    let addr = Address::repeat_byte(0x98);
    chain.set_code(addr, bytes(&[0x60, 0x00]));
    let data = arbos::IArbWasm::activateProgramCall { program: addr }.abi_encode();
    let r = chain
        .call(&CallRequest {
            from: k.address,
            to: Some(arbos::ARB_WASM),
            data: data.into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        r.output.as_ref(),
        arbos::IArbWasm::ProgramNotWasm {}.abi_encode().as_slice()
    );
    // oversize code cannot even be deployed (EIP-170, 24 KiB)
    let r = send(
        &mut chain,
        &k,
        None,
        U256::ZERO,
        vvv_devnet_engine::deployment_init_code(&code),
    );
    assert!(!r.status);
}

#[test]
fn activation_needs_the_data_fee() {
    let (mut chain, k) = setup();
    let p = deploy_code(&mut chain, &k, &wat_code(&program(ECHO)));
    let fee = activation_fee(&mut chain, k.address, p);
    assert!(fee > U256::ZERO);
    let data = arbos::IArbWasm::activateProgramCall { program: p }.abi_encode();
    let r = send(
        &mut chain,
        &k,
        Some(arbos::ARB_WASM),
        fee - U256::from(1),
        data,
    );
    assert!(!r.status);
    let e = arbos::IArbWasm::ProgramInsufficientValue::abi_decode(&r.output).unwrap();
    assert_eq!((e.have, e.want), (fee - U256::from(1), fee));
}

#[test]
fn signed_transactions_all_types_and_checks() {
    let k = Key::new(5);
    let mut chain = chain_with(&k);
    let recipient = Address::repeat_byte(0x77);
    let to = Some(recipient);
    let id = chain.chain_id();
    let r = chain
        .send_raw_transaction(&k.tx_legacy(Some(id), 0, to, U256::from(1), vec![], 21_000))
        .unwrap();
    assert!(r.status && r.tx_type == 0 && r.gas_used == 21_000);
    let r = chain
        .send_raw_transaction(&k.tx2930(id, 1, to, U256::from(1), vec![], 21_000))
        .unwrap();
    assert!(r.status && r.tx_type == 1);
    let r = chain
        .send_raw_transaction(&k.tx1559(id, 2, to, U256::from(1), vec![], 21_000))
        .unwrap();
    assert!(r.status && r.tx_type == 2);
    assert_eq!(chain.balance(recipient), U256::from(3));
    assert_eq!(chain.nonce(k.address), 3);
    assert_eq!(chain.block_number(), 3);
    // wrong chain id, bad nonce, intrinsic gas too low, no funds
    assert!(chain
        .send_raw_transaction(&k.tx1559(1, 3, to, U256::ZERO, vec![], 21_000))
        .is_err());
    assert!(chain
        .send_raw_transaction(&k.tx1559(id, 7, to, U256::ZERO, vec![], 21_000))
        .is_err());
    assert!(chain
        .send_raw_transaction(&k.tx1559(id, 3, to, U256::ZERO, vec![], 20_000))
        .is_err());
    let poor = Key::new(6);
    assert!(chain
        .send_raw_transaction(&poor.tx1559(id, 0, to, U256::ZERO, vec![], 21_000))
        .is_err());
    assert!(chain.send_raw_transaction(&[0x02, 0x01]).is_err());
    assert_eq!(chain.nonce(k.address), 3, "rejected txs change nothing");
    // the gas fee was paid at the effective price: Arbitrum drops tips, so every type pays the
    // base fee (0.1 gwei), whatever its gas price (legacy and 2930 offered 1 gwei)
    let fee = U256::from(3 * 21_000u64) * U256::from(chain.config().basefee);
    assert_eq!(chain.balance(k.address), eth(1000) - U256::from(3) - fee);
}

#[test]
fn ink_metering_is_deterministic_and_priced() {
    let (mut chain, k) = setup();
    let p = deploy_wat(&mut chain, &k, &program(ECHO));
    let a = call(&mut chain, k.address, p, vec![1; 10]).gas_used;
    let b = call(&mut chain, k.address, p, vec![1; 10]).gas_used;
    assert_eq!(a, b);
    let params = vvv_devnet_engine::StylusParams::default();
    // the call costs at least intrinsic gas plus the minimum init and cached costs
    assert!(
        a >= 21_000 + params.init_gas(0) + params.cached_gas(0),
        "{a}"
    );
    // a program looping N times costs more than one looping fewer
    let lp = |n: u32| {
        program(&format!("(local $i i32) (loop $l (local.set $i (i32.add (local.get $i) (i32.const 1))) (br_if $l (i32.lt_u (local.get $i) (i32.const {n})))) (i32.const 0)"))
    };
    let small = deploy_wat(&mut chain, &k, &lp(1000));
    let big = deploy_wat(&mut chain, &k, &lp(11000));
    let gs = call(&mut chain, k.address, small, vec![]).gas_used;
    let gb = call(&mut chain, k.address, big, vec![]).gas_used;
    // 10000 extra iterations of 7 operators: 75+70+75(const~1)+210+75+170+765 ink ≈ 1.4k ink each
    let per_iter_ink = (gb - gs) * 10_000 / 10_000;
    assert!(
        (1_000..2_000).contains(&per_iter_ink),
        "extra gas {} for 10k iterations",
        gb - gs
    );
    let _ = compress_program(&[]);
}

/// Traces `data` sent to `to` with the hostio recorder (Nitro's `stylusTracer`).
fn trace(
    chain: &mut Devnet,
    from: Address,
    to: Address,
    value: U256,
    data: Vec<u8>,
) -> Vec<HostioRecord> {
    let req = CallRequest {
        from,
        to: Some(to),
        value,
        data: data.into(),
        ..Default::default()
    };
    let (r, t) = chain
        .trace_call_at(&req, None, &[], TraceLimits::default())
        .unwrap();
    assert!(r.success || r.reverted, "{r:?}");
    t.unwrap()
}

fn names(t: &[HostioRecord]) -> Vec<&str> {
    t.iter().map(|r| r.name).collect()
}

fn record<'a>(t: &'a [HostioRecord], name: &str) -> &'a HostioRecord {
    t.iter().find(|r| r.name == name).unwrap()
}

/// Each hostio's arguments and outputs are packed as Nitro's `user-host-trait` packs them
/// (big-endian integers, raw words and addresses, data after the fixed fields); ink falls.
#[test]
fn hostio_trace_packs_as_nitro() {
    let (mut chain, k) = setup();
    let body = r#"
    (call $sender (i32.const 0))
    (call $address (i32.const 20))
    (call $origin (i32.const 40))
    (i64.store (i32.const 60) (call $ts))
    (i64.store (i32.const 68) (call $number))
    (i64.store (i32.const 76) (call $chainid))
    (i32.store (i32.const 84) (call $reentrant))
    (call $keccak (i32.const 4096) (i32.const 5) (i32.const 88))
    (call $value (i32.const 120))
    (i64.store (i32.const 152) (call $gas_left))
    (call $tstore (i32.const 88) (i32.const 0))
    (call $tload (i32.const 88) (i32.const 160))
    (call $balance (i32.const 0) (i32.const 192))
    (call $log_txt (i32.const 4096) (i32.const 5))
    (call $log (i32.const 88) (i32.const 37) (i32.const 1))
    (call $write_result (i32.const 0) (i32.const 224))
    (i32.const 0)"#;
    let p = deploy_wat(&mut chain, &k, &program(body));
    let t = trace(&mut chain, k.address, p, U256::from(5), vec![]);
    assert_eq!(
        names(&t),
        [
            "user_entrypoint",
            "msg_sender",
            "contract_address",
            "tx_origin",
            "block_timestamp",
            "block_number",
            "chainid",
            "msg_reentrant",
            "native_keccak256",
            "msg_value",
            "evm_gas_left",
            "transient_store_bytes32",
            "transient_load_bytes32",
            "account_balance",
            "console_log_text",
            "emit_log",
            "write_result",
            "user_returned"
        ]
    );
    let outs = |n: &str| record(&t, n).outs.clone();
    let args = |n: &str| record(&t, n).args.clone();
    assert_eq!(args("user_entrypoint"), 0u32.to_be_bytes());
    assert_eq!(outs("msg_sender"), k.address.as_slice());
    assert_eq!(outs("contract_address"), p.as_slice());
    assert_eq!(outs("tx_origin"), k.address.as_slice());
    assert_eq!(outs("chainid"), 412_346u64.to_be_bytes());
    assert_eq!(outs("block_number").len(), 8);
    assert_eq!(outs("msg_reentrant"), [0, 0, 0, 0]);
    let digest = alloy_primitives::keccak256(b"hello");
    assert_eq!(args("native_keccak256"), b"hello");
    assert_eq!(outs("native_keccak256"), digest.as_slice());
    assert_eq!(outs("msg_value"), U256::from(5).to_be_bytes::<32>());
    // the word stored at the digest is the first word of memory: the sender, then the contract
    let word = [k.address.as_slice(), &p.as_slice()[..12]].concat();
    assert_eq!(
        args("transient_store_bytes32"),
        [digest.as_slice(), &word].concat()
    );
    assert_eq!(args("transient_load_bytes32"), digest.as_slice());
    assert_eq!(outs("transient_load_bytes32"), word);
    assert_eq!(args("account_balance"), k.address.as_slice());
    assert_eq!(
        outs("account_balance"),
        // during the call, after its value moved
        (chain.balance(k.address) - U256::from(5)).to_be_bytes::<32>()
    );
    assert_eq!(args("console_log_text"), b"hello");
    assert_eq!(
        args("emit_log"),
        // one topic (the digest), then 5 bytes of data: the head of the msg_value word
        [&1u32.to_be_bytes()[..], digest.as_slice(), &[0; 5]].concat()
    );
    assert_eq!(args("write_result").len(), 224);
    assert_eq!(outs("user_returned"), [0, 0, 0, 0]);
    // gas left as the program saw it, in the record's outputs, matches its ink
    let g = record(&t, "evm_gas_left");
    let gas = u64::from_be_bytes(g.outs.clone().try_into().unwrap());
    assert_eq!(gas, g.end_ink / 10_000);
    for w in t[1..t.len() - 1].windows(2) {
        // console output is free (in Nitro too); every other hostio costs ink
        let free = w[0].name == "console_log_text";
        assert!(w[0].end_ink < w[0].start_ink || free && w[0].end_ink == w[0].start_ink);
        assert!(w[1].start_ink <= w[0].end_ink, "{w:?}");
    }
    chain.take_console();

    // exit_early: traced with its status (no ink of its own), then user_returned with it
    let p = deploy_wat(
        &mut chain,
        &k,
        &program("(call $exit (i32.const 3)) (i32.const 0)"),
    );
    let t = trace(&mut chain, k.address, p, U256::ZERO, vec![]);
    assert_eq!(
        names(&t),
        ["user_entrypoint", "exit_early", "user_returned"]
    );
    assert_eq!(t[1].args, [0, 0, 0, 3]);
    assert_eq!(t[1].start_ink, t[1].end_ink);
    assert_eq!(t[2].outs, [0, 0, 0, 3]);
}

/// Frames: a program's call claims the frame it opened; frames entered by EVM code stay as
/// `evm_*` records (CALL and STATICCALL), each with the callee's records inside.
#[test]
fn hostio_trace_nests_frames() {
    let (mut chain, k) = setup();
    let echo = deploy_wat(&mut chain, &k, &program(ECHO));
    let fwd = deploy_wat(&mut chain, &k, &program(FORWARD));
    let evm_fwd = Address::repeat_byte(0x43);
    chain.set_code(evm_fwd, bytes(&evm_forwarder(echo, false)));
    let evm_static = Address::repeat_byte(0x44);
    chain.set_code(evm_static, bytes(&evm_forwarder(echo, true)));
    for (via, frame) in [
        (evm_fwd, "evm_call_contract"),
        (evm_static, "evm_static_call_contract"),
    ] {
        // Wasm -> EVM -> Wasm
        let mut args = via.to_vec();
        args.extend([9, 9]);
        let t = trace(&mut chain, k.address, fwd, U256::ZERO, args.clone());
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
        let call = record(&t, "call_contract");
        assert!(call.is_hostio);
        assert_eq!(
            call.args,
            [via.as_slice(), &u64::MAX.to_be_bytes(), &[0; 32], &[9, 9]].concat()
        );
        assert_eq!(call.outs, [0, 0, 0, 2, 0]);
        let (addr, steps) = call.frame.as_ref().unwrap();
        assert_eq!(*addr, via);
        assert_eq!(names(steps), [frame]);
        assert!(!steps[0].is_hostio);
        assert_eq!((steps[0].start_ink, steps[0].end_ink), (0, 0));
        let (inner_addr, inner) = steps[0].frame.as_ref().unwrap();
        assert_eq!(*inner_addr, echo);
        assert_eq!(
            names(inner),
            [
                "user_entrypoint",
                "read_args",
                "write_result",
                "user_returned"
            ]
        );
        assert_eq!(inner[1].outs, [9, 9]);
    }
    // EVM at the top: the transaction's own frame is not recorded, the call it makes is
    let t = trace(&mut chain, k.address, evm_fwd, U256::ZERO, vec![1]);
    assert_eq!(names(&t), ["evm_call_contract"]);
    assert_eq!(t[0].frame.as_ref().unwrap().0, echo);
    assert_eq!(names(&t[0].frame.as_ref().unwrap().1)[0], "user_entrypoint");
}
