//! Rules that depend on block time, which motsu (fixed timestamp) cannot run: here blocks get
//! the timestamps the tests set, and the contracts read them through `block::timestamp()`.

use alloy_primitives::U256;
use vvv_e2e::*;

/// The 7-day unstake cooldown, to the second: one second early reverts with
/// `CooldownNotElapsed(unlockTime)`, exactly at `unlockTime` the withdrawal pays.
#[test]
fn unstake_cooldown_is_exactly_seven_days() {
    let mut s = Suite::new();
    let c = s.c;
    let amount = wad(1_000);
    let user = s.funded_user(amount);
    s.stake(user, amount);

    let t0 = s.now() + 100;
    s.warp(t0);
    let tx = s.send(user, c.vault, IStakingVault::requestUnstakeCall { amount });
    let (id, unlock_time) = unstake_request(&tx.receipt);
    assert_eq!(tx.ok(), id);
    assert_eq!(unlock_time, t0 + WEEK);
    let r = s.view(c.vault, IStakingVault::requestCall { id });
    assert_eq!((r._0, r._1, r._2, r._3), (user, amount, t0 + WEEK, true));
    assert_eq!(
        s.view(c.vault, IStakingVault::balanceOfCall { account: user }),
        U256::ZERO
    );
    assert_eq!(
        s.view(c.vault, IStakingVault::totalPendingWithdrawalsCall {}),
        amount
    );

    // One second early: the decoded error carries the unlock time.
    s.warp(unlock_time - 1);
    let e = s
        .send(user, c.vault, IStakingVault::withdrawCall { id })
        .err::<IStakingVault::CooldownNotElapsed>();
    assert_eq!(e.unlockTime, unlock_time);
    assert_eq!(s.vvv_balance(user), U256::ZERO);

    // Exactly at the unlock time.
    s.warp(unlock_time);
    let paid = s
        .send(user, c.vault, IStakingVault::withdrawCall { id })
        .ok();
    assert_eq!(paid, amount);
    assert_eq!(s.now(), unlock_time);
    assert_eq!(s.vvv_balance(user), amount);
    assert!(!s.view(c.vault, IStakingVault::requestCall { id })._3);
    assert!(s
        .view(c.vault, IStakingVault::openRequestsOfCall { account: user })
        .is_empty());
    // Paid once.
    let e = s
        .send(user, c.vault, IStakingVault::withdrawCall { id })
        .err::<IStakingVault::RequestNotOpen>();
    assert_eq!(e.id, id);
    s.check_invariants().unwrap();
}

/// The emission controller's worked example on the real chain: 6M VVV a year, 30.6M VVV
/// staked (a 1,000-VVV staker and 30,599,000 by another account), utilization 0 (stakers
/// 80%). The APR views count the weights (`E × share × w / Σ weight`, Σ weight = 30.6e24 ×
/// 10 000): `unlockedAprBps() == ⌊6e24 × 8000 × 10000 / 3.06e29⌋ = 1568` and
/// `lockedAprBps() == ⌊6e24 × 8000 × 8000 / 3.06e29⌋ = 1254`.
///
/// One `distribute()` 30 days of block time after the start mints ⌊6e24 × 30 d / 365 d⌋ and
/// announces the stakers' 80%, A = 394,520.547945205479452054 VVV, all at once; the vault
/// streams it over `rewardsDuration` (7 days). Right after the distribution the staker has
/// earned nothing; half-way it has earned about half; once the stream has ended (no action in
/// between) the whole of A is released into the accumulator in one step, exactly as the
/// instant distribution did before streaming:
/// `rpw = ⌊A × 1e36 / 3.06e29⌋`, `earned = ⌊1e25 × rpw / 1e36⌋` =
/// **12,892,828,364,222,401,289** wei (the exact share A × 1,000 / 30.6M = 12.892828364222401289…
/// VVV, rounded down), paid by `claimRewards`.
#[test]
fn emission_over_30_days_pays_the_worked_example() {
    let mut s = Suite::new();
    let c = s.c;
    let alice = s.funded_user(wad(1_000));
    let others = s.funded_user(wad(30_599_000));
    s.stake(others, wad(30_599_000));
    s.stake(alice, wad(1_000));
    assert!(s.now() < LAUNCH, "staked before the emission starts");
    assert_eq!(
        s.view(c.vault, IStakingVault::totalSupplyCall {}),
        wad(30_600_000)
    );
    assert_eq!(
        s.view(c.vault, IStakingVault::totalWeightCall {}),
        wad(30_600_000) * U256::from(10_000)
    );
    assert_eq!(
        s.view(
            c.controller,
            IEmissionController::currentStakerShareBpsCall {}
        ),
        8_000
    );
    assert_eq!(
        s.view(c.controller, IEmissionController::unlockedAprBpsCall {}),
        U256::from(1_568)
    );
    assert_eq!(
        s.view(c.controller, IEmissionController::lockedAprBpsCall {}),
        U256::from(1_254)
    );
    assert_eq!(s.view(c.vault, IStakingVault::rewardsDurationCall {}), WEEK);
    // Nothing accrues before the start time.
    assert_eq!(
        s.view(c.controller, IEmissionController::pendingEmissionCall {}),
        U256::ZERO
    );

    // A copy of this state distributes several times on the way (INV-4 on the chain: the
    // carried remainder makes the total independent of how often `distribute` runs).
    let mut piecewise = Suite::new();
    piecewise.chain.restore(s.chain.snapshot());

    s.warp(LAUNCH + 30 * DAY);
    let expected_pending = s.view(c.controller, IEmissionController::pendingEmissionCall {});
    s.warp(LAUNCH + 30 * DAY);
    let minted = s.distribute();
    let minted_expected: U256 = "493150684931506849315068".parse().unwrap();
    assert_eq!(minted, minted_expected);
    assert_eq!(expected_pending, minted_expected);
    assert_eq!(
        s.view(c.controller, IEmissionController::carryCall {}),
        U256::from(15_552_000u64)
    );
    let announced: U256 = "394520547945205479452054".parse().unwrap();
    assert_eq!(
        s.view(c.vault, IStakingVault::totalRewardsAnnouncedCall {}),
        announced
    );
    assert_eq!(
        s.vvv_balance(c.treasury),
        "98630136986301369863014".parse::<U256>().unwrap()
    );
    // The announcement is a stream: all of it remains, released until start + 37 days.
    let end = LAUNCH + 30 * DAY + WEEK;
    let stream = s.view(c.vault, IStakingVault::rewardStreamCall {});
    assert_eq!(
        (stream._0, stream._1, stream._2),
        (announced, LAUNCH + 30 * DAY, end)
    );
    assert_eq!(
        s.view(c.vault, IStakingVault::rewardRateCall {}),
        announced / U256::from(WEEK)
    );

    // Nothing at the instant of the distribution (the view runs in the same second).
    s.warp(LAUNCH + 30 * DAY);
    assert_eq!(s.pending_rewards(alice), U256::ZERO);
    // Half-way: half of the share (± rounding of the release and of the share).
    let alice_rewards: U256 = "12892828364222401289".parse().unwrap();
    s.warp(LAUNCH + 30 * DAY + WEEK / 2);
    let half = s.pending_rewards(alice);
    assert!(
        half.abs_diff(alice_rewards / U256::from(2)) <= U256::from(2),
        "half-way {half}"
    );
    // After the stream's end: the whole share.
    s.warp(end + 3_600);
    assert_eq!(s.pending_rewards(alice), alice_rewards);
    // Paid in VVV on claim.
    s.warp(end + 3_600);
    let claimed = s
        .send(alice, c.vault, IStakingVault::claimRewardsCall {})
        .ok();
    assert_eq!(claimed, alice_rewards);
    assert_eq!(s.vvv_balance(alice), alice_rewards);
    let stream = s.view(c.vault, IStakingVault::rewardStreamCall {});
    assert_eq!(stream._0, U256::ZERO, "all released");
    s.check_invariants().unwrap();

    // Piecewise: five distributions at uneven times within the same 30 days (each one
    // re-streams what is left over the next 7 days).
    let mut total = U256::ZERO;
    for t in [
        LAUNCH + 1,
        LAUNCH + DAY + 7,
        LAUNCH + 13 * DAY + 12_345,
        LAUNCH + 30 * DAY - 1,
        LAUNCH + 30 * DAY,
    ] {
        piecewise.warp(t);
        total += piecewise.distribute();
        piecewise.check_invariants().unwrap();
    }
    assert_eq!(total, minted_expected, "INV-4: same total however often");
    let pc = piecewise.c;
    assert_eq!(
        piecewise.view(pc.controller, IEmissionController::carryCall {}),
        U256::from(15_552_000u64)
    );
    // Once the last stream has ended, the staker's rewards differ from the single
    // distribution only by rounding dust (each release rounds down).
    piecewise.warp(end + 3_600);
    let p = piecewise.pending_rewards(alice);
    assert!(
        p <= alice_rewards && alice_rewards - p <= U256::from(10),
        "piecewise rewards {p} vs {alice_rewards}"
    );
}

/// DIEM credit: an unstake request frees the DIEM at the next UTC day boundary, not before.
#[test]
fn diem_credit_frees_at_next_utc_midnight() {
    let mut s = Suite::new();
    let c = s.c;
    let user = s.funded_user(wad(2_000));
    s.stake(user, wad(2_000));
    let quote = s.view(c.minter, IDiemMinter::quoteMintCall { amount: wad(10) });
    s.send(
        user,
        c.minter,
        IDiemMinter::mintCall {
            amount: wad(10),
            maxCost: quote,
        },
    )
    .ok();

    // Noon UTC on the launch day.
    let noon = LAUNCH + DAY / 2;
    s.warp(noon);
    s.send(user, c.diem, IDiemToken::stakeCreditCall { amount: wad(5) })
        .ok();
    assert_eq!(
        s.view(c.diem, IDiemToken::dailyCreditUsdCall { account: user }),
        wad(5)
    );
    s.send(
        user,
        c.diem,
        IDiemToken::requestCreditUnstakeCall { amount: wad(5) },
    )
    .ok();
    let midnight = LAUNCH + DAY;
    let pending = s.view(c.diem, IDiemToken::pendingCreditOfCall { account: user });
    assert_eq!((pending._0, pending._1), (wad(5), midnight));
    assert_eq!(
        s.view(c.diem, IDiemToken::dailyCreditUsdCall { account: user }),
        U256::ZERO,
        "a request stops the credit at once"
    );
    // Pending DIEM does not move.
    let e = s
        .send(
            user,
            c.diem,
            IDiemToken::transferCall {
                to: c.funder,
                value: wad(10),
            },
        )
        .err::<IDiemToken::InsufficientSpendable>();
    assert_eq!((e.spendable, e.needed), (wad(5), wad(10)));

    s.warp(midnight - 1);
    let e = s
        .send(user, c.diem, IDiemToken::withdrawCreditCall {})
        .err::<IDiemToken::CreditLocked>();
    assert_eq!(e.releaseTime, midnight);

    s.warp(midnight);
    let freed = s.send(user, c.diem, IDiemToken::withdrawCreditCall {}).ok();
    assert_eq!(freed, wad(5));
    assert_eq!(
        s.view(c.diem, IDiemToken::spendableOfCall { account: user }),
        wad(10)
    );
    let pending = s.view(c.diem, IDiemToken::pendingCreditOfCall { account: user });
    assert_eq!((pending._0, pending._1), (U256::ZERO, 0));
    s.check_invariants().unwrap();
}

/// Minting 10 DIEM at supply 0 locks exactly `⌈90 × 38,000 × ln(38,000 / 37,990)⌉` sVVV-wei
/// (`diem-minter: worked_example_mint_10_diem`), and burning it all unlocks exactly that.
#[test]
fn diem_mint_10_at_zero_supply_costs_the_exact_integral() {
    const COST_10: &str = "900118441832356163049";
    let cost_10: U256 = COST_10.parse().unwrap();
    let mut s = Suite::new();
    let c = s.c;
    let user = s.funded_user(wad(1_000));
    s.stake(user, wad(1_000));
    assert_eq!(s.view(c.minter, IDiemMinter::totalDebtCall {}), U256::ZERO);
    let quote = s.view(c.minter, IDiemMinter::quoteMintCall { amount: wad(10) });
    assert_eq!(quote, cost_10);

    // One wei of slippage allowance too little.
    let e = s
        .send(
            user,
            c.minter,
            IDiemMinter::mintCall {
                amount: wad(10),
                maxCost: cost_10 - U256::from(1),
            },
        )
        .err::<IDiemMinter::SlippageExceeded>();
    assert_eq!((e.cost, e.maxCost), (cost_10, cost_10 - U256::from(1)));

    let cost = s
        .send(
            user,
            c.minter,
            IDiemMinter::mintCall {
                amount: wad(10),
                maxCost: cost_10,
            },
        )
        .ok();
    assert_eq!(cost, cost_10);
    assert_eq!(
        s.view(c.vault, IStakingVault::lockedOfCall { account: user }),
        cost_10
    );
    assert_eq!(
        s.view(c.vault, IStakingVault::unlockedOfCall { account: user }),
        wad(1_000) - cost_10
    );
    let p = s.view(c.minter, IDiemMinter::positionOfCall { account: user });
    assert_eq!((p._0, p._1), (cost_10, wad(10)));
    assert_eq!(
        s.view(c.diem, IDiemToken::balanceOfCall { account: user }),
        wad(10)
    );
    s.check_invariants().unwrap();

    // Burning all of it unlocks all of it.
    assert_eq!(
        s.view(
            c.minter,
            IDiemMinter::quoteBurnCall {
                account: user,
                amount: wad(10)
            }
        ),
        cost_10
    );
    let unlocked = s
        .send(user, c.minter, IDiemMinter::burnCall { amount: wad(10) })
        .ok();
    assert_eq!(unlocked, cost_10);
    assert_eq!(
        s.view(c.vault, IStakingVault::lockedOfCall { account: user }),
        U256::ZERO
    );
    assert_eq!(s.view(c.diem, IDiemToken::totalSupplyCall {}), U256::ZERO);
    s.check_invariants().unwrap();
}
