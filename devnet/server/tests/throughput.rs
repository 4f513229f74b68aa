//! Throughput: VVV (Stylus ERC-20) transfers per second through JSON-RPC, as signed raw
//! transactions (`eth_sendRawTransaction`), one client and several concurrent clients.
//!
//! ```sh
//! cd devnet
//! CARGO_TARGET_DIR=/work/target-devnet cargo test --release -p vvv-devnet --test throughput -- --ignored --nocapture
//! ```
//! `VVV_TPS_TXS` sets the number of transfers per run (default 2000).

mod common;

use alloy::consensus::{SignableTransaction, TxEip1559, TxEnvelope};
use alloy::eips::eip2718::Encodable2718;
use alloy::network::{EthereumWallet, TransactionBuilder};
use alloy::primitives::{Address, Bytes, B256, U256};
use alloy::providers::{Provider, ProviderBuilder};
use alloy::rpc::types::TransactionRequest;
use alloy::signers::local::PrivateKeySigner;
use alloy::signers::SignerSync;
use alloy::sol_types::SolCall;
use common::*;
use std::time::Instant;

fn transfer_tx(key: &PrivateKeySigner, nonce: u64, token: Address, to: Address) -> Bytes {
    let tx = TxEip1559 {
        chain_id: 412_346,
        nonce,
        gas_limit: 150_000,
        max_fee_per_gas: 200_000_000,
        max_priority_fee_per_gas: 0,
        to: token.into(),
        value: U256::ZERO,
        access_list: Default::default(),
        input: IVvv::transferCall {
            to,
            value: U256::from(1),
        }
        .abi_encode()
        .into(),
    };
    let sig = key.sign_hash_sync(&tx.signature_hash()).unwrap();
    TxEnvelope::from(tx.into_signed(sig)).encoded_2718().into()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "benchmark: run with --release --ignored --nocapture"]
async fn erc20_transfers_per_second() {
    let n: usize = std::env::var("VVV_TPS_TXS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    let Some(code) = token_code() else { return };
    let server = start();
    let url: alloy::transports::http::reqwest::Url = server.url().parse().unwrap();
    let keys: Vec<PrivateKeySigner> = (0..5)
        .map(|i| PrivateKeySigner::from_bytes(&server.accounts()[i].private_key).unwrap())
        .collect();
    let p = ProviderBuilder::new()
        .wallet(EthereumWallet::from(keys[0].clone()))
        .connect_http(url.clone());

    // deploy through the StylusDeployer; the dev account gets the supply and funds 4 clients
    let call = IStylusDeployer::deployCall {
        bytecode: init_code(&code),
        initData: ctor_data(keys[0].address()),
        initValue: U256::ZERO,
        salt: B256::ZERO,
    };
    let r = p
        .send_transaction(
            TransactionRequest::default()
                .with_to(STYLUS_DEPLOYER)
                .with_input(call.abi_encode())
                .with_value(eth(1)),
        )
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();
    assert!(r.status());
    let log = r
        .inner
        .logs()
        .iter()
        .find(|l| l.address() == STYLUS_DEPLOYER)
        .unwrap();
    let token = Address::from_slice(&log.data().data[12..32]);
    let vvv = IVvv::new(token, &p);
    for k in &keys[1..] {
        assert!(vvv
            .transfer(k.address(), eth(1_000_000))
            .send()
            .await
            .unwrap()
            .get_receipt()
            .await
            .unwrap()
            .status());
    }
    let recipients: Vec<Address> = (0..64u8).map(|i| Address::repeat_byte(i + 1)).collect();

    // 1. one client, sequential
    let nonce0 = p.get_transaction_count(keys[0].address()).await.unwrap();
    let txs: Vec<Bytes> = (0..n)
        .map(|i| {
            transfer_tx(
                &keys[0],
                nonce0 + i as u64,
                token,
                recipients[i % recipients.len()],
            )
        })
        .collect();
    let client = ProviderBuilder::new().connect_http(url.clone());
    let start_block = client.get_block_number().await.unwrap();
    let t = Instant::now();
    let mut last = B256::ZERO;
    for raw in &txs {
        last = *client.send_raw_transaction(raw).await.unwrap().tx_hash();
    }
    let seq = t.elapsed();
    assert!(client
        .get_transaction_receipt(last)
        .await
        .unwrap()
        .unwrap()
        .status());
    assert_eq!(
        client.get_block_number().await.unwrap(),
        start_block + n as u64
    );
    let seq_tps = n as f64 / seq.as_secs_f64();

    // 2. four clients at once (one account each)
    let per = n / 4;
    let mut batches = Vec::new();
    for k in &keys[1..] {
        let nonce = client.get_transaction_count(k.address()).await.unwrap();
        batches.push(
            (0..per)
                .map(|i| transfer_tx(k, nonce + i as u64, token, recipients[i % recipients.len()]))
                .collect::<Vec<_>>(),
        );
    }
    let t = Instant::now();
    let mut tasks = Vec::new();
    for batch in batches {
        let c = ProviderBuilder::new().connect_http(url.clone());
        tasks.push(tokio::spawn(async move {
            let mut last = B256::ZERO;
            for raw in &batch {
                last = *c.send_raw_transaction(raw).await.unwrap().tx_hash();
            }
            last
        }));
    }
    let mut lasts = Vec::new();
    for task in tasks {
        lasts.push(task.await.unwrap());
    }
    let conc = t.elapsed();
    for h in lasts {
        assert!(client
            .get_transaction_receipt(h)
            .await
            .unwrap()
            .unwrap()
            .status());
    }
    let conc_tps = (4 * per) as f64 / conc.as_secs_f64();

    // every transfer landed: each recipient got its share
    let total: U256 = {
        let mut s = U256::ZERO;
        for r in &recipients {
            s += vvv.balanceOf(*r).call().await.unwrap();
        }
        s
    };
    assert_eq!(total, U256::from(n + 4 * per));
    let profile = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    println!("THROUGHPUT ({profile}): {n} sequential VVV transfers in {seq:.2?} = {seq_tps:.0} tx/s; {} transfers from 4 concurrent clients in {conc:.2?} = {conc_tps:.0} tx/s", 4 * per);
    server.stop();
}
