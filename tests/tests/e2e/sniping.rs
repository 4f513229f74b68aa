//! INV-11 (no reward sniping) on the real chain: rewards are streamed over `rewardsDuration`
//! (7 days) after each `distribute()`, so capital that arrives just before a distribution and
//! leaves right after it earns only for the seconds it stayed.

use alloy_primitives::{Address, U256};
use vvv_e2e::*;

/// Rewards of `who` so far: VVV claimed (its whole VVV balance here: it held none besides its
/// stake, which it gets back separately) + what it can still claim.
fn rewards_of(s: &mut Suite, who: Address, claimed: U256) -> U256 {
    claimed + s.pending_rewards(who)
}

/// The sniper: an honest 1,000-VVV staker has been staked for the 7 days since the emission
/// started, and nobody has called `distribute()` in that time, so a week of staker emission
/// (6M × 7 / 365 × 80% ≈ 92,054.79 VVV) is waiting to be announced. The admin has set the
/// unstake cooldown to 0 (the sniper's best case). Within seconds, the sniper stakes 99,000 VVV
/// (99% of the weight), calls `distribute()`, claims, requests the unstake of everything and
/// withdraws it. Before streaming it would have taken 99% of the week (≈ 91,134 VVV); now it
/// earns what the stream released during the ~3 seconds it was staked: < 0.1% of the week's
/// staker emission (in fact ≈ 99% × 3 s / 7 days ≈ 0.0005%). The honest staker, staying
/// through the stream, gets the rest (± rounding dust).
#[test]
fn inv11_sniper_staking_around_distribute_earns_almost_nothing() {
    let mut s = Suite::new();
    let c = s.c;
    s.chain.set_balance(c.admin, U256::from(WAD));
    s.send(
        c.admin,
        c.vault,
        IStakingVault::setCooldownCall { duration: 0 },
    )
    .ok();
    let honest = s.funded_user(wad(1_000));
    s.stake(honest, wad(1_000));
    let sniper = s.funded_user(wad(99_000));
    assert_eq!(s.view(c.vault, IStakingVault::rewardsDurationCall {}), WEEK);

    // 7 days without a distribution since the start.
    let t = LAUNCH + WEEK;
    s.warp(t);
    let week = s.view(c.controller, IEmissionController::pendingEmissionCall {});
    assert_eq!(week, wad(6_000_000) * U256::from(7) / U256::from(365));

    // The sniper, one transaction a second: stake, distribute, claim, request, withdraw.
    s.warp(t);
    s.stake(sniper, wad(99_000));
    let minted = s
        .send(sniper, c.controller, IEmissionController::distributeCall {})
        .ok();
    // A week and the second of the stake.
    assert_eq!(
        minted,
        wad(6_000_000) * U256::from(WEEK + 1) / U256::from(365 * DAY)
    );
    assert!(minted > week);
    let announced = s.view(c.vault, IStakingVault::totalRewardsAnnouncedCall {});
    assert_eq!(announced, minted * U256::from(8_000) / U256::from(10_000));
    let stream = s.view(c.vault, IStakingVault::rewardStreamCall {});
    assert_eq!((stream._0, stream._2), (announced, t + 1 + WEEK));
    let claim = s.send(sniper, c.vault, IStakingVault::claimRewardsCall {});
    let sniper_claimed = if claim.succeeded() {
        claim.ok()
    } else {
        claim.err::<IStakingVault::NoRewards>();
        U256::ZERO
    };
    let (id, unlock_time) = unstake_request(
        &s.send(
            sniper,
            c.vault,
            IStakingVault::requestUnstakeCall {
                amount: wad(99_000),
            },
        )
        .receipt,
    );
    assert_eq!(unlock_time, s.now(), "cooldown 0");
    let paid = s
        .send(sniper, c.vault, IStakingVault::withdrawCall { id })
        .ok();
    assert_eq!(paid, wad(99_000));
    let left_at = s.now();
    let sniper_total = rewards_of(&mut s, sniper, sniper_claimed);
    assert_eq!(
        s.vvv_balance(sniper),
        wad(99_000) + sniper_claimed,
        "the stake back and the claim, nothing else"
    );

    // The honest staker stays through the stream.
    s.warp(t + 1 + WEEK + DAY);
    let honest_total = s.pending_rewards(honest);
    let claimed = s
        .send(honest, c.vault, IStakingVault::claimRewardsCall {})
        .ok();
    assert_eq!(claimed, honest_total);
    // The sniper earned nothing more after leaving.
    assert_eq!(rewards_of(&mut s, sniper, sniper_claimed), sniper_total);
    s.check_invariants().unwrap();

    let pct = |x: U256| {
        let bp = x * U256::from(1_000_000u64) / announced;
        format!("{:.4}%", bp.to::<u64>() as f64 / 10_000.0)
    };
    let instant = announced * U256::from(99u8) / U256::from(100u8);
    println!("INV-11 sniper (rewardsDuration 7 days, cooldown 0):");
    println!("  week's staker emission announced  {announced} wei");
    println!(
        "  sniper: 99,000 VVV in the vault from t to t+{} (stake, distribute, claim, \
         requestUnstake, withdraw: 2 s of the stream), earned {sniper_total} wei = {} of it \
         (claimed {sniper_claimed}); without streaming it would have taken {instant} wei (99%)",
        left_at - t,
        pct(sniper_total)
    );
    println!(
        "  honest: 1,000 VVV staked through the stream, earned {honest_total} wei = {}",
        pct(honest_total)
    );
    let dust = announced - sniper_total - honest_total;
    println!("  undistributed (rounding dust)     {dust} wei");

    // < 0.1% of the week's staker emission.
    assert!(
        sniper_total * U256::from(1_000) < announced,
        "sniper earned {sniper_total} of {announced}"
    );
    // The honest staker gets the rest, ± dust; nothing is created.
    assert!(sniper_total + honest_total <= announced);
    assert!(dust <= U256::from(10), "dust {dust} wei");
}

/// The same sniper with every transaction in the distribution's second (`stake`,
/// `distribute`, `claimRewards`, `requestUnstake`, `withdraw` all at one timestamp): the
/// stream has released nothing yet, so the claim reverts `NoRewards` and the sniper leaves with
/// exactly its stake; the honest staker gets the whole week.
#[test]
fn inv11_sniper_within_one_second_earns_nothing() {
    let mut s = Suite::new();
    let c = s.c;
    s.chain.set_balance(c.admin, U256::from(WAD));
    s.send(
        c.admin,
        c.vault,
        IStakingVault::setCooldownCall { duration: 0 },
    )
    .ok();
    let honest = s.funded_user(wad(1_000));
    s.stake(honest, wad(1_000));
    let sniper = s.funded_user(wad(99_000));

    let t = LAUNCH + WEEK;
    s.warp(t);
    s.stake(sniper, wad(99_000));
    s.warp(t);
    s.send(sniper, c.controller, IEmissionController::distributeCall {})
        .ok();
    let announced = s.view(c.vault, IStakingVault::totalRewardsAnnouncedCall {});
    assert!(announced > U256::ZERO);
    s.warp(t);
    s.send(sniper, c.vault, IStakingVault::claimRewardsCall {})
        .err::<IStakingVault::NoRewards>();
    s.warp(t);
    let tx = s.send(
        sniper,
        c.vault,
        IStakingVault::requestUnstakeCall {
            amount: wad(99_000),
        },
    );
    let (id, _) = unstake_request(&tx.receipt);
    s.warp(t);
    s.send(sniper, c.vault, IStakingVault::withdrawCall { id })
        .ok();
    assert_eq!(s.now(), t, "all in the distribution's second");
    assert_eq!(s.vvv_balance(sniper), wad(99_000));

    s.warp(t + WEEK + 1);
    assert_eq!(s.pending_rewards(sniper), U256::ZERO);
    let honest_total = s.pending_rewards(honest);
    println!(
        "INV-11 sniper within one second: sniper 0 wei, honest {honest_total} of {announced} wei"
    );
    assert!(honest_total <= announced && announced - honest_total <= U256::from(10));
    s.check_invariants().unwrap();
}
