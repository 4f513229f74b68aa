//! ArbOS precompiles (`ArbSys`, `ArbWasm`, ...), the program activation records, and the
//! contracts every Arbitrum chain has predeployed (the canonical `StylusDeployer`, the CREATE2
//! factory).

use crate::context::{revert_result, Ctx, Shared};
use crate::params::{StylusParams, ACTIVATION_FIXED_GAS};
use crate::program::{self, ProgramInfo};
use alloy_primitives::{address, keccak256, Address, Bytes, Log, B256, U256};
use alloy_sol_types::{sol, SolCall, SolError, SolEvent};
use revm::context_interface::{Block, ContextTr, JournalTr};
use revm::interpreter::{CallInputs, Gas, InstructionResult, InterpreterResult};
use std::sync::Arc;

pub const ARB_SYS: Address = address!("0000000000000000000000000000000000000064");
pub const ARB_WASM: Address = address!("0000000000000000000000000000000000000071");
/// Account holding ArbOS state (program records, data pricer) in its storage.
pub const ARBOS_STATE: Address = address!("A4B05FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF");
/// Canonical address of the StylusDeployer that `cargo stylus deploy` uses.
pub const STYLUS_DEPLOYER: Address = address!("cEcba2F1DC234f70Dd89F2041029807F8D03A990");
/// Runtime code of the canonical StylusDeployer (Offchain Labs, MIT OR Apache-2.0): the code
/// the `stylus-tools` crate (0.10.10, `src/devnet/bytecode.rs`, `STYLUS_DEPLOYER` minus its
/// 32-byte constructor) deploys on nitro-devnode. Predeployed at genesis; the engine has no
/// deployer logic of its own, so behaviour (refunds, reverts, gas) is the canonical one.
pub fn stylus_deployer_code() -> Bytes {
    decode_hex(include_str!("predeploys/stylus_deployer.runtime.hex"))
}
/// Arachnid's deterministic-deployment proxy, present on every Arbitrum chain.
pub const CREATE2_FACTORY: Address = address!("4e59b44847b379578588920ca78fbf26c0b4956c");
/// Its runtime code (`salt ‖ initcode` in, CREATE2, the 20-byte address out).
pub fn create2_factory_code() -> Bytes {
    decode_hex("7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe03601600081602082378035828234f58015156039578182fd5b8082525050506014600cf3")
}
/// Contracts with real EVM code at genesis, as on a Nitro chain set up like nitro-devnode.
pub fn predeploys() -> Vec<(Address, Bytes)> {
    vec![
        (STYLUS_DEPLOYER, stylus_deployer_code()),
        (CREATE2_FACTORY, create2_factory_code()),
    ]
}
fn decode_hex(s: &str) -> Bytes {
    alloy_primitives::hex::decode(s.trim())
        .expect("embedded hex")
        .into()
}
/// Receives activation data fees.
pub const NETWORK_FEE_ACCOUNT: Address = address!("a4b000000000000000000073657175656e636572");
pub const ARBITRUM_START_TIME: u64 = 1_421_388_000;
/// ArbOS version this engine models (Stylus v2 pricing, fragmented programs, `activationGas`).
pub const ARBOS_VERSION: u64 = 60;

sol! {
    interface IArbWasm {
        function activateProgram(address program) external payable returns (uint16 version, uint256 dataFee);
        function stylusVersion() external view returns (uint16 version);
        function inkPrice() external view returns (uint32 price);
        function maxStackDepth() external view returns (uint32 depth);
        function freePages() external view returns (uint16 pages);
        function pageGas() external view returns (uint16 gas);
        function pageRamp() external view returns (uint64 ramp);
        function pageLimit() external view returns (uint16 limit);
        function minInitGas() external view returns (uint64 gas, uint64 cached);
        function initCostScalar() external view returns (uint64 percent);
        function expiryDays() external view returns (uint16 _days);
        function keepaliveDays() external view returns (uint16 _days);
        function blockCacheSize() external view returns (uint16 count);
        function activationGas() external view returns (uint64 gas);
        function codehashVersion(bytes32 codehash) external view returns (uint16 version);
        function codehashAsmSize(bytes32 codehash) external view returns (uint32 size);
        function programVersion(address program) external view returns (uint16 version);
        function programInitGas(address program) external view returns (uint64 gas, uint64 gasWhenCached);
        function programMemoryFootprint(address program) external view returns (uint16 footprint);
        function programTimeLeft(address program) external view returns (uint64 _secs);
        event ProgramActivated(bytes32 indexed codehash, bytes32 moduleHash, address program, uint256 dataFee, uint16 version);
        error ProgramNotWasm();
        error ProgramNotActivated();
        error ProgramNeedsUpgrade(uint16 version, uint16 stylusVersion);
        error ProgramExpired(uint64 ageInSeconds);
        error ProgramUpToDate();
        error ProgramKeepaliveTooSoon(uint64 ageInSeconds);
        error ProgramInsufficientValue(uint256 have, uint256 want);
    }

    interface IArbWasmKeepalive {
        function codehashKeepalive(bytes32 codehash) external payable;
        event ProgramLifetimeExtended(bytes32 indexed codehash, uint256 dataFee);
    }

    interface IArbSys {
        function arbBlockNumber() external view returns (uint256);
        function arbBlockHash(uint256 arbBlockNum) external view returns (bytes32);
        function arbChainID() external view returns (uint256);
        function arbOSVersion() external view returns (uint256);
        function getStorageGasAvailable() external view returns (uint256);
        function isTopLevelCall() external view returns (bool);
        function wasMyCallersAddressAliased() external view returns (bool);
        function myCallersAddressWithoutAliasing() external view returns (address);
    }

    interface IStylusDeployer {
        function deploy(bytes calldata bytecode, bytes calldata initData, uint256 initValue, bytes32 salt) external payable returns (address);
        event ContractDeployed(address deployedContract);
        error ContractDeploymentError(bytes bytecode);
        error ContractInitializationError(address newContract, bytes data);
        error RefundExcessValueError(uint256 excessValue);
        error EmptyBytecode();
        error InitValueButNotInitData();
    }

    error Error(string message);
}

pub(crate) fn slot(tag: &str, key: &[u8]) -> U256 {
    let mut pre = tag.as_bytes().to_vec();
    pre.extend_from_slice(key);
    U256::from_be_bytes(keccak256(pre).0)
}

pub(crate) fn sload(ctx: &mut Ctx, key: U256) -> U256 {
    let _ = ctx.journal_mut().load_account(ARBOS_STATE);
    ctx.journal_mut()
        .sload(ARBOS_STATE, key)
        .map(|v| v.data)
        .unwrap_or_default()
}
pub(crate) fn sstore(ctx: &mut Ctx, key: U256, value: U256) {
    let _ = ctx.journal_mut().load_account(ARBOS_STATE);
    let _ = ctx.journal_mut().sstore(ARBOS_STATE, key, value);
}

/// The stored activation record of a code hash (version 0 = never activated).
pub fn program_record(ctx: &mut Ctx, codehash: B256) -> ProgramInfo {
    ProgramInfo::from_word(B256::from(
        sload(ctx, slot("stylus.program", codehash.as_slice())).to_be_bytes::<32>(),
    ))
}

pub(crate) fn hours_since_start(now: u64) -> u32 {
    (now.saturating_sub(ARBITRUM_START_TIME) / 3600).min(0xFF_FFFF) as u32
}
pub(crate) fn age_seconds(now: u64, info: &ProgramInfo) -> u64 {
    now.saturating_sub(ARBITRUM_START_TIME + info.activated_at as u64 * 3600)
}

/// The active program for a code hash, or ArbWasm's revert data saying why not.
pub fn active_program(
    ctx: &mut Ctx,
    params: &StylusParams,
    codehash: B256,
    now: u64,
) -> Result<ProgramInfo, Vec<u8>> {
    let info = program_record(ctx, codehash);
    if info.version == 0 {
        return Err(IArbWasm::ProgramNotActivated {}.abi_encode());
    }
    if info.version != params.version {
        return Err(IArbWasm::ProgramNeedsUpgrade {
            version: info.version,
            stylusVersion: params.version,
        }
        .abi_encode());
    }
    let age = age_seconds(now, &info);
    if age > params.expiry_days as u64 * 86400 {
        return Err(IArbWasm::ProgramExpired { ageInSeconds: age }.abi_encode());
    }
    Ok(info)
}

/// `e^(x/10000)` in basis points, by a 12-term Taylor series in Horner form.
fn approx_exp_bips(x: u64) -> u64 {
    const B: u128 = 10_000;
    let x = x as u128;
    let mut res = B;
    for i in (1..=12u128).rev() {
        res = B + res * x / (B * i);
    }
    res.min(u64::MAX as u128) as u64
}

/// Nitro's activation data pricer: a demand-driven price per byte of estimated assembly.
pub(crate) fn data_fee(ctx: &mut Ctx, bytes: u32, now: u64) -> U256 {
    const MIN_PRICE: u64 = 82_928_201;
    const INERTIA: u64 = 21_360_419;
    const BYTES_PER_SECOND: u64 = (1u64 << 40) / (365 * 24) / 3600;
    let (k_demand, k_time) = (
        slot("stylus.pricer.demand", &[]),
        slot("stylus.pricer.time", &[]),
    );
    let demand = sload(ctx, k_demand).saturating_to::<u64>();
    let last = sload(ctx, k_time)
        .saturating_to::<u64>()
        .max(ARBITRUM_START_TIME);
    let passed = now.saturating_sub(last).min(u32::MAX as u64);
    let demand = demand
        .saturating_sub(BYTES_PER_SECOND.saturating_mul(passed))
        .saturating_add(bytes as u64);
    sstore(ctx, k_demand, U256::from(demand));
    sstore(ctx, k_time, U256::from(now));
    let exponent = 10_000 * demand / INERTIA;
    let multiplier = approx_exp_bips(exponent);
    let per_byte = (MIN_PRICE as u128 * multiplier as u128 / 10_000) as u64;
    U256::from(per_byte) * U256::from(bytes)
}

/// Why the Wasm of a program could not be assembled.
pub enum WasmLoadError {
    /// `ProgramNotWasm()`: not Stylus code at all.
    NotWasm,
    /// Not enough gas to read a fragment (takes all gas).
    OutOfGas,
    /// Any other reason (Nitro: a non-Solidity error).
    Other(String),
}

/// Gas to read a fragment's code: account access plus copy cost (Nitro's `fragmentReadGasCost`).
fn fragment_read_gas(warm: bool, code_len: u64) -> u64 {
    let access = if warm { 100 } else { 2600 };
    access + 3 * code_len.div_ceil(32)
}

/// The Wasm of a program (Nitro's `getWasm`): a classic program's own compressed body, or a
/// root program's fragments concatenated and decompressed. With `charge` (activation), the
/// root's limits are enforced and each fragment read is charged as Nitro does (a cold or warm
/// account access plus copy gas, after checking a maximum-size read is affordable).
pub fn program_wasm(
    ctx: &mut Ctx,
    params: &StylusParams,
    code: &[u8],
    mut charge: Option<&mut Gas>,
) -> Result<Vec<u8>, WasmLoadError> {
    if code.is_empty() {
        return Err(WasmLoadError::NotWasm);
    }
    if program::is_classic(code) {
        return program::decompress(code, params).map_err(|e| WasmLoadError::Other(e.to_string()));
    }
    if program::is_fragment(code) {
        return Err(WasmLoadError::Other(
            "fragmented stylus programs cannot be activated directly; activate the root program instead".into(),
        ));
    }
    if !program::is_root(code) {
        return Err(WasmLoadError::NotWasm);
    }
    let root = program::parse_root(code).map_err(WasmLoadError::Other)?;
    if charge.is_some() {
        if root.decompressed_len > params.max_wasm_size {
            return Err(WasmLoadError::Other(format!(
                "invalid wasm: decompressedLength {} is greater then MaxWasmSize {}",
                root.decompressed_len, params.max_wasm_size
            )));
        }
        if root.fragments.len() > params.max_fragment_count as usize {
            return Err(WasmLoadError::Other(format!(
                "invalid wasm: fragment count exceeds limit of {}",
                params.max_fragment_count
            )));
        }
    }
    if root.fragments.is_empty() {
        return Err(WasmLoadError::Other(
            "invalid wasm: fragment count cannot be zero".into(),
        ));
    }
    let mut compressed = Vec::new();
    for addr in &root.fragments {
        let loaded = ctx.journal_mut().load_account_with_code(*addr);
        let (warm, frag) = match loaded {
            Ok(acc) => (
                !acc.is_cold,
                acc.data
                    .info
                    .code
                    .as_ref()
                    .map(|c| c.original_bytes())
                    .unwrap_or_default(),
            ),
            Err(_) => (false, Bytes::new()),
        };
        if let Some(gas) = charge.as_deref_mut() {
            let max = fragment_read_gas(warm, revm::primitives::eip170::MAX_CODE_SIZE as u64);
            if gas.remaining() < max {
                gas.spend_all();
                return Err(WasmLoadError::OutOfGas);
            }
            if !gas.record_regular_cost(fragment_read_gas(warm, frag.len() as u64)) {
                return Err(WasmLoadError::OutOfGas);
            }
        }
        if !program::is_fragment(&frag) {
            return Err(WasmLoadError::Other(
                "specified bytecode is not a Stylus program fragment".into(),
            ));
        }
        compressed.extend_from_slice(&frag[3..]);
    }
    program::decompress_fragments(&root, &compressed, params)
        .map_err(|e| WasmLoadError::Other(e.to_string()))
}

pub(crate) fn ok_result(out: Vec<u8>, gas: Gas) -> InterpreterResult {
    InterpreterResult::new(InstructionResult::Return, out.into(), gas)
}
pub(crate) fn oog(limit: u64) -> InterpreterResult {
    let mut g = Gas::new(limit);
    g.spend_all();
    InterpreterResult::new(InstructionResult::OutOfGas, Bytes::new(), g)
}
/// Gas of a precompile view: a storage read plus argument copying.
pub(crate) fn view_cost(input_len: usize) -> u64 {
    800 + 3 * (input_len as u64).div_ceil(32)
}

pub(crate) fn load_code(ctx: &mut Ctx, addr: Address) -> (B256, Bytes) {
    match ctx.journal_mut().load_account_with_code(addr) {
        Ok(acc) => {
            let code = acc
                .data
                .info
                .code
                .as_ref()
                .map(|c| c.original_bytes())
                .unwrap_or_default();
            (acc.data.info.code_hash, code)
        }
        Err(_) => (B256::ZERO, Bytes::new()),
    }
}

/// `ArbSys` (0x64).
pub fn arbsys(ctx: &mut Ctx, inputs: &CallInputs) -> InterpreterResult {
    let input = inputs.input.bytes(&*ctx);
    let mut gas = Gas::new(inputs.gas_limit);
    if !gas.record_regular_cost(view_cost(input.len())) {
        return oog(inputs.gas_limit);
    }
    if input.len() < 4 {
        return revert_result(Vec::new(), gas);
    }
    let sel: [u8; 4] = input[..4].try_into().unwrap();
    let word = |v: U256| v.to_be_bytes::<32>().to_vec();
    let out = match sel {
        IArbSys::arbBlockNumberCall::SELECTOR => word(ctx.block.number()),
        IArbSys::arbChainIDCall::SELECTOR => word(U256::from(ctx.cfg.chain_id)),
        IArbSys::arbOSVersionCall::SELECTOR => word(U256::from(55 + ARBOS_VERSION)),
        IArbSys::getStorageGasAvailableCall::SELECTOR => word(U256::ZERO),
        IArbSys::isTopLevelCallCall::SELECTOR => {
            word(U256::from((ctx.journal().depth() <= 2) as u8))
        }
        IArbSys::wasMyCallersAddressAliasedCall::SELECTOR => word(U256::ZERO),
        IArbSys::myCallersAddressWithoutAliasingCall::SELECTOR => {
            let mut w = [0u8; 32];
            w[12..].copy_from_slice(inputs.caller.as_slice());
            w.to_vec()
        }
        IArbSys::arbBlockHashCall::SELECTOR => {
            let Ok(call) = IArbSys::arbBlockHashCall::abi_decode(&input) else {
                return revert_result(Vec::new(), gas);
            };
            let n = call.arbBlockNum;
            let cur = ctx.block.number();
            if n >= cur || n + U256::from(256) < cur {
                return revert_result(
                    Error {
                        message: "invalid block number".into(),
                    }
                    .abi_encode(),
                    gas,
                );
            }
            let h = revm::Database::block_hash(ctx.journal_mut().db_mut(), n.saturating_to())
                .unwrap_or_default();
            h.to_vec()
        }
        _ => return revert_result(Vec::new(), gas),
    };
    ok_result(out, gas)
}

/// `ArbWasm` (0x71).
pub fn arbwasm(ctx: &mut Ctx, shared: &Arc<Shared>, inputs: &CallInputs) -> InterpreterResult {
    let params = &shared.params;
    let input = inputs.input.bytes(&*ctx);
    let mut gas = Gas::new(inputs.gas_limit);
    if !gas.record_regular_cost(view_cost(input.len())) {
        return oog(inputs.gas_limit);
    }
    if input.len() < 4 {
        return revert_result(Vec::new(), gas);
    }
    let now = ctx.block.timestamp().saturating_to::<u64>();
    let sel: [u8; 4] = input[..4].try_into().unwrap();
    let word = |v: u64| U256::from(v).to_be_bytes::<32>().to_vec();
    let two = |a: u64, b: u64| [word(a), word(b)].concat();
    macro_rules! decode {
        ($t:ty) => {
            match <$t>::abi_decode(&input) {
                Ok(c) => c,
                Err(_) => return revert_result(Vec::new(), gas),
            }
        };
    }
    macro_rules! active {
        ($hash:expr) => {
            match active_program(ctx, params, $hash, now) {
                Ok(i) => i,
                Err(data) => return revert_result(data, gas),
            }
        };
    }
    let out = match sel {
        IArbWasm::activateProgramCall::SELECTOR => {
            let call = decode!(IArbWasm::activateProgramCall);
            return activate(ctx, shared, inputs, call.program, gas, now);
        }
        IArbWasm::stylusVersionCall::SELECTOR => word(params.version as u64),
        IArbWasm::inkPriceCall::SELECTOR => word(params.ink_price as u64),
        IArbWasm::maxStackDepthCall::SELECTOR => word(params.max_stack_depth as u64),
        IArbWasm::freePagesCall::SELECTOR => word(params.free_pages as u64),
        IArbWasm::pageGasCall::SELECTOR => word(params.page_gas as u64),
        IArbWasm::pageRampCall::SELECTOR => word(params.page_ramp),
        IArbWasm::pageLimitCall::SELECTOR => word(params.page_limit as u64),
        IArbWasm::minInitGasCall::SELECTOR => two(
            params.min_init_gas as u64 * crate::params::MIN_INIT_GAS_UNITS,
            params.min_cached_init_gas as u64 * crate::params::MIN_CACHED_GAS_UNITS,
        ),
        IArbWasm::initCostScalarCall::SELECTOR => {
            word(params.init_cost_scalar as u64 * crate::params::COST_SCALAR_PERCENT)
        }
        IArbWasm::expiryDaysCall::SELECTOR => word(params.expiry_days as u64),
        IArbWasm::keepaliveDaysCall::SELECTOR => word(params.keepalive_days as u64),
        IArbWasm::blockCacheSizeCall::SELECTOR => word(params.block_cache_size as u64),
        IArbWasm::activationGasCall::SELECTOR => word(params.activation_gas),
        IArbWasmKeepalive::codehashKeepaliveCall::SELECTOR => {
            return codehash_keepalive(ctx, shared, inputs, &input, gas);
        }
        IArbWasm::codehashVersionCall::SELECTOR => {
            let c = decode!(IArbWasm::codehashVersionCall);
            word(active!(c.codehash).version as u64)
        }
        IArbWasm::codehashAsmSizeCall::SELECTOR => {
            let c = decode!(IArbWasm::codehashAsmSizeCall);
            word(active!(c.codehash).asm_estimate_kb as u64 * 1024)
        }
        IArbWasm::programVersionCall::SELECTOR => {
            let c = decode!(IArbWasm::programVersionCall);
            let (hash, _) = load_code(ctx, c.program);
            word(active!(hash).version as u64)
        }
        IArbWasm::programInitGasCall::SELECTOR => {
            let c = decode!(IArbWasm::programInitGasCall);
            let (hash, _) = load_code(ctx, c.program);
            let info = active!(hash);
            let cached = params.cached_gas(info.cached_cost);
            let init = params.init_gas(info.init_cost);
            two(init + if info.version > 1 { cached } else { 0 }, cached)
        }
        IArbWasm::programMemoryFootprintCall::SELECTOR => {
            let c = decode!(IArbWasm::programMemoryFootprintCall);
            let (hash, _) = load_code(ctx, c.program);
            word(active!(hash).footprint as u64)
        }
        IArbWasm::programTimeLeftCall::SELECTOR => {
            let c = decode!(IArbWasm::programTimeLeftCall);
            let (hash, _) = load_code(ctx, c.program);
            let info = active!(hash);
            word((params.expiry_days as u64 * 86400).saturating_sub(age_seconds(now, &info)))
        }
        _ => {
            return revert_result(
                Error {
                    message: format!(
                        "vvv-devnet: ArbWasm method {} is not modelled by this devnet (or does not exist)",
                        alloy_primitives::hex::encode_prefixed(sel)
                    ),
                }
                .abi_encode(),
                gas,
            )
        }
    };
    ok_result(out, gas)
}

fn activate(
    ctx: &mut Ctx,
    shared: &Arc<Shared>,
    inputs: &CallInputs,
    program: Address,
    mut gas: Gas,
    now: u64,
) -> InterpreterResult {
    let params = &shared.params;
    let limit = inputs.gas_limit;
    if inputs.is_static {
        return revert_result(
            Error {
                message: "activateProgram in a static call".into(),
            }
            .abi_encode(),
            gas,
        );
    }
    // ArbOS 60: the configurable activation gas first, then the fixed cost.
    if !gas.record_regular_cost(params.activation_gas) {
        return oog(limit);
    }
    if !gas.record_regular_cost(ACTIVATION_FIXED_GAS) {
        return oog(limit);
    }
    let (codehash, code) = load_code(ctx, program);
    let existing = program_record(ctx, codehash);
    if existing.version == params.version
        && age_seconds(now, &existing) <= params.expiry_days as u64 * 86400
    {
        return revert_result(IArbWasm::ProgramUpToDate {}.abi_encode(), gas);
    }
    let wasm = match activation_wasm(ctx, params, &code, &mut gas) {
        Ok(wasm) => wasm,
        Err(result) => return result,
    };
    let open = shared.tx.lock().unwrap().open_pages;
    let page_limit = params.page_limit.saturating_sub(open);
    let validated = match program::validate(&wasm, params, page_limit, shared.debug) {
        Ok(v) => v,
        Err(e) => return reject_program(limit, e.to_string()),
    };
    if !gas.record_regular_cost(validated.activation_gas) {
        return oog(limit);
    }
    if let Err(e) = shared.module(codehash, &wasm) {
        return reject_program(limit, format!("failed to compile wasm: {e}"));
    }
    let fee = match charge_data_fee(ctx, inputs, validated.asm_estimate, now) {
        Ok(fee) => fee,
        Err(data) => return revert_result(data, gas),
    };
    let mut info = validated.info;
    info.activated_at = hours_since_start(now);
    info.cached = existing.cached;
    sstore(
        ctx,
        slot("stylus.program", codehash.as_slice()),
        U256::from_be_bytes(info.to_word().0),
    );
    sstore(
        ctx,
        slot("stylus.module", codehash.as_slice()),
        U256::from_be_bytes(validated.module_hash.0),
    );
    let j = ctx.journal_mut();
    let event = IArbWasm::ProgramActivated {
        codehash,
        moduleHash: validated.module_hash,
        program,
        dataFee: fee,
        version: info.version,
    };
    j.log(Log {
        address: ARB_WASM,
        data: event.encode_log_data(),
    });
    let out = IArbWasm::activateProgramCall::abi_encode_returns(&IArbWasm::activateProgramReturn {
        version: info.version,
        dataFee: fee,
    });
    ok_result(out, gas)
}

/// Nitro's `payActivationDataFee`: the data fee for `asm_bytes` of assembly, from the value that
/// arrived at ArbWasm with the call — the fee to the network, the rest back to the caller — or
/// `ProgramInsufficientValue` when the value does not cover it.
fn charge_data_fee(
    ctx: &mut Ctx,
    inputs: &CallInputs,
    asm_bytes: u32,
    now: u64,
) -> Result<U256, Vec<u8>> {
    let fee = data_fee(ctx, asm_bytes, now);
    let value = inputs.value.get();
    if value < fee {
        let error = IArbWasm::ProgramInsufficientValue {
            have: value,
            want: fee,
        };
        return Err(error.abi_encode());
    }
    let j = ctx.journal_mut();
    let _ = j.load_account(NETWORK_FEE_ACCOUNT);
    let _ = j.load_account(inputs.caller);
    if !fee.is_zero() {
        let _ = j.transfer(ARB_WASM, NETWORK_FEE_ACCOUNT, fee);
    }
    if value > fee {
        let _ = j.transfer(ARB_WASM, inputs.caller, value - fee);
    }
    Ok(fee)
}

/// An invalid program takes all the call's gas, as on Nitro, with the reason as `Error(string)`.
fn reject_program(limit: u64, reason: String) -> InterpreterResult {
    let mut gas = Gas::new(limit);
    gas.spend_all();
    let data = Error { message: reason }.abi_encode().into();
    InterpreterResult::new(InstructionResult::Revert, data, gas)
}

/// The Wasm `activateProgram` validates: a classic program decompressed, a root program's
/// fragments read and joined (paying for the reads). The call's result when there is none.
fn activation_wasm(
    ctx: &mut Ctx,
    params: &StylusParams,
    code: &[u8],
    gas: &mut Gas,
) -> Result<Vec<u8>, InterpreterResult> {
    let limit = gas.limit();
    let not_wasm = |gas: Gas| revert_result(IArbWasm::ProgramNotWasm {}.abi_encode(), gas);
    if program::is_root(code) {
        // Nitro: errors reading a root program's fragments are plain errors (gas kept).
        return match program_wasm(ctx, params, code, Some(gas)) {
            Ok(w) => Ok(w),
            Err(WasmLoadError::NotWasm) => Err(not_wasm(*gas)),
            Err(WasmLoadError::OutOfGas) => Err(oog(limit)),
            Err(WasmLoadError::Other(m)) => {
                Err(revert_result(Error { message: m }.abi_encode(), *gas))
            }
        };
    }
    if program::is_classic(code) {
        return program::decompress(code, params).map_err(|e| reject_program(limit, e.to_string()));
    }
    if program::is_fragment(code) {
        let message = "fragmented stylus programs cannot be activated directly; activate the root program instead";
        return Err(revert_result(
            Error {
                message: message.into(),
            }
            .abi_encode(),
            *gas,
        ));
    }
    Err(not_wasm(*gas))
}

/// `ArbWasm.codehashKeepalive` (Nitro's `ProgramKeepalive` + `payActivationDataFee`).
pub fn codehash_keepalive(
    ctx: &mut Ctx,
    shared: &Arc<Shared>,
    inputs: &CallInputs,
    input: &[u8],
    gas: Gas,
) -> InterpreterResult {
    let params = &shared.params;
    let Ok(c) = IArbWasmKeepalive::codehashKeepaliveCall::abi_decode(input) else {
        return revert_result(Vec::new(), gas);
    };
    if inputs.is_static {
        return revert_result(Vec::new(), gas);
    }
    let now = ctx.block.timestamp().saturating_to::<u64>();
    let mut info = match active_program(ctx, params, c.codehash, now) {
        Ok(i) => i,
        Err(data) => return revert_result(data, gas),
    };
    let age = age_seconds(now, &info);
    if age < params.keepalive_days as u64 * 86400 {
        return revert_result(
            IArbWasm::ProgramKeepaliveTooSoon { ageInSeconds: age }.abi_encode(),
            gas,
        );
    }
    let fee = match charge_data_fee(ctx, inputs, info.asm_estimate_kb.saturating_mul(1024), now) {
        Ok(fee) => fee,
        Err(data) => return revert_result(data, gas),
    };
    info.activated_at = hours_since_start(now);
    sstore(
        ctx,
        slot("stylus.program", c.codehash.as_slice()),
        U256::from_be_bytes(info.to_word().0),
    );
    let j = ctx.journal_mut();
    j.log(Log {
        address: ARB_WASM,
        data: IArbWasmKeepalive::ProgramLifetimeExtended {
            codehash: c.codehash,
            dataFee: fee,
        }
        .encode_log_data(),
    });
    ok_result(Vec::new(), gas)
}
