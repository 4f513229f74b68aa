//! ArbOS 60 pieces: fragmented programs (root + fragments), `activationGas`,
//! `getMaxStylusContractFragments`, the canonical StylusDeployer predeployed (refunds, reverts),
//! ArbWasmCache/CacheManager with cached-init pricing, keepalive errors, unmodelled precompiles.

mod common;

use alloy_primitives::{Address, Bytes, U256};
use alloy_sol_types::{sol, SolCall, SolError, SolValue};
use common::*;
use vvv_devnet_engine::program::{FRAGMENT_PREFIX, ROOT_PREFIX};
use vvv_devnet_engine::{arbos, precompiles, CallRequest, Devnet};

const ECHO: &str = r#"(module
  (import "vm_hooks" "read_args" (func $read_args (param i32)))
  (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
  (import "vm_hooks" "pay_for_memory_grow" (func $pay (param i32)))
  (memory (export "memory") 1)
  (func (export "user_entrypoint") (param $len i32) (result i32)
    (call $read_args (i32.const 0))
    (call $write_result (i32.const 0) (local.get $len))
    (i32.const 0)))"#;

sol! {
    function getMaxStylusContractFragments() external view returns (uint8);
    function activationGas() external view returns (uint64 gas);
    function programVersion(address program) external view returns (uint16 version);
    function codehashKeepalive(bytes32 codehash) external payable;
    function allCacheManagers() external view returns (address[] memory managers);
    function codehashIsCached(bytes32 codehash) external view returns (bool);
    function placeBid(address program) external payable;
    function programInitGas(address program) external view returns (uint64 gas, uint64 gasWhenCached);
    error ProgramNotWasm();
    error ProgramKeepaliveTooSoon(uint64 ageInSeconds);
    error ProgramNotActivated();
}

fn view(chain: &mut Devnet, to: Address, data: Vec<u8>) -> vvv_devnet_engine::CallResult {
    chain
        .call(&CallRequest {
            from: Address::repeat_byte(7),
            to: Some(to),
            data: data.into(),
            ..Default::default()
        })
        .unwrap()
}

/// The ECHO program split into `n` fragments plus its root (what cargo stylus 0.10 deploys
/// for a program over 24 KiB), deployed with plain CREATEs. Returns (root, fragments).
fn deploy_fragmented(
    chain: &mut Devnet,
    k: &Key,
    n: usize,
    bad_len: bool,
) -> (Address, Vec<Address>) {
    let wasm = wat::parse_str(ECHO).unwrap();
    let classic = wat_code(ECHO);
    let compressed = &classic[4..];
    let chunk = compressed.len().div_ceil(n);
    let mut addrs = vec![];
    for part in compressed.chunks(chunk) {
        let mut code = FRAGMENT_PREFIX.to_vec();
        code.extend_from_slice(part);
        addrs.push(deploy_code(chain, k, &code));
    }
    let mut root = ROOT_PREFIX.to_vec();
    root.push(0);
    let len = wasm.len() as u32 + bad_len as u32;
    root.extend(len.to_be_bytes());
    for a in &addrs {
        root.extend_from_slice(a.as_slice());
    }
    (deploy_code(chain, k, &root), addrs)
}

fn activation_call(
    chain: &mut Devnet,
    from: Address,
    program: Address,
) -> vvv_devnet_engine::CallResult {
    chain
        .call(&CallRequest {
            from,
            to: Some(arbos::ARB_WASM),
            value: eth(1),
            data: arbos::IArbWasm::activateProgramCall { program }
                .abi_encode()
                .into(),
            ..Default::default()
        })
        .unwrap()
}

fn error_message(out: &[u8]) -> String {
    arbos::Error::abi_decode(out)
        .map(|e| e.message)
        .unwrap_or_else(|_| format!("raw {out:?}"))
}

#[test]
fn fragmented_programs_activate_and_run() {
    let k = Key::new(5);
    let mut chain = chain_with(&k);
    let (root, frags) = deploy_fragmented(&mut chain, &k, 2, false);
    // a fragment is not a program: it cannot be activated, and runs as (invalid) EVM code
    let r = activation_call(&mut chain, k.address, frags[0]);
    assert!(error_message(&r.output).contains("cannot be activated directly"));
    assert!(!call(&mut chain, k.address, frags[0], vec![1]).success);
    // the root is: the fragment reads are charged (cold access + copy gas), as Nitro does
    let classic = deploy_code(&mut chain, &k, &wat_code(ECHO));
    let a = activation_call(&mut chain, k.address, classic);
    let b = activation_call(&mut chain, k.address, root);
    assert!(a.success && b.success, "{a:?} {b:?}");
    let read = |addr: Address| 2600 + 3 * (chain.code(addr).len() as u64).div_ceil(32);
    let frag_gas: u64 = frags.iter().map(|f| read(*f)).sum();
    // the root's calldata is the same size; its code is longer (no effect on gas)
    assert_eq!(b.gas_used - a.gas_used, frag_gas);
    let rec = activate(&mut chain, &k, root);
    assert!(rec.status);
    let r = call(&mut chain, k.address, root, vec![4, 5, 6]);
    assert!(r.success, "{r:?}");
    assert_eq!(r.output.as_ref(), &[4, 5, 6]);
    let v = view(
        &mut chain,
        arbos::ARB_WASM,
        programVersionCall { program: root }.abi_encode(),
    );
    assert_eq!(U256::from_be_slice(&v.output), U256::from(2));
}

#[test]
fn fragment_rules_follow_nitro() {
    let k = Key::new(6);
    let mut chain = chain_with(&k);
    let (three, _) = deploy_fragmented(&mut chain, &k, 3, false);
    let r = activation_call(&mut chain, k.address, three);
    assert_eq!(
        error_message(&r.output),
        "invalid wasm: fragment count exceeds limit of 2"
    );
    let (bad, _) = deploy_fragmented(&mut chain, &k, 2, true);
    let r = activation_call(&mut chain, k.address, bad);
    assert!(
        error_message(&r.output).contains("decompressed length"),
        "{}",
        error_message(&r.output)
    );
    let mut empty_root = ROOT_PREFIX.to_vec();
    empty_root.extend([0, 0, 0, 0, 10]);
    let empty = deploy_code(&mut chain, &k, &empty_root);
    let r = activation_call(&mut chain, k.address, empty);
    assert_eq!(
        error_message(&r.output),
        "invalid wasm: fragment count cannot be zero"
    );
    // not enough gas for a maximum-size fragment read: out of gas, as Nitro's preflight
    let (root, _) = deploy_fragmented(&mut chain, &k, 2, false);
    let r = chain
        .call(&CallRequest {
            from: k.address,
            to: Some(arbos::ARB_WASM),
            value: eth(1),
            gas: Some(21_000 + 1_000 + 1_659_168 + 2_000),
            data: arbos::IArbWasm::activateProgramCall { program: root }
                .abi_encode()
                .into(),
            ..Default::default()
        })
        .unwrap();
    assert!(!r.success && !r.reverted, "{r:?}");
    // views of the ArbOS 60 chain
    let v = view(
        &mut chain,
        precompiles::ARB_OWNER_PUBLIC,
        getMaxStylusContractFragmentsCall {}.abi_encode(),
    );
    assert_eq!(U256::from_be_slice(&v.output), U256::from(2));
    let v = view(
        &mut chain,
        arbos::ARB_WASM,
        activationGasCall {}.abi_encode(),
    );
    assert!(v.success);
    assert_eq!(U256::from_be_slice(&v.output), U256::ZERO);
}

/// The deployer's `deploy(bytecode, initData, initValue, salt)` through a signed transaction.
fn deployer_send(
    chain: &mut Devnet,
    k: &Key,
    bytecode: Vec<u8>,
    value: U256,
) -> vvv_devnet_engine::Receipt {
    let data = arbos::IStylusDeployer::deployCall {
        bytecode: bytecode.into(),
        initData: Bytes::new(),
        initValue: U256::ZERO,
        salt: Default::default(),
    }
    .abi_encode();
    send(chain, k, Some(arbos::STYLUS_DEPLOYER), value, data)
}

#[test]
fn canonical_stylus_deployer_refunds_and_rejects_like_the_original() {
    let k = Key::new(7);
    let mut chain = chain_with(&k);
    let init = vvv_devnet_engine::deployment_init_code(&wat_code(ECHO));
    let gas_cost =
        |r: &vvv_devnet_engine::Receipt| U256::from(r.gas_used) * U256::from(r.effective_gas_price);
    // first deployment activates: only the data fee (and gas) is kept, the rest comes back
    let before = chain.balance(k.address);
    let r = deployer_send(&mut chain, &k, init.clone(), eth(1));
    assert!(r.status, "{r:?}");
    let fee = before - gas_cost(&r) - chain.balance(k.address);
    assert!(fee > U256::ZERO && fee < eth(1), "fee {fee}");
    assert_eq!(chain.balance(arbos::STYLUS_DEPLOYER), U256::ZERO);
    // same code hash again: already activated, the whole value is refunded (no error)
    let before = chain.balance(k.address);
    let r = deployer_send(&mut chain, &k, init.clone(), eth(1));
    assert!(r.status, "{r:?}");
    assert_eq!(chain.balance(k.address), before - gas_cost(&r));
    // non-Stylus init code: the canonical deployer tries to activate it and reverts
    let evm_init = vvv_devnet_engine::deployment_init_code(&[0x60, 0x00]);
    let r = deployer_send(&mut chain, &k, evm_init, U256::ZERO);
    assert!(!r.status);
    assert_eq!(r.output.as_ref(), ProgramNotWasm {}.abi_encode().as_slice());
    // empty bytecode: the canonical EmptyBytecode() error
    let r = deployer_send(&mut chain, &k, vec![], U256::ZERO);
    assert!(!r.status);
    assert_eq!(
        &r.output[..4],
        &alloy_primitives::keccak256("EmptyBytecode()")[..4]
    );
}

/// The embedded deployer is byte for byte the runtime of the bytecode `stylus-tools` ships
/// (checked when that crate's source is in the cargo registry, e.g. after installing
/// cargo-stylus; `VVV_REQUIRE_STYLUS_TOOLS=1` makes its absence a failure).
#[test]
fn embedded_deployer_is_the_stylus_tools_bytecode() {
    let home = std::env::var("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| {
            std::path::PathBuf::from(std::env::var("HOME").unwrap()).join(".cargo")
        });
    let mut found = None;
    if let Ok(dirs) = std::fs::read_dir(home.join("registry/src")) {
        for d in dirs.flatten() {
            let f = d.path().join("stylus-tools-0.10.10/src/devnet/bytecode.rs");
            if f.exists() {
                found = Some(f);
            }
        }
    }
    let Some(f) = found else {
        assert!(
            std::env::var("VVV_REQUIRE_STYLUS_TOOLS").is_err(),
            "stylus-tools 0.10.10 source not found"
        );
        eprintln!("SKIP: stylus-tools 0.10.10 source not in the cargo registry");
        return;
    };
    let src = std::fs::read_to_string(f).unwrap();
    let start = src.find("pub const STYLUS_DEPLOYER").unwrap();
    let end = start + src[start..].find(");").unwrap();
    let hex: String = src[start..end].split('"').skip(1).step_by(2).collect();
    let init = alloy_primitives::hex::decode(hex).unwrap();
    // constructor: CODECOPY the runtime appended after 32 bytes and RETURN it
    assert_eq!(&init[32..], arbos::stylus_deployer_code().as_ref());
}

#[test]
fn cache_manager_caches_and_cached_programs_pay_cached_init() {
    let k = Key::new(8);
    let mut chain = chain_with(&k);
    let p = deploy_wat(&mut chain, &k, ECHO);
    let managers = view(
        &mut chain,
        precompiles::ARB_WASM_CACHE,
        allCacheManagersCall {}.abi_encode(),
    );
    assert_eq!(
        <Vec<Address>>::abi_decode(&managers.output).unwrap(),
        vec![precompiles::CACHE_MANAGER]
    );
    let hash = chain.code_hash(p);
    let cached = |chain: &mut Devnet| {
        let v = view(
            chain,
            precompiles::ARB_WASM_CACHE,
            codehashIsCachedCall { codehash: hash }.abi_encode(),
        );
        v.output[31] == 1
    };
    assert!(!cached(&mut chain));
    let before = call(&mut chain, k.address, p, vec![1]).gas_used;
    let init = view(
        &mut chain,
        arbos::ARB_WASM,
        programInitGasCall { program: p }.abi_encode(),
    );
    let (init_gas, cached_gas) = <(u64, u64)>::abi_decode(&init.output).unwrap();
    // only the CacheManager (or the chain owner) may cache directly
    let direct = send(
        &mut chain,
        &k,
        Some(precompiles::ARB_WASM_CACHE),
        U256::ZERO,
        vvv_devnet_engine::precompiles::IArbWasmCache::cacheProgramCall { addr: p }.abi_encode(),
    );
    assert!(!direct.status);
    let r = send(
        &mut chain,
        &k,
        Some(precompiles::CACHE_MANAGER),
        U256::ZERO,
        placeBidCall { program: p }.abi_encode(),
    );
    assert!(r.status, "{r:?}");
    assert!(cached(&mut chain));
    let after = call(&mut chain, k.address, p, vec![1]).gas_used;
    assert_eq!(
        before - after,
        init_gas - cached_gas,
        "a cached program pays only the cached init cost"
    );
    // bidding again: AlreadyCached
    let r = send(
        &mut chain,
        &k,
        Some(precompiles::CACHE_MANAGER),
        U256::ZERO,
        placeBidCall { program: p }.abi_encode(),
    );
    assert!(!r.status);
    // keepalive right after activation: too soon; of an unknown hash: not activated
    let r = send(
        &mut chain,
        &k,
        Some(arbos::ARB_WASM),
        U256::ZERO,
        codehashKeepaliveCall { codehash: hash }.abi_encode(),
    );
    assert!(
        ProgramKeepaliveTooSoon::abi_decode(&r.output).is_ok(),
        "{r:?}"
    );
    let r = send(
        &mut chain,
        &k,
        Some(arbos::ARB_WASM),
        U256::ZERO,
        codehashKeepaliveCall {
            codehash: Default::default(),
        }
        .abi_encode(),
    );
    assert_eq!(
        r.output.as_ref(),
        ProgramNotActivated {}.abi_encode().as_slice()
    );
}

#[test]
fn unmodelled_precompiles_revert_with_a_message() {
    let k = Key::new(9);
    let mut chain = chain_with(&k);
    let aggregator = Address::with_last_byte(0x6d);
    let r = view(&mut chain, aggregator, vec![1, 2, 3, 4]);
    assert!(r.reverted);
    assert!(
        error_message(&r.output).contains("ArbAggregator"),
        "{}",
        error_message(&r.output)
    );
    let r = view(&mut chain, arbos::ARB_WASM, vec![9, 9, 9, 9]);
    assert!(error_message(&r.output).contains("not modelled"));
    // precompiles and predeploys have code
    assert_eq!(chain.code(aggregator).as_ref(), &[0xfe]);
    assert!(!chain.code(arbos::CREATE2_FACTORY).is_empty());
}
