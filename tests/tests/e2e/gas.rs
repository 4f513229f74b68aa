//! INV-10 (O(1) actions): the gas of each user action grows neither with the number of users
//! nor with the time since the last distribution.
//!
//! A *probe* is a fresh user doing every user action once, with the same amounts each time:
//! stake, claimRewards, transfer of sVVV to a fresh address, DIEM mint, DIEM burn (half),
//! requestUnstake, withdraw (plus the keeper's `distribute()` that gives the probe rewards).
//! Since the vault streams each announcement over `rewardsDuration` (7 days), every action
//! that touches the rewards first releases what the stream released since the vault's last
//! action: a probe therefore runs each such action as the first vault action `since` seconds
//! after a `distribute()`, with `since` = 1 hour (mid-stream: a mul-div of the release) and
//! 30 days (the stream has ended: everything released at once). Probes of both kinds run on
//! one chain, each forking from the same state (the chain is put back after it): on the empty
//! system, then after 1, 1 + N/2 and 1 + N users have each staked, minted DIEM and opened an
//! unstake request (left open).
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
//! - mul-div on operands of other bit lengths (rewards, pro-rata unlock, the stream's
//!   release): tens to a few hundred gas.
//!
//! [`TOLERANCE`] bounds the latter across populations, [`TIME_TOLERANCE`] across the time
//! since the last distribution.

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

/// Largest gas difference allowed between the same action at two times since the last
/// distribution on the same side of the stream's end: 1 hour vs 6 days is the release's
/// mul-div `remaining × elapsed / (end − updated)` on wider operands (measured ≤ 520 gas;
/// `elapsed` is bounded by `rewardsDuration` ≤ 30 days, so this is bounded too); 8 vs 30 days
/// is the same work (measured ≤ 50). A loop over elapsed time or over distributions would
/// cost thousands.
const TIME_TOLERANCE: u64 = 1_000;

/// Once the stream has ended, the first action zeroes its `remaining` slot (EIP-3529 refund
/// 4,800) and skips the release's mul-div and the accumulator update: that action costs at
/// most this much less than mid-stream, never more.
const STREAM_END_SAVING: u64 = 6_000;

/// Times since the last distribution of the time dimension (measured with 1 + N users): two
/// mid-stream (1 hour, 6 days), two after the 7-day stream has ended (8 days, 30 days). The
/// population dimension is measured at the first.
const SINCE: [(u64, &str); 4] = [
    (3_600, "1 h"),
    (6 * DAY, "6 d"),
    (8 * DAY, "8 d"),
    (30 * DAY, "30 d"),
];

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

/// A `distribute()` by the keeper, then `since` seconds pass: the next vault action is the
/// first one since the announcement. Returns the gas of the distribution.
fn distribute_then_wait(s: &mut Suite, since: u64) -> u64 {
    let c = s.c;
    let tx = s.send(
        c.keeper,
        c.controller,
        IEmissionController::distributeCall {},
    );
    let gas = tx.gas();
    tx.ok();
    s.skip(since);
    gas
}

/// One probe: gas of each of [`ACTIONS`], each action that settles rewards being the first
/// vault action `since` seconds after a distribution.
fn probe(s: &mut Suite, since: u64) -> [u64; 9] {
    let c = s.c;
    let p = s.funded_user(wad(2_000));
    distribute_then_wait(s, since);
    let stake = s.stake(p, wad(2_000));

    // The probe staked before this distribution: the stream pays it from here on.
    s.skip(DAY);
    let distribute_gas = distribute_then_wait(s, since);
    let claim = s.send(p, c.vault, IStakingVault::claimRewardsCall {});
    let claim_gas = claim.gas();
    assert!(claim.ok() > U256::ZERO);

    let to = s.user();
    distribute_then_wait(s, since);
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

    distribute_then_wait(s, since);
    // The curve math alone, in the state the mint will see (a view: the stream is untouched).
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

    distribute_then_wait(s, since);
    let burn = s.send(p, c.minter, IDiemMinter::burnCall { amount: wad(5) });
    let burn_gas = burn.gas();
    burn.ok();

    distribute_then_wait(s, since);
    let request = s.send(
        p,
        c.vault,
        IStakingVault::requestUnstakeCall { amount: wad(500) },
    );
    let request_gas = request.gas();
    assert!(
        request.succeeded(),
        "requestUnstake: {}",
        describe_revert(request.revert_data().unwrap_or_default())
    );
    let (id, unlock_time) = unstake_request(&request.receipt);
    request.ok();

    // `withdraw` does not touch the rewards; it runs at the unlock time or later.
    let next = s.chain.next_timestamp();
    s.warp(unlock_time.max(next));
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
fn inv10_user_action_gas_does_not_grow_with_users_or_time() {
    // Nested program calls (minter → vault → VVV) in the debug engine need more than the
    // test thread's default stack.
    std::thread::Builder::new()
        .name("inv10".into())
        .stack_size(64 << 20)
        .spawn(measure)
        .expect("thread")
        .join()
        .unwrap_or_else(|e| std::panic::resume_unwind(e));
}

fn measure() {
    let mut s = Suite::new();
    let (funder, vault) = (s.c.funder, s.c.vault);
    s.approve_vvv(funder, vault);

    // Every probe forks from the state it measures (the chain is put back after it): the
    // 30-day probe moves the clock by half a year, and Stylus programs expire a year after
    // activation.
    let fork = |s: &mut Suite, since: u64| {
        let before = s.chain.snapshot();
        let gas = probe(s, since);
        s.chain.restore(before);
        gas
    };
    let hour = SINCE[0].0;
    let first = fork(&mut s, hour);
    populate(&mut s, 1);
    let p1 = fork(&mut s, hour);
    populate(&mut s, N / 2);
    let p_half = fork(&mut s, hour);
    populate(&mut s, N - N / 2);
    let by_time: Vec<[u64; 9]> = SINCE.iter().map(|&(t, _)| fork(&mut s, t)).collect();
    let p_n = by_time[0];
    s.check_invariants().unwrap();

    println!(
        "INV-10: gas per user action (whole transaction), a fresh user each time; each \
         rewards-touching action is the first vault action {} after a distribution",
        SINCE[0].1
    );
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
    println!(
        "\nINV-10: the same with {} users, by time since the last distribution (7-day stream)",
        1 + N
    );
    let mut header = format!("| {:<22} |", "action");
    for (_, since) in SINCE {
        header += &format!(" {since:>8} |");
    }
    println!(
        "{header} {:>9} | {:>9} | {:>9} |",
        "Δ 6d−1h", "Δ 30d−8d", "Δ 30d−1h"
    );
    for (i, action) in ACTIONS.iter().enumerate() {
        let mut row = format!("| {action:<22} |");
        for p in &by_time {
            row += &format!(" {:>8} |", p[i]);
        }
        let d = |a: usize, b: usize| by_time[a][i] as i64 - by_time[b][i] as i64;
        println!(
            "{row} {:>+9} | {:>+9} | {:>+9} |",
            d(1, 0),
            d(3, 2),
            d(3, 0)
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
        if *action == "distribute (keeper)" {
            continue; // mints 30 days of emission vs 1 day: not the same work
        }
        let g = |k: usize| by_time[k][i];
        for (a, b) in [(0, 1), (2, 3)] {
            assert!(
                g(a).abs_diff(g(b)) <= TIME_TOLERANCE,
                "INV-10: {action} costs {} gas {} and {} gas {} after a distribution",
                g(a),
                SINCE[a].1,
                g(b),
                SINCE[b].1
            );
        }
        // Never more after the stream's end; less by at most the one-time saving.
        for late in [2, 3] {
            assert!(
                g(late) <= g(0) + TIME_TOLERANCE && g(0) - g(late).min(g(0)) <= STREAM_END_SAVING,
                "INV-10: {action} costs {} gas {} vs {} gas {} after a distribution",
                g(late),
                SINCE[late].1,
                g(0),
                SINCE[0].1
            );
        }
    }
}
