//! INV-10 (O(1) actions): the gas of each user action does not grow with the number of users.
//!
//! A *probe* is a fresh user doing every user action once, with the same amounts each time:
//! stake, claimRewards, transfer of sVVV to a fresh address, DIEM mint, DIEM burn (half),
//! requestUnstake, withdraw (plus the keeper's `distribute()` that gives the probe rewards).
//! Probes run on one chain: on the empty system, then after 1, 1 + N/2 and 1 + N other users
//! have each staked, minted DIEM and opened an unstake request (left open).
//!
//! Every transaction starts with cold storage (EIP-2929 is per transaction) and a probe touches
//! the same slots each time: its own (fresh, zero) and the global totals. Once the population
//! is non-empty those totals are non-zero in every later probe, so the storage, log, call and
//! memory gas is identical; the very first user pays more (zero → non-zero writes of the
//! totals) and is shown but not compared. What can still differ is Wasm computation on
//! different values:
//! - the DIEM mint cost `90·T·(ln(T−s) − ln(T−s−d))` runs a series whose length depends on the
//!   mantissas of `T − s` (≤ 48 terms, bounded): a few thousand gas up or down as the supply
//!   `s` moves, not monotone in the number of users. The mint is therefore compared after
//!   subtracting `quoteMint(10)` read in the same state (the same computation as a view);
//! - mul-div on operands of other bit lengths (rewards, pro-rata unlock): tens of gas.
//!
//! [`TOLERANCE`] bounds the latter.

use alloy_primitives::U256;
use alloy_sol_types::SolCall;
use vvv_devnet_engine::CallRequest;
use vvv_e2e::*;

/// Users added between the first and the last compared probe.
const N: usize = 50;

/// Largest gas difference allowed between probes of the same action with 1 and 1 + N other
/// users: value-dependent arithmetic only (measured: ≤ 100). Any storage access per user
/// would cost at least a warm SLOAD (100) per user, ≥ 5,000 over N = 50, and a cold one 2,100.
const TOLERANCE: u64 = 200;

const ACTIONS: [&str; 9] = [
    "stake",
    "claimRewards",
    "transfer sVVV",
    "DIEM mint (10)",
    "DIEM mint − quoteMint",
    "DIEM burn (5)",
    "requestUnstake",
    "withdraw",
    "distribute (keeper)",
];

/// One probe: gas of each of [`ACTIONS`].
fn probe(s: &mut Suite) -> [u64; 9] {
    let c = s.c;
    let p = s.funded_user(wad(2_000));
    let stake = s.stake(p, wad(2_000));

    s.skip(DAY);
    let distribute = s.send(
        c.keeper,
        c.controller,
        IEmissionController::distributeCall {},
    );
    let distribute_gas = distribute.gas();
    distribute.ok();

    let claim = s.send(p, c.vault, IStakingVault::claimRewardsCall {});
    let claim_gas = claim.gas();
    assert!(claim.ok() > U256::ZERO);

    let to = s.user();
    let transfer = s.send(
        p,
        c.vault,
        IStakingVault::transferCall {
            to,
            value: wad(100),
        },
    );
    let transfer_gas = transfer.gas();
    transfer.ok();

    // The curve math alone, in the state the mint will see.
    let quote = s
        .chain
        .call(&CallRequest {
            from: p,
            to: Some(c.minter),
            data: IDiemMinter::quoteMintCall { amount: wad(10) }
                .abi_encode()
                .into(),
            ..Default::default()
        })
        .expect("call");
    assert!(quote.success);
    let mint = s.send(
        p,
        c.minter,
        IDiemMinter::mintCall {
            amount: wad(10),
            maxCost: U256::MAX,
        },
    );
    let mint_gas = mint.gas();
    mint.ok();

    let burn = s.send(p, c.minter, IDiemMinter::burnCall { amount: wad(5) });
    let burn_gas = burn.gas();
    burn.ok();

    let request = s.send(
        p,
        c.vault,
        IStakingVault::requestUnstakeCall { amount: wad(500) },
    );
    let request_gas = request.gas();
    let (id, unlock_time) = unstake_request(&request.receipt);
    request.ok();

    s.warp(unlock_time);
    let withdraw = s.send(p, c.vault, IStakingVault::withdrawCall { id });
    let withdraw_gas = withdraw.gas();
    withdraw.ok();

    [
        stake,
        claim_gas,
        transfer_gas,
        mint_gas,
        mint_gas - quote.gas_used,
        burn_gas,
        request_gas,
        withdraw_gas,
        distribute_gas,
    ]
}

/// `count` more users: each is staked for by the funder (`stakeFor`), mints 10 DIEM and
/// opens an unstake request it leaves open.
fn populate(s: &mut Suite, count: usize) {
    let c = s.c;
    for _ in 0..count {
        let u = s.user();
        s.send(
            c.funder,
            c.vault,
            IStakingVault::stakeForCall {
                beneficiary: u,
                amount: wad(2_000),
            },
        )
        .ok();
        s.send(
            u,
            c.minter,
            IDiemMinter::mintCall {
                amount: wad(10),
                maxCost: U256::MAX,
            },
        )
        .ok();
        s.send(
            u,
            c.vault,
            IStakingVault::requestUnstakeCall { amount: wad(100) },
        )
        .ok();
    }
}

#[test]
fn inv10_user_action_gas_does_not_grow_with_users() {
    let mut s = Suite::new();
    let (funder, vault) = (s.c.funder, s.c.vault);
    s.approve_vvv(funder, vault);

    let first = probe(&mut s);
    populate(&mut s, 1);
    let p1 = probe(&mut s);
    populate(&mut s, N / 2);
    let p_half = probe(&mut s);
    populate(&mut s, N - N / 2);
    let p_n = probe(&mut s);
    s.check_invariants().unwrap();

    println!("INV-10: gas per user action (whole transaction), a fresh user each time");
    println!(
        "| {:<22} | {:>12} | {:>10} | {:>10} | {:>10} | {:>6} |",
        "action",
        "empty system",
        "1 user",
        format!("{} users", 1 + N / 2),
        format!("{} users", 1 + N),
        "Δ"
    );
    for (i, action) in ACTIONS.iter().enumerate() {
        let delta = p_n[i] as i64 - p1[i] as i64;
        println!(
            "| {action:<22} | {:>12} | {:>10} | {:>10} | {:>10} | {delta:>+6} |",
            first[i], p1[i], p_half[i], p_n[i]
        );
    }
    for (i, action) in ACTIONS.iter().enumerate() {
        if *action == "DIEM mint (10)" {
            continue; // compared without the curve math, on the next row
        }
        for (users, g) in [(1 + N / 2, p_half[i]), (1 + N, p_n[i])] {
            assert!(
                g.abs_diff(p1[i]) <= TOLERANCE,
                "INV-10: {action} costs {g} gas with {users} users vs {} with 1 user",
                p1[i]
            );
        }
    }
}
