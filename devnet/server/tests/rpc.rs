//! The devnet through HTTP with alloy, as deployment scripts use it.

mod common;

use alloy::eips::Typed2718;
use alloy::eips::{BlockId, BlockNumberOrTag};
use alloy::network::{AnyNetwork, EthereumWallet, TransactionBuilder, TransactionResponse};
use alloy::primitives::{address, Address, Bytes, B256, U256};
use alloy::providers::{Provider, ProviderBuilder};
use alloy::rpc::types::{Filter, TransactionRequest};
use alloy::signers::local::PrivateKeySigner;
use alloy::sol_types::{SolCall, SolEvent};
use common::*;
use serde_json::json;
use std::time::Duration;
use vvv_devnet::Server;

fn signer(server: &Server, i: usize) -> PrivateKeySigner {
    PrivateKeySigner::from_bytes(&server.accounts()[i].private_key).unwrap()
}

fn provider(server: &Server, i: usize) -> impl Provider + Clone {
    ProviderBuilder::new()
        .wallet(EthereumWallet::from(signer(server, i)))
        .connect_http(server.url().parse().unwrap())
}

/// Deploys the VVV token through the StylusDeployer (deploy + activate + constructor in one
/// transaction, as `cargo stylus deploy` does); all the supply goes to account `i`.
async fn deploy_token(server: &Server, p: &impl Provider, i: usize) -> Option<Address> {
    let code = token_code()?;
    let owner = server.accounts()[i].address;
    let call = IStylusDeployer::deployCall {
        bytecode: init_code(&code),
        initData: ctor_data(owner),
        initValue: U256::ZERO,
        salt: B256::ZERO,
    };
    let tx = TransactionRequest::default()
        .with_to(STYLUS_DEPLOYER)
        .with_input(call.abi_encode())
        .with_value(eth(1));
    let r = p
        .send_transaction(tx)
        .await
        .expect("deploy sent")
        .get_receipt()
        .await
        .expect("receipt");
    assert!(r.status(), "deploy failed: {r:?}");
    let log = r
        .inner
        .logs()
        .iter()
        .find(|l| l.address() == STYLUS_DEPLOYER)
        .expect("ContractDeployed log");
    let token = IStylusDeployer::ContractDeployed::decode_log_data(log.data())
        .unwrap()
        .deployedContract;
    Some(token)
}

#[tokio::test(flavor = "multi_thread")]
async fn basics_accounts_blocks_fees_and_dev_signing() {
    let s = start();
    let p = ProviderBuilder::new().connect_http(s.url().parse().unwrap());
    assert_eq!(p.get_chain_id().await.unwrap(), 412_346);
    assert_eq!(p.get_block_number().await.unwrap(), 0);
    let accounts = p.get_accounts().await.unwrap();
    assert_eq!(accounts.len(), 11);
    assert_eq!(
        accounts[0],
        address!("3f1Eae7D46d88F08fc2F8ed27FCb2AB183EB2d0E")
    );
    assert_eq!(p.get_balance(accounts[0]).await.unwrap(), eth(10_000));
    assert_eq!(p.get_gas_price().await.unwrap(), 100_000_000);
    assert_eq!(p.get_max_priority_fee_per_gas().await.unwrap(), 0);
    let v: String = p.raw_request("net_version".into(), ()).await.unwrap();
    assert_eq!(v, "412346");
    let cv: String = p
        .raw_request("web3_clientVersion".into(), ())
        .await
        .unwrap();
    assert!(cv.starts_with("vvv-devnet/"));
    let genesis = p
        .get_block_by_number(BlockNumberOrTag::Earliest)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(genesis.header.number, 0);

    // eth_sendTransaction: the devnet signs for its own accounts
    let bob = Address::repeat_byte(0xb0);
    let tx = TransactionRequest::default()
        .with_from(accounts[1])
        .with_to(bob)
        .with_value(eth(3));
    let r = p
        .send_transaction(tx)
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();
    assert!(r.status());
    assert_eq!(r.block_number, Some(1));
    assert_eq!(r.gas_used, 21_000);
    assert_eq!(p.get_balance(bob).await.unwrap(), eth(3));
    assert_eq!(p.get_transaction_count(accounts[1]).await.unwrap(), 1);
    let tx = p
        .get_transaction_by_hash(r.transaction_hash)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(tx.inner.signer(), accounts[1]);
    assert_eq!(tx.block_number, Some(1));
    use alloy::consensus::Transaction as _;
    assert_eq!(tx.inner.value(), eth(3));
    assert_eq!(tx.inner.chain_id(), Some(412_346));
    // an account the devnet has no key for cannot use eth_sendTransaction
    let e = rpc_err(
        s.addr(),
        "eth_sendTransaction",
        json!([{"from": format!("{bob}"), "to": format!("{bob}")}]),
    );
    assert!(
        e["message"].as_str().unwrap().contains("unknown account"),
        "{e}"
    );

    // blocks by number and hash, with full transactions. Each block starts with ArbOS's
    // startBlock (type 0x6a), as on Nitro: like a dapp on Arbitrum, full blocks are read through
    // alloy's AnyNetwork (its Ethereum network type rejects the unknown transaction type).
    let any = ProviderBuilder::new()
        .network::<AnyNetwork>()
        .connect_http(s.url().parse().unwrap());
    let b1 = any
        .get_block_by_number(1.into())
        .full()
        .await
        .unwrap()
        .unwrap();
    assert_eq!(b1.header.number, 1);
    let txs = b1.transactions.as_transactions().unwrap();
    assert_eq!(txs.len(), 2);
    assert_eq!(txs[0].ty(), 0x6a);
    assert_eq!(
        txs[0].from(),
        address!("00000000000000000000000000000000000A4B05")
    );
    assert_eq!(txs[1].tx_hash(), r.transaction_hash);
    assert_eq!(b1.header.parent_hash, genesis.header.hash);
    let same = p.get_block_by_hash(b1.header.hash).await.unwrap().unwrap();
    assert_eq!(same.header.number, 1);
    assert_eq!(same.transactions.hashes().nth(1), Some(r.transaction_hash));
    assert!(p.get_block_by_number(99.into()).await.unwrap().is_none());
    assert!(p
        .get_transaction_receipt(B256::repeat_byte(1))
        .await
        .unwrap()
        .is_none());

    // fee history (what alloy and cast use to price EIP-1559 transactions)
    let fh = p
        .get_fee_history(4, BlockNumberOrTag::Latest, &[25.0, 75.0])
        .await
        .unwrap();
    assert_eq!(fh.oldest_block, 0);
    assert_eq!(fh.base_fee_per_gas.len(), 3);
    assert_eq!(fh.gas_used_ratio.len(), 2);
    assert_eq!(fh.reward.as_ref().unwrap().len(), 2);
    let est = p.estimate_eip1559_fees().await.unwrap();
    assert!(est.max_fee_per_gas >= 100_000_000);

    // a signed transfer from a wallet provider, fields filled by alloy
    let w = provider(&s, 2);
    let r = w
        .send_transaction(
            TransactionRequest::default()
                .with_to(bob)
                .with_value(U256::from(5)),
        )
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();
    assert!(r.status());
    assert_eq!(p.get_balance(bob).await.unwrap(), eth(3) + U256::from(5));
    s.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn stylus_token_deploys_transfers_logs_and_decodes_reverts() {
    let s = start();
    let p = provider(&s, 0);
    let Some(token) = deploy_token(&s, &p, 0).await else {
        return;
    };
    let (dev, alice, bob) = (
        s.accounts()[0].address,
        s.accounts()[1].address,
        s.accounts()[2].address,
    );
    let vvv = IVvv::new(token, &p);
    assert_eq!(vvv.totalSupply().call().await.unwrap(), supply());
    assert_eq!(vvv.balanceOf(dev).call().await.unwrap(), supply());
    assert!(!p.get_code_at(token).await.unwrap().is_empty());
    let version = IArbWasm::new(ARB_WASM, &p)
        .programVersion(token)
        .call()
        .await
        .unwrap();
    assert!(version >= 1);
    let arbsys = IArbSys::new(ARB_SYS, &p);
    assert_eq!(
        arbsys.arbChainID().call().await.unwrap(),
        U256::from(412_346)
    );

    // transfers with logs
    let r1 = vvv
        .transfer(alice, eth(1000))
        .send()
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();
    assert!(r1.status());
    let logs = r1.inner.logs();
    assert_eq!(logs.len(), 1);
    let ev = IVvv::Transfer::decode_log_data(logs[0].data()).unwrap();
    assert_eq!((ev.from, ev.to, ev.value), (dev, alice, eth(1000)));
    let r2 = vvv
        .transfer(bob, eth(7))
        .send()
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();
    let r3 = vvv
        .approve(bob, eth(1))
        .send()
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();
    assert!(r2.status() && r3.status());
    assert_eq!(vvv.balanceOf(alice).call().await.unwrap(), eth(1000));

    // eth_getLogs: address, topic and range filters
    let all = p
        .get_logs(&Filter::new().address(token).from_block(0))
        .await
        .unwrap();
    assert_eq!(all.len(), 4, "mint + 2 transfers + approval"); // the constructor's mint is a Transfer too
    let transfers = p
        .get_logs(
            &Filter::new()
                .address(token)
                .event_signature(IVvv::Transfer::SIGNATURE_HASH)
                .from_block(0),
        )
        .await
        .unwrap();
    assert_eq!(transfers.len(), 3);
    let to_bob = p
        .get_logs(
            &Filter::new()
                .address(token)
                .event_signature(IVvv::Transfer::SIGNATURE_HASH)
                .topic2(bob.into_word())
                .from_block(0),
        )
        .await
        .unwrap();
    assert_eq!(to_bob.len(), 1);
    assert_eq!(to_bob[0].transaction_hash, Some(r2.transaction_hash));
    assert_eq!(to_bob[0].block_number, r2.block_number);
    let either = p
        .get_logs(
            &Filter::new()
                .event_signature(IVvv::Transfer::SIGNATURE_HASH)
                .topic2(vec![bob.into_word(), alice.into_word()])
                .from_block(0)
                .to_block(BlockNumberOrTag::Latest),
        )
        .await
        .unwrap();
    assert_eq!(either.len(), 2);
    let only_block = p
        .get_logs(
            &Filter::new()
                .address(token)
                .at_block_hash(r1.block_hash.unwrap()),
        )
        .await
        .unwrap();
    assert_eq!(only_block.len(), 1);
    let range = p
        .get_logs(
            &Filter::new()
                .address(token)
                .from_block(r2.block_number.unwrap())
                .to_block(r3.block_number.unwrap()),
        )
        .await
        .unwrap();
    assert_eq!(range.len(), 2);
    assert!(p
        .get_logs(&Filter::new().address(Address::repeat_byte(9)).from_block(0))
        .await
        .unwrap()
        .is_empty());
    let e = rpc_err(
        s.addr(),
        "eth_getLogs",
        json!([{"fromBlock": "0x3", "toBlock": "0x1"}]),
    );
    assert_eq!(e["code"], -32000);

    // a transfer over the balance: the custom error reaches alloy decoded (call and estimate)
    let p_bob = provider(&s, 2);
    let vvv_bob = IVvv::new(token, &p_bob);
    let err = vvv_bob.transfer(dev, eth(8)).call().await.unwrap_err();
    let decoded = err
        .as_decoded_error::<IVvv::ERC20InsufficientBalance>()
        .expect("decoded custom error");
    assert_eq!(
        (decoded.sender, decoded.balance, decoded.needed),
        (bob, eth(7), eth(8))
    );
    match err.as_decoded_interface_error::<IVvv::IVvvErrors>() {
        Some(IVvv::IVvvErrors::ERC20InsufficientBalance(_)) => {}
        _ => panic!("not decoded as an IVvv error"),
    }
    let err = vvv_bob.transfer(dev, eth(8)).send().await.unwrap_err();
    assert!(
        err.as_decoded_error::<IVvv::ERC20InsufficientBalance>()
            .is_some(),
        "estimate revert decoded: {err}"
    );
    let raw = rpc_err(
        s.addr(),
        "eth_call",
        json!([{"from": bob, "to": token, "data": Bytes::from(IVvv::transferCall { to: dev, value: eth(8) }.abi_encode())}]),
    );
    assert_eq!(raw["code"], 3);
    assert_eq!(raw["message"], "execution reverted");
    assert!(raw["data"].as_str().unwrap().starts_with("0xe450d38c"));

    // sent anyway (explicit gas, no estimate): mined as a failed transaction, nothing changes.
    // Explicit nonce too: alloy's cached nonce filler runs alongside the gas estimate, so the
    // `send` above that failed its estimate may already have taken nonce 0 from the cache.
    let before = vvv.balanceOf(bob).call().await.unwrap();
    let nonce = p_bob.get_transaction_count(bob).await.unwrap();
    let r = vvv_bob
        .transfer(dev, eth(8))
        .gas(200_000)
        .nonce(nonce)
        .send()
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();
    assert!(!r.status());
    assert!(r.inner.logs().is_empty());
    assert_eq!(vvv.balanceOf(bob).call().await.unwrap(), before);
    s.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn create_activate_and_call_before_activation() {
    let Some(code) = token_code() else { return };
    let s = start();
    let p = provider(&s, 0);
    let dev = s.accounts()[0].address;
    // plain CREATE of the Stylus code
    let r = p
        .send_transaction(TransactionRequest::default().with_deploy_code(init_code(&code)))
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();
    assert!(r.status());
    let token = r.contract_address.unwrap();
    // calling an inactive program fails as on Nitro
    let vvv = IVvv::new(token, &p);
    let err = vvv.totalSupply().call().await.unwrap_err();
    assert!(
        err.as_decoded_error::<IArbWasm::ProgramNotActivated>()
            .is_some(),
        "{err}"
    );
    // activation through ArbWasm, paying the data fee it asks for
    let arbwasm = IArbWasm::new(ARB_WASM, &p);
    let fee = arbwasm
        .activateProgram(token)
        .value(eth(1))
        .call()
        .await
        .unwrap()
        .dataFee;
    assert!(fee > U256::ZERO);
    let r = arbwasm
        .activateProgram(token)
        .value(fee)
        .send()
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();
    assert!(r.status());
    // the constructor, called directly
    let ctor = TransactionRequest::default()
        .with_to(token)
        .with_input(ctor_data(dev));
    let r = p
        .send_transaction(ctor)
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();
    assert!(r.status());
    assert_eq!(vvv.balanceOf(dev).call().await.unwrap(), supply());
    s.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn time_control_and_mining() {
    let s = start();
    let p = ProviderBuilder::new().connect_http(s.url().parse().unwrap());
    let t0 = p
        .get_block_by_number(BlockNumberOrTag::Latest)
        .await
        .unwrap()
        .unwrap()
        .header
        .timestamp;
    let offset: i64 = p
        .raw_request("evm_increaseTime".into(), (3600,))
        .await
        .unwrap();
    assert_eq!(offset, 3600);
    let _: String = p.raw_request("evm_mine".into(), ()).await.unwrap();
    let b1 = p
        .get_block_by_number(BlockNumberOrTag::Latest)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(b1.header.number, 1);
    assert!(
        b1.header.timestamp >= t0 + 3600 && b1.header.timestamp < t0 + 3600 + 60,
        "{} vs {t0}",
        b1.header.timestamp
    );

    let target = b1.header.timestamp + 86_400;
    let _: serde_json::Value = p
        .raw_request("evm_setNextBlockTimestamp".into(), (target,))
        .await
        .unwrap();
    // the next transaction's block gets exactly that timestamp; calls already see it
    let ts_seen: U256 = {
        // TIMESTAMP via a tiny EVM contract: PUSH 42 TIMESTAMP ... simpler: eth_call of code override
        let code = Bytes::from(vec![0x42, 0x60, 0x00, 0x52, 0x60, 0x20, 0x60, 0x00, 0xf3]); // TIMESTAMP; MSTORE; RETURN
        let who = Address::repeat_byte(0x42);
        let out: Bytes = p
            .raw_request(
                "eth_call".into(),
                (
                    json!({"to": who}),
                    "latest",
                    json!({ who.to_string(): {"code": code} }),
                ),
            )
            .await
            .unwrap();
        U256::from_be_slice(&out)
    };
    assert_eq!(ts_seen, U256::from(target));
    let dev = s.accounts()[0].address;
    let tx = TransactionRequest::default()
        .with_from(dev)
        .with_to(Address::repeat_byte(1))
        .with_value(U256::from(1));
    let r = p
        .send_transaction(tx)
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();
    let b2 = p
        .get_block_by_number(r.block_number.unwrap().into())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(b2.header.timestamp, target);
    // time goes on from there
    let _: String = p.raw_request("evm_mine".into(), ()).await.unwrap();
    let b3 = p
        .get_block_by_number(BlockNumberOrTag::Latest)
        .await
        .unwrap()
        .unwrap();
    assert!(b3.header.timestamp >= target && b3.header.timestamp < target + 60);
    // evm_mine with a timestamp; anvil_mine with a count and interval
    let _: String = p
        .raw_request("evm_mine".into(), (target + 1000,))
        .await
        .unwrap();
    assert_eq!(
        p.get_block_by_number(BlockNumberOrTag::Latest)
            .await
            .unwrap()
            .unwrap()
            .header
            .timestamp,
        target + 1000
    );
    let _: serde_json::Value = p
        .raw_request("anvil_mine".into(), ("0x3", "0xa"))
        .await
        .unwrap();
    let b = p
        .get_block_by_number(BlockNumberOrTag::Latest)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(b.header.number, 7);
    // the first of the three follows the clock (target + 1000 plus the wall-clock seconds that
    // passed since, which a loaded machine makes more than 0), the next two `interval` apart
    let first = p
        .get_block_by_number(BlockNumberOrTag::Number(5))
        .await
        .unwrap()
        .unwrap()
        .header
        .timestamp;
    assert!(first >= target + 1000 && first < target + 1060, "{first}");
    assert_eq!(b.header.timestamp, first + 20);
    // timestamps never go backwards
    let e = rpc_err(s.addr(), "evm_setNextBlockTimestamp", json!([target]));
    assert!(e["message"].as_str().unwrap().contains("lower"), "{e}");
    // ArbSys sees the block number
    let n = IArbSys::new(ARB_SYS, &p)
        .arbBlockNumber()
        .call()
        .await
        .unwrap();
    assert_eq!(
        n,
        U256::from(8),
        "calls run in the next block's environment"
    );
    s.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn snapshots_and_historical_state() {
    let s = start();
    let p = provider(&s, 0);
    let Some(token) = deploy_token(&s, &p, 0).await else {
        return;
    };
    let (dev, alice) = (s.accounts()[0].address, s.accounts()[1].address);
    let vvv = IVvv::new(token, &p);
    let deployed_at = p.get_block_number().await.unwrap();
    let r = vvv
        .transfer(alice, eth(10))
        .send()
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();
    let after_first = r.block_number.unwrap();
    let snap: U256 = p.raw_request("evm_snapshot".into(), ()).await.unwrap();
    let r2 = vvv
        .transfer(alice, eth(5))
        .send()
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();
    let _: serde_json::Value = p
        .raw_request("anvil_setBalance".into(), (alice, U256::from(1)))
        .await
        .unwrap();
    assert_eq!(p.get_balance(alice).await.unwrap(), U256::from(1));
    assert_eq!(vvv.balanceOf(alice).call().await.unwrap(), eth(15));

    // historical reads: block tags and numbers
    let at = |n: u64| BlockId::number(n);
    assert_eq!(
        vvv.balanceOf(alice)
            .block(at(after_first))
            .call()
            .await
            .unwrap(),
        eth(10)
    );
    assert_eq!(
        vvv.balanceOf(alice)
            .block(at(deployed_at))
            .call()
            .await
            .unwrap(),
        U256::ZERO
    );
    assert_eq!(
        vvv.balanceOf(alice)
            .block(BlockId::latest())
            .call()
            .await
            .unwrap(),
        eth(15)
    );
    assert_eq!(
        p.get_balance(alice).block_id(at(0)).await.unwrap(),
        eth(10_000)
    );
    assert_eq!(
        p.get_balance(alice)
            .block_id(BlockId::pending())
            .await
            .unwrap(),
        U256::from(1)
    );
    assert!(p
        .get_code_at(token)
        .block_id(at(0))
        .await
        .unwrap()
        .is_empty());
    assert!(!p
        .get_code_at(token)
        .block_id(BlockId::finalized())
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        p.get_transaction_count(dev).block_id(at(0)).await.unwrap(),
        0
    );
    assert_eq!(
        p.get_transaction_count(dev)
            .block_id(at(after_first))
            .await
            .unwrap(),
        2
    );
    let h = p
        .get_block_by_number(after_first.into())
        .await
        .unwrap()
        .unwrap()
        .header
        .hash;
    assert_eq!(
        vvv.balanceOf(alice)
            .block(BlockId::hash(h))
            .call()
            .await
            .unwrap(),
        eth(10)
    );
    let e = rpc_err(s.addr(), "eth_getBalance", json!([alice, "0x999"]));
    assert_eq!(e["message"], "header not found");

    // state overrides on eth_call
    let fake = U256::from(123u64);
    let ovr = json!({ alice.to_string(): {"balance": format!("{fake:#x}")} });
    let code = Bytes::from(vec![
        0x33, 0x31, 0x60, 0x00, 0x52, 0x60, 0x20, 0x60, 0x00, 0xf3,
    ]); // CALLER BALANCE MSTORE RETURN
    let probe = Address::repeat_byte(0x55);
    let mut ovr2 = ovr.as_object().unwrap().clone();
    ovr2.insert(probe.to_string(), json!({"code": code}));
    let out: Bytes = p
        .raw_request(
            "eth_call".into(),
            (json!({"from": alice, "to": probe}), "latest", ovr2),
        )
        .await
        .unwrap();
    assert_eq!(U256::from_be_slice(&out), fake);
    assert_eq!(
        p.get_balance(alice).await.unwrap(),
        U256::from(1),
        "overrides are not kept"
    );

    // revert to the snapshot: blocks, receipts, balances and token state go back
    let ok: bool = p.raw_request("evm_revert".into(), (snap,)).await.unwrap();
    assert!(ok);
    assert_eq!(p.get_block_number().await.unwrap(), after_first);
    assert!(p
        .get_transaction_receipt(r2.transaction_hash)
        .await
        .unwrap()
        .is_none());
    assert_eq!(vvv.balanceOf(alice).call().await.unwrap(), eth(10));
    assert_eq!(p.get_balance(alice).await.unwrap(), eth(10_000));
    let again: bool = p.raw_request("evm_revert".into(), (snap,)).await.unwrap();
    assert!(!again, "a snapshot is used up by reverting to it");
    // and the chain goes on from there (nonces re-used: alloy's filler caches nonces, so a new
    // provider, as with anvil)
    let p = provider(&s, 0);
    let vvv = IVvv::new(token, &p);
    let r3 = vvv
        .transfer(alice, eth(1))
        .send()
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();
    assert!(r3.status());
    assert_eq!(r3.block_number, Some(after_first + 1));
    s.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn raw_transaction_rejections_leave_state_intact() {
    use alloy::consensus::{SignableTransaction, TxEip1559, TxEnvelope};
    use alloy::eips::eip2718::Encodable2718;
    use alloy::signers::SignerSync;
    // queueing off: a nonce gap is refused at once (see fidelity.rs for the queue)
    let s = start_with(|c| c.queue_timeout = Duration::ZERO);
    let p = ProviderBuilder::new().connect_http(s.url().parse().unwrap());
    let key = signer(&s, 3);
    let me = key.address();
    let to = Address::repeat_byte(7);
    let sign = |nonce: u64, chain_id: u64, gas: u64, max_fee: u128, value: U256| -> Vec<u8> {
        let tx = TxEip1559 {
            chain_id,
            nonce,
            gas_limit: gas,
            max_fee_per_gas: max_fee,
            max_priority_fee_per_gas: 0,
            to: to.into(),
            value,
            access_list: Default::default(),
            input: Default::default(),
        };
        let sig = key.sign_hash_sync(&tx.signature_hash()).unwrap();
        TxEnvelope::from(tx.into_signed(sig)).encoded_2718()
    };
    let send = |raw: Vec<u8>| {
        rpc(
            s.addr(),
            "eth_sendRawTransaction",
            json!([Bytes::from(raw)]),
        )
    };
    let msg = |r: &serde_json::Value| {
        r["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    let fee = 200_000_000u128;

    let ok = send(sign(0, 412_346, 21_000, fee, U256::from(1)));
    assert!(ok.get("result").is_some(), "{ok}");
    assert!(msg(&send(sign(0, 412_346, 21_000, fee, U256::from(1)))).contains("already known"));
    assert!(msg(&send(sign(0, 412_346, 21_000, fee, U256::from(2)))).contains("nonce too low"));
    assert!(msg(&send(sign(5, 412_346, 21_000, fee, U256::from(1)))).contains("nonce too high"));
    assert!(msg(&send(sign(1, 1, 21_000, fee, U256::from(1)))).contains("invalid chain id"));
    assert!(
        msg(&send(sign(1, 412_346, 20_000, fee, U256::from(1)))).contains("intrinsic gas too low")
    );
    assert!(
        msg(&send(sign(1, 412_346, 21_000, 1, U256::from(1)))).contains("less than block base fee")
    );
    assert!(
        msg(&send(sign(1, 412_346, 21_000, fee, eth(1_000_000)))).contains("insufficient funds")
    );
    assert!(
        msg(&send(sign(1, 412_346, 100_000_000, fee, U256::from(1))))
            .contains("exceeds block gas limit")
    );
    // a flipped bit in the signature: another (unfunded) signer or an invalid signature
    let mut bad = sign(1, 412_346, 21_000, fee, U256::from(1));
    let n = bad.len();
    bad[n - 5] ^= 0x01;
    let r = send(bad);
    assert!(r.get("error").is_some(), "{r}");
    let r = send(vec![0x02, 0xc0]);
    assert!(msg(&r).contains("decode"), "{r}");
    let r = rpc(s.addr(), "eth_sendRawTransaction", json!(["0xzz"]));
    assert_eq!(r["error"]["code"], -32602);
    // a pre-EIP-155 legacy transaction (no chain id) is accepted, like anvil
    {
        use alloy::consensus::TxLegacy;
        let tx = TxLegacy {
            chain_id: None,
            nonce: 1,
            gas_price: fee,
            gas_limit: 21_000,
            to: to.into(),
            value: U256::from(1),
            input: Default::default(),
        };
        let sig = key.sign_hash_sync(&tx.signature_hash()).unwrap();
        let r = send(TxEnvelope::from(tx.into_signed(sig)).encoded_2718());
        assert!(r.get("result").is_some(), "{r}");
    }
    // nothing but the two good transactions happened
    assert_eq!(p.get_block_number().await.unwrap(), 2);
    assert_eq!(p.get_transaction_count(me).await.unwrap(), 2);
    assert_eq!(p.get_balance(to).await.unwrap(), U256::from(2));
    s.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn state_file_survives_restart() {
    let dir = std::env::temp_dir().join(format!("vvv-devnet-state-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("chain.json");
    let cfg = |c: &mut vvv_devnet::ServerConfig| {
        c.state_file = Some(path.clone());
        c.state_interval = Duration::ZERO;
    };
    let s = start_with(cfg);
    let p = provider(&s, 0);
    let alice = s.accounts()[1].address;
    let token = deploy_token(&s, &p, 0).await;
    let bob = Address::repeat_byte(0xbb);
    let r = p
        .send_transaction(
            TransactionRequest::default()
                .with_to(bob)
                .with_value(eth(2)),
        )
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();
    if let Some(t) = token {
        IVvv::new(t, &p)
            .transfer(alice, eth(42))
            .send()
            .await
            .unwrap()
            .get_receipt()
            .await
            .unwrap();
    }
    let _: serde_json::Value = p
        .raw_request("evm_increaseTime".into(), (1000,))
        .await
        .unwrap();
    let n = p.get_block_number().await.unwrap();
    let head = p
        .get_block_by_number(BlockNumberOrTag::Latest)
        .await
        .unwrap()
        .unwrap()
        .header
        .hash;
    drop(p);
    s.stop();

    // a stale temporary file (a crash while writing) does not matter
    std::fs::write(dir.join(".chain.json.tmp-1"), b"{ half a file").unwrap();
    let s = start_with(cfg);
    let p = provider(&s, 0);
    assert_eq!(p.get_block_number().await.unwrap(), n);
    assert_eq!(
        p.get_block_by_number(BlockNumberOrTag::Latest)
            .await
            .unwrap()
            .unwrap()
            .header
            .hash,
        head
    );
    assert_eq!(p.get_balance(bob).await.unwrap(), eth(2));
    assert!(p
        .get_transaction_receipt(r.transaction_hash)
        .await
        .unwrap()
        .unwrap()
        .status());
    assert!(p
        .get_transaction_by_hash(r.transaction_hash)
        .await
        .unwrap()
        .is_some());
    assert_eq!(
        p.get_balance(bob)
            .block_id(BlockId::number(r.block_number.unwrap() - 1))
            .await
            .unwrap(),
        U256::ZERO
    );
    if let Some(t) = token {
        let vvv = IVvv::new(t, &p);
        assert_eq!(vvv.balanceOf(alice).call().await.unwrap(), eth(42));
        // the program is still active and runs after the restart
        let r = vvv
            .transfer(alice, eth(1))
            .send()
            .await
            .unwrap()
            .get_receipt()
            .await
            .unwrap();
        assert!(r.status());
        assert_eq!(vvv.balanceOf(alice).call().await.unwrap(), eth(43));
    }
    let offset: i64 = p
        .raw_request("evm_increaseTime".into(), (0,))
        .await
        .unwrap();
    assert_eq!(offset, 1000, "the clock is kept too");
    drop(p);
    s.stop();

    // a corrupt state file is refused, not overwritten
    std::fs::write(&path, b"{ not json").unwrap();
    let mut c = vvv_devnet::ServerConfig::ephemeral();
    cfg(&mut c);
    let err = Server::start(c)
        .err()
        .expect("refuses a corrupt state file");
    assert!(err.contains("state file"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), b"{ not json");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread")]
async fn concurrent_clients_and_batches() {
    let s = start();
    let url: alloy::transports::http::reqwest::Url = s.url().parse().unwrap();
    let bob = Address::repeat_byte(0xb0);
    let per_client = 15u64;
    let mut tasks = Vec::new();
    for i in 1..=4 {
        let p = ProviderBuilder::new()
            .wallet(EthereumWallet::from(signer(&s, i)))
            .connect_http(url.clone());
        tasks.push(tokio::spawn(async move {
            for _ in 0..per_client {
                let tx = TransactionRequest::default()
                    .with_to(bob)
                    .with_value(U256::from(1))
                    .with_gas_limit(21_000);
                let r = p
                    .send_transaction(tx)
                    .await
                    .unwrap()
                    .get_receipt()
                    .await
                    .unwrap();
                assert!(r.status());
            }
        }));
    }
    // readers at the same time
    let reader = ProviderBuilder::new().connect_http(url.clone());
    for _ in 0..20 {
        reader.get_block_number().await.unwrap();
        reader.get_balance(bob).await.unwrap();
    }
    for t in tasks {
        t.await.unwrap();
    }
    assert_eq!(
        reader.get_balance(bob).await.unwrap(),
        U256::from(4 * per_client)
    );
    assert_eq!(reader.get_block_number().await.unwrap(), 4 * per_client);

    // a batch: results in order, errors per entry, notifications unanswered
    let body = json!([
        {"jsonrpc": "2.0", "id": 1, "method": "eth_chainId"},
        {"jsonrpc": "2.0", "id": "two", "method": "eth_nope"},
        {"jsonrpc": "2.0", "method": "eth_blockNumber"},
        {"jsonrpc": "2.0", "id": 3, "method": "eth_getBalance", "params": ["0x12"]},
        {"jsonrpc": "2.0", "id": 4, "method": "eth_blockNumber"},
        17
    ]);
    let (status, out) = http_post(s.addr(), body.to_string().as_bytes());
    assert_eq!(status, 200);
    let out: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let out = out.as_array().unwrap();
    assert_eq!(out.len(), 5);
    assert_eq!(out[0]["result"], "0x64aba");
    assert_eq!(out[1]["error"]["code"], -32601);
    assert_eq!(out[1]["id"], "two");
    assert_eq!(out[2]["error"]["code"], -32602);
    assert_eq!(out[3]["result"], format!("{:#x}", 4 * per_client));
    assert_eq!(out[4]["error"]["code"], -32600);
    s.stop();
}

#[test]
fn in_process_access_and_stop() {
    let s = start();
    let n = s.with_node(|node| {
        let a = node.accounts[0].address;
        node.chain.set_balance(a, U256::from(5));
        node.chain.block_number()
    });
    assert_eq!(n, 0);
    let b = rpc_ok(
        s.addr(),
        "eth_getBalance",
        json!([s.accounts()[0].address, "latest"]),
    );
    assert_eq!(b, "0x5");
    let addr = s.addr();
    s.stop();
    assert!(
        std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(500)).is_err(),
        "stopped server no longer listens"
    );
}
