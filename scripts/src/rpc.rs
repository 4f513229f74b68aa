//! A small blocking JSON-RPC client and a secp256k1 signer: all `vvv` needs to talk to any
//! Ethereum/Arbitrum node (our devnet, `nitro-devnode`, Arbitrum Sepolia).

use std::time::{Duration, Instant};

use alloy_primitives::{hex, keccak256, Address, Bytes, TxKind, B256, U256};
use alloy_rlp::{Encodable, Header};
use alloy_sol_types::SolCall;
use k256::ecdsa::SigningKey;
use serde_json::{json, Value};

/// A JSON-RPC endpoint.
pub struct Rpc {
    url: String,
    agent: ureq::Agent,
    next_id: std::cell::Cell<u64>,
}

/// A mined transaction's receipt (the fields `vvv` uses).
#[derive(Clone, Debug)]
pub struct Receipt {
    pub tx_hash: B256,
    pub block_number: u64,
    pub gas_used: u64,
    pub status: bool,
    pub logs: Vec<Log>,
    /// The created contract (`contractAddress`), for a contract creation.
    pub contract_address: Option<Address>,
}

#[derive(Clone, Debug)]
pub struct Log {
    pub address: Address,
    pub topics: Vec<B256>,
    pub data: Bytes,
}

/// A failed `eth_call` / `eth_estimateGas` / send: the node's message and revert data, if any.
#[derive(Clone, Debug)]
pub struct RpcError {
    pub message: String,
    pub data: Option<Bytes>,
}

impl std::fmt::Display for RpcError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.data {
            Some(d) if !d.is_empty() => {
                write!(
                    f,
                    "{} ({})",
                    self.message,
                    crate::bindings::describe_revert(d)
                )
            }
            _ => write!(f, "{}", self.message),
        }
    }
}

impl From<RpcError> for String {
    fn from(e: RpcError) -> String {
        e.to_string()
    }
}

fn u64_of(v: &Value, what: &str) -> Result<u64, RpcError> {
    let s = v
        .as_str()
        .ok_or_else(|| err(format!("{what}: not a hex string: {v}")))?;
    u64::from_str_radix(s.trim_start_matches("0x"), 16)
        .map_err(|e| err(format!("{what}: bad quantity {s}: {e}")))
}

fn u256_of(v: &Value, what: &str) -> Result<U256, RpcError> {
    let s = v
        .as_str()
        .ok_or_else(|| err(format!("{what}: not a hex string: {v}")))?;
    U256::from_str_radix(s.trim_start_matches("0x"), 16)
        .map_err(|e| err(format!("{what}: bad quantity {s}: {e}")))
}

fn bytes_of(v: &Value, what: &str) -> Result<Bytes, RpcError> {
    let s = v
        .as_str()
        .ok_or_else(|| err(format!("{what}: not a hex string: {v}")))?;
    hex::decode(s)
        .map(Bytes::from)
        .map_err(|e| err(format!("{what}: bad hex: {e}")))
}

fn err(message: String) -> RpcError {
    RpcError {
        message,
        data: None,
    }
}

fn hexq(n: impl std::fmt::LowerHex) -> String {
    format!("0x{n:x}")
}

impl Rpc {
    pub fn new(url: &str) -> Self {
        let agent = ureq::AgentBuilder::new()
            .timeout(Duration::from_secs(120))
            .build();
        Self {
            url: url.to_string(),
            agent,
            next_id: std::cell::Cell::new(1),
        }
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    /// One JSON-RPC call; a JSON-RPC error becomes [`RpcError`] with its revert data.
    pub fn request(&self, method: &str, params: Value) -> Result<Value, RpcError> {
        let id = self.next_id.get();
        self.next_id.set(id + 1);
        let body = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        let response = match self
            .agent
            .post(&self.url)
            .set("content-type", "application/json")
            .send_string(&body.to_string())
        {
            Ok(r) => r,
            Err(ureq::Error::Status(code, r)) => {
                let text = r.into_string().unwrap_or_default();
                return Err(err(format!(
                    "{method}: HTTP {code} from {}: {text}",
                    self.url
                )));
            }
            Err(e) => return Err(err(format!("{method}: cannot reach {}: {e}", self.url))),
        };
        let text = response
            .into_string()
            .map_err(|e| err(format!("{method}: reading the response: {e}")))?;
        let v: Value = serde_json::from_str(&text)
            .map_err(|e| err(format!("{method}: not JSON ({e}): {text}")))?;
        if let Some(e) = v.get("error") {
            let message = e
                .get("message")
                .and_then(Value::as_str)
                .unwrap_or("unknown error")
                .to_string();
            let data = e
                .get("data")
                .and_then(Value::as_str)
                .and_then(|d| hex::decode(d).ok())
                .map(Bytes::from);
            return Err(RpcError { message, data });
        }
        Ok(v.get("result").cloned().unwrap_or(Value::Null))
    }

    pub fn chain_id(&self) -> Result<u64, RpcError> {
        u64_of(&self.request("eth_chainId", json!([]))?, "eth_chainId")
    }

    pub fn block_number(&self) -> Result<u64, RpcError> {
        u64_of(
            &self.request("eth_blockNumber", json!([]))?,
            "eth_blockNumber",
        )
    }

    pub fn balance(&self, who: Address) -> Result<U256, RpcError> {
        u256_of(
            &self.request("eth_getBalance", json!([who, "latest"]))?,
            "eth_getBalance",
        )
    }

    pub fn nonce(&self, who: Address) -> Result<u64, RpcError> {
        u64_of(
            &self.request("eth_getTransactionCount", json!([who, "pending"]))?,
            "eth_getTransactionCount",
        )
    }

    pub fn code(&self, who: Address) -> Result<Bytes, RpcError> {
        bytes_of(
            &self.request("eth_getCode", json!([who, "latest"]))?,
            "eth_getCode",
        )
    }

    pub fn gas_price(&self) -> Result<U256, RpcError> {
        u256_of(&self.request("eth_gasPrice", json!([]))?, "eth_gasPrice")
    }

    /// Timestamp of the latest block.
    pub fn timestamp(&self) -> Result<u64, RpcError> {
        let b = self.request("eth_getBlockByNumber", json!(["latest", false]))?;
        u64_of(&b["timestamp"], "block timestamp")
    }

    /// `eth_call` of raw calldata from `from` (zero address if none).
    pub fn call_raw(
        &self,
        from: Option<Address>,
        to: Address,
        data: &[u8],
    ) -> Result<Bytes, RpcError> {
        let mut tx = json!({"to": to, "data": Bytes::copy_from_slice(data)});
        if let Some(f) = from {
            tx["from"] = json!(f);
        }
        bytes_of(
            &self.request("eth_call", json!([tx, "latest"]))?,
            "eth_call",
        )
    }

    /// A typed view.
    pub fn view<C: SolCall>(&self, to: Address, call: C) -> Result<C::Return, String> {
        let out = self
            .call_raw(None, to, &call.abi_encode())
            .map_err(|e| format!("{} on {to}: {e}", C::SIGNATURE))?;
        C::abi_decode_returns(&out, true)
            .map_err(|e| format!("{} on {to}: undecodable return: {e}", C::SIGNATURE))
    }

    pub fn estimate_gas(
        &self,
        from: Address,
        to: Address,
        value: U256,
        data: &[u8],
    ) -> Result<u64, RpcError> {
        let tx = json!({"from": from, "to": to, "value": hexq(value), "data": Bytes::copy_from_slice(data)});
        u64_of(
            &self.request("eth_estimateGas", json!([tx]))?,
            "eth_estimateGas",
        )
    }

    pub fn send_raw(&self, raw: &[u8]) -> Result<B256, RpcError> {
        let v = self.request(
            "eth_sendRawTransaction",
            json!([Bytes::copy_from_slice(raw)]),
        )?;
        let s = v
            .as_str()
            .ok_or_else(|| err(format!("eth_sendRawTransaction: {v}")))?;
        s.parse().map_err(|e| err(format!("bad tx hash {s}: {e}")))
    }

    pub fn receipt(&self, hash: B256) -> Result<Option<Receipt>, RpcError> {
        let r = self.request("eth_getTransactionReceipt", json!([hash]))?;
        if r.is_null() {
            return Ok(None);
        }
        let mut logs = Vec::new();
        for l in r["logs"].as_array().cloned().unwrap_or_default() {
            let address: Address = serde_json::from_value(l["address"].clone())
                .map_err(|e| err(format!("log address: {e}")))?;
            let topics: Vec<B256> = serde_json::from_value(l["topics"].clone())
                .map_err(|e| err(format!("log topics: {e}")))?;
            logs.push(Log {
                address,
                topics,
                data: bytes_of(&l["data"], "log data")?,
            });
        }
        Ok(Some(Receipt {
            tx_hash: hash,
            block_number: u64_of(&r["blockNumber"], "receipt blockNumber")?,
            gas_used: u64_of(&r["gasUsed"], "receipt gasUsed")?,
            status: u64_of(&r["status"], "receipt status")? == 1,
            logs,
            contract_address: r["contractAddress"].as_str().and_then(|a| a.parse().ok()),
        }))
    }

    /// Waits for `hash` to be mined (instant on the devnet; a few seconds on Sepolia).
    pub fn wait(&self, hash: B256) -> Result<Receipt, RpcError> {
        let start = Instant::now();
        loop {
            if let Some(r) = self.receipt(hash)? {
                return Ok(r);
            }
            if start.elapsed() > Duration::from_secs(300) {
                return Err(err(format!("transaction {hash} not mined after 5 minutes")));
            }
            std::thread::sleep(Duration::from_millis(250));
        }
    }

    /// Every log of `address` with first topic `topic0`, from genesis.
    pub fn logs(&self, address: Address, topic0: B256) -> Result<Vec<Log>, RpcError> {
        let v = self.request(
            "eth_getLogs",
            json!([{"address": address, "topics": [topic0], "fromBlock": "0x0", "toBlock": "latest"}]),
        )?;
        let mut out = Vec::new();
        for l in v.as_array().cloned().unwrap_or_default() {
            out.push(Log {
                address: serde_json::from_value(l["address"].clone())
                    .map_err(|e| err(format!("log address: {e}")))?,
                topics: serde_json::from_value(l["topics"].clone())
                    .map_err(|e| err(format!("log topics: {e}")))?,
                data: bytes_of(&l["data"], "log data")?,
            });
        }
        Ok(out)
    }

    // ---- devnet (anvil-style) time and state control -------------------------------------

    /// The next block's timestamp (devnet `evm_setNextBlockTimestamp`).
    pub fn set_next_timestamp(&self, ts: u64) -> Result<(), RpcError> {
        self.request("evm_setNextBlockTimestamp", json!([ts]))
            .map(|_| ())
    }

    pub fn set_balance(&self, who: Address, wei: U256) -> Result<(), RpcError> {
        self.request("anvil_setBalance", json!([who, hexq(wei)]))
            .map(|_| ())
    }
}

/// A private key. Never printed: `Debug` shows only the address.
pub struct Key {
    sk: SigningKey,
    pub address: Address,
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Key({})", self.address)
    }
}

impl Key {
    /// From a 32-byte hex secret (with or without `0x`). The error never echoes the input.
    pub fn from_hex(secret: &str) -> Result<Self, String> {
        let bytes =
            hex::decode(secret.trim()).map_err(|_| "the private key is not hex".to_string())?;
        let bytes: [u8; 32] = bytes
            .try_into()
            .map_err(|_| "the private key is not 32 bytes".to_string())?;
        Self::from_bytes(bytes)
    }

    pub fn from_bytes(bytes: [u8; 32]) -> Result<Self, String> {
        let sk = SigningKey::from_bytes(&bytes.into())
            .map_err(|_| "the private key is not a valid secp256k1 secret".to_string())?;
        let address = Address::from_public_key(sk.verifying_key());
        Ok(Self { sk, address })
    }

    /// The key whose secret is `keccak256(label)` (the demo's many accounts).
    pub fn from_label(label: &str) -> Self {
        Self::from_bytes(keccak256(label).0).expect("a keccak output is a valid key")
    }

    /// An ECDSA signature of a 32-byte digest as `(v, r, s)` with `v` ∈ {27, 28}, the form
    /// EIP-2612 `permit` takes.
    pub fn sign_digest(&self, digest: B256) -> (u8, B256, B256) {
        let (sig, rec) = self
            .sk
            .sign_prehash_recoverable(digest.as_slice())
            .expect("signing a 32-byte prehash");
        (
            27 + rec.is_y_odd() as u8,
            B256::from_slice(&sig.r().to_bytes()),
            B256::from_slice(&sig.s().to_bytes()),
        )
    }

    /// A signed EIP-1559 transaction (EIP-2718 bytes): `0x02 ‖ rlp([chainId, nonce, tip,
    /// maxFee, gas, to, value, data, accessList, yParity, r, s])`.
    #[allow(clippy::too_many_arguments)]
    pub fn sign_1559(
        &self,
        chain_id: u64,
        nonce: u64,
        max_fee: U256,
        gas_limit: u64,
        to: Address,
        value: U256,
        input: &[u8],
    ) -> Vec<u8> {
        self.sign_1559_kind(
            chain_id,
            nonce,
            max_fee,
            gas_limit,
            TxKind::Call(to),
            value,
            input,
        )
    }

    /// [`Key::sign_1559`] for a call or a contract creation (`TxKind::Create`: `to` is empty).
    #[allow(clippy::too_many_arguments)]
    pub fn sign_1559_kind(
        &self,
        chain_id: u64,
        nonce: u64,
        max_fee: U256,
        gas_limit: u64,
        to: TxKind,
        value: U256,
        input: &[u8],
    ) -> Vec<u8> {
        let tip = U256::ZERO;
        let data = Bytes::copy_from_slice(input);
        let fields = |out: &mut Vec<u8>| {
            chain_id.encode(out);
            nonce.encode(out);
            tip.encode(out);
            max_fee.encode(out);
            gas_limit.encode(out);
            to.encode(out);
            value.encode(out);
            data.encode(out);
            // Empty access list.
            Header {
                list: true,
                payload_length: 0,
            }
            .encode(out);
        };
        let mut payload = Vec::new();
        fields(&mut payload);
        let mut unsigned = vec![0x02];
        Header {
            list: true,
            payload_length: payload.len(),
        }
        .encode(&mut unsigned);
        unsigned.extend_from_slice(&payload);
        let (sig, rec) = self
            .sk
            .sign_prehash_recoverable(keccak256(&unsigned).as_slice())
            .expect("signing a 32-byte prehash");
        let r = U256::from_be_slice(&sig.r().to_bytes());
        let s = U256::from_be_slice(&sig.s().to_bytes());
        rec.is_y_odd().encode(&mut payload);
        r.encode(&mut payload);
        s.encode(&mut payload);
        let mut signed = vec![0x02];
        Header {
            list: true,
            payload_length: payload.len(),
        }
        .encode(&mut signed);
        signed.extend_from_slice(&payload);
        signed
    }
}

/// A key bound to a node: signs, sends and waits, tracking its nonce locally.
pub struct Signer<'a> {
    pub rpc: &'a Rpc,
    pub key: Key,
    pub chain_id: u64,
    nonce: u64,
    max_fee: U256,
}

impl<'a> Signer<'a> {
    pub fn new(rpc: &'a Rpc, key: Key, chain_id: u64) -> Result<Self, String> {
        let nonce = rpc.nonce(key.address)?;
        // Twice the current base fee, as wallets do; Arbitrum refunds the unused part.
        let max_fee = rpc.gas_price()? * U256::from(2u8);
        Ok(Self {
            rpc,
            key,
            chain_id,
            nonce,
            max_fee,
        })
    }

    pub fn address(&self) -> Address {
        self.key.address
    }

    /// The nonce of the next transaction.
    pub fn nonce(&self) -> u64 {
        self.nonce
    }

    pub fn max_fee(&self) -> U256 {
        self.max_fee
    }

    /// Sends with an explicit gas limit (no estimate): a revert is a mined, failed receipt.
    pub fn send_with_gas(
        &mut self,
        to: Address,
        value: U256,
        data: &[u8],
        gas: u64,
    ) -> Result<Receipt, RpcError> {
        self.send_kind(TxKind::Call(to), value, data, gas)
    }

    /// [`Signer::send_with_gas`] for a call or a contract creation (`TxKind::Create`).
    pub fn send_kind(
        &mut self,
        to: TxKind,
        value: U256,
        data: &[u8],
        gas: u64,
    ) -> Result<Receipt, RpcError> {
        let raw = self.key.sign_1559_kind(
            self.chain_id,
            self.nonce,
            self.max_fee,
            gas,
            to,
            value,
            data,
        );
        let hash = match self.rpc.send_raw(&raw) {
            Ok(h) => h,
            Err(e) => {
                // Resynchronise the nonce (another client may have used this key).
                if let Ok(n) = self.rpc.nonce(self.key.address) {
                    self.nonce = n;
                }
                return Err(e);
            }
        };
        self.nonce += 1;
        self.rpc.wait(hash)
    }
}
