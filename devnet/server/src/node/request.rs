//! The request side: every method the node serves as one enum, [`EthRequest`], with typed
//! parameters (alloy's `BlockId` and `TransactionRequest` where they fit), parsed from the
//! positional JSON parameters.
//!
//! It is built with the field-naming parsers of `crate::json` rather than serde's derived
//! deserializers: a bad parameter must stay a JSON-RPC `-32602` error that names the field
//! (`invalid params: address: …`), with geth's leniency (plain JSON integers as quantities,
//! `null` for an absent optional parameter) and its argument-count check.

use super::debug::{tracer, Tracer};
use super::logs::LogFilter;
use crate::json::*;
use alloy_eips::eip2930::{AccessList, AccessListItem};
use alloy_eips::BlockId;
use alloy_primitives::{Address, Bytes, TxKind, B256, U256};
use alloy_rpc_types_eth::{TransactionInput, TransactionRequest};
use serde_json::Value;
use vvv_devnet_engine::{AccountOverride, BlockOverride};

/// One JSON-RPC call, its method decided and its parameters parsed. Aliases (`anvil_*`,
/// `hardhat_*`, `evm_*`, the `ByHash`/`ByNumber` pairs) share a variant.
#[derive(Debug)]
pub enum EthRequest {
    ClientVersion,
    Sha3(Bytes),
    NetVersion,
    NetListening,
    NetPeerCount,
    ChainId,
    Syncing,
    Mining,
    Hashrate,
    ProtocolVersion,
    Coinbase,
    Accounts,
    BlockNumber,
    GasPrice,
    MaxPriorityFeePerGas,
    BlobBaseFee,
    FeeHistory {
        count: u64,
        newest: BlockId,
        percentiles: Option<Vec<f64>>,
    },
    GetBalance(Address, Option<BlockId>),
    GetTransactionCount(Address, Option<BlockId>),
    GetCode(Address, Option<BlockId>),
    GetStorageAt(Address, U256, Option<BlockId>),
    GetProof(Address, Vec<B256>, Option<BlockId>),
    Call(Box<CallParams>),
    EstimateGas(Box<CallParams>),
    CreateAccessList(Box<CallParams>),
    TraceTransaction(B256, Tracer),
    TraceCall(Box<CallParams>, Tracer),
    NewFilter(LogFilter),
    NewBlockFilter,
    NewPendingTransactionFilter,
    GetFilterChanges(u64),
    GetFilterLogs(u64),
    UninstallFilter(u64),
    TxpoolStatus,
    SendRawTransaction(Bytes),
    SendTransaction(Box<TransactionRequest>),
    GetTransactionReceipt(B256),
    GetTransactionByHash(B256),
    GetRawTransactionByHash(B256),
    /// `eth_getBlockByNumber`/`eth_getBlockByHash`: the block and whether to include full
    /// transactions.
    GetBlock(BlockId, bool),
    GetBlockTransactionCount(BlockId),
    GetTransactionByBlockAndIndex(BlockId, u64),
    GetBlockReceipts(BlockId),
    GetLogs(LogFilter),
    IncreaseTime(i64),
    SetNextBlockTimestamp(u64),
    /// `evm_mine`: blocks to mine, and the first one's timestamp.
    EvmMine(u64, Option<u64>),
    /// `anvil_mine`/`hardhat_mine`: blocks to mine, and the seconds between them.
    Mine(u64, Option<u64>),
    Snapshot,
    Revert(u64),
    SetBalance(Address, U256),
    SetNonce(Address, u64),
    SetCode(Address, Bytes),
    SetStorageAt(Address, U256, U256),
}

/// The parameters of `eth_call` and the calls like it: the transaction, the block it runs on,
/// state overrides and block overrides (the last two only for `eth_call`/`eth_estimateGas`).
#[derive(Debug)]
pub struct CallParams {
    pub tx: TransactionRequest,
    pub block: Option<BlockId>,
    pub overrides: Vec<AccountOverride>,
    pub block_overrides: Option<BlockOverride>,
}

impl EthRequest {
    /// The request for `method` with `params`; an unknown method is `-32601`.
    pub fn parse(method: &str, params: &[Value]) -> RpcResult<Self> {
        let p = Params::new(params);
        if let Some(r) = Self::parse_simple(method) {
            return Ok(r);
        }
        if let Some(r) = Self::parse_state(method, &p)? {
            return Ok(r);
        }
        if let Some(r) = Self::parse_chain(method, &p)? {
            return Ok(r);
        }
        if let Some(r) = Self::parse_controls(method, &p)? {
            return Ok(r);
        }
        Err(RpcError::new(
            code::METHOD_NOT_FOUND,
            format!("the method {method} does not exist/is not available"),
        ))
    }

    /// Methods whose parameters are ignored.
    fn parse_simple(method: &str) -> Option<Self> {
        Some(match method {
            "web3_clientVersion" => Self::ClientVersion,
            "net_version" => Self::NetVersion,
            "net_listening" => Self::NetListening,
            "net_peerCount" => Self::NetPeerCount,
            "eth_chainId" => Self::ChainId,
            "eth_syncing" => Self::Syncing,
            "eth_mining" => Self::Mining,
            "eth_hashrate" => Self::Hashrate,
            "eth_protocolVersion" => Self::ProtocolVersion,
            "eth_coinbase" => Self::Coinbase,
            "eth_accounts" => Self::Accounts,
            "eth_blockNumber" => Self::BlockNumber,
            "eth_gasPrice" => Self::GasPrice,
            "eth_maxPriorityFeePerGas" => Self::MaxPriorityFeePerGas,
            "eth_blobBaseFee" => Self::BlobBaseFee,
            _ => return None,
        })
    }

    /// State queries, calls and traces.
    fn parse_state(method: &str, p: &Params<'_>) -> RpcResult<Option<Self>> {
        let address = || parse_address(p.req(0, "address")?, "address");
        let block = |i: usize| p.opt(i).map(|v| parse_block_tag(v, "block")).transpose();
        Ok(Some(match method {
            "web3_sha3" => {
                p.at_most(1)?;
                Self::Sha3(parse_bytes(p.req(0, "data")?, "data")?)
            }
            "eth_feeHistory" => {
                p.at_most(3)?;
                Self::FeeHistory {
                    count: parse_u64(p.req(0, "blockCount")?, "blockCount")?,
                    newest: parse_block_tag(p.req(1, "newestBlock")?, "block")?,
                    percentiles: p.opt(2).map(parse_percentiles).transpose()?,
                }
            }
            "eth_getBalance" => {
                p.at_most(2)?;
                Self::GetBalance(address()?, block(1)?)
            }
            "eth_getTransactionCount" => {
                p.at_most(2)?;
                Self::GetTransactionCount(address()?, block(1)?)
            }
            "eth_getCode" => {
                p.at_most(2)?;
                Self::GetCode(address()?, block(1)?)
            }
            "eth_getStorageAt" => {
                p.at_most(3)?;
                let slot = parse_slot(p.req(1, "slot")?, "slot")?;
                Self::GetStorageAt(address()?, slot, block(2)?)
            }
            "eth_getProof" => {
                p.at_most(3)?;
                let a = address()?;
                let Value::Array(keys) = p.req(1, "storageKeys")? else {
                    return Err(RpcError::params("storageKeys: expected an array"));
                };
                let slots = keys
                    .iter()
                    .map(|k| parse_slot(k, "storageKeys").map(B256::from))
                    .collect::<RpcResult<Vec<_>>>()?;
                Self::GetProof(a, slots, block(2)?)
            }
            "eth_call" => {
                p.at_most(4)?;
                Self::Call(call_params(p, 3)?)
            }
            "eth_estimateGas" => {
                p.at_most(3)?;
                Self::EstimateGas(call_params(p, 2)?)
            }
            "eth_createAccessList" => {
                p.at_most(2)?;
                Self::CreateAccessList(call_params(p, 1)?)
            }
            "debug_traceTransaction" => {
                p.at_most(2)?;
                Self::TraceTransaction(parse_b256(p.req(0, "hash")?, "hash")?, tracer(p.opt(1))?)
            }
            "debug_traceCall" => {
                p.at_most(3)?;
                Self::TraceCall(call_params(p, 1)?, tracer(p.opt(2))?)
            }
            _ => return Ok(None),
        }))
    }

    /// Blocks, transactions, logs and filters.
    fn parse_chain(method: &str, p: &Params<'_>) -> RpcResult<Option<Self>> {
        let hash = |i: usize| parse_b256(p.req(i, "hash")?, "hash");
        // the ByHash methods take a hash; the ByNumber ones a block selector
        let block = |by_hash: bool| -> RpcResult<BlockId> {
            if by_hash {
                hash(0).map(BlockId::hash)
            } else {
                parse_block_tag(p.req(0, "block")?, "block")
            }
        };
        let filter_id = || parse_u64(p.req(0, "filter id")?, "filter id");
        Ok(Some(match method {
            "eth_newFilter" => {
                p.at_most(1)?;
                let f = LogFilter::parse(p.req(0, "filter")?)?;
                if f.block_hash().is_some() {
                    return Err(RpcError::params(
                        "filter: blockHash is not supported by eth_newFilter (use eth_getLogs)",
                    ));
                }
                Self::NewFilter(f)
            }
            "eth_newBlockFilter" => {
                p.at_most(0)?;
                Self::NewBlockFilter
            }
            "eth_newPendingTransactionFilter" => {
                p.at_most(1)?;
                Self::NewPendingTransactionFilter
            }
            "eth_getFilterChanges" | "eth_getFilterLogs" | "eth_uninstallFilter" => {
                p.at_most(1)?;
                let id = filter_id()?;
                match method {
                    "eth_getFilterChanges" => Self::GetFilterChanges(id),
                    "eth_getFilterLogs" => Self::GetFilterLogs(id),
                    _ => Self::UninstallFilter(id),
                }
            }
            "eth_getLogs" => {
                p.at_most(1)?;
                Self::GetLogs(LogFilter::parse(p.req(0, "filter")?)?)
            }
            "txpool_status" => {
                p.at_most(0)?;
                Self::TxpoolStatus
            }
            "eth_sendRawTransaction" => {
                p.at_most(1)?;
                Self::SendRawTransaction(parse_bytes(p.req(0, "transaction")?, "transaction")?)
            }
            "eth_sendTransaction" => {
                p.at_most(1)?;
                Self::SendTransaction(Box::new(send_request(p.req(0, "transaction")?)?))
            }
            "eth_getTransactionReceipt"
            | "eth_getTransactionByHash"
            | "eth_getRawTransactionByHash" => {
                p.at_most(1)?;
                let h = hash(0)?;
                match method {
                    "eth_getTransactionReceipt" => Self::GetTransactionReceipt(h),
                    "eth_getTransactionByHash" => Self::GetTransactionByHash(h),
                    _ => Self::GetRawTransactionByHash(h),
                }
            }
            "eth_getBlockByNumber" | "eth_getBlockByHash" => {
                p.at_most(2)?;
                let full = p.opt(1).map(|v| parse_bool(v, "full")).transpose()?;
                Self::GetBlock(block(method.ends_with("ByHash"))?, full.unwrap_or(false))
            }
            "eth_getBlockTransactionCountByNumber" | "eth_getBlockTransactionCountByHash" => {
                p.at_most(1)?;
                Self::GetBlockTransactionCount(block(method.ends_with("ByHash"))?)
            }
            "eth_getTransactionByBlockNumberAndIndex" | "eth_getTransactionByBlockHashAndIndex" => {
                p.at_most(2)?;
                let b = block(method.contains("BlockHash"))?;
                Self::GetTransactionByBlockAndIndex(b, parse_u64(p.req(1, "index")?, "index")?)
            }
            "eth_getBlockReceipts" => {
                p.at_most(1)?;
                Self::GetBlockReceipts(block(false)?)
            }
            _ => return Ok(None),
        }))
    }

    /// The devnet's controls (anvil's, hardhat's and ganache's names).
    fn parse_controls(method: &str, p: &Params<'_>) -> RpcResult<Option<Self>> {
        let address = || parse_address(p.req(0, "address")?, "address");
        Ok(Some(match method {
            "evm_increaseTime" | "anvil_increaseTime" => {
                p.at_most(1)?;
                let secs = parse_i64(p.req(0, "seconds")?, "seconds")?;
                if secs.unsigned_abs() > 100 * 365 * 86_400 {
                    return Err(RpcError::params("seconds: more than 100 years"));
                }
                Self::IncreaseTime(secs)
            }
            "evm_setNextBlockTimestamp" | "anvil_setNextBlockTimestamp" => {
                p.at_most(1)?;
                Self::SetNextBlockTimestamp(parse_u64(p.req(0, "timestamp")?, "timestamp")?)
            }
            "evm_mine" => {
                p.at_most(1)?;
                parse_evm_mine(p.opt(0))?
            }
            "anvil_mine" | "hardhat_mine" => {
                p.at_most(2)?;
                let count = p.opt(0).map(|v| parse_u64(v, "blocks")).transpose()?;
                let interval = p.opt(1).map(|v| parse_u64(v, "interval")).transpose()?;
                Self::Mine(count.unwrap_or(1), interval)
            }
            "evm_snapshot" | "anvil_snapshot" => {
                p.at_most(0)?;
                Self::Snapshot
            }
            "evm_revert" | "anvil_revert" => {
                p.at_most(1)?;
                Self::Revert(parse_u64(p.req(0, "snapshot id")?, "snapshot id")?)
            }
            "anvil_setBalance" | "hardhat_setBalance" => {
                p.at_most(2)?;
                Self::SetBalance(address()?, parse_u256(p.req(1, "balance")?, "balance")?)
            }
            "anvil_setNonce" | "hardhat_setNonce" => {
                p.at_most(2)?;
                Self::SetNonce(address()?, parse_u64(p.req(1, "nonce")?, "nonce")?)
            }
            "anvil_setCode" | "hardhat_setCode" => {
                p.at_most(2)?;
                Self::SetCode(address()?, parse_bytes(p.req(1, "code")?, "code")?)
            }
            "anvil_setStorageAt" | "hardhat_setStorageAt" => {
                p.at_most(3)?;
                let a = address()?;
                let slot = parse_slot(p.req(1, "slot")?, "slot")?;
                Self::SetStorageAt(a, slot, parse_u256(p.req(2, "value")?, "value")?)
            }
            _ => return Ok(None),
        }))
    }
}

/// `evm_mine`'s one optional parameter: a timestamp, or `{blocks, timestamp}`.
fn parse_evm_mine(v: Option<&Value>) -> RpcResult<EthRequest> {
    let (mut count, mut ts) = (1u64, None);
    match v {
        Some(Value::Object(o)) => {
            if let Some(b) = o.get("blocks").filter(|v| !v.is_null()) {
                count = parse_u64(b, "blocks")?;
            }
            ts = o
                .get("timestamp")
                .filter(|v| !v.is_null())
                .map(|v| parse_u64(v, "timestamp"))
                .transpose()?;
        }
        Some(v) => ts = Some(parse_u64(v, "timestamp")?),
        None => {}
    }
    Ok(EthRequest::EvmMine(count, ts))
}

fn parse_percentiles(v: &Value) -> RpcResult<Vec<f64>> {
    let Value::Array(a) = v else {
        return Err(RpcError::params("rewardPercentiles: expected an array"));
    };
    let v: Vec<f64> = a
        .iter()
        .map(|x| {
            x.as_f64()
                .ok_or_else(|| RpcError::params("rewardPercentiles: expected numbers"))
        })
        .collect::<RpcResult<_>>()?;
    if v.len() > 100
        || v.iter().any(|x| !(0.0..=100.0).contains(x))
        || v.windows(2).any(|w| w[0] > w[1])
    {
        return Err(RpcError::params(
            "rewardPercentiles: must be at most 100 increasing values in [0, 100]",
        ));
    }
    Ok(v)
}

/// A call's parameters: the transaction and the block, then (when `last` reaches them) the
/// state overrides (index 2) and the block overrides (index 3).
fn call_params(p: &Params<'_>, last: usize) -> RpcResult<Box<CallParams>> {
    let tx = parse_transaction(p.req(0, "transaction")?)?;
    let block = p.opt(1).map(|v| parse_block_tag(v, "block")).transpose()?;
    let overrides = if last >= 2 {
        parse_overrides(p.opt(2))?
    } else {
        vec![]
    };
    let block_overrides = if last >= 3 {
        parse_block_overrides(p.opt(3))?
    } else {
        None
    };
    Ok(Box::new(CallParams {
        tx,
        block,
        overrides,
        block_overrides,
    }))
}

/// A transaction object (`eth_call`, `eth_sendTransaction`, …) as alloy's `TransactionRequest`;
/// `data` and `input` are both accepted and must agree (kept in `input`).
pub fn parse_transaction(v: &Value) -> RpcResult<TransactionRequest> {
    let Value::Object(o) = v else {
        return Err(RpcError::params("transaction: expected an object"));
    };
    let get = |k: &str| o.get(k).filter(|v| !v.is_null());
    let u64_of = |k: &str| get(k).map(|v| parse_u64(v, k)).transpose();
    let u128_of = |k: &str| get(k).map(|v| parse_u128(v, k)).transpose();
    let from = get("from").map(|v| parse_address(v, "from")).transpose()?;
    let to = get("to").map(|v| parse_address(v, "to")).transpose()?;
    let gas = u64_of("gas")?;
    let gas_price = u128_of("gasPrice")?;
    let max_fee_per_gas = u128_of("maxFeePerGas")?;
    let value = get("value").map(|v| parse_u256(v, "value")).transpose()?;
    let input = get("input").map(|v| parse_bytes(v, "input")).transpose()?;
    let data = get("data").map(|v| parse_bytes(v, "data")).transpose()?;
    let input = match (input, data) {
        (Some(i), Some(d)) if i != d => {
            return Err(RpcError::params(
                "both \"data\" and \"input\" are set and not equal",
            ))
        }
        (i, d) => i.or(d),
    };
    let access_list = get("accessList").map(parse_access_list).transpose()?;
    Ok(TransactionRequest {
        from,
        to: to.map(TxKind::Call),
        gas,
        gas_price,
        max_fee_per_gas,
        max_priority_fee_per_gas: u128_of("maxPriorityFeePerGas")?,
        value,
        input: TransactionInput::maybe_input(input),
        nonce: u64_of("nonce")?,
        chain_id: u64_of("chainId")?,
        access_list,
        ..Default::default()
    })
}

/// `eth_sendTransaction`'s transaction: `from` is required, and the type must be one we sign.
fn send_request(v: &Value) -> RpcResult<TransactionRequest> {
    let mut tx = parse_transaction(v)?;
    if tx.from.is_none() {
        return Err(RpcError::params("transaction: missing \"from\""));
    }
    if let Some(t) = v.get("type").filter(|v| !v.is_null()) {
        let t = parse_u64(t, "type")?;
        tx.transaction_type = Some(match u8::try_from(t) {
            Ok(t @ 0..=2) => t,
            _ => {
                return Err(RpcError::server(format!(
                    "transaction type {t} not supported"
                )))
            }
        });
    }
    Ok(tx)
}

pub fn parse_access_list(v: &Value) -> RpcResult<AccessList> {
    let Value::Array(items) = v else {
        return Err(RpcError::params("accessList: expected an array"));
    };
    let mut out = Vec::new();
    for it in items {
        let Value::Object(o) = it else {
            return Err(RpcError::params("accessList: expected objects"));
        };
        let address = parse_address(
            o.get("address").unwrap_or(&Value::Null),
            "accessList address",
        )?;
        let keys = match o.get("storageKeys") {
            Some(Value::Array(k)) => k
                .iter()
                .map(|x| parse_b256(x, "storageKeys"))
                .collect::<RpcResult<Vec<_>>>()?,
            None | Some(Value::Null) => vec![],
            _ => return Err(RpcError::params("accessList: storageKeys must be an array")),
        };
        out.push(AccessListItem {
            address,
            storage_keys: keys,
        });
    }
    Ok(AccessList(out))
}

/// geth's block overrides (`eth_call`'s 4th parameter).
fn parse_block_overrides(v: Option<&Value>) -> RpcResult<Option<BlockOverride>> {
    let Some(v) = v.filter(|v| !v.is_null()) else {
        return Ok(None);
    };
    let Value::Object(o) = v else {
        return Err(RpcError::params("block overrides: expected an object"));
    };
    let mut b = BlockOverride::default();
    for (k, v) in o {
        match k.as_str() {
            "number" => b.number = Some(parse_u64(v, "number")?),
            "time" => b.time = Some(parse_u64(v, "time")?),
            "gasLimit" => b.gas_limit = Some(parse_u64(v, "gasLimit")?),
            "feeRecipient" | "coinbase" => b.coinbase = Some(parse_address(v, k)?),
            "prevRandao" | "random" => b.prev_randao = Some(parse_b256(v, k)?),
            "baseFeePerGas" | "baseFee" => b.base_fee = Some(parse_u64(v, k)?),
            "difficulty" | "blobBaseFee" | "withdrawals" | "beaconRoot" => {}
            other => {
                return Err(RpcError::params(format!(
                    "block overrides: unknown field {other:?}"
                )))
            }
        }
    }
    Ok(Some(b))
}

/// A state override's `state`/`stateDiff`: slot → value.
fn parse_slots(v: &Value, what: &str) -> RpcResult<Vec<(U256, U256)>> {
    let Value::Object(m) = v else {
        return Err(RpcError::params(format!("{what}: expected an object")));
    };
    m.iter()
        .map(|(s, val)| {
            Ok((
                parse_slot(&Value::String(s.clone()), what)?,
                U256::from_be_bytes(parse_b256(val, what)?.0),
            ))
        })
        .collect()
}

/// geth's state overrides (`eth_call`'s 3rd parameter).
fn parse_overrides(v: Option<&Value>) -> RpcResult<Vec<AccountOverride>> {
    let Some(v) = v else { return Ok(vec![]) };
    let Value::Object(o) = v else {
        return Err(RpcError::params("state overrides: expected an object"));
    };
    if o.len() > 1000 {
        return Err(RpcError::params("state overrides: more than 1000 accounts"));
    }
    let mut out = Vec::new();
    for (k, ov) in o {
        let address = parse_address(&Value::String(k.clone()), "state override address")?;
        let Value::Object(f) = ov else {
            return Err(RpcError::params("state override: expected an object"));
        };
        let get = |k: &str| f.get(k).filter(|v| !v.is_null());
        let state = get("state").map(|v| parse_slots(v, "state")).transpose()?;
        let state_diff = get("stateDiff")
            .map(|v| parse_slots(v, "stateDiff"))
            .transpose()?;
        if state.is_some() && state_diff.is_some() {
            return Err(RpcError::params(format!(
                "account {address} has both 'state' and 'stateDiff'"
            )));
        }
        out.push(AccountOverride {
            address,
            balance: get("balance")
                .map(|v| parse_u256(v, "balance"))
                .transpose()?,
            nonce: get("nonce").map(|v| parse_u64(v, "nonce")).transpose()?,
            code: get("code").map(|v| parse_bytes(v, "code")).transpose()?,
            state,
            state_diff,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(method: &str, params: Value) -> RpcResult<EthRequest> {
        EthRequest::parse(method, params.as_array().expect("params"))
    }

    #[test]
    fn methods_and_aliases_parse_to_typed_requests() {
        let a = Address::repeat_byte(0x11);
        assert!(matches!(
            parse("eth_getBalance", json!([a, "0x2"])),
            Ok(EthRequest::GetBalance(x, Some(b))) if x == a && b == BlockId::number(2)
        ));
        assert!(matches!(
            parse("hardhat_setNonce", json!([a, 7])),
            Ok(EthRequest::SetNonce(x, 7)) if x == a
        ));
        let h = B256::repeat_byte(0x22);
        assert!(matches!(
            parse("eth_getBlockByHash", json!([h])),
            Ok(EthRequest::GetBlock(b, false)) if b == BlockId::hash(h)
        ));
        let Ok(EthRequest::Call(c)) = parse(
            "eth_call",
            json!([{"to": a, "data": "0x12", "gas": 5}, "latest", {}, {"number": "0x9"}]),
        ) else {
            panic!("eth_call");
        };
        assert_eq!(c.tx.to, Some(TxKind::Call(a)));
        assert_eq!(c.tx.input.input(), Some(&Bytes::from(vec![0x12])));
        assert_eq!(c.tx.gas, Some(5));
        assert_eq!(c.block_overrides.and_then(|b| b.number), Some(9));
    }

    #[test]
    fn bad_params_name_the_field() {
        for (method, params, field) in [
            ("eth_getBalance", json!(["0x12"]), "address"),
            ("eth_getStorageAt", json!([Address::ZERO]), "slot"),
            (
                "eth_sendTransaction",
                json!([{"to": Address::ZERO}]),
                "from",
            ),
            ("eth_call", json!([{"data": "0x1", "input": "0x2"}]), "data"),
            ("eth_getLogs", json!([{"topics": "x"}]), "topics"),
            ("evm_mine", json!([{"blocks": "x"}]), "blocks"),
        ] {
            let e = parse(method, params).expect_err(method);
            assert_eq!(e.code, code::INVALID_PARAMS, "{method}");
            assert!(e.message.contains(field), "{method}: {}", e.message);
        }
        let e = parse("eth_chainId2", json!([])).expect_err("unknown");
        assert_eq!(e.code, code::METHOD_NOT_FOUND);
        let e = parse("eth_blockNumber", json!([1, 2])).map(|_| ());
        assert!(
            e.is_ok(),
            "parameters of parameterless methods are ignored, as before"
        );
        let e = parse("eth_newBlockFilter", json!([1])).expect_err("too many");
        assert_eq!(e.code, code::INVALID_PARAMS);
    }
}
