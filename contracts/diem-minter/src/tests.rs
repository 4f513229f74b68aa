//! motsu tests of the DIEM minter against the real VVV token, staking vault and DIEM token.
use alloy_primitives::{uint, B256, U512};
use alloy_sol_types::SolError;
use diem_token::{DiemToken, InsufficientSpendable};
use emission_controller::EmissionController;
use motsu::prelude::*;
use staking_vault::StakingVault;
use vvv_common::{
    diem::{CURVE_TIMELOCK, DEFAULT_BASE, DEFAULT_TARGET, MAX_BASE, MAX_TARGET},
    units::WAD,
};
use vvv_test_support::assert_revert;
use vvv_token::{VvvToken, GENESIS_SUPPLY};

use super::*;

/// ⌈90 × 38 000e18 × ln(38 000 / 37 990)⌉: minting 10 DIEM at supply 0 on the launch curve.
const COST_10: U256 = uint!(900118441832356163049_U256);
/// ⌈90 × 38 000e18 × ln(38 000 / 28 000)⌉: Venice's launch mint of 10 000 DIEM at supply 0.
const COST_10_000: U256 = uint!(1044405241465041911563634_U256);

fn diem(x: u64) -> U256 {
    U256::from(x) * WAD
}

/// motsu's fixed block timestamp (2025-01-01T00:00:00Z).
const MOTSU_NOW: u64 = 1_735_689_600;

/// The block time the minter reads in unit tests (motsu's own stays at `MOTSU_NOW`). Per test
/// thread; [`deploy`] resets it.
pub(crate) mod clock {
    use std::cell::Cell;

    thread_local! {
        static NOW: Cell<u64> = const { Cell::new(super::MOTSU_NOW) };
    }

    /// The current test time.
    pub(crate) fn now() -> u64 {
        NOW.with(Cell::get)
    }

    /// Sets the test time.
    pub(crate) fn set(time: u64) {
        NOW.with(|now| now.set(time));
    }
}

/// The whole DIEM side of the system, wired as the deploy script wires it (with the emission
/// controller the vault needs as its rewards distributor before it takes stakes).
struct Suite {
    vvv: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    token: Contract<DiemToken>,
    minter: Contract<DiemMinter>,
    _controller: Contract<EmissionController>,
    admin: Address,
}

/// Deploys VVV, the vault, DIEM and the minter; each `(user, stake)` receives `stake` VVV and
/// stakes it (unlocked sVVV). The rest of the genesis supply goes to the deployer.
fn deploy(deployer: Address, admin: Address, users: &[(Address, U256)]) -> Suite {
    clock::set(MOTSU_NOW);
    let (vvv, vault) = (Contract::<VvvToken>::new(), Contract::<StakingVault>::new());
    let (token, minter) = (Contract::<DiemToken>::new(), Contract::<DiemMinter>::new());
    let controller = Contract::<EmissionController>::new();
    let mut recipients = vec![deployer];
    let mut amounts = vec![GENESIS_SUPPLY - users.iter().map(|(_, s)| *s).sum::<U256>()];
    for (user, stake) in users {
        recipients.push(*user);
        amounts.push(*stake);
    }
    vvv.sender(deployer)
        .constructor(deployer, recipients, amounts)
        .motsu_unwrap();
    vault
        .sender(deployer)
        .constructor(vvv.address(), admin, deployer)
        .motsu_unwrap();
    token.sender(deployer).constructor(deployer).motsu_unwrap();
    minter
        .sender(deployer)
        .constructor(vault.address(), token.address(), admin, DEFAULT_BASE)
        .motsu_unwrap();
    controller
        .sender(deployer)
        .constructor(
            vvv.address(),
            vault.address(),
            admin,
            admin,
            U256::ZERO,
            MOTSU_NOW,
        )
        .motsu_unwrap();
    vault
        .sender(deployer)
        .set_rewards_distributor(controller.address())
        .motsu_unwrap();
    vault
        .sender(deployer)
        .set_locker(minter.address())
        .motsu_unwrap();
    token
        .sender(deployer)
        .set_minter(minter.address())
        .motsu_unwrap();
    for (user, stake) in users {
        if !stake.is_zero() {
            vvv.sender(*user)
                .approve(vault.address(), *stake)
                .motsu_unwrap();
            vault.sender(*user).stake(*stake).motsu_unwrap();
        }
    }
    Suite {
        vvv,
        vault,
        token,
        minter,
        _controller: controller,
        admin,
    }
}

/// Plenty of sVVV: 1 000 000.
fn plenty() -> U256 {
    diem(1_000_000)
}

// ----- Independent high-precision reference -----

/// `ln(p/q) × 10^80` for integers p > q > 0, from `ln(p/q) = 2·atanh(y)`, `y = (p−q)/(p+q)`:
/// `2 Σₖ y^(2k+1)/(2k+1)` in 512-bit integers. Returns `(low, high)` with
/// `low ≤ ln(p/q)·10^80 ≤ high`.
///
/// Error bound: `y^(2k+1)` is carried as a floored integer at scale 1e80, losing < 1 unit per
/// step (earlier losses only shrink, ×y² < 1), so power k is low by < k + 1 units and its
/// term by < 2. The loop stops at the first term that floors to 0, whose power is
/// < 3k + 2 units; the tail from there on is a geometric series of ratio y² ≤ 1/4 (for
/// p/q ≤ 3), < 4k + 3 units. So the sum is low by < 2·terms + 4·terms + 3; doubled, ≤ 14·terms
/// + 6 units of 1e-80.
fn ln_ratio_1e80(p: u64, q: u64) -> (U512, U512) {
    assert!(p > q && q > 0 && p <= 3 * q);
    let scale = U512::from(10).pow(U512::from(80));
    let (num, den) = (U512::from(p - q), U512::from(p + q));
    let (num2, den2) = (num * num, den * den);
    let mut power = scale * num / den;
    let mut sum = U512::ZERO;
    let mut terms = 0u64;
    loop {
        let term = power / U512::from(2 * terms + 1);
        if term.is_zero() {
            break;
        }
        sum += term;
        terms += 1;
        power = power * num2 / den2;
    }
    let low = sum * U512::from(2);
    let high = low + U512::from(14 * terms + 6);
    (low, high)
}

/// ⌈base × T × ln(T/(T−d)) / WAD⌉ for whole-DIEM `t` and `d` from the series above, asserting
/// that the low and high bounds round to the same integer.
fn reference_cost(t_diem: u64, d_diem: u64) -> U256 {
    let (low, high) = ln_ratio_1e80(t_diem, t_diem - d_diem);
    let scale = U512::from(10).pow(U512::from(80));
    // base × T / WAD = 90e18 × t·1e18 / 1e18.
    let factor = U512::from(DEFAULT_BASE) * U512::from(diem(t_diem)) / U512::from(WAD);
    let ceil = |x: U512| (x * factor).div_ceil(scale);
    let (c_low, c_high) = (ceil(low), ceil(high));
    assert_eq!(c_low, c_high, "the reference is not precise enough");
    U256::from(c_low)
}

/// Both costs are also what Python's `decimal` gives at 100 digits:
/// ```python
/// from decimal import Decimal as D, getcontext; getcontext().prec = 100
/// T = D(38000) * 10**18
/// for d in (D(10) * 10**18, D(10000) * 10**18): print(90 * T * (T / (T - d)).ln())
/// # 900118441832356163048.7536069578949412953338893290105554754245192993236303423414255…
/// # 1044405241465041911563633.579093820559174796838960982325775984063265851723311121904…
/// ```
#[test]
fn reference_costs_from_independent_series() {
    assert_eq!(reference_cost(38_000, 10), COST_10);
    assert_eq!(reference_cost(38_000, 10_000), COST_10_000);
}

// ----- Construction and views -----

#[motsu::test]
fn constructor_wires_and_starts_on_launch_curve(deployer: Address, admin: Address) {
    let s = deploy(deployer, admin, &[]);
    let m = s.minter.sender(admin);
    assert_eq!(m.vault(), s.vault.address());
    assert_eq!(m.diem(), s.token.address());
    assert_eq!(m.curve(), (DEFAULT_BASE, DEFAULT_TARGET));
    assert_eq!(m.curve(), (diem(90), diem(38_000)));
    assert!(m.has_role(AccessControl::DEFAULT_ADMIN_ROLE.into(), admin));
    assert!(!m.has_role(AccessControl::DEFAULT_ADMIN_ROLE.into(), deployer));
    assert_eq!((m.total_debt(), m.total_locked()), (U256::ZERO, U256::ZERO));
    s.minter.assert_emitted(&Wired {
        vault: s.vault.address(),
        diem: s.token.address(),
    });
    s.minter.assert_emitted(&CurveSet {
        base: DEFAULT_BASE,
        target: DEFAULT_TARGET,
    });
}

#[motsu::test]
fn constructor_with_zero_address_reverts(minter: Contract<DiemMinter>, admin: Address) {
    let a = Address::with_last_byte(1);
    for (vault, diem, adm) in [
        (Address::ZERO, a, admin),
        (a, Address::ZERO, admin),
        (a, a, Address::ZERO),
    ] {
        assert_revert!(
            minter
                .sender(admin)
                .constructor(vault, diem, adm, DEFAULT_BASE),
            Error::ZeroAddress(ZeroAddress {})
        );
    }
}

/// The floor of `base` is fixed at deployment: positive and not above the launch base.
#[motsu::test]
fn constructor_rejects_a_bad_min_base(minter: Contract<DiemMinter>, admin: Address) {
    let a = Address::with_last_byte(1);
    for min_base in [U256::ZERO, DEFAULT_BASE + U256::from(1), U256::MAX] {
        assert_revert!(
            minter.sender(admin).constructor(a, a, admin, min_base),
            Error::InvalidMinBase(InvalidMinBase { minBase: min_base })
        );
    }
    minter
        .sender(admin)
        .constructor(a, a, admin, U256::from(1))
        .motsu_unwrap();
    assert_eq!(minter.sender(admin).min_base(), U256::from(1));
    minter.assert_emitted(&MinBaseSet {
        minBase: U256::from(1),
    });
}

#[motsu::test]
fn mint_rate_rises_with_supply(deployer: Address, admin: Address, alice: Address) {
    let s = deploy(deployer, admin, &[(alice, diem(10_000_000))]);
    assert_eq!(s.minter.sender(alice).mint_rate().motsu_unwrap(), diem(90));
    s.minter
        .sender(alice)
        .mint(diem(19_000), U256::MAX)
        .motsu_unwrap();
    // Half way to the target: twice the base.
    assert_eq!(s.minter.sender(alice).mint_rate().motsu_unwrap(), diem(180));
}

#[motsu::test]
fn quote_mint_zero_is_zero(deployer: Address, admin: Address, alice: Address) {
    let s = deploy(deployer, admin, &[]);
    assert_eq!(
        s.minter.sender(alice).quote_mint(U256::ZERO).motsu_unwrap(),
        U256::ZERO
    );
}

// ----- Worked examples -----

/// Supply 0, base 90: 10 DIEM cost exactly ⌈90 × 38 000e18 × ln(38 000/37 990)⌉ sVVV-wei.
#[motsu::test]
fn worked_example_mint_10_diem(deployer: Address, admin: Address, alice: Address) {
    let s = deploy(deployer, admin, &[(alice, plenty())]);
    assert_eq!(reference_cost(38_000, 10), COST_10);
    assert_eq!(
        s.minter.sender(alice).quote_mint(diem(10)).motsu_unwrap(),
        COST_10
    );
    let cost = s
        .minter
        .sender(alice)
        .mint(diem(10), COST_10)
        .motsu_unwrap();
    assert_eq!(cost, COST_10);
    assert_eq!(s.vault.sender(alice).locked_of(alice), COST_10);
    assert_eq!(s.vault.sender(alice).unlocked_of(alice), plenty() - COST_10);
    assert_eq!(s.vault.sender(alice).total_locked(), COST_10);
    assert_eq!(
        s.minter.sender(alice).position_of(alice),
        (COST_10, diem(10))
    );
    assert_eq!(s.minter.sender(alice).total_locked(), COST_10);
    assert_eq!(s.minter.sender(alice).total_debt(), diem(10));
    assert_eq!(s.token.sender(alice).balance_of(alice), diem(10));
    assert_eq!(s.token.sender(alice).total_supply(), diem(10));
    s.minter.assert_emitted(&Minted {
        account: alice,
        amount: diem(10),
        cost: COST_10,
        locked: COST_10,
        debt: diem(10),
        supply: diem(10),
    });
}

/// Venice's launch mint: 10 000 DIEM from supply 0 cost 1 044 405.241465041911563634 sVVV,
/// checked against an independent 1e-80 series.
#[motsu::test]
fn launch_mint_10_000_diem(deployer: Address, admin: Address, venice: Address) {
    let s = deploy(deployer, admin, &[(venice, diem(2_000_000))]);
    assert_eq!(reference_cost(38_000, 10_000), COST_10_000);
    assert_eq!(
        s.minter
            .sender(venice)
            .quote_mint(diem(10_000))
            .motsu_unwrap(),
        COST_10_000
    );
    let cost = s
        .minter
        .sender(venice)
        .mint(diem(10_000), COST_10_000)
        .motsu_unwrap();
    assert_eq!(cost, COST_10_000);
    assert_eq!(s.vault.sender(venice).locked_of(venice), COST_10_000);
    assert_eq!(
        s.minter.sender(venice).position_of(venice),
        (COST_10_000, diem(10_000))
    );
    assert_eq!(s.token.sender(venice).balance_of(venice), diem(10_000));
}

// ----- Mint reverts -----

#[motsu::test]
fn mint_zero_reverts(deployer: Address, admin: Address, alice: Address) {
    let s = deploy(deployer, admin, &[(alice, plenty())]);
    assert_revert!(
        s.minter.sender(alice).mint(U256::ZERO, U256::MAX),
        Error::ZeroAmount(ZeroAmount {})
    );
}

#[motsu::test]
fn mint_to_or_past_target_reverts(deployer: Address, admin: Address, alice: Address) {
    let s = deploy(deployer, admin, &[(alice, diem(50_000_000))]);
    let t = DEFAULT_TARGET;
    for amount in [t, t + U256::from(1), U256::MAX] {
        assert_revert!(
            s.minter.sender(alice).mint(amount, U256::MAX),
            Error::TargetReached(TargetReached {
                supply: U256::ZERO,
                amount,
                target: t
            })
        );
    }
    s.minter
        .sender(alice)
        .mint(diem(30_000), U256::MAX)
        .motsu_unwrap();
    assert_revert!(
        s.minter.sender(alice).mint(diem(8_000), U256::MAX),
        Error::TargetReached(TargetReached {
            supply: diem(30_000),
            amount: diem(8_000),
            target: t
        })
    );
    assert_revert!(s.minter.sender(alice).quote_mint(diem(8_000)), matches Error::TargetReached(_));
    // One wei below the target is still a price.
    assert!(
        s.minter
            .sender(alice)
            .quote_mint(diem(8_000) - U256::from(1))
            .motsu_unwrap()
            > U256::ZERO
    );
    assert_eq!(s.minter.sender(alice).total_debt(), diem(30_000));
}

#[motsu::test]
fn mint_cost_above_max_cost_reverts(deployer: Address, admin: Address, alice: Address) {
    let s = deploy(deployer, admin, &[(alice, plenty())]);
    assert_revert!(
        s.minter
            .sender(alice)
            .mint(diem(10), COST_10 - U256::from(1)),
        Error::SlippageExceeded(SlippageExceeded {
            cost: COST_10,
            maxCost: COST_10 - U256::from(1)
        })
    );
    assert_eq!(s.vault.sender(alice).locked_of(alice), U256::ZERO);
    assert_eq!(s.token.sender(alice).total_supply(), U256::ZERO);
}

#[motsu::test]
fn mint_with_too_little_unlocked_svvv_reverts(
    deployer: Address,
    admin: Address,
    alice: Address,
    bob: Address,
) {
    let stake = COST_10 - U256::from(1);
    let s = deploy(deployer, admin, &[(alice, stake), (bob, U256::ZERO)]);
    assert_revert!(
        s.minter.sender(alice).mint(diem(10), U256::MAX),
        Error::InsufficientUnlockedSvvv(InsufficientUnlockedSvvv {
            unlocked: stake,
            needed: COST_10
        })
    );
    // No sVVV at all.
    assert_revert!(
        s.minter.sender(bob).mint(diem(1), U256::MAX),
        matches Error::InsufficientUnlockedSvvv(InsufficientUnlockedSvvv { unlocked, .. })
            if unlocked.is_zero()
    );
    assert_eq!(
        s.minter.sender(alice).position_of(alice),
        (U256::ZERO, U256::ZERO)
    );
}

/// Already-locked sVVV does not count: a second mint needs fresh unlocked sVVV.
#[motsu::test]
fn mint_counts_only_unlocked_svvv(deployer: Address, admin: Address, alice: Address) {
    let s = deploy(deployer, admin, &[(alice, COST_10)]);
    s.minter
        .sender(alice)
        .mint(diem(10), U256::MAX)
        .motsu_unwrap();
    assert_revert!(
        s.minter.sender(alice).mint(U256::from(1), U256::MAX),
        matches Error::InsufficientUnlockedSvvv(InsufficientUnlockedSvvv { unlocked, .. })
            if unlocked.is_zero()
    );
}

// ----- Burn -----

#[motsu::test]
fn burn_part_unlocks_pro_rata(deployer: Address, admin: Address, alice: Address) {
    let s = deploy(deployer, admin, &[(alice, plenty())]);
    s.minter
        .sender(alice)
        .mint(diem(10), U256::MAX)
        .motsu_unwrap();
    let expected = COST_10 * U256::from(3) / U256::from(10);
    assert_eq!(
        s.minter
            .sender(alice)
            .quote_burn(alice, diem(3))
            .motsu_unwrap(),
        expected
    );
    let unlocked = s.minter.sender(alice).burn(diem(3)).motsu_unwrap();
    assert_eq!(unlocked, expected);
    let (locked, debt) = (COST_10 - expected, diem(7));
    assert_eq!(s.minter.sender(alice).position_of(alice), (locked, debt));
    assert_eq!(s.vault.sender(alice).locked_of(alice), locked);
    assert_eq!(s.vault.sender(alice).unlocked_of(alice), plenty() - locked);
    assert_eq!(s.token.sender(alice).balance_of(alice), diem(7));
    assert_eq!(s.token.sender(alice).total_supply(), diem(7));
    assert_eq!(s.minter.sender(alice).total_debt(), diem(7));
    assert_eq!(s.minter.sender(alice).total_locked(), locked);
    s.minter.assert_emitted(&Burned {
        account: alice,
        amount: diem(3),
        unlocked,
        locked,
        debt,
        supply: diem(7),
    });
}

#[motsu::test]
fn burn_whole_debt_unlocks_everything(deployer: Address, admin: Address, alice: Address) {
    let s = deploy(deployer, admin, &[(alice, plenty())]);
    s.minter
        .sender(alice)
        .mint(diem(10), U256::MAX)
        .motsu_unwrap();
    s.minter.sender(alice).burn(diem(3)).motsu_unwrap();
    s.minter.sender(alice).burn(diem(7)).motsu_unwrap();
    assert_eq!(
        s.minter.sender(alice).position_of(alice),
        (U256::ZERO, U256::ZERO)
    );
    assert_eq!(s.vault.sender(alice).locked_of(alice), U256::ZERO);
    assert_eq!(s.vault.sender(alice).unlocked_of(alice), plenty());
    assert_eq!(s.vault.sender(alice).total_locked(), U256::ZERO);
    assert_eq!(s.token.sender(alice).total_supply(), U256::ZERO);
}

/// DIEM is fungible: a position can be repaid with DIEM minted by someone else.
#[motsu::test]
fn burn_with_diem_from_someone_else(
    deployer: Address,
    admin: Address,
    alice: Address,
    bob: Address,
) {
    let s = deploy(deployer, admin, &[(alice, plenty()), (bob, plenty())]);
    s.minter
        .sender(alice)
        .mint(diem(10), U256::MAX)
        .motsu_unwrap();
    s.token.sender(alice).transfer(bob, diem(10)).motsu_unwrap();
    s.minter.sender(bob).mint(diem(5), U256::MAX).motsu_unwrap();
    s.token.sender(bob).transfer(alice, diem(5)).motsu_unwrap();
    let unlocked = s.minter.sender(alice).burn(diem(5)).motsu_unwrap();
    assert_eq!(unlocked, COST_10 / U256::from(2));
    // Bob's position is untouched; he holds Alice's 10 DIEM and owes 5.
    assert_eq!(s.minter.sender(bob).position_of(bob).1, diem(5));
    assert_eq!(s.token.sender(bob).balance_of(bob), diem(10));
    assert_eq!(s.token.sender(alice).balance_of(alice), U256::ZERO);
}

#[motsu::test]
fn burn_more_than_debt_reverts(deployer: Address, admin: Address, alice: Address, bob: Address) {
    let s = deploy(deployer, admin, &[(alice, plenty()), (bob, plenty())]);
    s.minter
        .sender(alice)
        .mint(diem(10), U256::MAX)
        .motsu_unwrap();
    s.minter
        .sender(bob)
        .mint(diem(10), U256::MAX)
        .motsu_unwrap();
    // Alice holds 20 DIEM but owes 10: the extra DIEM does not raise her debt.
    s.token.sender(bob).transfer(alice, diem(10)).motsu_unwrap();
    let requested = diem(10) + U256::from(1);
    assert_revert!(
        s.minter.sender(alice).burn(requested),
        matches Error::BurnExceedsDebt(BurnExceedsDebt { debt, requested: r })
            if debt == diem(10) && r == requested
    );
    assert_revert!(
        s.minter.sender(alice).quote_burn(alice, requested),
        matches Error::BurnExceedsDebt(_)
    );
}

#[motsu::test]
fn burn_with_no_position_reverts(deployer: Address, admin: Address, alice: Address, bob: Address) {
    let s = deploy(deployer, admin, &[(alice, plenty())]);
    s.minter
        .sender(alice)
        .mint(diem(10), U256::MAX)
        .motsu_unwrap();
    s.token.sender(alice).transfer(bob, diem(10)).motsu_unwrap();
    // Bob holds DIEM but has no position of his own.
    assert_revert!(
        s.minter.sender(bob).burn(diem(1)),
        Error::NoPosition(NoPosition { account: bob })
    );
    assert_revert!(
        s.minter.sender(bob).quote_burn(bob, diem(1)),
        Error::NoPosition(NoPosition { account: bob })
    );
}

#[motsu::test]
fn burn_zero_reverts(deployer: Address, admin: Address, alice: Address) {
    let s = deploy(deployer, admin, &[(alice, plenty())]);
    s.minter
        .sender(alice)
        .mint(diem(10), U256::MAX)
        .motsu_unwrap();
    assert_revert!(s.minter.sender(alice).burn(U256::ZERO), matches Error::ZeroAmount(_));
}

/// Burning needs the DIEM in hand and spendable: staked credit cannot be burned. The token's
/// own error comes back inside `CallFailed`.
#[motsu::test]
fn burn_of_staked_diem_reverts(deployer: Address, admin: Address, alice: Address) {
    let s = deploy(deployer, admin, &[(alice, plenty())]);
    s.minter
        .sender(alice)
        .mint(diem(10), U256::MAX)
        .motsu_unwrap();
    s.token.sender(alice).stake_credit(diem(8)).motsu_unwrap();
    let reason = InsufficientSpendable {
        spendable: diem(2),
        needed: diem(5),
    }
    .abi_encode();
    assert_revert!(
        s.minter.sender(alice).burn(diem(5)),
        Error::CallFailed(CallFailed {
            target: s.token.address(),
            reason: reason.into(),
        })
    );
    // Nothing moved.
    assert_eq!(
        s.minter.sender(alice).position_of(alice),
        (COST_10, diem(10))
    );
    assert_eq!(s.vault.sender(alice).locked_of(alice), COST_10);
    // The spendable part burns.
    s.minter.sender(alice).burn(diem(2)).motsu_unwrap();
}

// ----- Curve administration -----

/// Queues `base`/`target` as the admin, moves the clock past the timelock and applies it.
fn change_curve(s: &Suite, base: U256, target: U256) {
    s.minter
        .sender(s.admin)
        .queue_curve(base, target)
        .motsu_unwrap();
    clock::set(s.minter.sender(s.admin).queued_curve().2);
    s.minter.sender(s.admin).apply_curve().motsu_unwrap();
}

/// Finding 4 of issue 9 (SPEC §3.4): a curve change is queued, announced by an event, and
/// applies to future mints only, no sooner than 7 days later.
#[motsu::test]
fn curve_change_waits_for_the_timelock_then_applies_to_future_mints(
    deployer: Address,
    admin: Address,
    alice: Address,
) {
    let s = deploy(deployer, admin, &[(alice, diem(10_000_000))]);
    s.minter
        .sender(alice)
        .mint(diem(10), U256::MAX)
        .motsu_unwrap();
    // 112.5 sVVV per DIEM (+25%), target doubled.
    let (base, target) = (diem(1125) / U256::from(10), diem(76_000));
    s.minter
        .sender(s.admin)
        .queue_curve(base, target)
        .motsu_unwrap();
    let eta = MOTSU_NOW + CURVE_TIMELOCK;
    s.minter.assert_emitted(&CurveQueued { base, target, eta });
    assert_eq!(s.minter.sender(alice).queued_curve(), (base, target, eta));
    // Nothing changes before the timelock has passed.
    clock::set(eta - 1);
    assert_revert!(
        s.minter.sender(s.admin).apply_curve(),
        Error::CurveTimelocked(CurveTimelocked { eta })
    );
    assert_eq!(
        s.minter.sender(alice).curve(),
        (DEFAULT_BASE, DEFAULT_TARGET)
    );
    clock::set(eta);
    s.minter.sender(s.admin).apply_curve().motsu_unwrap();
    s.minter.assert_emitted(&CurveSet { base, target });
    assert_eq!(s.minter.sender(alice).curve(), (base, target));
    assert_eq!(
        s.minter.sender(alice).queued_curve(),
        (U256::ZERO, U256::ZERO, 0)
    );
    // rate(10) = 112.5 × 76 000 / 75 990, rounded up.
    let expected_rate = (base * target).div_ceil(target - diem(10));
    assert_eq!(
        s.minter.sender(alice).mint_rate().motsu_unwrap(),
        expected_rate
    );
    let quote = s.minter.sender(alice).quote_mint(diem(10)).motsu_unwrap();
    let expected = MintCurve { base, target }
        .mint_cost(diem(10), diem(10))
        .unwrap();
    assert_eq!(quote, expected);
    // The existing position is not repriced: burning it returns exactly what it locked.
    assert_eq!(
        s.minter
            .sender(alice)
            .quote_burn(alice, diem(10))
            .motsu_unwrap(),
        COST_10
    );
}

/// Each change keeps `base` within ±25% of the current one and never below `minBase`; the
/// curve itself must be valid with its target above the supply.
#[motsu::test]
fn queue_curve_bounds(deployer: Address, admin: Address, alice: Address) {
    let s = deploy(deployer, admin, &[(alice, plenty())]);
    s.minter
        .sender(alice)
        .mint(diem(10), U256::MAX)
        .motsu_unwrap();
    // minBase is the launch base here: [90, 112.5].
    let (lowest, highest) = (DEFAULT_BASE, diem(1125) / U256::from(10));
    for base in [
        U256::from(1),
        diem(675) / U256::from(10),
        DEFAULT_BASE - U256::from(1),
        highest + U256::from(1),
        MAX_BASE,
    ] {
        assert_revert!(
            s.minter.sender(s.admin).queue_curve(base, DEFAULT_TARGET),
            Error::BaseChangeOutOfBounds(BaseChangeOutOfBounds {
                base,
                lowest,
                highest
            })
        );
    }
    for target in [diem(10), diem(9), U256::ZERO, MAX_TARGET + U256::from(1)] {
        assert_revert!(
            s.minter.sender(s.admin).queue_curve(DEFAULT_BASE, target),
            Error::InvalidCurve(InvalidCurve {
                base: DEFAULT_BASE,
                target,
                supply: diem(10)
            })
        );
    }
    // The edges are accepted: target just above the supply, base at either bound.
    for base in [lowest, highest] {
        s.minter
            .sender(s.admin)
            .queue_curve(base, diem(10) + U256::from(1))
            .motsu_unwrap();
    }
}

/// No admin can walk the base below `minBase`, however many changes it makes; from a floor
/// below the launch base each step is at most −25%.
#[motsu::test]
fn repeated_curve_changes_stop_at_min_base(
    vvv: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    token: Contract<DiemToken>,
    minter: Contract<DiemMinter>,
    admin: Address,
) {
    clock::set(MOTSU_NOW);
    vvv.sender(admin)
        .constructor(admin, vec![admin], vec![GENESIS_SUPPLY])
        .motsu_unwrap();
    vault
        .sender(admin)
        .constructor(vvv.address(), admin, admin)
        .motsu_unwrap();
    token.sender(admin).constructor(admin).motsu_unwrap();
    let floor = diem(45);
    minter
        .sender(admin)
        .constructor(vault.address(), token.address(), admin, floor)
        .motsu_unwrap();
    let s = Suite {
        vvv,
        vault,
        token,
        minter,
        _controller: Contract::<EmissionController>::new(),
        admin,
    };
    let mut base = DEFAULT_BASE;
    for _ in 0..4 {
        let lowest = (base * U256::from(3)).div_ceil(U256::from(4)).max(floor);
        change_curve(&s, lowest, DEFAULT_TARGET);
        base = lowest;
        assert_eq!(s.minter.sender(admin).curve().0, base);
    }
    // 90 → 67.5 → 50.625 → 45 → 45: stuck at the floor.
    assert_eq!(base, floor);
    assert_revert!(
        s.minter
            .sender(admin)
            .queue_curve(floor - U256::from(1), DEFAULT_TARGET),
        matches Error::BaseChangeOutOfBounds(_)
    );
}

#[motsu::test]
fn cancel_curve_drops_the_queued_change(deployer: Address, admin: Address, alice: Address) {
    let s = deploy(deployer, admin, &[]);
    let m = |who: Address| s.minter.sender(who);
    assert_revert!(
        m(s.admin).cancel_curve(),
        Error::NoCurveQueued(NoCurveQueued {})
    );
    assert_revert!(
        m(s.admin).apply_curve(),
        Error::NoCurveQueued(NoCurveQueued {})
    );
    let (base, target) = (diem(100), diem(40_000));
    m(s.admin).queue_curve(base, target).motsu_unwrap();
    m(s.admin).cancel_curve().motsu_unwrap();
    s.minter.assert_emitted(&CurveCancelled { base, target });
    clock::set(MOTSU_NOW + CURVE_TIMELOCK);
    assert_revert!(
        m(s.admin).apply_curve(),
        Error::NoCurveQueued(NoCurveQueued {})
    );
    assert_eq!(m(alice).curve(), (DEFAULT_BASE, DEFAULT_TARGET));
    // A new queue restarts the timelock.
    m(s.admin).queue_curve(base, target).motsu_unwrap();
    assert_revert!(
        m(s.admin).apply_curve(),
        Error::CurveTimelocked(CurveTimelocked {
            eta: MOTSU_NOW + 2 * CURVE_TIMELOCK
        })
    );
}

/// Supply may grow during the timelock: `applyCurve` checks the target again.
#[motsu::test]
fn apply_curve_rechecks_the_target_against_the_supply(
    deployer: Address,
    admin: Address,
    alice: Address,
) {
    let s = deploy(deployer, admin, &[(alice, plenty())]);
    let target = diem(10) + U256::from(1);
    s.minter
        .sender(s.admin)
        .queue_curve(DEFAULT_BASE, target)
        .motsu_unwrap();
    s.minter
        .sender(alice)
        .mint(diem(20), U256::MAX)
        .motsu_unwrap();
    clock::set(MOTSU_NOW + CURVE_TIMELOCK);
    assert_revert!(
        s.minter.sender(s.admin).apply_curve(),
        Error::InvalidCurve(InvalidCurve {
            base: DEFAULT_BASE,
            target,
            supply: diem(20)
        })
    );
}

#[motsu::test]
fn curve_administration_by_non_admin_reverts(deployer: Address, admin: Address, alice: Address) {
    let s = deploy(deployer, admin, &[]);
    s.minter
        .sender(s.admin)
        .queue_curve(DEFAULT_BASE, DEFAULT_TARGET)
        .motsu_unwrap();
    clock::set(MOTSU_NOW + CURVE_TIMELOCK);
    for caller in [alice, deployer] {
        let unauthorized = Error::UnauthorizedAccount(control::AccessControlUnauthorizedAccount {
            account: caller,
            neededRole: B256::from(AccessControl::DEFAULT_ADMIN_ROLE),
        });
        let m = || s.minter.sender(caller);
        assert_revert!(m().queue_curve(DEFAULT_BASE, DEFAULT_TARGET), unauthorized);
        assert_revert!(m().apply_curve(), unauthorized);
        assert_revert!(m().cancel_curve(), unauthorized);
    }
}

/// Finding 5 of issue 9: no mint (which locks sVVV) until the vault's locker and DIEM's
/// minter are this contract.
#[motsu::test]
fn mint_reverts_not_wired_until_the_vault_and_diem_point_here(
    vvv: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    token: Contract<DiemToken>,
    minter: Contract<DiemMinter>,
    controller: Contract<EmissionController>,
    admin: Address,
    alice: Address,
) {
    clock::set(MOTSU_NOW);
    vvv.sender(admin)
        .constructor(admin, vec![admin], vec![GENESIS_SUPPLY])
        .motsu_unwrap();
    vault
        .sender(admin)
        .constructor(vvv.address(), admin, admin)
        .motsu_unwrap();
    token.sender(admin).constructor(admin).motsu_unwrap();
    minter
        .sender(admin)
        .constructor(vault.address(), token.address(), admin, DEFAULT_BASE)
        .motsu_unwrap();
    controller
        .sender(admin)
        .constructor(
            vvv.address(),
            vault.address(),
            admin,
            admin,
            U256::ZERO,
            MOTSU_NOW,
        )
        .motsu_unwrap();
    let not_wired = || {
        assert_revert!(
            minter.sender(alice).mint(diem(1), U256::MAX),
            Error::NotWired(NotWired {})
        );
    };
    not_wired();
    vault
        .sender(admin)
        .set_rewards_distributor(controller.address())
        .motsu_unwrap();
    vault
        .sender(admin)
        .set_locker(minter.address())
        .motsu_unwrap();
    not_wired();
    token
        .sender(admin)
        .set_minter(minter.address())
        .motsu_unwrap();
    // Wired: the mint now gets as far as the caller's (missing) sVVV.
    assert_revert!(
        minter.sender(alice).mint(diem(1), U256::MAX),
        matches Error::InsufficientUnlockedSvvv(_)
    );
}

#[motsu::test]
fn admin_roles_can_be_granted_and_renounced(deployer: Address, admin: Address, alice: Address) {
    let s = deploy(deployer, admin, &[]);
    let role: B256 = AccessControl::DEFAULT_ADMIN_ROLE.into();
    assert_eq!(s.minter.sender(alice).get_role_admin(role), role);
    s.minter
        .sender(admin)
        .grant_role(role, alice)
        .motsu_unwrap();
    s.minter
        .sender(alice)
        .queue_curve(DEFAULT_BASE, DEFAULT_TARGET)
        .motsu_unwrap();
    assert!(s.minter.sender(alice).has_role(role, alice));
    assert_revert!(
        s.minter.sender(alice).renounce_role(role, admin),
        Error::BadConfirmation(control::AccessControlBadConfirmation {})
    );
    s.minter
        .sender(alice)
        .renounce_role(role, alice)
        .motsu_unwrap();
    s.minter
        .sender(admin)
        .revoke_role(role, admin)
        .motsu_unwrap();
    assert!(!s.minter.sender(alice).has_role(role, admin));
    // The revoked admin can no longer use the role.
    assert_revert!(
        s.minter.sender(admin).queue_curve(DEFAULT_BASE, DEFAULT_TARGET),
        matches Error::UnauthorizedAccount(_)
    );
}

/// The admin can not mint DIEM or move positions: the token's minter is the minter contract
/// and the vault's locker is the minter contract, both frozen.
#[motsu::test]
fn nobody_else_mints_diem_or_locks_svvv(deployer: Address, admin: Address, alice: Address) {
    let s = deploy(deployer, admin, &[(alice, plenty())]);
    for caller in [admin, deployer, alice] {
        assert_revert!(
            s.token.sender(caller).mint(caller, diem(1)),
            matches diem_token::Error::UnauthorizedCaller(_)
        );
        assert_revert!(
            s.token.sender(caller).set_minter(caller),
            matches diem_token::Error::AlreadyWired(_)
        );
        assert!(s
            .vault
            .sender(caller)
            .lock(alice, U256::from(1))
            .motsu_res()
            .is_err());
    }
    assert_eq!(s.vvv.sender(alice).total_supply(), GENESIS_SUPPLY);
}

// ----- Invariants -----

mod properties {
    use proptest::{prelude::*, test_runner::Config};

    use super::*;

    #[derive(Clone, Debug)]
    enum Action {
        /// `users[a]` mints `x` DIEM-wei scaled by `unit`.
        Mint(usize, u64, u8),
        /// `users[a]` burns a fraction `x / 1000` of its debt (at least 1 wei).
        Burn(usize, u16),
        /// `users[a]` gives `x / 1000` of its DIEM to `users[b]`.
        Give(usize, usize, u16),
    }

    /// Amounts over many magnitudes: `x × 10^e` DIEM-wei, x < 4000, `e = [0, 12, 15, 18, 19][unit]`
    /// (the last reaches the target and the stakes' limits, so mints also revert).
    fn scaled(x: u64, unit: u8) -> U256 {
        U256::from(x) * U256::from(10).pow(U256::from([0u8, 12, 15, 18, 19][unit as usize % 5]))
    }

    fn action() -> impl Strategy<Value = Action> {
        prop_oneof![
            3 => (0..3usize, 1..4_000u64, 0..5u8).prop_map(|(a, x, u)| Action::Mint(a, x, u)),
            2 => (0..3usize, 0..=1_000u16).prop_map(|(a, x)| Action::Burn(a, x)),
            1 => (0..3usize, 0..3usize, 0..=1_000u16).prop_map(|(a, b, x)| Action::Give(a, b, x)),
        ]
    }

    fn users() -> [Address; 3] {
        [
            Address::with_last_byte(0xA1),
            Address::with_last_byte(0xB2),
            Address::with_last_byte(0xC3),
        ]
    }

    /// What an administrator (or an account it made one) may try, in and out of bounds.
    #[derive(Clone, Debug)]
    enum Admin {
        /// Queue a curve with `base × b / 1000` (the ±25% bound is 750..=1250) and the
        /// target × `t / 1000`.
        QueueCurve(u16, u16),
        ApplyCurve,
        CancelCurve,
        /// Advance the minter's clock (the curve timelock is 7 days).
        Warp(u64),
        PauseVault,
        UnpauseVault,
        /// Vault cooldown in seconds (in range up to 30 days).
        Cooldown(u64),
        /// Vault rewards duration in seconds (in range from 1 hour to 30 days).
        RewardsDuration(u64),
        /// Grant `DEFAULT_ADMIN_ROLE` on the minter (`true`) or the vault to `users[i]`.
        Grant(bool, usize),
        Revoke(bool, usize),
        /// The actor renounces `DEFAULT_ADMIN_ROLE` on the minter or the vault.
        Renounce(bool),
    }

    #[derive(Clone, Debug)]
    enum Step {
        User(Action),
        /// `Admin` by the deployment's admin (`None`) or by `users[i]`.
        Admin(Option<usize>, Admin),
    }

    fn admin_action() -> impl Strategy<Value = Admin> {
        prop_oneof![
            3 => (600..=1_400u16, 1..=3_000u16).prop_map(|(b, t)| Admin::QueueCurve(b, t)),
            2 => Just(Admin::ApplyCurve),
            1 => Just(Admin::CancelCurve),
            3 => (0..=10 * 86_400u64).prop_map(Admin::Warp),
            1 => Just(Admin::PauseVault),
            1 => Just(Admin::UnpauseVault),
            1 => (0..=40 * 86_400u64).prop_map(Admin::Cooldown),
            1 => (0..=40 * 86_400u64).prop_map(Admin::RewardsDuration),
            1 => (any::<bool>(), 0..3usize).prop_map(|(m, i)| Admin::Grant(m, i)),
            1 => (any::<bool>(), 0..3usize).prop_map(|(m, i)| Admin::Revoke(m, i)),
            1 => any::<bool>().prop_map(Admin::Renounce),
        ]
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            3 => action().prop_map(Step::User),
            2 => (prop::option::weighted(0.2, 0..3usize), admin_action())
                .prop_map(|(who, a)| Step::Admin(who, a)),
        ]
    }

    /// Applies an admin action; failures (out of bounds, not an admin, too early) are results.
    fn apply_admin(s: &Suite, actor: Address, action: &Admin) {
        let role: B256 = AccessControl::DEFAULT_ADMIN_ROLE.into();
        let users = users();
        match *action {
            Admin::QueueCurve(b, t) => {
                let (base, target) = s.minter.sender(actor).curve();
                let base = base * U256::from(b) / U256::from(1_000);
                let target = target * U256::from(t) / U256::from(1_000);
                let _ = s.minter.sender(actor).queue_curve(base, target).motsu_res();
            }
            Admin::ApplyCurve => {
                let _ = s.minter.sender(actor).apply_curve().motsu_res();
            }
            Admin::CancelCurve => {
                let _ = s.minter.sender(actor).cancel_curve().motsu_res();
            }
            Admin::Warp(seconds) => clock::set(clock::now() + seconds),
            Admin::PauseVault => {
                let _ = s.vault.sender(actor).pause().motsu_res();
            }
            Admin::UnpauseVault => {
                let _ = s.vault.sender(actor).unpause().motsu_res();
            }
            Admin::Cooldown(seconds) => {
                let _ = s.vault.sender(actor).set_cooldown(seconds).motsu_res();
            }
            Admin::RewardsDuration(seconds) => {
                let _ = s
                    .vault
                    .sender(actor)
                    .set_rewards_duration(seconds)
                    .motsu_res();
            }
            Admin::Grant(on_minter, i) => {
                let _ = if on_minter {
                    s.minter
                        .sender(actor)
                        .grant_role(role, users[i])
                        .motsu_res()
                        .is_ok()
                } else {
                    s.vault
                        .sender(actor)
                        .grant_role(role, users[i])
                        .motsu_res()
                        .is_ok()
                };
            }
            Admin::Revoke(on_minter, i) => {
                let _ = if on_minter {
                    s.minter
                        .sender(actor)
                        .revoke_role(role, users[i])
                        .motsu_res()
                        .is_ok()
                } else {
                    s.vault
                        .sender(actor)
                        .revoke_role(role, users[i])
                        .motsu_res()
                        .is_ok()
                };
            }
            Admin::Renounce(on_minter) => {
                let _ = if on_minter {
                    s.minter
                        .sender(actor)
                        .renounce_role(role, actor)
                        .motsu_res()
                        .is_ok()
                } else {
                    s.vault
                        .sender(actor)
                        .renounce_role(role, actor)
                        .motsu_res()
                        .is_ok()
                };
            }
        }
    }

    fn suite() -> Suite {
        let stakes: Vec<(Address, U256)> = users().iter().map(|u| (*u, diem(20_000_000))).collect();
        deploy(
            Address::with_last_byte(0xD0),
            Address::with_last_byte(0xAD),
            &stakes,
        )
    }

    proptest! {
        #![proptest_config(Config::default())]

        /// INV-6: through random mints, burns and transfers by several accounts, the DIEM
        /// supply equals Σ debt (= totalDebt), Σ locked equals totalLocked and the vault's
        /// total locked, each account's locked sVVV in the vault equals its position, and
        /// no burn unlocks more than the position had locked.
        #[test]
        fn inv6_diem_backing(actions in prop::collection::vec(action(), 1..30)) {
            let s = suite();
            let users = users();
            for action in actions {
                match action {
                    Action::Mint(a, x, u) => {
                        let _ = s.minter.sender(users[a]).mint(scaled(x, u), U256::MAX).motsu_res();
                    }
                    Action::Burn(a, x) => {
                        let (locked, debt) = s.minter.sender(users[a]).position_of(users[a]);
                        let amount = (debt * U256::from(x) / U256::from(1_000)).max(U256::from(1));
                        if let Ok(unlocked) = s.minter.sender(users[a]).burn(amount).motsu_res() {
                            prop_assert!(unlocked <= locked);
                            // ⌊locked · amount / debt⌋, or everything on the last burn.
                            prop_assert!(unlocked * debt <= locked * amount);
                        }
                    }
                    Action::Give(a, b, x) => {
                        let balance = s.token.sender(users[a]).balance_of(users[a]);
                        let amount = balance * U256::from(x) / U256::from(1_000);
                        let _ = s.token.sender(users[a]).transfer(users[b], amount).motsu_res();
                    }
                }
                let m = s.minter.sender(users[0]);
                let (mut debts, mut locks) = (U256::ZERO, U256::ZERO);
                for user in users {
                    let (locked, debt) = m.position_of(user);
                    prop_assert_eq!(s.vault.sender(user).locked_of(user), locked);
                    prop_assert_eq!(locked.is_zero(), debt.is_zero());
                    debts += debt;
                    locks += locked;
                }
                prop_assert_eq!(s.token.sender(users[0]).total_supply(), debts);
                prop_assert_eq!(m.total_debt(), debts);
                prop_assert_eq!(m.total_locked(), locks);
                prop_assert_eq!(s.vault.sender(users[0]).total_locked(), locks);
            }
        }

        /// INV-9 for DIEM holders (issue 14, item 3b): whatever the admins do between the
        /// users' mints, burns and transfers — queue, apply and cancel curve changes in and out
        /// of bounds, pause the vault, change its cooldown and rewards duration, grant, revoke
        /// and renounce roles on the minter and the vault (also by users made admins), move
        /// time — every holder can still burn: once the DIEM is back with the accounts that owe
        /// it (the supply is Σ debt), each burns its whole debt, gets exactly all its locked
        /// sVVV unlocked, and can request to unstake it (the vault's `inv9_exit_liveness` takes
        /// the exit from there).
        #[test]
        fn inv9_diem_holders_can_always_burn_and_unlock(
            steps in prop::collection::vec(step(), 1..40)
        ) {
            let s = suite();
            let users = users();
            for step in &steps {
                match step {
                    Step::User(Action::Mint(a, x, u)) => {
                        let _ = s.minter.sender(users[*a]).mint(scaled(*x, *u), U256::MAX).motsu_res();
                    }
                    Step::User(Action::Burn(a, x)) => {
                        let (_, debt) = s.minter.sender(users[*a]).position_of(users[*a]);
                        let amount = (debt * U256::from(*x) / U256::from(1_000)).max(U256::from(1));
                        let _ = s.minter.sender(users[*a]).burn(amount).motsu_res();
                    }
                    Step::User(Action::Give(a, b, x)) => {
                        let balance = s.token.sender(users[*a]).balance_of(users[*a]);
                        let amount = balance * U256::from(*x) / U256::from(1_000);
                        let _ = s.token.sender(users[*a]).transfer(users[*b], amount).motsu_res();
                    }
                    Step::Admin(who, action) => {
                        let actor = who.map_or(s.admin, |i| users[i]);
                        apply_admin(&s, actor, action);
                    }
                }
            }
            // The DIEM goes back to the accounts that owe it: those holding more than their debt
            // pay those holding less.
            let m = s.minter.sender(users[0]);
            let balance = |u: Address| s.token.sender(u).balance_of(u);
            for from in users {
                for to in users {
                    let short = m.position_of(to).1.saturating_sub(balance(to));
                    let surplus = balance(from).saturating_sub(m.position_of(from).1);
                    let amount = short.min(surplus);
                    if !amount.is_zero() {
                        s.token.sender(from).transfer(to, amount).motsu_unwrap();
                    }
                }
            }
            for user in users {
                let (locked, debt) = m.position_of(user);
                prop_assert!(balance(user) >= debt);
                if !debt.is_zero() {
                    let unlocked = s.minter.sender(user).burn(debt).motsu_unwrap();
                    prop_assert_eq!(unlocked, locked);
                }
                prop_assert_eq!(s.vault.sender(user).locked_of(user), U256::ZERO);
                let free = s.vault.sender(user).unlocked_of(user);
                prop_assert!(!free.is_zero());
                s.vault.sender(user).request_unstake(free).motsu_unwrap();
            }
            prop_assert_eq!(s.token.sender(users[0]).total_supply(), U256::ZERO);
            prop_assert_eq!(m.total_locked(), U256::ZERO);
        }

        /// INV-7 on chain: from a random starting supply, minting `a` then `b` locks at least
        /// as much as minting `a + b` at once, and at most 1 wei more.
        #[test]
        fn inv7_split_mint_never_cheaper(
            (s0, u0) in (0..4_000u64, 0..4u8),
            (a, ua) in (1..4_000u64, 0..4u8),
            (b, ub) in (1..4_000u64, 0..4u8),
        ) {
            let (start, a, b) = (scaled(s0, u0), scaled(a, ua), scaled(b, ub));
            let [alice, bob, _] = users();
            let split = suite();
            let whole = suite();
            for s in [&split, &whole] {
                if !start.is_zero() {
                    s.minter.sender(bob).mint(start, U256::MAX).motsu_unwrap();
                }
            }
            let first = split.minter.sender(alice).mint(a, U256::MAX).motsu_unwrap();
            let second = split.minter.sender(alice).mint(b, U256::MAX).motsu_unwrap();
            let once = whole.minter.sender(alice).mint(a + b, U256::MAX).motsu_unwrap();
            prop_assert!(first + second >= once);
            prop_assert!(first + second - once <= U256::from(1));
            prop_assert_eq!(split.vault.sender(alice).locked_of(alice), first + second);
            prop_assert_eq!(whole.vault.sender(alice).locked_of(alice), once);
            prop_assert_eq!(split.minter.sender(alice).position_of(alice).1, a + b);
        }

        /// INV-8: mint then burn (in random pieces) never gives back more sVVV than the mint
        /// locked, and burning the whole debt gives back exactly that: the unlocked balance
        /// never exceeds where it started.
        #[test]
        fn inv8_mint_then_burn_no_gain(
            (x, u) in (1..4_000u64, 0..4u8),
            (s0, u0) in (0..4_000u64, 0..4u8),
            pieces in prop::collection::vec(1..=1_000u16, 0..6),
        ) {
            let [alice, bob, _] = users();
            let s = suite();
            if s0 > 0 {
                s.minter.sender(bob).mint(scaled(s0, u0), U256::MAX).motsu_unwrap();
            }
            let before = s.vault.sender(alice).unlocked_of(alice);
            let amount = scaled(x, u);
            let cost = s.minter.sender(alice).mint(amount, U256::MAX).motsu_unwrap();
            prop_assert_eq!(s.vault.sender(alice).unlocked_of(alice), before - cost);
            let mut back = U256::ZERO;
            for piece in pieces {
                let (_, debt) = s.minter.sender(alice).position_of(alice);
                let burn = (debt * U256::from(piece) / U256::from(1_000)).max(U256::from(1)).min(debt);
                if burn.is_zero() {
                    break;
                }
                back += s.minter.sender(alice).burn(burn).motsu_unwrap();
                prop_assert!(back <= cost);
                prop_assert!(s.vault.sender(alice).unlocked_of(alice) <= before);
            }
            let (_, debt) = s.minter.sender(alice).position_of(alice);
            if !debt.is_zero() {
                back += s.minter.sender(alice).burn(debt).motsu_unwrap();
            }
            prop_assert_eq!(back, cost);
            prop_assert_eq!(s.vault.sender(alice).unlocked_of(alice), before);
            prop_assert_eq!(s.vault.sender(alice).locked_of(alice), U256::ZERO);
        }
    }
}
