#![allow(dead_code)]
//! Test helpers: keys, signed transactions, WAT programs, the workspace's contract artifacts.

use alloy_consensus::{SignableTransaction, TxEip1559, TxEip2930, TxEnvelope, TxLegacy};
use alloy_eips::eip2718::Encodable2718;
use alloy_primitives::{Address, Bytes, Signature, TxKind, U256};
use k256::ecdsa::SigningKey;
use std::path::PathBuf;
use vvv_devnet_engine::{
    arbos, compress_program, deployment_init_code, CallRequest, Devnet, Receipt,
};

pub fn eth(n: u64) -> U256 {
    U256::from(n) * U256::from(10u64).pow(U256::from(18))
}

pub struct Key {
    pub sk: SigningKey,
    pub address: Address,
}

impl Key {
    pub fn new(seed: u8) -> Self {
        let sk = SigningKey::from_bytes(&[seed; 32].into()).unwrap();
        let address = Address::from_public_key(sk.verifying_key());
        Self { sk, address }
    }
    fn sign(&self, hash: alloy_primitives::B256) -> Signature {
        let (sig, rec) = self.sk.sign_prehash_recoverable(hash.as_slice()).unwrap();
        Signature::from_signature_and_parity(sig, rec.is_y_odd())
    }
    pub fn tx1559(
        &self,
        chain_id: u64,
        nonce: u64,
        to: Option<Address>,
        value: U256,
        input: Vec<u8>,
        gas: u64,
    ) -> Vec<u8> {
        let tx = TxEip1559 {
            chain_id,
            nonce,
            gas_limit: gas,
            max_fee_per_gas: 1_000_000_000,
            max_priority_fee_per_gas: 0,
            to: to.map(TxKind::Call).unwrap_or(TxKind::Create),
            value,
            access_list: Default::default(),
            input: input.into(),
        };
        let sig = self.sign(tx.signature_hash());
        TxEnvelope::from(tx.into_signed(sig)).encoded_2718()
    }
    pub fn tx_legacy(
        &self,
        chain_id: Option<u64>,
        nonce: u64,
        to: Option<Address>,
        value: U256,
        input: Vec<u8>,
        gas: u64,
    ) -> Vec<u8> {
        let tx = TxLegacy {
            chain_id,
            nonce,
            gas_price: 1_000_000_000,
            gas_limit: gas,
            to: to.map(TxKind::Call).unwrap_or(TxKind::Create),
            value,
            input: input.into(),
        };
        let sig = self.sign(tx.signature_hash());
        TxEnvelope::from(tx.into_signed(sig)).encoded_2718()
    }
    pub fn tx2930(
        &self,
        chain_id: u64,
        nonce: u64,
        to: Option<Address>,
        value: U256,
        input: Vec<u8>,
        gas: u64,
    ) -> Vec<u8> {
        let tx = TxEip2930 {
            chain_id,
            nonce,
            gas_price: 1_000_000_000,
            gas_limit: gas,
            to: to.map(TxKind::Call).unwrap_or(TxKind::Create),
            value,
            access_list: Default::default(),
            input: input.into(),
        };
        let sig = self.sign(tx.signature_hash());
        TxEnvelope::from(tx.into_signed(sig)).encoded_2718()
    }
}

/// A chain with a funded key.
pub fn chain_with(key: &Key) -> Devnet {
    let mut chain = Devnet::default();
    chain.set_balance(key.address, eth(1000));
    chain.seal_genesis(); // the funding is part of block 0's state, as the server does
    chain
}

/// Sends a signed 1559 tx from `key` with its current nonce.
pub fn send(
    chain: &mut Devnet,
    key: &Key,
    to: Option<Address>,
    value: U256,
    input: Vec<u8>,
) -> Receipt {
    let nonce = chain.nonce(key.address);
    let raw = key.tx1559(chain.chain_id(), nonce, to, value, input, 30_000_000);
    chain.send_raw_transaction(&raw).expect("tx included")
}

/// Deploys raw Stylus code (already prefixed) with a plain CREATE.
pub fn deploy_code(chain: &mut Devnet, key: &Key, code: &[u8]) -> Address {
    let r = send(chain, key, None, U256::ZERO, deployment_init_code(code));
    assert!(r.status, "deploy failed: {r:?}");
    r.contract_address.unwrap()
}

/// Data fee `activateProgram` asks for (read with a call, as cargo stylus does).
pub fn activation_fee(chain: &mut Devnet, from: Address, program: Address) -> U256 {
    use alloy_sol_types::SolCall;
    let data = arbos::IArbWasm::activateProgramCall { program }.abi_encode();
    let r = chain
        .call(&CallRequest {
            from,
            to: Some(arbos::ARB_WASM),
            value: vvv_ether(),
            data: data.into(),
            ..Default::default()
        })
        .unwrap();
    assert!(
        r.success,
        "activation call failed: {:?} {}",
        r,
        String::from_utf8_lossy(&r.output)
    );
    arbos::IArbWasm::activateProgramCall::abi_decode_returns(&r.output)
        .unwrap()
        .dataFee
}
fn vvv_ether() -> U256 {
    eth(1)
}

pub fn activate(chain: &mut Devnet, key: &Key, program: Address) -> Receipt {
    use alloy_sol_types::SolCall;
    let fee = activation_fee(chain, key.address, program);
    let data = arbos::IArbWasm::activateProgramCall { program }.abi_encode();
    send(chain, key, Some(arbos::ARB_WASM), fee, data)
}

/// Compiles WAT and wraps it as deployable Stylus code.
pub fn wat_code(wat: &str) -> Vec<u8> {
    compress_program(&wat::parse_str(wat).expect("valid wat"))
}

/// Deploys and activates a WAT program.
pub fn deploy_wat(chain: &mut Devnet, key: &Key, wat: &str) -> Address {
    let addr = deploy_code(chain, key, &wat_code(wat));
    let r = activate(chain, key, addr);
    assert!(r.status, "activation failed: {r:?}");
    addr
}

pub fn call(
    chain: &mut Devnet,
    from: Address,
    to: Address,
    data: Vec<u8>,
) -> vvv_devnet_engine::CallResult {
    chain
        .call(&CallRequest {
            from,
            to: Some(to),
            data: data.into(),
            ..Default::default()
        })
        .unwrap()
}

/// The workspace root (devnet/engine/../..).
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A contract's optimized Wasm from `artifacts/<name>.wasm`, built first with the project's
/// build command (`cargo run -p vvv-scripts -- build <name>`) when missing. None (with a message)
/// only if that build fails.
pub fn contract_wasm(package: &str) -> Option<Vec<u8>> {
    let path = workspace_root().join(format!("artifacts/{package}.wasm"));
    if !path.exists() && !build_artifact(package) {
        return None;
    }
    std::fs::read(path).ok()
}

/// Runs the project's build step for one contract; false (with a message) if it fails.
pub fn build_artifact(package: &str) -> bool {
    eprintln!(
        "building artifacts/{package}.wasm with `cargo run -p vvv-scripts -- build {package}`..."
    );
    let status = std::process::Command::new("cargo")
        .current_dir(workspace_root())
        .args(["run", "-q", "-p", "vvv-scripts", "--", "build", package])
        .status();
    let built = matches!(status, Ok(s) if s.success());
    if !built {
        eprintln!("SKIP: could not build {package} (artifacts/{package}.wasm is missing)");
    }
    built
}

pub fn bytes(b: &[u8]) -> Bytes {
    Bytes::copy_from_slice(b)
}
