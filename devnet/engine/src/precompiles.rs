//! ArbOS precompiles besides `ArbSys`/`ArbWasm` (`ArbWasmCache`, `ArbOwnerPublic`, `ArbInfo`,
//! `ArbGasInfo`), the Stylus `CacheManager` (a contract on Nitro chains, native here), and the
//! answer for ArbOS precompiles this engine does not model: a revert saying so.

use crate::arbos::{
    self, load_code, ok_result, oog, program_record, sload, slot, sstore, view_cost, Error,
    NETWORK_FEE_ACCOUNT,
};
use crate::context::{revert_result, Ctx, Shared};
use alloy_primitives::{address, Address, Log, B256, U256};
use alloy_sol_types::{sol, SolCall, SolError, SolEvent, SolValue};
use revm::context_interface::{Block, ContextTr, JournalTr};
use revm::interpreter::{CallInputs, Gas, InterpreterResult};
use std::sync::Arc;

pub const ARB_INFO: Address = address!("0000000000000000000000000000000000000065");
pub const ARB_OWNER_PUBLIC: Address = address!("000000000000000000000000000000000000006b");
pub const ARB_GAS_INFO: Address = address!("000000000000000000000000000000000000006c");
pub const ARB_WASM_CACHE: Address = address!("0000000000000000000000000000000000000072");
/// Where nitro-devnode deploys the Stylus CacheManager (through the CREATE2 factory).
pub const CACHE_MANAGER: Address = address!("2F8Bd4EaB69764c105aDd7dE7CB0402557a44E6f");
/// The chain owner: nitro-devnode's dev account (it becomes owner through `ArbDebug`).
pub const CHAIN_OWNER: Address = address!("3f1Eae7D46d88F08fc2F8ed27FCb2AB183EB2d0E");
/// Size of the CacheManager's cache in bytes of assembly (approximation, see README).
pub const CACHE_SIZE: u64 = 4 * 1024 * 1024;

/// Addresses that hold the `0xFE` marker code of a precompile (Nitro gives precompiles that
/// code): the modelled ArbOS precompiles, the unmodelled ones (which revert saying so), and the
/// natively run CacheManager.
pub const PRECOMPILES: [Address; 7] = [
    arbos::ARB_SYS,
    arbos::ARB_WASM,
    ARB_INFO,
    ARB_OWNER_PUBLIC,
    ARB_GAS_INFO,
    ARB_WASM_CACHE,
    CACHE_MANAGER,
];

/// ArbOS precompiles (and the NodeInterface addresses) that exist on Nitro but are not modelled
/// here, with their names: a call reverts with `Error("vvv-devnet: <name> ... not modelled")`.
pub const UNMODELLED: [(Address, &str); 12] = [
    (
        address!("0000000000000000000000000000000000000066"),
        "ArbAddressTable",
    ),
    (
        address!("0000000000000000000000000000000000000067"),
        "ArbBLS",
    ),
    (
        address!("0000000000000000000000000000000000000068"),
        "ArbFunctionTable",
    ),
    (
        address!("0000000000000000000000000000000000000069"),
        "ArbosTest",
    ),
    (
        address!("000000000000000000000000000000000000006d"),
        "ArbAggregator",
    ),
    (
        address!("000000000000000000000000000000000000006e"),
        "ArbRetryableTx",
    ),
    (
        address!("000000000000000000000000000000000000006f"),
        "ArbStatistics",
    ),
    (
        address!("0000000000000000000000000000000000000070"),
        "ArbOwner",
    ),
    (
        address!("0000000000000000000000000000000000000073"),
        "ArbNativeTokenManager",
    ),
    (
        address!("00000000000000000000000000000000000000c8"),
        "NodeInterface",
    ),
    (
        address!("00000000000000000000000000000000000000c9"),
        "NodeInterfaceDebug",
    ),
    (
        address!("00000000000000000000000000000000000000ff"),
        "ArbDebug",
    ),
];

sol! {
    interface IArbWasmCache {
        function isCacheManager(address manager) external view returns (bool);
        function allCacheManagers() external view returns (address[] memory managers);
        function cacheCodehash(bytes32 codehash) external;
        function cacheProgram(address addr) external;
        function evictCodehash(bytes32 codehash) external;
        function codehashIsCached(bytes32 codehash) external view returns (bool);
        event UpdateProgramCache(address indexed manager, bytes32 indexed codehash, bool cached);
    }

    interface IArbOwnerPublic {
        function isChainOwner(address addr) external view returns (bool);
        function getAllChainOwners() external view returns (address[] memory);
        function getNetworkFeeAccount() external view returns (address);
        function getInfraFeeAccount() external view returns (address);
        function getBrotliCompressionLevel() external view returns (uint64);
        function getScheduledUpgrade() external view returns (uint64 arbosVersion, uint64 scheduledForTimestamp);
        function isCalldataPriceIncreaseEnabled() external view returns (bool);
        function getMaxStylusContractFragments() external view returns (uint8);
    }

    interface IArbInfo {
        function getBalance(address account) external view returns (uint256);
        function getCode(address account) external view returns (bytes memory);
    }

    interface IArbGasInfo {
        function getPricesInWei() external view returns (uint256, uint256, uint256, uint256, uint256, uint256);
        function getPricesInArbGas() external view returns (uint256, uint256, uint256);
        function getGasAccountingParams() external view returns (uint256, uint256, uint256);
        function getMinimumGasPrice() external view returns (uint256);
        function getL1BaseFeeEstimate() external view returns (uint256);
        function getL1GasPriceEstimate() external view returns (uint256);
        function getCurrentTxL1GasFees() external view returns (uint256);
        function getGasBacklog() external view returns (uint64);
        function getPricingInertia() external view returns (uint64);
        function getGasBacklogTolerance() external view returns (uint64);
        function getL1RewardRate() external view returns (uint64);
        function getL1RewardRecipient() external view returns (address);
    }

    interface ICacheManager {
        function cacheSize() external view returns (uint64);
        function queueSize() external view returns (uint64);
        function decay() external view returns (uint64);
        function isPaused() external view returns (bool);
        function placeBid(address program) external payable;
        function getMinBid(address program) external view returns (uint192 min);
        function getMinBid(uint64 size) external view returns (uint192 min);
        event InsertBid(bytes32 indexed codehash, address program, uint192 bid, uint64 size);
        error AsmTooLarge(uint256 asm, uint256 queueSize, uint256 cacheSize);
        error AlreadyCached(bytes32 codehash);
        error BidTooSmall(uint192 bid, uint192 min);
        error BidsArePaused();
        error ProgramNotActivated();
    }
}

fn selector(input: &[u8]) -> Option<[u8; 4]> {
    input.get(..4).map(|s| s.try_into().unwrap())
}

/// `Error("vvv-devnet: ...")` for a method this engine does not model.
fn not_modelled(name: &str, input: &[u8], gas: Gas) -> InterpreterResult {
    let sel = input
        .get(..4)
        .map(alloy_primitives::hex::encode_prefixed)
        .unwrap_or_else(|| "(no selector)".into());
    revert_result(
        Error {
            message: format!(
                "vvv-devnet: {name} method {sel} is not modelled by this devnet (or does not exist)"
            ),
        }
        .abi_encode(),
        gas,
    )
}

macro_rules! decode_or_revert {
    ($t:ty, $input:expr, $gas:expr) => {
        match <$t>::abi_decode(&$input) {
            Ok(c) => c,
            Err(_) => return revert_result(Vec::new(), $gas),
        }
    };
}

/// Dispatches a call to one of this module's addresses; `None` for any other address.
pub fn run(ctx: &mut Ctx, shared: &Arc<Shared>, inputs: &CallInputs) -> Option<InterpreterResult> {
    let addr = inputs.bytecode_address;
    let input = inputs.input.bytes(&*ctx);
    let mut gas = Gas::new(inputs.gas_limit);
    let r = match addr {
        ARB_WASM_CACHE | ARB_OWNER_PUBLIC | ARB_INFO | ARB_GAS_INFO | CACHE_MANAGER => {
            if !gas.record_regular_cost(view_cost(input.len())) {
                return Some(oog(inputs.gas_limit));
            }
            match addr {
                ARB_WASM_CACHE => arb_wasm_cache(ctx, shared, inputs, &input, gas),
                ARB_OWNER_PUBLIC => arb_owner_public(ctx, shared, &input, gas),
                ARB_INFO => arb_info(ctx, &input, gas),
                ARB_GAS_INFO => arb_gas_info(ctx, &input, gas),
                _ => cache_manager(ctx, shared, inputs, &input, gas),
            }
        }
        _ => {
            let (_, name) = UNMODELLED.iter().find(|(a, _)| *a == addr)?;
            not_modelled(name, &input, gas)
        }
    };
    Some(r)
}

fn word(v: impl Into<U256>) -> Vec<u8> {
    v.into().to_be_bytes::<32>().to_vec()
}

fn set_cached(ctx: &mut Ctx, codehash: B256, cached: bool) {
    let mut info = program_record(ctx, codehash);
    info.cached = cached;
    sstore(
        ctx,
        slot("stylus.program", codehash.as_slice()),
        U256::from_be_bytes(info.to_word().0),
    );
}

fn arb_wasm_cache(
    ctx: &mut Ctx,
    shared: &Arc<Shared>,
    inputs: &CallInputs,
    input: &[u8],
    gas: Gas,
) -> InterpreterResult {
    let Some(sel) = selector(input) else {
        return revert_result(Vec::new(), gas);
    };
    let now = ctx.block.timestamp().saturating_to::<u64>();
    let out = match sel {
        IArbWasmCache::isCacheManagerCall::SELECTOR => {
            let c = decode_or_revert!(IArbWasmCache::isCacheManagerCall, input, gas);
            word(U256::from((c.manager == CACHE_MANAGER) as u8))
        }
        IArbWasmCache::allCacheManagersCall::SELECTOR => vec![CACHE_MANAGER].abi_encode(),
        IArbWasmCache::codehashIsCachedCall::SELECTOR => {
            let c = decode_or_revert!(IArbWasmCache::codehashIsCachedCall, input, gas);
            word(U256::from(program_record(ctx, c.codehash).cached as u8))
        }
        IArbWasmCache::cacheProgramCall::SELECTOR | IArbWasmCache::evictCodehashCall::SELECTOR => {
            if inputs.caller != CACHE_MANAGER && inputs.caller != CHAIN_OWNER {
                // Nitro: no access burns all the gas
                return oog(inputs.gas_limit);
            }
            if inputs.is_static {
                return revert_result(Vec::new(), gas);
            }
            let (codehash, cached) = if sel == IArbWasmCache::cacheProgramCall::SELECTOR {
                let c = decode_or_revert!(IArbWasmCache::cacheProgramCall, input, gas);
                (load_code(ctx, c.addr).0, true)
            } else {
                let c = decode_or_revert!(IArbWasmCache::evictCodehashCall, input, gas);
                (c.codehash, false)
            };
            let info = program_record(ctx, codehash);
            if cached {
                if let Err(data) = arbos::active_program(ctx, &shared.params, codehash, now) {
                    return revert_result(data, gas);
                }
            }
            if info.cached != cached {
                set_cached(ctx, codehash, cached);
                ctx.journal_mut().log(Log {
                    address: ARB_WASM_CACHE,
                    data: IArbWasmCache::UpdateProgramCache {
                        manager: inputs.caller,
                        codehash,
                        cached,
                    }
                    .encode_log_data(),
                });
            }
            Vec::new()
        }
        IArbWasmCache::cacheCodehashCall::SELECTOR => {
            // deprecated since ArbOS 31 (Stylus v2): use cacheProgram
            return revert_result(Vec::new(), gas);
        }
        _ => return not_modelled("ArbWasmCache", input, gas),
    };
    ok_result(out, gas)
}

fn arb_owner_public(
    _ctx: &mut Ctx,
    shared: &Arc<Shared>,
    input: &[u8],
    gas: Gas,
) -> InterpreterResult {
    let Some(sel) = selector(input) else {
        return revert_result(Vec::new(), gas);
    };
    let out = match sel {
        IArbOwnerPublic::isChainOwnerCall::SELECTOR => {
            let c = decode_or_revert!(IArbOwnerPublic::isChainOwnerCall, input, gas);
            word(U256::from((c.addr == CHAIN_OWNER) as u8))
        }
        IArbOwnerPublic::getAllChainOwnersCall::SELECTOR => vec![CHAIN_OWNER].abi_encode(),
        IArbOwnerPublic::getNetworkFeeAccountCall::SELECTOR
        | IArbOwnerPublic::getInfraFeeAccountCall::SELECTOR => NETWORK_FEE_ACCOUNT.abi_encode(),
        IArbOwnerPublic::getBrotliCompressionLevelCall::SELECTOR => word(U256::from(1)),
        IArbOwnerPublic::getScheduledUpgradeCall::SELECTOR => (0u64, 0u64).abi_encode(),
        IArbOwnerPublic::isCalldataPriceIncreaseEnabledCall::SELECTOR => word(U256::from(1)),
        IArbOwnerPublic::getMaxStylusContractFragmentsCall::SELECTOR => {
            word(U256::from(shared.params.max_fragment_count))
        }
        _ => return not_modelled("ArbOwnerPublic", input, gas),
    };
    ok_result(out, gas)
}

fn arb_info(ctx: &mut Ctx, input: &[u8], gas: Gas) -> InterpreterResult {
    let Some(sel) = selector(input) else {
        return revert_result(Vec::new(), gas);
    };
    let out = match sel {
        IArbInfo::getBalanceCall::SELECTOR => {
            let c = decode_or_revert!(IArbInfo::getBalanceCall, input, gas);
            let b = ctx
                .journal_mut()
                .load_account(c.account)
                .map(|a| a.data.info.balance)
                .unwrap_or_default();
            word(b)
        }
        IArbInfo::getCodeCall::SELECTOR => {
            let c = decode_or_revert!(IArbInfo::getCodeCall, input, gas);
            let (_, code) = load_code(ctx, c.account);
            IArbInfo::getCodeCall::abi_encode_returns(&code)
        }
        _ => return not_modelled("ArbInfo", input, gas),
    };
    ok_result(out, gas)
}

/// `ArbGasInfo` for a chain whose L1 price is zero (nitro-devnode sets it so): L2 prices are
/// the base fee, every L1 component is zero.
fn arb_gas_info(ctx: &mut Ctx, input: &[u8], gas: Gas) -> InterpreterResult {
    let Some(sel) = selector(input) else {
        return revert_result(Vec::new(), gas);
    };
    let basefee = U256::from(ctx.block.basefee());
    let zero = U256::ZERO;
    let out = match sel {
        IArbGasInfo::getPricesInWeiCall::SELECTOR => (
            zero,
            zero,
            basefee * U256::from(20_000),
            basefee,
            zero,
            basefee,
        )
            .abi_encode(),
        IArbGasInfo::getPricesInArbGasCall::SELECTOR => {
            (zero, zero, U256::from(20_000)).abi_encode()
        }
        IArbGasInfo::getGasAccountingParamsCall::SELECTOR => (
            U256::from(7_000_000u64),
            U256::from(32_000_000u64),
            U256::from(32_000_000u64),
        )
            .abi_encode(),
        IArbGasInfo::getMinimumGasPriceCall::SELECTOR => word(U256::from(100_000_000u64)),
        IArbGasInfo::getL1BaseFeeEstimateCall::SELECTOR
        | IArbGasInfo::getL1GasPriceEstimateCall::SELECTOR
        | IArbGasInfo::getCurrentTxL1GasFeesCall::SELECTOR
        | IArbGasInfo::getGasBacklogCall::SELECTOR
        | IArbGasInfo::getL1RewardRateCall::SELECTOR => word(zero),
        IArbGasInfo::getPricingInertiaCall::SELECTOR => word(U256::from(102)),
        IArbGasInfo::getGasBacklogToleranceCall::SELECTOR => word(U256::from(10)),
        IArbGasInfo::getL1RewardRecipientCall::SELECTOR => NETWORK_FEE_ACCOUNT.abi_encode(),
        _ => return not_modelled("ArbGasInfo", input, gas),
    };
    ok_result(out, gas)
}

fn queue_size(ctx: &mut Ctx) -> u64 {
    sload(ctx, slot("cachemanager.queue", &[])).saturating_to()
}

/// The Stylus CacheManager (nitro-contracts' `CacheManager.sol` on real chains), natively: bids
/// cache a program through `ArbWasmCache.cacheProgram`. The cache never fills up here (no
/// eviction or decay; see README), so the minimum bid is 0 while a program fits.
fn cache_manager(
    ctx: &mut Ctx,
    shared: &Arc<Shared>,
    inputs: &CallInputs,
    input: &[u8],
    gas: Gas,
) -> InterpreterResult {
    let Some(sel) = selector(input) else {
        return revert_result(Vec::new(), gas);
    };
    let now = ctx.block.timestamp().saturating_to::<u64>();
    let min_bid = |ctx: &mut Ctx, size: u64| -> Result<U256, Vec<u8>> {
        let queue = queue_size(ctx);
        if size > CACHE_SIZE || queue.saturating_add(size) > CACHE_SIZE {
            return Err(ICacheManager::AsmTooLarge {
                asm: U256::from(size),
                queueSize: U256::from(queue),
                cacheSize: U256::from(CACHE_SIZE),
            }
            .abi_encode());
        }
        Ok(U256::ZERO)
    };
    let out = match sel {
        ICacheManager::cacheSizeCall::SELECTOR => word(U256::from(CACHE_SIZE)),
        ICacheManager::queueSizeCall::SELECTOR => word(U256::from(queue_size(ctx))),
        ICacheManager::decayCall::SELECTOR => word(U256::ZERO),
        ICacheManager::isPausedCall::SELECTOR => word(U256::ZERO),
        ICacheManager::getMinBid_1Call::SELECTOR => {
            let c = decode_or_revert!(ICacheManager::getMinBid_1Call, input, gas);
            match min_bid(ctx, c.size) {
                Ok(b) => word(b),
                Err(d) => return revert_result(d, gas),
            }
        }
        ICacheManager::getMinBid_0Call::SELECTOR | ICacheManager::placeBidCall::SELECTOR => {
            let program = if sel == ICacheManager::placeBidCall::SELECTOR {
                decode_or_revert!(ICacheManager::placeBidCall, input, gas).program
            } else {
                decode_or_revert!(ICacheManager::getMinBid_0Call, input, gas).program
            };
            let (codehash, _) = load_code(ctx, program);
            let info = match arbos::active_program(ctx, &shared.params, codehash, now) {
                Ok(i) => i,
                Err(_) => {
                    return revert_result(ICacheManager::ProgramNotActivated {}.abi_encode(), gas)
                }
            };
            if info.cached {
                return revert_result(ICacheManager::AlreadyCached { codehash }.abi_encode(), gas);
            }
            let size = info.asm_estimate_kb as u64 * 1024;
            let min = match min_bid(ctx, size) {
                Ok(b) => b,
                Err(d) => return revert_result(d, gas),
            };
            if sel == ICacheManager::getMinBid_0Call::SELECTOR {
                word(min)
            } else {
                if inputs.is_static {
                    return revert_result(Vec::new(), gas);
                }
                let bid = inputs.value.get();
                let queue = queue_size(ctx);
                sstore(
                    ctx,
                    slot("cachemanager.queue", &[]),
                    U256::from(queue + size),
                );
                set_cached(ctx, codehash, true);
                let j = ctx.journal_mut();
                j.log(Log {
                    address: ARB_WASM_CACHE,
                    data: IArbWasmCache::UpdateProgramCache {
                        manager: CACHE_MANAGER,
                        codehash,
                        cached: true,
                    }
                    .encode_log_data(),
                });
                j.log(Log {
                    address: CACHE_MANAGER,
                    data: ICacheManager::InsertBid {
                        codehash,
                        program,
                        bid: bid.saturating_to(),
                        size,
                    }
                    .encode_log_data(),
                });
                Vec::new()
            }
        }
        _ => return not_modelled("CacheManager", input, gas),
    };
    ok_result(out, gas)
}
