//! JSON-RPC errors and the parsing/formatting of Ethereum JSON values (quantities, data,
//! addresses, hashes, block tags). The parsers name the field they read in their errors
//! (`invalid params: <field>: …`), which is why requests are parsed with them rather than with
//! serde's derived deserializers.

use alloy_eips::{BlockId, BlockNumberOrTag};
use alloy_primitives::{hex, Address, Bytes, B256, U256};
use serde_json::{json, Value};

/// Standard JSON-RPC error codes (and the Ethereum ones clients rely on).
pub mod code {
    pub const PARSE_ERROR: i64 = -32700;
    pub const INVALID_REQUEST: i64 = -32600;
    pub const METHOD_NOT_FOUND: i64 = -32601;
    pub const INVALID_PARAMS: i64 = -32602;
    pub const INTERNAL: i64 = -32603;
    /// geth's generic server error (nonce too low, insufficient funds, header not found, …).
    pub const SERVER: i64 = -32000;
    /// "execution reverted" with the revert data in `data`.
    pub const EXECUTION_REVERTED: i64 = 3;
    pub const LIMIT_EXCEEDED: i64 = -32005;
}

#[derive(Debug, Clone)]
pub struct RpcError {
    pub code: i64,
    pub message: String,
    pub data: Option<Value>,
}

impl RpcError {
    pub fn new(code: i64, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            data: None,
        }
    }
    pub fn params(message: impl Into<String>) -> Self {
        Self::new(
            code::INVALID_PARAMS,
            format!("invalid params: {}", message.into()),
        )
    }
    /// A revert (code 3) carrying its data.
    pub fn reverted(out: alloy_primitives::Bytes, message: impl Into<String>) -> Self {
        Self {
            code: code::EXECUTION_REVERTED,
            message: message.into(),
            data: Some(serde_json::Value::String(
                alloy_primitives::hex::encode_prefixed(&out),
            )),
        }
    }
    pub fn server(message: impl Into<String>) -> Self {
        Self::new(code::SERVER, message)
    }
    pub fn to_json(&self) -> Value {
        match &self.data {
            Some(d) => json!({ "code": self.code, "message": self.message, "data": d }),
            None => json!({ "code": self.code, "message": self.message }),
        }
    }
}

pub type RpcResult<T = Value> = Result<T, RpcError>;

pub fn response_ok(id: &Value, result: Value) -> Value {
    json!({ "jsonrpc": "2.0", "id": id, "result": result })
}

pub fn response_err(id: &Value, err: &RpcError) -> Value {
    json!({ "jsonrpc": "2.0", "id": id, "error": err.to_json() })
}

// ---- formatting -----------------------------------------------------------------------------

pub fn qty<T: Into<u128>>(n: T) -> Value {
    Value::String(format!("0x{:x}", n.into()))
}
pub fn qty_u256(n: U256) -> Value {
    Value::String(format!("{n:#x}"))
}
pub fn data(b: &[u8]) -> Value {
    Value::String(hex::encode_prefixed(b))
}
pub fn addr(a: &Address) -> Value {
    Value::String(a.to_checksum(None))
}
pub fn hash(h: &B256) -> Value {
    Value::String(format!("{h:#x}"))
}

/// Any serializable answer (alloy's RPC types) as the JSON result, its addresses EIP-55
/// checksummed: alloy writes them in lower case (as geth does), while this devnet has always
/// served checksummed ones (as `addr` does, and its callTracer frames still do), which clients
/// and its tests compare against.
pub fn to_value<T: serde::Serialize>(v: &T) -> RpcResult {
    let mut v =
        serde_json::to_value(v).map_err(|e| RpcError::new(code::INTERNAL, e.to_string()))?;
    checksum_addresses(&mut v);
    Ok(v)
}

/// The fields of alloy's RPC objects (blocks, transactions, receipts, logs, access lists,
/// proofs) that hold an address.
const ADDRESS_FIELDS: [&str; 5] = ["address", "from", "to", "contractAddress", "miner"];

fn checksum_addresses(v: &mut Value) {
    match v {
        Value::Array(items) => items.iter_mut().for_each(checksum_addresses),
        Value::Object(o) => {
            for (k, field) in o.iter_mut() {
                let address = match &*field {
                    Value::String(s) if ADDRESS_FIELDS.contains(&k.as_str()) => {
                        s.parse::<Address>().ok()
                    }
                    _ => None,
                };
                match address {
                    Some(a) => *field = addr(&a),
                    None => checksum_addresses(field),
                }
            }
        }
        _ => {}
    }
}

// ---- parsing --------------------------------------------------------------------------------

fn strip_0x<'a>(s: &'a str, what: &str) -> RpcResult<&'a str> {
    s.strip_prefix("0x")
        .or_else(|| s.strip_prefix("0X"))
        .ok_or_else(|| RpcError::params(format!("{what}: hex string without 0x prefix")))
}

/// A hex quantity ("0x1a"); plain non-negative JSON integers are accepted too.
pub fn parse_u256(v: &Value, what: &str) -> RpcResult<U256> {
    match v {
        Value::String(s) => {
            let h = strip_0x(s, what)?;
            if h.is_empty() || h.len() > 64 {
                return Err(RpcError::params(format!("{what}: invalid quantity {s:?}")));
            }
            U256::from_str_radix(h, 16)
                .map_err(|_| RpcError::params(format!("{what}: invalid quantity {s:?}")))
        }
        Value::Number(n) => n
            .as_u64()
            .map(U256::from)
            .ok_or_else(|| RpcError::params(format!("{what}: invalid number {n}"))),
        _ => Err(RpcError::params(format!("{what}: expected a hex quantity"))),
    }
}

pub fn parse_u64(v: &Value, what: &str) -> RpcResult<u64> {
    let n = parse_u256(v, what)?;
    u64::try_from(n).map_err(|_| RpcError::params(format!("{what}: {n} does not fit in 64 bits")))
}

pub fn parse_u128(v: &Value, what: &str) -> RpcResult<u128> {
    let n = parse_u256(v, what)?;
    u128::try_from(n).map_err(|_| RpcError::params(format!("{what}: {n} does not fit in 128 bits")))
}

/// Signed seconds (for `evm_increaseTime`): a quantity or a JSON integer (negative allowed).
pub fn parse_i64(v: &Value, what: &str) -> RpcResult<i64> {
    if let Value::Number(n) = v {
        if let Some(i) = n.as_i64() {
            return Ok(i);
        }
    }
    let n = parse_u64(v, what)?;
    i64::try_from(n).map_err(|_| RpcError::params(format!("{what}: {n} is too large")))
}

pub fn parse_bytes(v: &Value, what: &str) -> RpcResult<Bytes> {
    let Value::String(s) = v else {
        return Err(RpcError::params(format!("{what}: expected hex data")));
    };
    let h = strip_0x(s, what)?;
    if h.len() % 2 != 0 {
        return Err(RpcError::params(format!("{what}: hex data of odd length")));
    }
    hex::decode(h)
        .map(Bytes::from)
        .map_err(|_| RpcError::params(format!("{what}: invalid hex data")))
}

pub fn parse_address(v: &Value, what: &str) -> RpcResult<Address> {
    let b = parse_bytes(v, what)?;
    if b.len() != 20 {
        return Err(RpcError::params(format!(
            "{what}: an address is 20 bytes, got {}",
            b.len()
        )));
    }
    Ok(Address::from_slice(&b))
}

pub fn parse_b256(v: &Value, what: &str) -> RpcResult<B256> {
    let b = parse_bytes(v, what)?;
    if b.len() != 32 {
        return Err(RpcError::params(format!(
            "{what}: a hash is 32 bytes, got {}",
            b.len()
        )));
    }
    Ok(B256::from_slice(&b))
}

/// A storage slot: a quantity or up to 32 bytes of hex.
pub fn parse_slot(v: &Value, what: &str) -> RpcResult<U256> {
    parse_u256(v, what)
}

pub fn parse_bool(v: &Value, what: &str) -> RpcResult<bool> {
    v.as_bool()
        .ok_or_else(|| RpcError::params(format!("{what}: expected a boolean")))
}

/// A block selector: a number, a tag, a hash, or an EIP-1898 object (`requireCanonical` is
/// accepted and ignored: this chain has no forks).
pub fn parse_block_tag(v: &Value, what: &str) -> RpcResult<BlockId> {
    let tag = |t: BlockNumberOrTag| Ok(BlockId::Number(t));
    match v {
        Value::String(s) => match s.as_str() {
            "latest" => tag(BlockNumberOrTag::Latest),
            "pending" => tag(BlockNumberOrTag::Pending),
            "earliest" => tag(BlockNumberOrTag::Earliest),
            "safe" => tag(BlockNumberOrTag::Safe),
            "finalized" => tag(BlockNumberOrTag::Finalized),
            _ if s.len() == 66 => parse_b256(v, what).map(BlockId::hash),
            _ => parse_u64(v, what).map(BlockId::number),
        },
        Value::Number(_) => parse_u64(v, what).map(BlockId::number),
        Value::Object(o) => {
            if let Some(h) = o.get("blockHash") {
                if o.contains_key("blockNumber") {
                    return Err(RpcError::params(format!(
                        "{what}: both blockHash and blockNumber"
                    )));
                }
                return parse_b256(h, what).map(BlockId::hash);
            }
            if let Some(n) = o.get("blockNumber") {
                return parse_block_tag(n, what);
            }
            Err(RpcError::params(format!(
                "{what}: expected blockNumber or blockHash"
            )))
        }
        _ => Err(RpcError::params(format!(
            "{what}: expected a block number or tag"
        ))),
    }
}

/// Positional parameters with helpers for required and optional entries.
pub struct Params<'a> {
    items: &'a [Value],
}

impl<'a> Params<'a> {
    pub fn new(items: &'a [Value]) -> Self {
        Self { items }
    }
    pub fn at_most(&self, n: usize) -> RpcResult<()> {
        if self.items.len() > n {
            return Err(RpcError::params(format!(
                "too many arguments, want at most {n}"
            )));
        }
        Ok(())
    }
    /// The i-th parameter, None when absent or null.
    pub fn opt(&self, i: usize) -> Option<&'a Value> {
        self.items.get(i).filter(|v| !v.is_null())
    }
    pub fn req(&self, i: usize, what: &str) -> RpcResult<&'a Value> {
        self.opt(i).ok_or_else(|| {
            RpcError::params(format!("missing value for required argument {i} ({what})"))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses() {
        assert_eq!(parse_u64(&json!("0x1a"), "n").unwrap(), 26);
        assert_eq!(parse_u64(&json!(7), "n").unwrap(), 7);
        assert!(parse_u64(&json!("0x"), "n").is_err());
        assert!(parse_u64(&json!("12"), "n").is_err());
        assert!(parse_u64(&json!("0x10000000000000000"), "n").is_err());
        assert!(parse_u64(&json!(-1), "n").is_err());
        assert!(parse_bytes(&json!("0x123"), "d").is_err());
        assert_eq!(parse_bytes(&json!("0x"), "d").unwrap().len(), 0);
        assert!(parse_address(&json!("0x1234"), "a").is_err());
        assert_eq!(
            parse_block_tag(&json!("latest"), "b").unwrap(),
            BlockId::latest()
        );
        assert_eq!(
            parse_block_tag(&json!({"blockNumber": "0x2"}), "b").unwrap(),
            BlockId::number(2)
        );
        assert!(parse_block_tag(&json!("lol"), "b").is_err());
        assert_eq!(parse_i64(&json!(-5), "t").unwrap(), -5);
        assert_eq!(qty(255u64), json!("0xff"));
    }
}
