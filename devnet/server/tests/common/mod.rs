#![allow(dead_code)]
//! Helpers for the server tests: start a devnet, raw JSON-RPC, the VVV token's code.

use alloy::primitives::{keccak256, Address, Bytes, U256};
use alloy::sol_types::SolValue;
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::time::Duration;
use vvv_devnet::{Server, ServerConfig};

alloy::sol! {
    #[sol(rpc)]
    interface IVvv {
        function transfer(address to, uint256 value) external returns (bool);
        function approve(address spender, uint256 value) external returns (bool);
        function balanceOf(address account) external view returns (uint256);
        function totalSupply() external view returns (uint256);
        function name() external view returns (string);
        event Transfer(address indexed from, address indexed to, uint256 value);
        event Approval(address indexed owner, address indexed spender, uint256 value);
        error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed);
    }

    #[sol(rpc)]
    interface IStylusDeployer {
        function deploy(bytes bytecode, bytes initData, uint256 initValue, bytes32 salt) external payable returns (address);
        event ContractDeployed(address deployedContract);
    }

    #[sol(rpc)]
    interface IArbWasm {
        function activateProgram(address program) external payable returns (uint16 version, uint256 dataFee);
        function programVersion(address program) external view returns (uint16 version);
        error ProgramNotActivated();
    }

    #[sol(rpc)]
    interface IArbSys {
        function arbBlockNumber() external view returns (uint256);
        function arbChainID() external view returns (uint256);
    }
}

pub const STYLUS_DEPLOYER: Address =
    alloy::primitives::address!("cEcba2F1DC234f70Dd89F2041029807F8D03A990");
pub const ARB_WASM: Address =
    alloy::primitives::address!("0000000000000000000000000000000000000071");
pub const ARB_SYS: Address =
    alloy::primitives::address!("0000000000000000000000000000000000000064");

pub fn eth(n: u64) -> U256 {
    U256::from(n) * U256::from(10u64).pow(U256::from(18))
}

pub fn supply() -> U256 {
    eth(100_000_000)
}

pub fn start() -> Server {
    Server::start(ServerConfig::ephemeral()).expect("devnet starts")
}

pub fn start_with(f: impl FnOnce(&mut ServerConfig)) -> Server {
    let mut cfg = ServerConfig::ephemeral();
    f(&mut cfg);
    Server::start(cfg).expect("devnet starts")
}

/// One raw HTTP POST; returns (status, body).
pub fn http_post(addr: SocketAddr, body: &[u8]) -> (u16, Vec<u8>) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let head = format!("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(body).unwrap();
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    parse_response(&out)
}

pub fn parse_response(out: &[u8]) -> (u16, Vec<u8>) {
    let text = String::from_utf8_lossy(out);
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = match out.windows(4).position(|w| w == b"\r\n\r\n") {
        Some(i) => out[i + 4..].to_vec(),
        None => vec![],
    };
    (status, body)
}

/// A JSON-RPC call over raw HTTP; returns the whole response object.
pub fn rpc(addr: SocketAddr, method: &str, params: Value) -> Value {
    let body =
        serde_json::to_vec(&json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}))
            .unwrap();
    let (status, body) = http_post(addr, &body);
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    serde_json::from_slice(&body)
        .unwrap_or_else(|e| panic!("bad JSON {e}: {}", String::from_utf8_lossy(&body)))
}

/// The result of a JSON-RPC call (panics on an error response).
pub fn rpc_ok(addr: SocketAddr, method: &str, params: Value) -> Value {
    let r = rpc(addr, method, params);
    assert!(r.get("error").is_none(), "{method} failed: {r}");
    r["result"].clone()
}

/// The error object of a JSON-RPC call (panics on success).
pub fn rpc_err(addr: SocketAddr, method: &str, params: Value) -> Value {
    let r = rpc(addr, method, params);
    assert!(
        r.get("error").is_some(),
        "{method} unexpectedly succeeded: {r}"
    );
    r["error"].clone()
}

pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The VVV token's deployable code (Stylus prefix + brotli) from `artifacts/vvv-token.code`,
/// built first with the project's build command (`cargo run -p vvv-scripts -- build vvv-token`)
/// when missing. None (with a message) only if that build fails.
pub fn token_code() -> Option<Vec<u8>> {
    let path = workspace_root().join("artifacts/vvv-token.code");
    if !path.exists() {
        eprintln!("building artifacts/vvv-token.code with `cargo run -p vvv-scripts -- build vvv-token`...");
        let status = std::process::Command::new("cargo")
            .current_dir(workspace_root())
            .args(["run", "-q", "-p", "vvv-scripts", "--", "build", "vvv-token"])
            .status();
        if !matches!(status, Ok(s) if s.success()) {
            eprintln!("SKIP: could not build vvv-token (artifacts/vvv-token.code is missing)");
            return None;
        }
    }
    std::fs::read(path).ok()
}

/// Init code that deploys `runtime` as is (what `cargo stylus deploy` sends).
pub fn init_code(runtime: &[u8]) -> Bytes {
    vvv_devnet::engine::deployment_init_code(runtime).into()
}

/// Calldata of the token's Stylus constructor `(deployer, recipients, amounts)`: all of the
/// genesis supply to `to`, who is also the account that may wire the minter.
pub fn ctor_data(to: Address) -> Bytes {
    let mut d = keccak256("stylus_constructor()")[..4].to_vec();
    d.extend((to, vec![to], vec![supply()]).abi_encode_params());
    d.into()
}

/// A signed EIP-1559 transfer.
pub fn signed(
    key: &alloy::signers::local::PrivateKeySigner,
    chain_id: u64,
    nonce: u64,
    gas: u64,
    to: Address,
    value: U256,
    input: Vec<u8>,
) -> Vec<u8> {
    use alloy::consensus::{SignableTransaction, TxEip1559, TxEnvelope};
    use alloy::eips::eip2718::Encodable2718;
    use alloy::signers::SignerSync;
    let tx = TxEip1559 {
        chain_id,
        nonce,
        gas_limit: gas,
        max_fee_per_gas: 1_000_000_000,
        max_priority_fee_per_gas: 0,
        to: to.into(),
        value,
        access_list: Default::default(),
        input: input.into(),
    };
    let sig = key.sign_hash_sync(&tx.signature_hash()).unwrap();
    TxEnvelope::from(tx.into_signed(sig)).encoded_2718()
}
