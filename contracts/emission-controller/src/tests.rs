//! Unit and property tests of the emission controller, against the real VVV token and the real
//! staking vault. motsu's block timestamp is fixed at `T0`; time-dependent paths are driven
//! through the `*_at(now)` functions with explicit times.
use alloy_sol_types::SolError;
use diem_minter::DiemMinter;
use motsu::prelude::*;
use proptest::{
    prelude::*,
    test_runner::{Config, TestCaseError, TestRunner},
};
use staking_vault::StakingVault;
use vvv_common::{
    split::DEFAULT_CURVE,
    units::{DAY, WAD, YEAR},
};
use vvv_test_support::assert_revert;
use vvv_token::{VvvToken, GENESIS_SUPPLY};

use super::*;

/// motsu's fixed block timestamp (2025-01-01T00:00:00Z).
const T0: u64 = 1_735_689_600;

const ADMIN_ROLE: [u8; 32] = AccessControl::DEFAULT_ADMIN_ROLE;

fn vvv(x: u64) -> U256 {
    U256::from(x) * WAD
}

/// ⌊Σ rateᵢ·dtᵢ / YEAR⌋: the exact emission of a piecewise-constant rate.
fn exact(pieces: &[(U256, u64)]) -> U256 {
    let integral = pieces
        .iter()
        .fold(U256::ZERO, |acc, &(rate, dt)| acc + rate * U256::from(dt));
    integral / U256::from(YEAR)
}

/// The suite under test: the real VVV token and vault, wired to the controller.
struct Suite<'a> {
    token: &'a Contract<VvvToken>,
    vault: &'a Contract<StakingVault>,
    ctl: &'a Contract<EmissionController>,
    deployer: Address,
    admin: Address,
    treasury: Address,
    /// The vault's locker (a real DIEM minter): staking opens once it is wired too.
    _minter: Contract<DiemMinter>,
}

impl Suite<'_> {
    /// Deploys the token (100M to the deployer), the vault, the controller and a DIEM minter,
    /// and wires the controller as the token's minter and the vault's rewards distributor, and
    /// the DIEM minter as the vault's locker.
    fn deploy<'a>(
        token: &'a Contract<VvvToken>,
        vault: &'a Contract<StakingVault>,
        ctl: &'a Contract<EmissionController>,
        (deployer, admin, treasury): (Address, Address, Address),
        rate: U256,
        start: u64,
    ) -> Suite<'a> {
        token
            .sender(deployer)
            .constructor(deployer, vec![deployer], vec![GENESIS_SUPPLY])
            .motsu_unwrap();
        vault
            .sender(deployer)
            .constructor(token.address(), admin, deployer)
            .motsu_unwrap();
        ctl.sender(deployer)
            .constructor(
                token.address(),
                vault.address(),
                treasury,
                admin,
                rate,
                start,
            )
            .motsu_unwrap();
        token
            .sender(deployer)
            .set_minter(ctl.address())
            .motsu_unwrap();
        vault
            .sender(deployer)
            .set_rewards_distributor(ctl.address())
            .motsu_unwrap();
        let minter = Contract::<DiemMinter>::new();
        minter
            .sender(deployer)
            .constructor(
                vault.address(),
                treasury,
                admin,
                vvv_common::diem::DEFAULT_BASE,
            )
            .motsu_unwrap();
        vault
            .sender(deployer)
            .set_locker(minter.address())
            .motsu_unwrap();
        Suite {
            token,
            vault,
            ctl,
            deployer,
            admin,
            treasury,
            _minter: minter,
        }
    }

    /// Locks `amount` of `account`'s sVVV, as the DIEM minter (the vault's locker) does.
    fn _minter_lock(&self, account: Address, amount: U256) {
        self.vault
            .sender(self._minter.address())
            .lock(account, amount)
            .motsu_unwrap();
    }

    /// Stakes `amount` of the deployer's VVV for `beneficiary`.
    fn stake(&self, beneficiary: Address, amount: U256) {
        self.token
            .sender(self.deployer)
            .approve(self.vault.address(), amount)
            .motsu_unwrap();
        self.vault
            .sender(self.deployer)
            .stake_for(beneficiary, amount)
            .motsu_unwrap();
    }

    fn distribute_at(&self, now: u64) -> U256 {
        self.ctl
            .sender(self.deployer)
            .distribute_at(now)
            .motsu_unwrap()
    }

    fn grant_reporter(&self, reporter: Address) {
        self.ctl
            .sender(self.admin)
            .grant_role(REPORTER_ROLE.into(), reporter)
            .motsu_unwrap();
    }

    /// VVV the vault received as rewards.
    fn to_stakers(&self) -> U256 {
        self.vault.sender(self.deployer).total_rewards_announced()
    }

    fn treasury_balance(&self) -> U256 {
        self.token.sender(self.deployer).balance_of(self.treasury)
    }

    /// INV-4 / INV-5 bookkeeping shared by many tests: the controller's total equals the
    /// token's `totalMinted`, and stakers + treasury == minted.
    fn assert_conservation(&self) {
        let emitted = self.ctl.sender(self.deployer).total_emitted();
        assert_eq!(emitted, self.token.sender(self.deployer).total_minted());
        assert_eq!(self.to_stakers() + self.treasury_balance(), emitted);
        assert_eq!(
            self.token.sender(self.deployer).total_supply(),
            GENESIS_SUPPLY + emitted
        );
    }
}

/// The error a call by `who`, who lacks `role`, reverts with.
fn unauthorized(who: Address, role: [u8; 32]) -> Error {
    Error::UnauthorizedAccount(control::AccessControlUnauthorizedAccount {
        account: who,
        neededRole: role.into(),
    })
}

fn increase_forbidden(current: U256, requested: U256) -> Error {
    Error::EmissionIncreaseForbidden(EmissionIncreaseForbidden { current, requested })
}

// ----- constants -----

#[test]
fn reporter_role_is_keccak_of_its_name() {
    assert_eq!(
        B256::from(REPORTER_ROLE),
        alloy_primitives::keccak256(b"REPORTER_ROLE")
    );
    assert_eq!(MAX_ANNUAL_EMISSION, vvv(14_000_000));
}

// ----- constructor -----

#[motsu::test]
fn constructor_wires_and_initializes(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    ctl: Contract<EmissionController>,
    deployer: Address,
    admin: Address,
    treasury: Address,
) {
    let rate = vvv(14_000_000);
    let s = Suite::deploy(
        &token,
        &vault,
        &ctl,
        (deployer, admin, treasury),
        rate,
        T0 + DAY,
    );
    let c = s.ctl.sender(deployer);
    assert_eq!(c.token(), token.address());
    assert_eq!(c.vault(), vault.address());
    assert_eq!(c.treasury(), treasury);
    assert_eq!(c.annual_emission(), rate);
    assert_eq!(c.last_distribution(), T0 + DAY);
    assert_eq!(c.carry(), U256::ZERO);
    assert_eq!(c.total_emitted(), U256::ZERO);
    assert_eq!(c.utilization_bps(), 0);
    assert_eq!(c.current_staker_share_bps(), 8_000);
    assert_eq!(
        c.curve(),
        (vec![0u16, 5_000, 10_000], vec![8_000u16, 2_000, 8_000])
    );
    assert_eq!(c.scheduled_cuts(), (vec![], vec![]));
    assert!(c.has_role(ADMIN_ROLE.into(), admin));
    assert!(!c.has_role(ADMIN_ROLE.into(), deployer));
    assert!(!c.has_role(REPORTER_ROLE.into(), admin));
    assert_eq!(c.reporter_role(), B256::from(REPORTER_ROLE));
    assert_eq!(c.pending_emission().motsu_unwrap(), U256::ZERO);
    ctl.assert_emitted(&ControllerInitialized {
        vvv: token.address(),
        vault: vault.address(),
        treasury,
        annualEmission: rate,
        startTime: T0 + DAY,
    });
    ctl.assert_emitted(&CurveSet {
        utilizations: vec![0, 5_000, 10_000],
        shares: vec![8_000, 2_000, 8_000],
    });
    ctl.assert_emitted(&control::RoleGranted {
        role: ADMIN_ROLE.into(),
        account: admin,
        sender: deployer,
    });
    assert_eq!(token.sender(deployer).minter(), ctl.address());
    assert_eq!(vault.sender(deployer).rewards_distributor(), ctl.address());
}

#[motsu::test]
fn constructor_rejects_rate_above_launch_maximum(
    ctl: Contract<EmissionController>,
    deployer: Address,
    t: Address,
    v: Address,
    treasury: Address,
    admin: Address,
) {
    let too_much = vvv(14_000_000) + U256::from(1);
    assert_revert!(
        ctl.sender(deployer)
            .constructor(t, v, treasury, admin, too_much, T0),
        increase_forbidden(vvv(14_000_000), too_much)
    );
    // Exactly the maximum, and lower, are fine.
    ctl.sender(deployer)
        .constructor(t, v, treasury, admin, vvv(14_000_000), T0)
        .motsu_unwrap();
}

#[motsu::test]
fn constructor_rejects_zero_addresses(
    ctl: Contract<EmissionController>,
    deployer: Address,
    a: Address,
) {
    let z = Address::ZERO;
    for (t, v, tr, ad) in [(z, a, a, a), (a, z, a, a), (a, a, z, a), (a, a, a, z)] {
        assert_revert!(
            ctl.sender(deployer).constructor(t, v, tr, ad, vvv(1), T0),
            Error::ZeroAddress(ZeroAddress {})
        );
    }
}

#[motsu::test]
fn constructor_rejects_start_in_the_past(
    ctl: Contract<EmissionController>,
    deployer: Address,
    a: Address,
) {
    assert_revert!(
        ctl.sender(deployer).constructor(a, a, a, a, vvv(1), T0 - 1),
        Error::StartTimeInPast(StartTimeInPast {
            startTime: T0 - 1,
            now: T0
        })
    );
}

// ----- distribute -----

#[motsu::test]
fn distribute_one_year_mints_the_rate_and_splits_80_20(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    ctl: Contract<EmissionController>,
    deployer: Address,
    admin: Address,
    treasury: Address,
    alice: Address,
    anyone: Address,
) {
    let rate = vvv(14_000_000);
    let s = Suite::deploy(&token, &vault, &ctl, (deployer, admin, treasury), rate, T0);
    s.stake(alice, vvv(1_000));
    assert_eq!(
        ctl.sender(anyone)
            .pending_emission_at(T0 + YEAR)
            .motsu_unwrap(),
        rate
    );
    // Permissionless.
    let minted = ctl.sender(anyone).distribute_at(T0 + YEAR).motsu_unwrap();
    assert_eq!(minted, rate);
    assert_eq!(s.to_stakers(), vvv(11_200_000));
    assert_eq!(s.treasury_balance(), vvv(2_800_000));
    assert_eq!(
        token.sender(anyone).balance_of(vault.address()),
        vvv(1_000) + vvv(11_200_000)
    );
    // All of it streams to the stakers (the vault releases it over its reward period; its
    // clock is motsu's, which does not move: the release is tested in the vault's crate and
    // end to end).
    assert_eq!(vault.sender(anyone).reward_stream().0, vvv(11_200_000));
    let c = ctl.sender(anyone);
    assert_eq!(c.total_emitted(), rate);
    assert_eq!(c.last_distribution(), T0 + YEAR);
    assert_eq!(c.carry(), U256::ZERO);
    assert_eq!(c.pending_emission_at(T0 + YEAR).motsu_unwrap(), U256::ZERO);
    ctl.assert_emitted(&Distributed {
        minted: rate,
        toStakers: vvv(11_200_000),
        toTreasury: vvv(2_800_000),
        fromTime: T0,
        toTime: T0 + YEAR,
        stakerShareBps: 8_000,
    });
    s.assert_conservation();
}

#[motsu::test]
fn distribute_carries_the_remainder(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    ctl: Contract<EmissionController>,
    deployer: Address,
    admin: Address,
    treasury: Address,
) {
    let s = Suite::deploy(
        &token,
        &vault,
        &ctl,
        (deployer, admin, treasury),
        vvv(14_000_000),
        T0,
    );
    // One second of 14M VVV/yr: 443 937 087 772 704 211 wei, remainder 1 904 000 carried.
    assert_eq!(
        s.distribute_at(T0 + 1),
        U256::from(443_937_087_772_704_211u64)
    );
    assert_eq!(ctl.sender(deployer).carry(), U256::from(1_904_000u64));
    assert_eq!(
        s.distribute_at(T0 + 2),
        U256::from(443_937_087_772_704_211u64)
    );
    assert_eq!(ctl.sender(deployer).carry(), U256::from(3_808_000u64));
    s.assert_conservation();
}

/// INV-4: calling every second (and at irregular steps) mints exactly what one call mints.
#[motsu::test]
fn distribute_every_second_equals_one_call(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    ctl: Contract<EmissionController>,
    token2: Contract<VvvToken>,
    vault2: Contract<StakingVault>,
    ctl2: Contract<EmissionController>,
    deployer: Address,
    admin: Address,
    treasury: Address,
    treasury2: Address,
) {
    let rate = vvv(14_000_000) - U256::from(12_345u64);
    let often = Suite::deploy(&token, &vault, &ctl, (deployer, admin, treasury), rate, T0);
    let once = Suite::deploy(
        &token2,
        &vault2,
        &ctl2,
        (deployer, admin, treasury2),
        rate,
        T0,
    );
    let mut now = T0;
    for step in 1..=600u64 {
        now += if step % 7 == 0 { 13 } else { 1 };
        often.distribute_at(now);
    }
    let total = once.distribute_at(now);
    assert_eq!(ctl.sender(deployer).total_emitted(), total);
    assert_eq!(total, exact(&[(rate, now - T0)]));
    assert_eq!(ctl.sender(deployer).carry(), ctl2.sender(deployer).carry());
    often.assert_conservation();
    once.assert_conservation();
}

#[motsu::test]
fn distribute_in_the_same_second_does_nothing(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    ctl: Contract<EmissionController>,
    deployer: Address,
    admin: Address,
    treasury: Address,
) {
    let s = Suite::deploy(
        &token,
        &vault,
        &ctl,
        (deployer, admin, treasury),
        vvv(1),
        T0,
    );
    // The public entry point at motsu's fixed time T0 == start: nothing elapsed.
    assert_eq!(ctl.sender(deployer).distribute().motsu_unwrap(), U256::ZERO);
    let events = ctl.all_events().len();
    s.distribute_at(T0 + DAY);
    let after_first = ctl.all_events().len();
    assert_eq!(after_first, events + 1);
    assert_eq!(s.distribute_at(T0 + DAY), U256::ZERO);
    // An earlier time than the last distribution is not an error either.
    assert_eq!(s.distribute_at(T0 + 5), U256::ZERO);
    assert_eq!(ctl.all_events().len(), after_first);
    assert_eq!(ctl.sender(deployer).last_distribution(), T0 + DAY);
}

#[motsu::test]
fn nothing_accrues_before_a_future_launch(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    ctl: Contract<EmissionController>,
    deployer: Address,
    admin: Address,
    treasury: Address,
) {
    let rate = vvv(14_000_000);
    let start = T0 + 10 * DAY;
    let s = Suite::deploy(
        &token,
        &vault,
        &ctl,
        (deployer, admin, treasury),
        rate,
        start,
    );
    assert_eq!(
        ctl.sender(deployer)
            .pending_emission_at(start - 1)
            .motsu_unwrap(),
        U256::ZERO
    );
    assert_eq!(s.distribute_at(T0 + DAY), U256::ZERO);
    assert_eq!(ctl.sender(deployer).last_distribution(), start);
    assert_eq!(s.distribute_at(start + DAY), exact(&[(rate, DAY)]));
    ctl.assert_emitted(&Distributed {
        minted: exact(&[(rate, DAY)]),
        toStakers: exact(&[(rate, DAY)]) * U256::from(8) / U256::from(10),
        toTreasury: exact(&[(rate, DAY)]) - exact(&[(rate, DAY)]) * U256::from(8) / U256::from(10),
        fromTime: start,
        toTime: start + DAY,
        stakerShareBps: 8_000,
    });
    s.assert_conservation();
}

#[motsu::test]
fn distribute_with_zero_rate_mints_nothing(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    ctl: Contract<EmissionController>,
    deployer: Address,
    admin: Address,
    treasury: Address,
) {
    let s = Suite::deploy(
        &token,
        &vault,
        &ctl,
        (deployer, admin, treasury),
        U256::ZERO,
        T0,
    );
    // No token or vault call is made for zero amounts; the period still closes.
    assert_eq!(s.distribute_at(T0 + YEAR), U256::ZERO);
    assert_eq!(ctl.sender(deployer).last_distribution(), T0 + YEAR);
    assert_eq!(vault.sender(deployer).total_rewards_announced(), U256::ZERO);
    ctl.assert_emitted(&Distributed {
        minted: U256::ZERO,
        toStakers: U256::ZERO,
        toTreasury: U256::ZERO,
        fromTime: T0,
        toTime: T0 + YEAR,
        stakerShareBps: 8_000,
    });
}

/// Rewards that reach the vault while nothing is staked are kept by it, not lost.
#[motsu::test]
fn distribute_with_nothing_staked_is_kept_by_the_vault(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    ctl: Contract<EmissionController>,
    deployer: Address,
    admin: Address,
    treasury: Address,
) {
    let s = Suite::deploy(
        &token,
        &vault,
        &ctl,
        (deployer, admin, treasury),
        vvv(14_000_000),
        T0,
    );
    s.distribute_at(T0 + DAY);
    // Announced and streaming: what the stream releases while nothing is staked is kept by
    // the vault for the next announcement (tested in the vault's crate).
    assert!(!s.to_stakers().is_zero());
    assert_eq!(vault.sender(deployer).reward_stream().0, s.to_stakers());
    s.assert_conservation();
}

#[motsu::test]
fn distribute_reports_a_vault_that_is_not_wired(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    ctl: Contract<EmissionController>,
    deployer: Address,
    admin: Address,
    treasury: Address,
) {
    token
        .sender(deployer)
        .constructor(deployer, vec![deployer], vec![GENESIS_SUPPLY])
        .motsu_unwrap();
    vault
        .sender(deployer)
        .constructor(token.address(), admin, deployer)
        .motsu_unwrap();
    ctl.sender(deployer)
        .constructor(
            token.address(),
            vault.address(),
            treasury,
            admin,
            vvv(1_000),
            T0,
        )
        .motsu_unwrap();
    // Token minter not wired yet: the token's revert is forwarded.
    let expected = vvv_token::UnauthorizedCaller {
        link: vvv_wiring::MINTER,
        caller: ctl.address(),
    }
    .abi_encode();
    assert_revert!(
        ctl.sender(deployer).distribute_at(T0 + DAY),
        matches Error::CallFailed(e)
            if e.target == token.address() && e.reason.as_ref() == expected.as_slice()
    );
    // Minter wired, vault distributor not: the vault's revert is forwarded.
    token
        .sender(deployer)
        .set_minter(ctl.address())
        .motsu_unwrap();
    let expected = staking_vault::UnauthorizedCaller {
        link: vvv_wiring::REWARDS_DISTRIBUTOR,
        caller: ctl.address(),
    }
    .abi_encode();
    assert_revert!(
        ctl.sender(deployer).distribute_at(T0 + DAY),
        matches Error::CallFailed(e)
            if e.target == vault.address() && e.reason.as_ref() == expected.as_slice()
    );
    // Nothing changed.
    assert_eq!(ctl.sender(deployer).total_emitted(), U256::ZERO);
    assert_eq!(ctl.sender(deployer).last_distribution(), T0);
    assert_eq!(token.sender(deployer).total_minted(), U256::ZERO);
}

// ----- cutEmission -----

#[motsu::test]
fn cut_emission_pays_the_past_at_the_old_rate(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    ctl: Contract<EmissionController>,
    deployer: Address,
    admin: Address,
    treasury: Address,
) {
    let (old, new) = (vvv(14_000_000), vvv(7_000_000));
    let s = Suite::deploy(&token, &vault, &ctl, (deployer, admin, treasury), old, T0);
    let t = T0 + 100 * DAY + 17;
    ctl.sender(admin).cut_emission_at(new, t).motsu_unwrap();
    assert_eq!(ctl.sender(admin).total_emitted(), exact(&[(old, t - T0)]));
    assert_eq!(ctl.sender(admin).annual_emission_at(t), new);
    ctl.assert_emitted(&EmissionCut {
        previousRate: old,
        newRate: new,
        effectiveTime: t,
    });
    s.distribute_at(T0 + YEAR);
    assert_eq!(
        ctl.sender(admin).total_emitted(),
        exact(&[(old, t - T0), (new, T0 + YEAR - t)])
    );
    // Equal to the rate in force is allowed (a no-op cut); zero is allowed.
    ctl.sender(admin)
        .cut_emission_at(new, T0 + YEAR)
        .motsu_unwrap();
    ctl.sender(admin)
        .cut_emission_at(U256::ZERO, T0 + YEAR + 1)
        .motsu_unwrap();
    assert_eq!(s.distribute_at(T0 + 2 * YEAR), U256::ZERO);
    s.assert_conservation();
}

#[motsu::test]
fn cut_emission_rejects_an_increase(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    ctl: Contract<EmissionController>,
    deployer: Address,
    admin: Address,
    treasury: Address,
) {
    let rate = vvv(6_000_000);
    Suite::deploy(&token, &vault, &ctl, (deployer, admin, treasury), rate, T0);
    assert_revert!(
        ctl.sender(admin)
            .cut_emission_at(rate + U256::from(1), T0 + DAY),
        increase_forbidden(rate, rate + U256::from(1))
    );
    // After a cut, going back up to the old rate is forbidden too.
    ctl.sender(admin)
        .cut_emission_at(vvv(5_000_000), T0 + DAY)
        .motsu_unwrap();
    assert_revert!(
        ctl.sender(admin).cut_emission_at(rate, T0 + 2 * DAY),
        increase_forbidden(vvv(5_000_000), rate)
    );
    // Through the public entry point as well.
    assert_revert!(
        ctl.sender(admin).cut_emission(vvv(14_000_000)),
        increase_forbidden(vvv(5_000_000), vvv(14_000_000))
    );
}

#[motsu::test]
fn cut_emission_only_admin(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    ctl: Contract<EmissionController>,
    deployer: Address,
    admin: Address,
    treasury: Address,
    mallory: Address,
) {
    Suite::deploy(
        &token,
        &vault,
        &ctl,
        (deployer, admin, treasury),
        vvv(1_000),
        T0,
    );
    for who in [mallory, deployer] {
        assert_revert!(
            ctl.sender(who).cut_emission_at(U256::ZERO, T0 + 1),
            unauthorized(who, ADMIN_ROLE)
        );
    }
    // A reporter is not an admin either.
    ctl.sender(admin)
        .grant_role(REPORTER_ROLE.into(), mallory)
        .motsu_unwrap();
    assert_revert!(
        ctl.sender(mallory).cut_emission(U256::ZERO),
        unauthorized(mallory, ADMIN_ROLE)
    );
}

#[motsu::test]
fn cut_emission_lowers_pending_cuts_above_it(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    ctl: Contract<EmissionController>,
    deployer: Address,
    admin: Address,
    treasury: Address,
) {
    let s = Suite::deploy(
        &token,
        &vault,
        &ctl,
        (deployer, admin, treasury),
        vvv(14_000_000),
        T0,
    );
    let c = || ctl.sender(admin);
    c().schedule_cut_at(T0 + 10 * DAY, vvv(12_000_000), T0)
        .motsu_unwrap();
    c().schedule_cut_at(T0 + 20 * DAY, vvv(8_000_000), T0)
        .motsu_unwrap();
    c().schedule_cut_at(T0 + 30 * DAY, vvv(4_000_000), T0)
        .motsu_unwrap();
    c().cut_emission_at(vvv(10_000_000), T0 + DAY)
        .motsu_unwrap();
    assert_eq!(
        c().scheduled_cuts(),
        (
            vec![T0 + 10 * DAY, T0 + 20 * DAY, T0 + 30 * DAY],
            vec![vvv(10_000_000), vvv(8_000_000), vvv(4_000_000)]
        )
    );
    ctl.assert_emitted(&ScheduledCutLowered {
        effectiveTime: T0 + 10 * DAY,
        previousRate: vvv(12_000_000),
        newRate: vvv(10_000_000),
    });
    // Applying the lowered cut keeps the rate where it is: never an increase.
    s.distribute_at(T0 + 40 * DAY);
    assert_eq!(
        c().total_emitted(),
        exact(&[
            (vvv(14_000_000), DAY),
            (vvv(10_000_000), 19 * DAY),
            (vvv(8_000_000), 10 * DAY),
            (vvv(4_000_000), 10 * DAY),
        ])
    );
    assert_eq!(c().annual_emission_at(T0 + 40 * DAY), vvv(4_000_000));
    s.assert_conservation();
}

// ----- scheduleCut -----

/// A cut may keep the rate in force at its time (only an increase is refused), and a cut at a
/// rate equal to a later cut's leaves that one alone: `ScheduledCutLowered` is for a lowering.
#[motsu::test]
fn cut_at_an_equal_rate_is_accepted_and_lowers_nothing(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    ctl: Contract<EmissionController>,
    deployer: Address,
    admin: Address,
    treasury: Address,
) {
    let _s = Suite::deploy(
        &token,
        &vault,
        &ctl,
        (deployer, admin, treasury),
        vvv(14_000_000),
        T0,
    );
    let c = || ctl.sender(admin);
    c().schedule_cut_at(T0 + 10 * DAY, vvv(10_000_000), T0)
        .motsu_unwrap();
    // the rate before T0 + 20 days is the first cut's: an equal rate is no increase
    c().schedule_cut_at(T0 + 20 * DAY, vvv(10_000_000), T0)
        .motsu_unwrap();
    // an earlier cut at that same rate: the later ones are not above it
    c().schedule_cut_at(T0 + 5 * DAY, vvv(10_000_000), T0)
        .motsu_unwrap();
    for time in [T0 + 10 * DAY, T0 + 20 * DAY] {
        assert!(!ctl.emitted(&ScheduledCutLowered {
            effectiveTime: time,
            previousRate: vvv(10_000_000),
            newRate: vvv(10_000_000),
        }));
    }
    assert_eq!(
        c().scheduled_cuts(),
        (
            vec![T0 + 5 * DAY, T0 + 10 * DAY, T0 + 20 * DAY],
            vec![vvv(10_000_000); 3]
        )
    );
}

#[motsu::test]
fn scheduled_cuts_integrate_exactly(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    ctl: Contract<EmissionController>,
    deployer: Address,
    admin: Address,
    treasury: Address,
) {
    let r0 = vvv(14_000_000);
    let s = Suite::deploy(&token, &vault, &ctl, (deployer, admin, treasury), r0, T0);
    let (t1, r1) = (T0 + 90 * DAY + 3, vvv(10_000_000) + U256::from(7));
    let (t2, r2) = (T0 + 200 * DAY + 11, vvv(3_333_333));
    let (t3, r3) = (T0 + 400 * DAY, vvv(1));
    // Scheduled out of order: the list stays sorted.
    ctl.sender(admin).schedule_cut_at(t2, r2, T0).motsu_unwrap();
    ctl.sender(admin).schedule_cut_at(t1, r1, T0).motsu_unwrap();
    ctl.sender(admin)
        .schedule_cut_at(t3, r3, T0 + 5)
        .motsu_unwrap();
    ctl.assert_emitted(&CutScheduled {
        effectiveTime: t1,
        newRate: r1,
    });
    assert_eq!(
        ctl.sender(admin).scheduled_cuts(),
        (vec![t1, t2, t3], vec![r1, r2, r3])
    );
    // The rate view takes due cuts into account before any distribution.
    let c = ctl.sender(admin);
    assert_eq!(c.annual_emission_at(t1 - 1), r0);
    assert_eq!(c.annual_emission_at(t1), r1);
    assert_eq!(c.annual_emission_at(t2 + 1), r2);
    assert_eq!(c.annual_emission_at(t3), r3);
    // One distribution across two cuts mints the exact integral.
    let now = T0 + 300 * DAY;
    let expected = exact(&[(r0, t1 - T0), (r1, t2 - t1), (r2, now - t2)]);
    // Scheduling the third cut distributed the first 5 seconds.
    let already = c.total_emitted();
    assert_eq!(already, exact(&[(r0, 5)]));
    assert_eq!(
        c.pending_emission_at(now).motsu_unwrap(),
        expected - already
    );
    assert_eq!(s.distribute_at(now), expected - already);
    assert_eq!(ctl.sender(admin).total_emitted(), expected);
    ctl.assert_emitted(&EmissionCut {
        previousRate: r0,
        newRate: r1,
        effectiveTime: t1,
    });
    ctl.assert_emitted(&EmissionCut {
        previousRate: r1,
        newRate: r2,
        effectiveTime: t2,
    });
    // Applied cuts leave the list; the stored rate is the one in force.
    let c = ctl.sender(admin);
    assert_eq!(c.scheduled_cuts(), (vec![t3], vec![r3]));
    assert_eq!(c.annual_emission_at(now), r2);
    // Crossing the last cut, then on.
    s.distribute_at(T0 + 2 * YEAR);
    assert_eq!(
        ctl.sender(admin).total_emitted(),
        exact(&[
            (r0, t1 - T0),
            (r1, t2 - t1),
            (r2, t3 - t2),
            (r3, T0 + 2 * YEAR - t3)
        ])
    );
    assert_eq!(ctl.sender(admin).scheduled_cuts(), (vec![], vec![]));
    s.assert_conservation();
}

/// Issue 14 regression: a distribution in the very second a scheduled cut takes effect applies
/// the cut (the old rate up to that second, the cut out of the list, `EmissionCut` logged), and
/// the next second is paid at the new rate.
#[motsu::test]
fn distribution_exactly_at_a_scheduled_cut_applies_it(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    ctl: Contract<EmissionController>,
    deployer: Address,
    admin: Address,
    treasury: Address,
) {
    let r0 = vvv(14_000_000);
    let s = Suite::deploy(&token, &vault, &ctl, (deployer, admin, treasury), r0, T0);
    let (t1, r1) = (T0 + 10 * DAY + 7, vvv(9_000_000));
    ctl.sender(admin).schedule_cut_at(t1, r1, T0).motsu_unwrap();
    assert_eq!(s.distribute_at(t1), exact(&[(r0, t1 - T0)]));
    ctl.assert_emitted(&EmissionCut {
        previousRate: r0,
        newRate: r1,
        effectiveTime: t1,
    });
    let c = ctl.sender(admin);
    assert_eq!(c.scheduled_cuts(), (vec![], vec![]));
    assert_eq!(c.annual_emission_at(t1), r1);
    s.distribute_at(t1 + 1);
    assert_eq!(
        ctl.sender(admin).total_emitted(),
        exact(&[(r0, t1 - T0), (r1, 1)])
    );
    s.assert_conservation();
}

#[motsu::test]
fn schedule_cut_rejects_the_past_and_now(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    ctl: Contract<EmissionController>,
    deployer: Address,
    admin: Address,
    treasury: Address,
) {
    Suite::deploy(
        &token,
        &vault,
        &ctl,
        (deployer, admin, treasury),
        vvv(1_000),
        T0,
    );
    let now = T0 + DAY;
    for t in [now, now - 1, 0] {
        assert_revert!(
            ctl.sender(admin).schedule_cut_at(t, U256::ZERO, now),
            Error::CutNotInFuture(CutNotInFuture { timestamp: t, now })
        );
    }
    // Public entry point: motsu's time is T0.
    assert_revert!(
        ctl.sender(admin).schedule_cut(T0, U256::ZERO),
        Error::CutNotInFuture(CutNotInFuture {
            timestamp: T0,
            now: T0
        })
    );
    ctl.sender(admin)
        .schedule_cut(T0 + 1, U256::ZERO)
        .motsu_unwrap();
}

#[motsu::test]
fn schedule_cut_rejects_raising_the_rate(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    ctl: Contract<EmissionController>,
    deployer: Address,
    admin: Address,
    treasury: Address,
) {
    let r0 = vvv(10_000_000);
    Suite::deploy(&token, &vault, &ctl, (deployer, admin, treasury), r0, T0);
    let c = || ctl.sender(admin);
    // Above the rate in force.
    assert_revert!(
        c().schedule_cut_at(T0 + DAY, r0 + U256::from(1), T0),
        increase_forbidden(r0, r0 + U256::from(1))
    );
    c().schedule_cut_at(T0 + 10 * DAY, vvv(8_000_000), T0)
        .motsu_unwrap();
    // Above the rate that will be in force just before (the earlier scheduled cut).
    assert_revert!(
        c().schedule_cut_at(T0 + 20 * DAY, vvv(9_000_000), T0),
        increase_forbidden(vvv(8_000_000), vvv(9_000_000))
    );
    // At the same time as a pending cut: that cut counts as before it.
    assert_revert!(
        c().schedule_cut_at(T0 + 10 * DAY, vvv(9_000_000), T0),
        increase_forbidden(vvv(8_000_000), vvv(9_000_000))
    );
    // Below a later pending cut: accepted, and that cut is lowered to it (issue 9, finding 3).
    c().schedule_cut_at(T0 + 5 * DAY, vvv(7_000_000), T0)
        .motsu_unwrap();
    ctl.assert_emitted(&ScheduledCutLowered {
        effectiveTime: T0 + 10 * DAY,
        previousRate: vvv(8_000_000),
        newRate: vvv(7_000_000),
    });
    // Once the cuts are due, the rate in force is what counts.
    assert_revert!(
        c().schedule_cut_at(T0 + 30 * DAY, vvv(7_500_000), T0 + 11 * DAY),
        increase_forbidden(vvv(7_000_000), vvv(7_500_000))
    );
    // The revert rolled back the distribution that applied them.
    assert_eq!(
        c().scheduled_cuts(),
        (
            vec![T0 + 5 * DAY, T0 + 10 * DAY],
            vec![vvv(7_000_000), vvv(7_000_000)]
        )
    );
    assert_eq!(c().last_distribution(), T0);
    // The public entry point checks the same: the rate just before is the last pending cut.
    assert_revert!(
        c().schedule_cut(T0 + YEAR, vvv(14_000_000)),
        increase_forbidden(vvv(7_000_000), vvv(14_000_000))
    );
}

/// Issue 9, finding 3, as reported: with a 10M cut pending at day 200, a cut to 8M at day 100
/// (rate then: 14M) is accepted and the day-200 cut is lowered to 8M; a request above the rate
/// at its time reverts with `EmissionIncreaseForbidden(current, requested)` in that order.
#[motsu::test]
fn schedule_cut_below_a_later_pending_cut_lowers_it(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    ctl: Contract<EmissionController>,
    deployer: Address,
    admin: Address,
    treasury: Address,
) {
    Suite::deploy(
        &token,
        &vault,
        &ctl,
        (deployer, admin, treasury),
        vvv(14_000_000),
        T0,
    );
    let c = || ctl.sender(admin);
    c().schedule_cut_at(T0 + 200 * DAY, vvv(10_000_000), T0)
        .motsu_unwrap();
    c().schedule_cut_at(T0 + 100 * DAY, vvv(8_000_000), T0)
        .motsu_unwrap();
    ctl.assert_emitted(&CutScheduled {
        effectiveTime: T0 + 100 * DAY,
        newRate: vvv(8_000_000),
    });
    ctl.assert_emitted(&ScheduledCutLowered {
        effectiveTime: T0 + 200 * DAY,
        previousRate: vvv(10_000_000),
        newRate: vvv(8_000_000),
    });
    assert_eq!(
        c().scheduled_cuts(),
        (
            vec![T0 + 100 * DAY, T0 + 200 * DAY],
            vec![vvv(8_000_000), vvv(8_000_000)]
        )
    );
    assert_revert!(
        c().schedule_cut_at(T0 + 300 * DAY, vvv(9_000_000), T0),
        increase_forbidden(vvv(8_000_000), vvv(9_000_000))
    );
    assert_eq!(c().annual_emission_at(T0 + 150 * DAY), vvv(8_000_000));
    assert_eq!(c().annual_emission_at(T0 + 250 * DAY), vvv(8_000_000));
}

#[motsu::test]
fn schedule_cut_at_most_eight_pending(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    ctl: Contract<EmissionController>,
    deployer: Address,
    admin: Address,
    treasury: Address,
) {
    let s = Suite::deploy(
        &token,
        &vault,
        &ctl,
        (deployer, admin, treasury),
        vvv(14_000_000),
        T0,
    );
    for i in 1..=8u64 {
        ctl.sender(admin)
            .schedule_cut_at(T0 + i * DAY, vvv(14_000_000 - i * 1_000_000), T0)
            .motsu_unwrap();
    }
    assert_revert!(
        ctl.sender(admin).schedule_cut_at(T0 + 9 * DAY, vvv(1), T0),
        Error::TooManyScheduledCuts(TooManyScheduledCuts { max: U256::from(8) })
    );
    // Once two fell due and were applied, two more fit (scheduling distributes first).
    ctl.sender(admin)
        .schedule_cut_at(T0 + 9 * DAY, vvv(1), T0 + 2 * DAY)
        .motsu_unwrap();
    ctl.sender(admin)
        .schedule_cut_at(T0 + 10 * DAY, U256::ZERO, T0 + 2 * DAY)
        .motsu_unwrap();
    assert_eq!(ctl.sender(admin).scheduled_cuts().0.len(), 8);
    // A distribution across all eight remaining cuts (the bounded loop) is still exact.
    s.distribute_at(T0 + 20 * DAY);
    let mut pieces: Vec<(U256, u64)> = (0..9u64)
        .map(|i| (vvv(14_000_000 - i * 1_000_000), DAY))
        .collect();
    pieces.push((vvv(1), DAY));
    pieces.push((U256::ZERO, 10 * DAY));
    assert_eq!(ctl.sender(admin).total_emitted(), exact(&pieces));
    assert_eq!(ctl.sender(admin).scheduled_cuts(), (vec![], vec![]));
    s.assert_conservation();
}

#[motsu::test]
fn schedule_cut_only_admin(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    ctl: Contract<EmissionController>,
    deployer: Address,
    admin: Address,
    treasury: Address,
    mallory: Address,
) {
    Suite::deploy(
        &token,
        &vault,
        &ctl,
        (deployer, admin, treasury),
        vvv(1_000),
        T0,
    );
    assert_revert!(
        ctl.sender(mallory)
            .schedule_cut_at(T0 + DAY, U256::ZERO, T0),
        unauthorized(mallory, ADMIN_ROLE)
    );
    assert_revert!(
        ctl.sender(deployer).schedule_cut(T0 + DAY, U256::ZERO),
        unauthorized(deployer, ADMIN_ROLE)
    );
}

#[motsu::test]
fn cut_scheduled_before_a_future_launch_applies_from_launch(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    ctl: Contract<EmissionController>,
    deployer: Address,
    admin: Address,
    treasury: Address,
) {
    let start = T0 + 30 * DAY;
    let s = Suite::deploy(
        &token,
        &vault,
        &ctl,
        (deployer, admin, treasury),
        vvv(14_000_000),
        start,
    );
    ctl.sender(admin)
        .schedule_cut_at(T0 + DAY, vvv(6_000_000), T0)
        .motsu_unwrap();
    // Due before launch: applied without accruing anything.
    assert_eq!(s.distribute_at(T0 + 2 * DAY), U256::ZERO);
    ctl.assert_emitted(&EmissionCut {
        previousRate: vvv(14_000_000),
        newRate: vvv(6_000_000),
        effectiveTime: T0 + DAY,
    });
    assert_eq!(ctl.sender(admin).scheduled_cuts(), (vec![], vec![]));
    assert_eq!(ctl.sender(admin).last_distribution(), start);
    assert_eq!(
        s.distribute_at(start + DAY),
        exact(&[(vvv(6_000_000), DAY)])
    );
    s.assert_conservation();
}

// ----- reportUtilization -----

#[motsu::test]
fn report_utilization_splits_each_period_at_its_own_share(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    ctl: Contract<EmissionController>,
    deployer: Address,
    admin: Address,
    treasury: Address,
    reporter: Address,
    alice: Address,
) {
    let rate = vvv(14_000_000);
    let s = Suite::deploy(&token, &vault, &ctl, (deployer, admin, treasury), rate, T0);
    s.stake(alice, vvv(500));
    s.grant_reporter(reporter);
    let period = exact(&[(rate, 10 * DAY)]);
    // 0% utilization for 10 days (stakers 80%), then 50% (stakers 20%) for 10 days, then 25%
    // (stakers 50%) for 10 days.
    ctl.sender(reporter)
        .report_utilization_at(5_000, T0 + 10 * DAY)
        .motsu_unwrap();
    let p1 = s.to_stakers();
    assert_eq!(p1, period * U256::from(8_000) / U256::from(10_000));
    ctl.assert_emitted(&UtilizationReported {
        utilizationBps: 5_000,
        stakerShareBps: 2_000,
    });
    assert_eq!(ctl.sender(reporter).utilization_bps(), 5_000);
    assert_eq!(ctl.sender(reporter).current_staker_share_bps(), 2_000);
    ctl.sender(reporter)
        .report_utilization_at(2_500, T0 + 20 * DAY)
        .motsu_unwrap();
    // The carry makes each 10-day period differ by at most 1 wei: compute each exactly.
    let m2 = exact(&[(rate, 20 * DAY)]) - exact(&[(rate, 10 * DAY)]);
    let p2 = m2 * U256::from(2_000) / U256::from(10_000);
    assert_eq!(s.to_stakers(), p1 + p2);
    ctl.assert_emitted(&Distributed {
        minted: m2,
        toStakers: p2,
        toTreasury: m2 - p2,
        fromTime: T0 + 10 * DAY,
        toTime: T0 + 20 * DAY,
        stakerShareBps: 2_000,
    });
    s.distribute_at(T0 + 30 * DAY);
    let m3 = exact(&[(rate, 30 * DAY)]) - exact(&[(rate, 20 * DAY)]);
    let p3 = m3 * U256::from(5_000) / U256::from(10_000);
    assert_eq!(s.to_stakers(), p1 + p2 + p3);
    assert_eq!(
        s.treasury_balance(),
        exact(&[(rate, 30 * DAY)]) - (p1 + p2 + p3)
    );
    // Every staker wei is announced to the vault and streams to the stakers.
    assert_eq!(vault.sender(alice).reward_stream().0, p1 + p2 + p3);
    s.assert_conservation();
}

#[motsu::test]
fn report_utilization_rejects_above_10000(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    ctl: Contract<EmissionController>,
    deployer: Address,
    admin: Address,
    treasury: Address,
    reporter: Address,
) {
    let s = Suite::deploy(
        &token,
        &vault,
        &ctl,
        (deployer, admin, treasury),
        vvv(1_000),
        T0,
    );
    s.grant_reporter(reporter);
    for bps in [10_001u16, u16::MAX] {
        assert_revert!(
            ctl.sender(reporter).report_utilization_at(bps, T0 + DAY),
            Error::UtilizationOutOfRange(UtilizationOutOfRange {
                bps: U256::from(bps)
            })
        );
    }
    assert_revert!(
        ctl.sender(reporter).report_utilization(10_001),
        matches Error::UtilizationOutOfRange(_)
    );
    // 10 000 itself is fine; nothing was distributed by the failed calls.
    assert_eq!(ctl.sender(reporter).last_distribution(), T0);
    ctl.sender(reporter)
        .report_utilization(10_000)
        .motsu_unwrap();
    assert_eq!(ctl.sender(reporter).current_staker_share_bps(), 8_000);
}

#[motsu::test]
fn report_utilization_only_reporter(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    ctl: Contract<EmissionController>,
    deployer: Address,
    admin: Address,
    treasury: Address,
    reporter: Address,
) {
    let s = Suite::deploy(
        &token,
        &vault,
        &ctl,
        (deployer, admin, treasury),
        vvv(1_000),
        T0,
    );
    // Not even the admin, until it grants itself the role.
    for who in [admin, reporter, deployer] {
        assert_revert!(
            ctl.sender(who).report_utilization_at(1, T0 + 1),
            unauthorized(who, REPORTER_ROLE)
        );
    }
    s.grant_reporter(reporter);
    ctl.sender(reporter).report_utilization(1).motsu_unwrap();
    assert_eq!(ctl.sender(reporter).utilization_bps(), 1);
    ctl.sender(admin)
        .revoke_role(REPORTER_ROLE.into(), reporter)
        .motsu_unwrap();
    assert_revert!(
        ctl.sender(reporter).report_utilization(2),
        unauthorized(reporter, REPORTER_ROLE)
    );
}

// ----- setCurve -----

#[motsu::test]
fn set_curve_applies_the_old_curve_to_the_past(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    ctl: Contract<EmissionController>,
    deployer: Address,
    admin: Address,
    treasury: Address,
) {
    let rate = vvv(14_000_000);
    let s = Suite::deploy(&token, &vault, &ctl, (deployer, admin, treasury), rate, T0);
    // Flat 10 000: stakers get everything.
    ctl.sender(admin)
        .set_curve_at(vec![0, 10_000], vec![10_000, 10_000], T0 + DAY)
        .motsu_unwrap();
    let m1 = exact(&[(rate, DAY)]);
    let p1 = m1 * U256::from(8) / U256::from(10);
    assert_eq!(s.to_stakers(), p1);
    ctl.assert_emitted(&CurveSet {
        utilizations: vec![0, 10_000],
        shares: vec![10_000, 10_000],
    });
    assert_eq!(
        ctl.sender(admin).curve(),
        (vec![0, 10_000], vec![10_000, 10_000])
    );
    assert_eq!(ctl.sender(admin).current_staker_share_bps(), 10_000);
    let treasury_before = s.treasury_balance();
    s.distribute_at(T0 + 2 * DAY);
    let m2 = exact(&[(rate, 2 * DAY)]) - m1;
    // The treasury mint (zero) is skipped.
    assert_eq!(s.treasury_balance(), treasury_before);
    assert_eq!(s.to_stakers(), p1 + m2);
    // An 8-point curve, then back to a 3-point one: the stored vectors shrink too.
    let utils: Vec<u16> = vec![0, 1_000, 2_000, 3_000, 4_000, 5_000, 6_000, 10_000];
    let shares: Vec<u16> = vec![0, 1, 2, 3, 4, 5, 6, 7];
    ctl.sender(admin)
        .set_curve_at(utils.clone(), shares.clone(), T0 + 3 * DAY)
        .motsu_unwrap();
    assert_eq!(ctl.sender(admin).curve(), (utils, shares));
    assert_eq!(ctl.sender(admin).current_staker_share_bps(), 0);
    ctl.sender(admin)
        .set_curve(vec![0, 5_000, 10_000], vec![8_000, 2_000, 8_000])
        .motsu_unwrap();
    assert_eq!(
        ctl.sender(admin).curve(),
        (vec![0, 5_000, 10_000], vec![8_000, 2_000, 8_000])
    );
    let default: (Vec<u16>, Vec<u16>) = DEFAULT_CURVE
        .iter()
        .map(|p| (p.utilization_bps, p.staker_share_bps))
        .unzip();
    assert_eq!(ctl.sender(admin).curve(), default);
    s.assert_conservation();
}

#[motsu::test]
fn set_curve_rejects_each_bad_curve(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    ctl: Contract<EmissionController>,
    deployer: Address,
    admin: Address,
    treasury: Address,
) {
    Suite::deploy(
        &token,
        &vault,
        &ctl,
        (deployer, admin, treasury),
        vvv(1_000),
        T0,
    );
    let set = |u: Vec<u16>, s: Vec<u16>| ctl.sender(admin).set_curve_at(u, s, T0 + DAY);
    let invalid = |reason: u8, index: usize| {
        Error::InvalidCurve(InvalidCurve {
            reason,
            index: U256::from(index),
        })
    };
    // Arrays of different lengths: index = shares.length.
    assert_revert!(
        set(vec![0, 10_000], vec![8_000]),
        invalid(CURVE_LENGTH_MISMATCH, 1)
    );
    assert_revert!(
        set(vec![0], vec![8_000, 8_000]),
        invalid(CURVE_LENGTH_MISMATCH, 2)
    );
    // Not 2..=8 points: index = number of points.
    for n in [0usize, 1, 9] {
        let u: Vec<u16> = (0..n as u16).map(|i| i * 1_000).collect();
        assert_revert!(set(u, vec![5_000; n]), invalid(CURVE_BAD_LENGTH, n));
    }
    assert_revert!(
        set(vec![1, 10_000], vec![8_000, 8_000]),
        invalid(CURVE_BAD_ENDPOINTS, 0)
    );
    assert_revert!(
        set(vec![0, 9_999], vec![8_000, 8_000]),
        invalid(CURVE_BAD_ENDPOINTS, 0)
    );
    assert_revert!(
        set(vec![0, 6_000, 4_000, 10_000], vec![1, 2, 3, 4]),
        invalid(CURVE_NOT_INCREASING, 2)
    );
    assert_revert!(
        set(vec![0, 0, 10_000], vec![1, 2, 3]),
        invalid(CURVE_NOT_INCREASING, 1)
    );
    assert_revert!(
        set(vec![0, 5_000, 10_000], vec![8_000, 10_001, 8_000]),
        invalid(CURVE_SHARE_TOO_HIGH, 1)
    );
    assert_revert!(
        set(vec![0, 10_000], vec![8_000, u16::MAX]),
        invalid(CURVE_SHARE_TOO_HIGH, 1)
    );
    // Nothing changed, nothing distributed.
    assert_eq!(
        ctl.sender(admin).curve(),
        (vec![0, 5_000, 10_000], vec![8_000, 2_000, 8_000])
    );
    assert_eq!(ctl.sender(admin).last_distribution(), T0);
}

#[motsu::test]
fn set_curve_only_admin(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    ctl: Contract<EmissionController>,
    deployer: Address,
    admin: Address,
    treasury: Address,
    reporter: Address,
) {
    let s = Suite::deploy(
        &token,
        &vault,
        &ctl,
        (deployer, admin, treasury),
        vvv(1_000),
        T0,
    );
    s.grant_reporter(reporter);
    for who in [deployer, reporter] {
        assert_revert!(
            ctl.sender(who)
                .set_curve(vec![0, 10_000], vec![10_000, 10_000]),
            unauthorized(who, ADMIN_ROLE)
        );
    }
}

// ----- views -----

/// The lead's worked example: 6M VVV/yr, 30.6M VVV staked, utilization 0 (stakers 80%).
///
/// - `stakingAprBps() = ⌊6e24 × 8000 / 30.6e24⌋ = ⌊1568.627…⌋ = 1568` (15.68%).
/// - 30 days mint `⌊6e24 × 2 592 000 / 31 536 000⌋ = 493 150 684 931 506 849 315 068` wei
///   (≈ 493 150.68 VVV; carry 15 552 000).
/// - Stakers: `⌊… × 8000 / 10000⌋ = 394 520 547 945 205 479 452 054` wei; treasury the rest,
///   `98 630 136 986 301 369 863 014` wei.
/// - The stakers' part is announced to the vault, which streams it over its reward period (a
///   1 000-VVV staker's 12.8928 VVV of it is checked on the chain, where time moves:
///   `tests/e2e/time_rules.rs`). A locked sVVV earns 80% of the unlocked APR:
///   `⌊1568.627… × 0.8⌋ = 1254`.
#[motsu::test]
fn worked_example_apr_and_thirty_days_of_rewards(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    ctl: Contract<EmissionController>,
    deployer: Address,
    admin: Address,
    treasury: Address,
    alice: Address,
    others: Address,
) {
    let s = Suite::deploy(
        &token,
        &vault,
        &ctl,
        (deployer, admin, treasury),
        vvv(6_000_000),
        T0,
    );
    s.stake(others, vvv(30_599_000));
    s.stake(alice, vvv(1_000));
    assert_eq!(vault.sender(alice).total_supply(), vvv(30_600_000));
    assert_eq!(ctl.sender(alice).current_staker_share_bps(), 8_000);
    assert_eq!(
        ctl.sender(alice).unlocked_apr_bps().motsu_unwrap(),
        U256::from(1_568)
    );
    assert_eq!(
        ctl.sender(alice).locked_apr_bps().motsu_unwrap(),
        U256::from(1_254)
    );
    let minted = s.distribute_at(T0 + 30 * DAY);
    assert_eq!(minted, "493150684931506849315068".parse::<U256>().unwrap());
    assert_eq!(ctl.sender(alice).carry(), U256::from(15_552_000u64));
    assert_eq!(
        s.to_stakers(),
        "394520547945205479452054".parse::<U256>().unwrap()
    );
    assert_eq!(
        s.treasury_balance(),
        "98630136986301369863014".parse::<U256>().unwrap()
    );
    // All of it streams to the stakers from now on.
    assert_eq!(vault.sender(alice).reward_stream().0, s.to_stakers());
    s.assert_conservation();
}

#[motsu::test]
fn apr_follows_rate_share_stake_and_the_80_percent_weight(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    ctl: Contract<EmissionController>,
    deployer: Address,
    admin: Address,
    treasury: Address,
    alice: Address,
    reporter: Address,
) {
    let s = Suite::deploy(
        &token,
        &vault,
        &ctl,
        (deployer, admin, treasury),
        vvv(14_000_000),
        T0,
    );
    // Nothing staked: 0, not a division by zero.
    assert_eq!(
        ctl.sender(alice).unlocked_apr_bps().motsu_unwrap(),
        U256::ZERO
    );
    s.stake(alice, vvv(100_000_000 - 1_000_000));
    s.stake(alice, vvv(1_000_000));
    // 14M × 80% / 100M = 11.2%.
    assert_eq!(
        ctl.sender(alice).apr_bps_at(10_000, T0).motsu_unwrap(),
        U256::from(1_120)
    );
    // 20% share at 50% utilization: 2.8%.
    s.grant_reporter(reporter);
    ctl.sender(reporter)
        .report_utilization(5_000)
        .motsu_unwrap();
    assert_eq!(
        ctl.sender(alice).unlocked_apr_bps().motsu_unwrap(),
        U256::from(280)
    );
    // A due scheduled cut counts before any distribution.
    ctl.sender(admin)
        .schedule_cut_at(T0 + DAY, vvv(7_000_000), T0)
        .motsu_unwrap();
    assert_eq!(
        ctl.sender(alice)
            .apr_bps_at(10_000, T0 + DAY)
            .motsu_unwrap(),
        U256::from(140)
    );
    assert_eq!(
        ctl.sender(alice).apr_bps_at(8_000, T0 + DAY).motsu_unwrap(),
        U256::from(112)
    );
    // Locking half of the stake lowers the total weight (U + 0.8 L = 90M): the unlocked APR
    // rises to 14M/2 × 20% / 90M = 1.555…% and the locked one is 80% of it.
    s._minter_lock(alice, vvv(50_000_000));
    assert_eq!(
        ctl.sender(alice)
            .apr_bps_at(10_000, T0 + DAY)
            .motsu_unwrap(),
        U256::from(155)
    );
    assert_eq!(
        ctl.sender(alice).apr_bps_at(8_000, T0 + DAY).motsu_unwrap(),
        U256::from(124)
    );
}

// ----- access control -----

#[motsu::test]
fn roles_are_managed_by_the_admin(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    ctl: Contract<EmissionController>,
    deployer: Address,
    admin: Address,
    treasury: Address,
    reporter: Address,
    mallory: Address,
) {
    Suite::deploy(
        &token,
        &vault,
        &ctl,
        (deployer, admin, treasury),
        vvv(1_000),
        T0,
    );
    assert_revert!(
        ctl.sender(mallory)
            .grant_role(REPORTER_ROLE.into(), mallory),
        unauthorized(mallory, ADMIN_ROLE)
    );
    ctl.sender(admin)
        .grant_role(REPORTER_ROLE.into(), reporter)
        .motsu_unwrap();
    ctl.assert_emitted(&control::RoleGranted {
        role: REPORTER_ROLE.into(),
        account: reporter,
        sender: admin,
    });
    assert!(ctl.sender(admin).has_role(REPORTER_ROLE.into(), reporter));
    assert_eq!(
        ctl.sender(admin).get_role_admin(REPORTER_ROLE.into()),
        B256::ZERO
    );
    assert_revert!(
        ctl.sender(reporter)
            .renounce_role(REPORTER_ROLE.into(), admin),
        Error::BadConfirmation(control::AccessControlBadConfirmation {})
    );
    ctl.sender(reporter)
        .renounce_role(REPORTER_ROLE.into(), reporter)
        .motsu_unwrap();
    assert!(!ctl.sender(admin).has_role(REPORTER_ROLE.into(), reporter));
    assert_revert!(
        ctl.sender(reporter).report_utilization(1),
        unauthorized(reporter, REPORTER_ROLE)
    );
    // The admin can give up its own role.
    ctl.sender(admin)
        .renounce_role(ADMIN_ROLE.into(), admin)
        .motsu_unwrap();
    assert!(!ctl.sender(admin).has_role(ADMIN_ROLE.into(), admin));
    ctl.assert_emitted(&control::RoleRevoked {
        role: ADMIN_ROLE.into(),
        account: admin,
        sender: admin,
    });
}

// ----- invariants -----

/// One step of the INV-4 property: advance time, then do something.
#[derive(Clone, Debug)]
enum RateAction {
    Distribute,
    /// Immediate cut to `rate in force × bps / 10 000` (above 10 000: an attempted raise).
    Cut(u32),
    /// Cut at `now + offset` to `rate in force × bps / 10 000` (may be rejected).
    Schedule(u64, u32),
}

fn rate_action() -> impl Strategy<Value = RateAction> {
    prop_oneof![
        3 => Just(RateAction::Distribute),
        2 => (0u32..=12_000).prop_map(RateAction::Cut),
        3 => (1u64..=120 * DAY, 0u32..=12_000).prop_map(|(o, b)| RateAction::Schedule(o, b)),
    ]
}

/// INV-4 emission exactness and rate monotonicity: random call times, random immediate and
/// scheduled cuts (some of them attempted raises): the total minted equals `⌊∫ rate / YEAR⌋`
/// of the model rate, equals `token.totalMinted()`, and the rate never rises.
#[motsu::test]
fn inv4_emission_exact_with_random_cuts_and_times() {
    let mut runner = TestRunner::new(Config {
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = (
        0u64..=14_000_000,
        prop::collection::vec((0u64..=45 * DAY, rate_action()), 1..24),
    );
    runner
        .run(&strategy, |(start_vvv, actions)| {
            let (token, vault, ctl) = (
                Contract::<VvvToken>::new(),
                Contract::<StakingVault>::new(),
                Contract::<EmissionController>::new(),
            );
            let (deployer, admin, treasury) = (
                Address::repeat_byte(0xd0),
                Address::repeat_byte(0xad),
                Address::repeat_byte(0x7e),
            );
            let r0 = vvv(start_vvv);
            let s = Suite::deploy(&token, &vault, &ctl, (deployer, admin, treasury), r0, T0);
            s.stake(Address::repeat_byte(0x5a), vvv(1_000));
            // Model: every accepted rate change `(time, rate)`; rate(t) = min(r0, rates ≤ t).
            let mut changes: Vec<(u64, U256)> = Vec::new();
            let model_rate = |changes: &[(u64, U256)], t: u64| {
                changes
                    .iter()
                    .filter(|c| c.0 <= t)
                    .fold(r0, |r, c| r.min(c.1))
            };
            let mut now = T0;
            let mut last_rate = r0;
            for (dt, action) in actions {
                now += dt;
                let in_force = ctl.sender(admin).annual_emission_at(now);
                prop_assert_eq!(in_force, model_rate(&changes, now));
                prop_assert!(in_force <= last_rate, "rate rose");
                last_rate = in_force;
                let scaled = |bps: u32| in_force * U256::from(bps) / U256::from(10_000);
                match action {
                    RateAction::Distribute => {
                        s.distribute_at(now);
                    }
                    RateAction::Cut(bps) => {
                        let new = scaled(bps);
                        match ctl.sender(admin).cut_emission_at(new, now).motsu_res() {
                            Ok(()) => {
                                prop_assert!(new <= in_force);
                                // Pending cuts above it are lowered (bookkeeping only: with
                                // the min rule the modelled rate is the same).
                                for c in changes.iter_mut().filter(|c| c.0 > now) {
                                    c.1 = c.1.min(new);
                                }
                                changes.push((now, new));
                            }
                            Err(err) => {
                                prop_assert!(new > in_force);
                                prop_assert_eq!(err, increase_forbidden(in_force, new));
                            }
                        }
                    }
                    RateAction::Schedule(offset, bps) => {
                        let (at, new) = (now + offset, scaled(bps));
                        match ctl.sender(admin).schedule_cut_at(at, new, now).motsu_res() {
                            Ok(()) => {
                                // Never above the rate in force at its time; later cuts above
                                // it are lowered to it (the min rule models exactly that).
                                prop_assert!(new <= model_rate(&changes, at));
                                for c in changes.iter_mut().filter(|c| c.0 > at) {
                                    c.1 = c.1.min(new);
                                }
                                changes.push((at, new));
                            }
                            Err(err @ Error::EmissionIncreaseForbidden(_)) => {
                                let current = model_rate(&changes, at);
                                prop_assert!(new > current);
                                prop_assert_eq!(err, increase_forbidden(current, new));
                            }
                            Err(Error::TooManyScheduledCuts(_)) => {
                                prop_assert_eq!(ctl.sender(admin).scheduled_cuts().0.len(), 8);
                            }
                            Err(err) => return Err(TestCaseError::fail(format!("{err:?}"))),
                        }
                    }
                }
                // The schedule never rises in time and never exceeds an accepted request
                // from its time on (issue 9, finding 3).
                let (times, rates) = ctl.sender(admin).scheduled_cuts();
                let mut before = ctl.sender(admin).annual_emission_at(now);
                for (time, rate) in times.iter().zip(&rates) {
                    if *time > now {
                        prop_assert!(*rate <= before, "scheduled rate rises at {}", time);
                        before = *rate;
                    }
                }
                for &(time, rate) in changes.iter().filter(|c| c.0 >= now) {
                    prop_assert!(ctl.sender(admin).annual_emission_at(time) <= rate);
                }
            }
            now += DAY;
            s.distribute_at(now);
            // ⌊∫ rate dt / YEAR⌋ over [T0, now) from the model, second-exact.
            let mut points: Vec<u64> = changes.iter().map(|c| c.0).filter(|&t| t < now).collect();
            points.push(T0);
            points.push(now);
            points.sort_unstable();
            points.dedup();
            let pieces: Vec<(U256, u64)> = points
                .windows(2)
                .map(|w| (model_rate(&changes, w[0]), w[1] - w[0]))
                .collect();
            let expected = exact(&pieces);
            prop_assert_eq!(ctl.sender(admin).total_emitted(), expected);
            prop_assert_eq!(token.sender(admin).total_minted(), expected);
            prop_assert_eq!(s.to_stakers() + s.treasury_balance(), expected);
            prop_assert!(ctl.sender(admin).carry() < U256::from(YEAR));
            Ok(())
        })
        .unwrap();
}

/// One step of the INV-5 property.
#[derive(Clone, Debug)]
enum SplitAction {
    Distribute,
    Report(u16),
    /// A curve: interior utilizations (made strictly increasing) and shares.
    Curve(Vec<u16>, Vec<u16>),
}

fn split_action() -> impl Strategy<Value = SplitAction> {
    prop_oneof![
        2 => Just(SplitAction::Distribute),
        4 => (0u16..=10_500).prop_map(SplitAction::Report),
        1 => (
            prop::collection::btree_set(1u16..10_000, 0..=6),
            prop::collection::vec(0u16..=10_000, 8),
        )
            .prop_map(|(interior, shares)| {
                let mut utils = vec![0u16];
                utils.extend(interior);
                utils.push(10_000);
                let shares = shares[..utils.len()].to_vec();
                SplitAction::Curve(utils, shares)
            }),
    ]
}

/// INV-5 split conservation: random utilization reports and curves at random times: Σ to
/// stakers + Σ to treasury == Σ minted, each period is split at the share in force during it,
/// and the vault's and treasury's receipts match.
#[motsu::test]
fn inv5_split_conservation_with_random_reports() {
    let mut runner = TestRunner::new(Config {
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = (
        1u64..=14_000_000,
        prop::collection::vec((0u64..=20 * DAY, split_action()), 1..24),
    );
    runner
        .run(&strategy, |(rate_vvv, actions)| {
            let (token, vault, ctl) = (
                Contract::<VvvToken>::new(),
                Contract::<StakingVault>::new(),
                Contract::<EmissionController>::new(),
            );
            let (deployer, admin, treasury, reporter) = (
                Address::repeat_byte(0xd0),
                Address::repeat_byte(0xad),
                Address::repeat_byte(0x7e),
                Address::repeat_byte(0x3e),
            );
            let s = Suite::deploy(
                &token,
                &vault,
                &ctl,
                (deployer, admin, treasury),
                vvv(rate_vvv),
                T0,
            );
            s.stake(Address::repeat_byte(0x5a), vvv(12_345));
            s.grant_reporter(reporter);
            let staked_vvv = vvv(12_345);
            // Model of the split: share in force, Σ expected to stakers / treasury.
            let mut curve: Vec<CurvePoint> = DEFAULT_CURVE.to_vec();
            let mut utilization = 0u16;
            let (mut sum_stakers, mut sum_treasury) = (U256::ZERO, U256::ZERO);
            let mut emitted = U256::ZERO;
            let mut now = T0;
            let mut settle = |emitted_now: U256, share: u16, emitted: &mut U256| {
                let minted = emitted_now - *emitted;
                let stakers = minted * U256::from(share) / U256::from(10_000);
                sum_stakers += stakers;
                sum_treasury += minted - stakers;
                *emitted = emitted_now;
            };
            for (dt, action) in actions {
                now += dt;
                let share = split::staker_share_bps(&curve, utilization);
                prop_assert_eq!(ctl.sender(admin).current_staker_share_bps(), share);
                match action {
                    SplitAction::Distribute => {
                        s.distribute_at(now);
                    }
                    SplitAction::Report(bps) => {
                        match ctl
                            .sender(reporter)
                            .report_utilization_at(bps, now)
                            .motsu_res()
                        {
                            Ok(()) => utilization = bps,
                            Err(err) => {
                                prop_assert!(bps > 10_000);
                                prop_assert!(matches!(err, Error::UtilizationOutOfRange(_)));
                                continue;
                            }
                        }
                    }
                    SplitAction::Curve(u, sh) => {
                        ctl.sender(admin)
                            .set_curve_at(u.clone(), sh.clone(), now)
                            .motsu_unwrap();
                        curve = u
                            .iter()
                            .zip(sh.iter())
                            .map(|(&utilization_bps, &staker_share_bps)| CurvePoint {
                                utilization_bps,
                                staker_share_bps,
                            })
                            .collect();
                    }
                }
                // Every successful action distributed up to `now` at the share in force before it.
                settle(ctl.sender(admin).total_emitted(), share, &mut emitted);
            }
            prop_assert_eq!(s.to_stakers(), sum_stakers);
            prop_assert_eq!(s.treasury_balance(), sum_treasury);
            prop_assert_eq!(sum_stakers + sum_treasury, emitted);
            prop_assert_eq!(token.sender(admin).total_minted(), emitted);
            prop_assert_eq!(
                token.sender(admin).balance_of(vault.address()),
                staked_vvv + sum_stakers
            );
            Ok(())
        })
        .unwrap();
}

/// Issue 9, finding 6: the stakers' share at any utilization, on the current curve.
#[motsu::test]
fn staker_share_bps_for_any_utilization(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    ctl: Contract<EmissionController>,
    deployer: Address,
    admin: Address,
    treasury: Address,
) {
    Suite::deploy(
        &token,
        &vault,
        &ctl,
        (deployer, admin, treasury),
        vvv(14_000_000),
        T0,
    );
    let c = || ctl.sender(admin);
    for (u, share) in [
        (0, 8_000),
        (2_500, 5_000),
        (5_000, 2_000),
        (7_500, 5_000),
        (10_000, 8_000),
    ] {
        assert_eq!(c().staker_share_bps(u).motsu_unwrap(), share, "u = {u}");
    }
    for u in [10_001, u16::MAX] {
        assert_revert!(
            c().staker_share_bps(u),
            Error::UtilizationOutOfRange(UtilizationOutOfRange { bps: U256::from(u) })
        );
    }
    // It follows the curve in force.
    c().set_curve_at(vec![0, 10_000], vec![10_000, 10_000], T0)
        .motsu_unwrap();
    assert_eq!(c().staker_share_bps(5_000).motsu_unwrap(), 10_000);
}
