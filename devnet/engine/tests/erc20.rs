//! The VVV token (a real Stylus ERC-20 from this workspace) on the engine.

mod common;

use alloy_primitives::{keccak256, Address, U256};
use alloy_sol_types::{sol, SolCall, SolError, SolEvent, SolValue};
use common::*;
use vvv_devnet_engine::{arbos, compress_program, CallRequest, Devnet};

sol! {
    interface IVvv {
        function transfer(address to, uint256 value) external returns (bool);
        function approve(address spender, uint256 value) external returns (bool);
        function balanceOf(address account) external view returns (uint256);
        function totalSupply() external view returns (uint256);
        function allowance(address owner, address spender) external view returns (uint256);
        event Transfer(address indexed from, address indexed to, uint256 value);
        error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed);
    }
}

fn constructor_selector() -> [u8; 4] {
    keccak256("stylus_constructor()")[..4].try_into().unwrap()
}

fn supply() -> U256 {
    U256::from(100_000_000u64) * U256::from(10u64).pow(U256::from(18))
}

/// VVV's `constructor(deployer, recipients, amounts)`: `deployer` may wire the minter.
fn ctor_data(deployer: Address, recipients: Vec<Address>, amounts: Vec<U256>) -> Vec<u8> {
    let mut d = constructor_selector().to_vec();
    d.extend((deployer, recipients, amounts).abi_encode_params());
    d
}

struct Setup {
    chain: Devnet,
    deployer: Key,
    alice: Key,
    token: Address,
    gas_deploy: u64,
    gas_activate: u64,
    gas_ctor: u64,
}

fn setup() -> Option<Setup> {
    let wasm = contract_wasm("vvv-token")?;
    let deployer = Key::new(1);
    let alice = Key::new(2);
    let mut chain = chain_with(&deployer);
    chain.set_balance(alice.address, eth(10));
    let code = compress_program(&wasm);
    let r = send(
        &mut chain,
        &deployer,
        None,
        U256::ZERO,
        vvv_devnet_engine::deployment_init_code(&code),
    );
    assert!(r.status, "{r:?}");
    let token = r.contract_address.unwrap();
    let gas_deploy = r.gas_used;

    // Before activation: fails as on Nitro, with ArbWasm's ProgramNotActivated().
    let before = call(
        &mut chain,
        deployer.address,
        token,
        IVvv::totalSupplyCall {}.abi_encode(),
    );
    assert!(!before.success && before.reverted);
    assert_eq!(
        before.output.as_ref(),
        arbos::IArbWasm::ProgramNotActivated {}
            .abi_encode()
            .as_slice()
    );

    let act = activate(&mut chain, &deployer, token);
    assert!(act.status, "{act:?}");
    assert_eq!(act.logs.len(), 1);
    assert_eq!(act.logs[0].address, arbos::ARB_WASM);
    let gas_activate = act.gas_used;

    let ctor = send(
        &mut chain,
        &deployer,
        Some(token),
        U256::ZERO,
        ctor_data(deployer.address, vec![deployer.address], vec![supply()]),
    );
    assert!(ctor.status, "constructor failed: {ctor:?}");
    Some(Setup {
        chain,
        deployer,
        alice,
        token,
        gas_deploy,
        gas_activate,
        gas_ctor: ctor.gas_used,
    })
}

#[test]
fn erc20_deploys_activates_transfers_and_reverts_with_custom_error() {
    let Some(mut s) = setup() else { return };
    let (token, d, a) = (s.token, s.deployer.address, s.alice.address);

    let bal = |chain: &mut Devnet, who: Address| {
        let r = call(
            chain,
            who,
            token,
            IVvv::balanceOfCall { account: who }.abi_encode(),
        );
        assert!(r.success, "{r:?}");
        U256::abi_decode(&r.output).unwrap()
    };
    assert_eq!(bal(&mut s.chain, d), supply());

    // transfer
    let amount = eth(1234);
    let r = send(
        &mut s.chain,
        &s.deployer,
        Some(token),
        U256::ZERO,
        IVvv::transferCall {
            to: a,
            value: amount,
        }
        .abi_encode(),
    );
    assert!(r.status, "{r:?}");
    assert_eq!(r.logs.len(), 1);
    let ev = IVvv::Transfer::decode_log_data(&r.logs[0].data).unwrap();
    assert_eq!((ev.from, ev.to, ev.value), (d, a, amount));
    assert!(r
        .logs_bloom
        .contains_input(alloy_primitives::BloomInput::Raw(token.as_slice())));
    assert_eq!(bal(&mut s.chain, a), amount);
    assert_eq!(bal(&mut s.chain, d), supply() - amount);
    let gas_transfer = r.gas_used;

    // approve
    let r = send(
        &mut s.chain,
        &s.deployer,
        Some(token),
        U256::ZERO,
        IVvv::approveCall {
            spender: a,
            value: amount,
        }
        .abi_encode(),
    );
    assert!(r.status, "{r:?}");
    let gas_approve = r.gas_used;

    // failed transfer: alice sends more than she has
    let too_much = amount + U256::from(1);
    let r = send(
        &mut s.chain,
        &s.alice,
        Some(token),
        U256::ZERO,
        IVvv::transferCall {
            to: d,
            value: too_much,
        }
        .abi_encode(),
    );
    assert!(!r.status);
    let err = IVvv::ERC20InsufficientBalance::abi_decode(&r.output).expect("custom error data");
    assert_eq!((err.sender, err.balance, err.needed), (a, amount, too_much));
    assert!(r.logs.is_empty());
    assert_eq!(
        bal(&mut s.chain, a),
        amount,
        "reverted transfer changed nothing"
    );
    let gas_failed = r.gas_used;

    println!(
        "GAS vvv-token: deploy={} activate={} constructor={} transfer={} approve={} failed_transfer={}",
        s.gas_deploy, s.gas_activate, s.gas_ctor, gas_transfer, gas_approve, gas_failed
    );
    let ig = call(
        &mut s.chain,
        d,
        arbos::ARB_WASM,
        arbos::IArbWasm::programInitGasCall { program: token }.abi_encode(),
    );
    let fp = call(
        &mut s.chain,
        d,
        arbos::ARB_WASM,
        arbos::IArbWasm::programMemoryFootprintCall { program: token }.abi_encode(),
    );
    println!(
        "vvv-token program: init_gas(incl. cached)={} cached_gas={} footprint_pages={} wasm_bytes={} compressed_bytes={}",
        U256::from_be_slice(&ig.output[..32]),
        U256::from_be_slice(&ig.output[32..64]),
        U256::from_be_slice(&fp.output),
        contract_wasm("vvv-token").unwrap().len(),
        s.chain.code(token).len()
    );
    // Sanity bounds (intrinsic 21000 + calldata + init cost + storage).
    assert!(
        gas_transfer > 21_000 + 2 * 20_000 && gas_transfer < 120_000,
        "transfer gas {gas_transfer}"
    );
    assert!(
        gas_approve > 21_000 + 20_000 && gas_approve < 100_000,
        "approve gas {gas_approve}"
    );
    assert!(
        gas_failed > 21_000 && gas_failed < gas_transfer,
        "failed transfer gas {gas_failed}"
    );
}

#[test]
fn erc20_estimate_and_call_do_not_commit() {
    let Some(mut s) = setup() else { return };
    let data = IVvv::transferCall {
        to: s.alice.address,
        value: eth(1),
    }
    .abi_encode();
    let req = CallRequest {
        from: s.deployer.address,
        to: Some(s.token),
        data: data.clone().into(),
        ..Default::default()
    };
    let est = s.chain.estimate_gas(&req).expect("estimate");
    let r = s.chain.call(&req).unwrap();
    assert!(r.success && r.logs.len() == 1);
    let bal = call(
        &mut s.chain,
        s.alice.address,
        s.token,
        IVvv::balanceOfCall {
            account: s.alice.address,
        }
        .abi_encode(),
    );
    assert_eq!(
        U256::abi_decode(&bal.output).unwrap(),
        U256::ZERO,
        "call committed nothing"
    );
    // the estimate is enough for the real transaction
    let nonce = s.chain.nonce(s.deployer.address);
    let raw = s.deployer.tx1559(
        s.chain.chain_id(),
        nonce,
        Some(s.token),
        U256::ZERO,
        data,
        est,
    );
    let rec = s.chain.send_raw_transaction(&raw).unwrap();
    assert!(rec.status, "estimate {est} too low: {rec:?}");
}

#[test]
fn erc20_deploys_through_stylus_deployer_with_constructor() {
    let Some(wasm) = contract_wasm("vvv-token") else {
        return;
    };
    let deployer = Key::new(7);
    let mut chain = chain_with(&deployer);
    let init = vvv_devnet_engine::deployment_init_code(&compress_program(&wasm));
    let call_data = arbos::IStylusDeployer::deployCall {
        bytecode: init.into(),
        initData: ctor_data(deployer.address, vec![deployer.address], vec![supply()]).into(),
        initValue: U256::ZERO,
        salt: Default::default(),
    }
    .abi_encode();
    let before = chain.balance(deployer.address);
    let r = send(
        &mut chain,
        &deployer,
        Some(arbos::STYLUS_DEPLOYER),
        eth(1),
        call_data,
    );
    assert!(r.status, "{r:?}");
    let deployed = r
        .logs
        .iter()
        .find(|l| l.address == arbos::STYLUS_DEPLOYER)
        .unwrap();
    let token = arbos::IStylusDeployer::ContractDeployed::decode_log_data(&deployed.data)
        .unwrap()
        .deployedContract;
    // activation fee charged, rest refunded
    let spent = before - chain.balance(deployer.address);
    assert!(spent < eth(1), "excess value refunded");
    let b = call(
        &mut chain,
        deployer.address,
        token,
        IVvv::balanceOfCall {
            account: deployer.address,
        }
        .abi_encode(),
    );
    assert!(b.success, "{b:?}");
    assert_eq!(U256::abi_decode(&b.output).unwrap(), supply());

    // a bad constructor (wrong supply) reverts the whole deployment atomically
    let nonce_before = chain.nonce(arbos::STYLUS_DEPLOYER);
    let bad = arbos::IStylusDeployer::deployCall {
        bytecode: vvv_devnet_engine::deployment_init_code(&compress_program(&wasm)).into(),
        initData: ctor_data(
            deployer.address,
            vec![deployer.address],
            vec![U256::from(1)],
        )
        .into(),
        initValue: U256::ZERO,
        salt: alloy_primitives::B256::repeat_byte(1),
    }
    .abi_encode();
    // (same code hash: already active, so no activation value is sent)
    let r = send(
        &mut chain,
        &deployer,
        Some(arbos::STYLUS_DEPLOYER),
        U256::ZERO,
        bad,
    );
    assert!(!r.status);
    assert!(arbos::IStylusDeployer::ContractInitializationError::abi_decode(&r.output).is_ok());
    assert_eq!(chain.nonce(arbos::STYLUS_DEPLOYER), nonce_before);
}
