//! Unit tests (motsu): every public function, every revert path with its exact error, the events,
//! credit staking and its next-UTC-day release.
use alloy_primitives::uint;
use motsu::prelude::*;
use openzeppelin_stylus::token::erc20::Transfer;
use vvv_common::units::{DAY, WAD};
use vvv_test_support::{assert_encodes_as_abi, assert_revert};

use super::*;
use diem_minter::DiemMinter;

/// motsu's fixed block timestamp: 2025-01-01T00:00:00Z, itself a UTC day boundary.
const MOTSU_NOW: u64 = 1_735_689_600;
/// 12:00 UTC on 2025-01-01.
const NOON: u64 = MOTSU_NOW + DAY / 2;

fn diem(x: u64) -> U256 {
    U256::from(x) * WAD
}

/// Deploys DIEM with `minter` wired and mints `amount` to `holder`.
#[must_use = "the minter lives as long as the returned value"]
fn setup(
    token: &Contract<DiemToken>,
    deployer: Address,
    minter: Address,
    holder: Address,
    amount: U256,
) -> Contract<DiemMinter> {
    token.sender(deployer).constructor(deployer).motsu_unwrap();
    let diem_minter = minter_at(minter, token.address());
    token.sender(deployer).set_minter(minter).motsu_unwrap();
    token.sender(minter).mint(holder, amount).motsu_unwrap();
    diem_minter
}

/// A real DIEM minter at `minter`, built for `token` (its `diem()` is checked when it is
/// wired). Keep it alive for the test: dropping a motsu contract erases it.
fn minter_at(minter: Address, token: Address) -> Contract<DiemMinter> {
    let diem_minter = Contract::<DiemMinter>::new_at(minter);
    let other = Address::with_last_byte(0xee);
    diem_minter
        .sender(other)
        .constructor(other, token, other, vvv_common::diem::DEFAULT_BASE)
        .motsu_unwrap();
    diem_minter
}

/// Finding 5 of issue 9: the minter must name this token in its own `diem()`.
#[motsu::test]
fn set_minter_checks_the_minters_diem(
    token: Contract<DiemToken>,
    deployer: Address,
    minter: Address,
    other_diem: Address,
) {
    token.sender(deployer).constructor(deployer).motsu_unwrap();
    let _elsewhere = minter_at(minter, other_diem);
    let expected = WiringMismatch {
        counterpart: minter,
        expected: token.address(),
        actual: other_diem,
    };
    assert_revert!(
        token.sender(deployer).set_minter(minter),
        matches Error::WiringMismatch(e) if e == expected
    );
    assert_eq!(token.sender(deployer).minter(), Address::ZERO);
}

#[motsu::test]
fn metadata(token: Contract<DiemToken>, alice: Address) {
    assert_eq!(token.sender(alice).name(), "Diem");
    assert_eq!(token.sender(alice).symbol(), "DIEM");
    assert_eq!(token.sender(alice).decimals(), 18);
    assert_eq!(token.sender(alice).total_supply(), U256::ZERO);
    assert_eq!(MIN_CREDIT_STAKE, WAD / U256::from(10));
}

#[motsu::test]
fn set_minter_wires_once(token: Contract<DiemToken>, deployer: Address, minter: Address) {
    token.sender(deployer).constructor(deployer).motsu_unwrap();
    assert_eq!(token.sender(deployer).minter(), Address::ZERO);
    let _minter = minter_at(minter, token.address());
    token.sender(deployer).set_minter(minter).motsu_unwrap();
    assert_eq!(token.sender(deployer).minter(), minter);
    token.assert_emitted(&Wired {
        link: vvv_wiring::MINTER,
        account: minter,
    });
}

#[motsu::test]
fn set_minter_twice_reverts(token: Contract<DiemToken>, deployer: Address, minter: Address) {
    token.sender(deployer).constructor(deployer).motsu_unwrap();
    let _minter = minter_at(minter, token.address());
    token.sender(deployer).set_minter(minter).motsu_unwrap();
    assert_revert!(
        token.sender(deployer).set_minter(deployer),
        matches Error::AlreadyWired(AlreadyWired { link, current })
            if link == vvv_wiring::MINTER && current == minter
    );
    assert_eq!(token.sender(deployer).minter(), minter);
}

#[motsu::test]
fn set_minter_by_non_deployer_reverts(
    token: Contract<DiemToken>,
    deployer: Address,
    alice: Address,
) {
    token.sender(deployer).constructor(deployer).motsu_unwrap();
    assert_revert!(
        token.sender(alice).set_minter(alice),
        matches Error::NotDeployer(NotDeployer { caller }) if caller == alice
    );
}

/// Through the StylusDeployer the constructor's caller is that contract: the account
/// passed as `deployer` wires, the caller cannot (D-1).
#[motsu::test]
fn set_minter_by_the_deployer_argument_not_the_constructor_caller(
    token: Contract<DiemToken>,
    factory: Address,
    deployer: Address,
    minter: Address,
) {
    token.sender(factory).constructor(deployer).motsu_unwrap();
    assert_revert!(
        token.sender(factory).set_minter(minter),
        matches Error::NotDeployer(NotDeployer { caller }) if caller == factory
    );
    let _minter = minter_at(minter, token.address());
    token.sender(deployer).set_minter(minter).motsu_unwrap();
    assert_eq!(token.sender(deployer).minter(), minter);
}

#[motsu::test]
fn constructor_reverts_on_zero_deployer(token: Contract<DiemToken>, alice: Address) {
    assert_revert!(
        token.sender(alice).constructor(Address::ZERO),
        matches Error::InvalidDeployer(InvalidDeployer {})
    );
}

#[motsu::test]
fn set_minter_zero_reverts(token: Contract<DiemToken>, deployer: Address) {
    token.sender(deployer).constructor(deployer).motsu_unwrap();
    assert_revert!(
        token.sender(deployer).set_minter(Address::ZERO),
        matches Error::InvalidLink(InvalidLink { link }) if link == vvv_wiring::MINTER
    );
}

#[motsu::test]
fn minter_mints_spendable_diem(
    token: Contract<DiemToken>,
    deployer: Address,
    minter: Address,
    alice: Address,
) {
    let _minter = setup(&token, deployer, minter, alice, diem(5));
    assert_eq!(token.sender(alice).balance_of(alice), diem(5));
    assert_eq!(token.sender(alice).spendable_of(alice), diem(5));
    assert_eq!(token.sender(alice).total_supply(), diem(5));
    token.assert_emitted(&Transfer {
        from: Address::ZERO,
        to: alice,
        value: diem(5),
    });
}

#[motsu::test]
fn non_minter_cannot_mint(
    token: Contract<DiemToken>,
    deployer: Address,
    minter: Address,
    alice: Address,
) {
    token.sender(deployer).constructor(deployer).motsu_unwrap();
    // Before wiring nobody can mint, the deployer included.
    assert_revert!(
        token.sender(deployer).mint(alice, diem(1)),
        matches Error::UnauthorizedCaller(UnauthorizedCaller { link, caller })
            if link == vvv_wiring::MINTER && caller == deployer
    );
    let _minter = minter_at(minter, token.address());
    token.sender(deployer).set_minter(minter).motsu_unwrap();
    assert_revert!(
        token.sender(alice).mint(alice, diem(1)),
        matches Error::UnauthorizedCaller(UnauthorizedCaller { link, caller })
            if link == vvv_wiring::MINTER && caller == alice
    );
    assert_revert!(
        token.sender(deployer).mint(alice, diem(1)),
        matches Error::UnauthorizedCaller(UnauthorizedCaller { link, caller })
            if link == vvv_wiring::MINTER && caller == deployer
    );
    assert_eq!(token.sender(alice).total_supply(), U256::ZERO);
}

#[motsu::test]
fn mint_overflowing_supply_reverts(
    token: Contract<DiemToken>,
    deployer: Address,
    minter: Address,
    alice: Address,
) {
    let _minter = setup(&token, deployer, minter, alice, U256::MAX);
    assert_revert!(
        token.sender(minter).mint(alice, U256::from(1)),
        matches Error::SupplyOverflow(SupplyOverflow { totalSupply, amount })
            if totalSupply == U256::MAX && amount == U256::from(1)
    );
}

#[motsu::test]
fn minter_burns_without_allowance(
    token: Contract<DiemToken>,
    deployer: Address,
    minter: Address,
    alice: Address,
) {
    let _minter = setup(&token, deployer, minter, alice, diem(5));
    token.sender(minter).burn(alice, diem(2)).motsu_unwrap();
    assert_eq!(token.sender(alice).balance_of(alice), diem(3));
    assert_eq!(token.sender(alice).total_supply(), diem(3));
    token.assert_emitted(&Transfer {
        from: alice,
        to: Address::ZERO,
        value: diem(2),
    });
}

#[motsu::test]
fn non_minter_cannot_burn(
    token: Contract<DiemToken>,
    deployer: Address,
    minter: Address,
    alice: Address,
) {
    let _minter = setup(&token, deployer, minter, alice, diem(5));
    assert_revert!(
        token.sender(alice).burn(alice, diem(1)),
        matches Error::UnauthorizedCaller(UnauthorizedCaller { link, caller })
            if link == vvv_wiring::MINTER && caller == alice
    );
    assert_revert!(
        token.sender(deployer).burn(alice, diem(1)),
        matches Error::UnauthorizedCaller(UnauthorizedCaller { link, caller })
            if link == vvv_wiring::MINTER && caller == deployer
    );
    assert_eq!(token.sender(alice).balance_of(alice), diem(5));
}

#[motsu::test]
fn burn_more_than_spendable_reverts(
    token: Contract<DiemToken>,
    deployer: Address,
    minter: Address,
    alice: Address,
) {
    let _minter = setup(&token, deployer, minter, alice, diem(5));
    token.sender(alice).stake_credit(diem(4)).motsu_unwrap();
    assert_revert!(
        token.sender(minter).burn(alice, diem(2)),
        matches Error::InsufficientSpendable(e)
            if e == InsufficientSpendable { spendable: diem(1), needed: diem(2) }
    );
    // Pending DIEM cannot be burned either.
    token
        .sender(alice)
        .request_credit_unstake_at(diem(4), NOON)
        .motsu_unwrap();
    assert_revert!(
        token.sender(minter).burn(alice, diem(2)),
        matches Error::InsufficientSpendable(e)
            if e == InsufficientSpendable { spendable: diem(1), needed: diem(2) }
    );
    token.sender(minter).burn(alice, diem(1)).motsu_unwrap();
    assert_eq!(token.sender(alice).balance_of(alice), diem(4));
}

#[motsu::test]
fn transfers_move_spendable_diem(
    token: Contract<DiemToken>,
    deployer: Address,
    minter: Address,
    alice: Address,
    bob: Address,
    carol: Address,
) {
    let _minter = setup(&token, deployer, minter, alice, diem(5));
    assert!(token.sender(alice).transfer(bob, diem(1)).motsu_unwrap());
    assert!(token.sender(alice).approve(carol, diem(2)).motsu_unwrap());
    assert_eq!(token.sender(alice).allowance(alice, carol), diem(2));
    assert!(token
        .sender(carol)
        .transfer_from(alice, bob, diem(2))
        .motsu_unwrap());
    assert_eq!(token.sender(alice).balance_of(alice), diem(2));
    assert_eq!(token.sender(alice).balance_of(bob), diem(3));
    assert_eq!(token.sender(alice).allowance(alice, carol), U256::ZERO);
}

#[motsu::test]
fn transferring_staked_diem_reverts(
    token: Contract<DiemToken>,
    deployer: Address,
    minter: Address,
    alice: Address,
    bob: Address,
) {
    let _minter = setup(&token, deployer, minter, alice, diem(5));
    token.sender(alice).stake_credit(diem(3)).motsu_unwrap();
    assert_revert!(
        token.sender(alice).transfer(bob, diem(3)),
        matches Error::InsufficientSpendable(e)
            if e == InsufficientSpendable { spendable: diem(2), needed: diem(3) }
    );
    token.sender(alice).approve(bob, U256::MAX).motsu_unwrap();
    assert_revert!(
        token.sender(bob).transfer_from(alice, bob, diem(5)),
        matches Error::InsufficientSpendable(e)
            if e == InsufficientSpendable { spendable: diem(2), needed: diem(5) }
    );
    // The spendable part still moves.
    token.sender(alice).transfer(bob, diem(2)).motsu_unwrap();
    assert_eq!(token.sender(alice).balance_of(alice), diem(3));
    assert_eq!(token.sender(alice).spendable_of(alice), U256::ZERO);
}

#[motsu::test]
fn transferring_pending_diem_reverts(
    token: Contract<DiemToken>,
    deployer: Address,
    minter: Address,
    alice: Address,
    bob: Address,
) {
    let _minter = setup(&token, deployer, minter, alice, diem(5));
    token.sender(alice).stake_credit(diem(5)).motsu_unwrap();
    token
        .sender(alice)
        .request_credit_unstake_at(diem(5), NOON)
        .motsu_unwrap();
    assert_revert!(
        token.sender(alice).transfer(bob, diem(1)),
        matches Error::InsufficientSpendable(e)
            if e == InsufficientSpendable { spendable: U256::ZERO, needed: diem(1) }
    );
    token
        .sender(alice)
        .withdraw_credit_at(MOTSU_NOW + DAY)
        .motsu_unwrap();
    token.sender(alice).transfer(bob, diem(5)).motsu_unwrap();
    assert_eq!(token.sender(alice).balance_of(bob), diem(5));
}

#[motsu::test]
fn stake_credit_counts_as_daily_credit(
    token: Contract<DiemToken>,
    deployer: Address,
    minter: Address,
    alice: Address,
    bob: Address,
) {
    let _minter = setup(&token, deployer, minter, alice, diem(5));
    token.sender(minter).mint(bob, diem(1)).motsu_unwrap();
    token.sender(alice).stake_credit(diem(3)).motsu_unwrap();
    token.assert_emitted(&CreditStaked {
        account: alice,
        amount: diem(3),
        staked: diem(3),
    });
    token
        .sender(bob)
        .stake_credit(MIN_CREDIT_STAKE)
        .motsu_unwrap();
    // A top-up may be below the minimum once the stake is above it.
    token
        .sender(alice)
        .stake_credit(U256::from(1))
        .motsu_unwrap();
    let alice_staked = diem(3) + U256::from(1);
    token.assert_emitted(&CreditStaked {
        account: alice,
        amount: U256::from(1),
        staked: alice_staked,
    });
    assert_eq!(token.sender(alice).staked_credit_of(alice), alice_staked);
    assert_eq!(token.sender(alice).daily_credit_usd(alice), alice_staked);
    assert_eq!(token.sender(alice).daily_credit_usd(bob), MIN_CREDIT_STAKE);
    assert_eq!(
        token.sender(alice).total_daily_credit_usd(),
        alice_staked + MIN_CREDIT_STAKE
    );
    // Staking moves nothing: the balance is the whole holding.
    assert_eq!(token.sender(alice).balance_of(alice), diem(5));
    assert_eq!(
        token.sender(alice).spendable_of(alice),
        diem(2) - U256::from(1)
    );
    assert_eq!(token.sender(alice).total_supply(), diem(6));
}

#[motsu::test]
fn stake_credit_below_minimum_reverts(
    token: Contract<DiemToken>,
    deployer: Address,
    minter: Address,
    alice: Address,
) {
    let _minter = setup(&token, deployer, minter, alice, diem(5));
    let just_below = MIN_CREDIT_STAKE - U256::from(1);
    assert_revert!(
        token.sender(alice).stake_credit(just_below),
        matches Error::CreditStakeTooSmall(CreditStakeTooSmall { staked, minimum })
            if staked == just_below && minimum == MIN_CREDIT_STAKE
    );
    assert_eq!(token.sender(alice).staked_credit_of(alice), U256::ZERO);
    token
        .sender(alice)
        .stake_credit(MIN_CREDIT_STAKE)
        .motsu_unwrap();
}

#[motsu::test]
fn stake_credit_zero_reverts(
    token: Contract<DiemToken>,
    deployer: Address,
    minter: Address,
    alice: Address,
) {
    let _minter = setup(&token, deployer, minter, alice, diem(5));
    assert_revert!(token.sender(alice).stake_credit(U256::ZERO), matches Error::ZeroAmount(_));
}

#[motsu::test]
fn stake_credit_more_than_spendable_reverts(
    token: Contract<DiemToken>,
    deployer: Address,
    minter: Address,
    alice: Address,
) {
    let _minter = setup(&token, deployer, minter, alice, diem(5));
    token.sender(alice).stake_credit(diem(4)).motsu_unwrap();
    assert_revert!(
        token.sender(alice).stake_credit(diem(2)),
        matches Error::InsufficientSpendable(e)
            if e == InsufficientSpendable { spendable: diem(1), needed: diem(2) }
    );
}

#[motsu::test]
fn request_credit_unstake_stops_counting_and_sets_next_boundary(
    token: Contract<DiemToken>,
    deployer: Address,
    minter: Address,
    alice: Address,
) {
    let _minter = setup(&token, deployer, minter, alice, diem(5));
    token.sender(alice).stake_credit(diem(5)).motsu_unwrap();
    // Through the public entry point at motsu's time (itself a day boundary).
    token
        .sender(alice)
        .request_credit_unstake(diem(2))
        .motsu_unwrap();
    let release = MOTSU_NOW + DAY;
    token.assert_emitted(&CreditUnstakeRequested {
        account: alice,
        amount: diem(2),
        staked: diem(3),
        pending: diem(2),
        releaseTime: release,
    });
    assert_eq!(token.sender(alice).daily_credit_usd(alice), diem(3));
    assert_eq!(token.sender(alice).total_daily_credit_usd(), diem(3));
    assert_eq!(
        token.sender(alice).pending_credit_of(alice),
        (diem(2), release)
    );
    assert_eq!(token.sender(alice).total_pending_credit(), diem(2));
    assert_eq!(token.sender(alice).spendable_of(alice), U256::ZERO);
    assert_eq!(token.sender(alice).balance_of(alice), diem(5));
}

#[motsu::test]
fn request_credit_unstake_everything_is_allowed(
    token: Contract<DiemToken>,
    deployer: Address,
    minter: Address,
    alice: Address,
) {
    let _minter = setup(&token, deployer, minter, alice, diem(5));
    token
        .sender(alice)
        .stake_credit(MIN_CREDIT_STAKE)
        .motsu_unwrap();
    token
        .sender(alice)
        .request_credit_unstake_at(MIN_CREDIT_STAKE, MOTSU_NOW + 1)
        .motsu_unwrap();
    assert_eq!(token.sender(alice).staked_credit_of(alice), U256::ZERO);
    assert_eq!(token.sender(alice).total_daily_credit_usd(), U256::ZERO);
}

#[motsu::test]
fn request_credit_unstake_leaving_dust_reverts(
    token: Contract<DiemToken>,
    deployer: Address,
    minter: Address,
    alice: Address,
) {
    let _minter = setup(&token, deployer, minter, alice, diem(5));
    token.sender(alice).stake_credit(diem(1)).motsu_unwrap();
    let amount = diem(1) - MIN_CREDIT_STAKE + U256::from(1);
    assert_revert!(
        token.sender(alice).request_credit_unstake_at(amount, NOON),
        matches Error::CreditStakeTooSmall(CreditStakeTooSmall { staked, minimum })
            if staked == MIN_CREDIT_STAKE - U256::from(1) && minimum == MIN_CREDIT_STAKE
    );
    // Leaving exactly the minimum is fine.
    token
        .sender(alice)
        .request_credit_unstake_at(diem(1) - MIN_CREDIT_STAKE, NOON)
        .motsu_unwrap();
    assert_eq!(
        token.sender(alice).staked_credit_of(alice),
        MIN_CREDIT_STAKE
    );
}

#[motsu::test]
fn request_credit_unstake_more_than_staked_reverts(
    token: Contract<DiemToken>,
    deployer: Address,
    minter: Address,
    alice: Address,
) {
    let _minter = setup(&token, deployer, minter, alice, diem(5));
    token.sender(alice).stake_credit(diem(1)).motsu_unwrap();
    assert_revert!(
        token.sender(alice).request_credit_unstake_at(diem(2), NOON),
        matches Error::InsufficientStakedCredit(InsufficientStakedCredit { staked, requested })
            if staked == diem(1) && requested == diem(2)
    );
}

#[motsu::test]
fn request_credit_unstake_zero_reverts(
    token: Contract<DiemToken>,
    deployer: Address,
    minter: Address,
    alice: Address,
) {
    let _minter = setup(&token, deployer, minter, alice, diem(5));
    token.sender(alice).stake_credit(diem(1)).motsu_unwrap();
    assert_revert!(
        token
            .sender(alice)
            .request_credit_unstake_at(U256::ZERO, NOON),
        matches Error::ZeroAmount(_)
    );
}

#[motsu::test]
fn withdraw_credit_before_day_boundary_reverts(
    token: Contract<DiemToken>,
    deployer: Address,
    minter: Address,
    alice: Address,
) {
    let _minter = setup(&token, deployer, minter, alice, diem(5));
    token.sender(alice).stake_credit(diem(5)).motsu_unwrap();
    token
        .sender(alice)
        .request_credit_unstake_at(diem(5), NOON)
        .motsu_unwrap();
    let release = MOTSU_NOW + DAY;
    for now in [NOON, release - 1] {
        assert_revert!(
            token.sender(alice).withdraw_credit_at(now),
            matches Error::CreditLocked(CreditLocked { releaseTime }) if releaseTime == release
        );
    }
    // The public entry point reads motsu's time, which is before the release.
    assert_revert!(
        token.sender(alice).withdraw_credit(),
        matches Error::CreditLocked(CreditLocked { releaseTime }) if releaseTime == release
    );
    assert_eq!(token.sender(alice).spendable_of(alice), U256::ZERO);
}

#[motsu::test]
fn withdraw_credit_at_day_boundary_frees_pending(
    token: Contract<DiemToken>,
    deployer: Address,
    minter: Address,
    alice: Address,
) {
    let _minter = setup(&token, deployer, minter, alice, diem(5));
    token.sender(alice).stake_credit(diem(5)).motsu_unwrap();
    token
        .sender(alice)
        .request_credit_unstake_at(diem(4), NOON)
        .motsu_unwrap();
    let release = MOTSU_NOW + DAY;
    let freed = token
        .sender(alice)
        .withdraw_credit_at(release)
        .motsu_unwrap();
    assert_eq!(freed, diem(4));
    token.assert_emitted(&CreditWithdrawn {
        account: alice,
        amount: diem(4),
    });
    assert_eq!(
        token.sender(alice).pending_credit_of(alice),
        (U256::ZERO, 0)
    );
    assert_eq!(token.sender(alice).total_pending_credit(), U256::ZERO);
    assert_eq!(token.sender(alice).spendable_of(alice), diem(4));
    assert_eq!(token.sender(alice).staked_credit_of(alice), diem(1));
    assert_eq!(token.sender(alice).balance_of(alice), diem(5));
}

#[motsu::test]
fn withdraw_credit_with_nothing_pending_reverts(
    token: Contract<DiemToken>,
    deployer: Address,
    minter: Address,
    alice: Address,
) {
    let _minter = setup(&token, deployer, minter, alice, diem(5));
    assert_revert!(token.sender(alice).withdraw_credit_at(NOON), matches Error::NoPendingCredit(_));
}

/// A second request on the same UTC day adds to the pending amount with the same release.
#[motsu::test]
fn second_request_same_day_adds_to_pending(
    token: Contract<DiemToken>,
    deployer: Address,
    minter: Address,
    alice: Address,
) {
    let _minter = setup(&token, deployer, minter, alice, diem(5));
    token.sender(alice).stake_credit(diem(5)).motsu_unwrap();
    token
        .sender(alice)
        .request_credit_unstake_at(diem(1), MOTSU_NOW + 60)
        .motsu_unwrap();
    token
        .sender(alice)
        .request_credit_unstake_at(diem(2), MOTSU_NOW + DAY - 1)
        .motsu_unwrap();
    let release = MOTSU_NOW + DAY;
    token.assert_emitted(&CreditUnstakeRequested {
        account: alice,
        amount: diem(2),
        staked: diem(2),
        pending: diem(3),
        releaseTime: release,
    });
    assert_eq!(
        token.sender(alice).pending_credit_of(alice),
        (diem(3), release)
    );
    token
        .sender(alice)
        .withdraw_credit_at(release)
        .motsu_unwrap();
    assert_eq!(token.sender(alice).spendable_of(alice), diem(3));
}

/// A request after an earlier one has matured frees the earlier one first, so it is never
/// locked again.
#[motsu::test]
fn request_after_matured_pending_frees_it_first(
    token: Contract<DiemToken>,
    deployer: Address,
    minter: Address,
    alice: Address,
) {
    let _minter = setup(&token, deployer, minter, alice, diem(5));
    token.sender(alice).stake_credit(diem(5)).motsu_unwrap();
    token
        .sender(alice)
        .request_credit_unstake_at(diem(1), NOON)
        .motsu_unwrap();
    let later = MOTSU_NOW + 3 * DAY + 5;
    token
        .sender(alice)
        .request_credit_unstake_at(diem(2), later)
        .motsu_unwrap();
    token.assert_emitted(&CreditWithdrawn {
        account: alice,
        amount: diem(1),
    });
    let release = MOTSU_NOW + 4 * DAY;
    token.assert_emitted(&CreditUnstakeRequested {
        account: alice,
        amount: diem(2),
        staked: diem(2),
        pending: diem(2),
        releaseTime: release,
    });
    assert_eq!(
        token.sender(alice).pending_credit_of(alice),
        (diem(2), release)
    );
    assert_eq!(token.sender(alice).spendable_of(alice), diem(1));
    assert_eq!(token.sender(alice).total_pending_credit(), diem(2));
}

#[motsu::test]
fn request_credit_unstake_at_last_u64_day_reverts(
    token: Contract<DiemToken>,
    deployer: Address,
    minter: Address,
    alice: Address,
) {
    let _minter = setup(&token, deployer, minter, alice, diem(5));
    token.sender(alice).stake_credit(diem(1)).motsu_unwrap();
    assert_revert!(
        token
            .sender(alice)
            .request_credit_unstake_at(diem(1), u64::MAX),
        matches Error::ArithmeticOverflow(_)
    );
}

/// Every variant is encoded as alloy encodes its `sol!` error (`vvv_encoding::static_errors!`'s
/// shared encoder against alloy's), each field a distinct value so a dropped or swapped word
/// shows.
#[test]
fn errors_encode_as_their_abi() {
    use alloy_primitives::{address, b256};
    let (a, b, c) = (
        address!("00000000000000000000000000000000000000a1"),
        address!("00000000000000000000000000000000000000b2"),
        address!("00000000000000000000000000000000000000c3"),
    );
    let (x, y, z) = (U256::from(3), U256::from(4), U256::MAX - U256::from(5));
    let id = b256!("00000000000000000000000000000000000000000000000000000000000000d4");
    assert_encodes_as_abi!(Error {
        NotDeployer(NotDeployer { caller: a }),
        AlreadyWired(AlreadyWired { link: id, current: b }),
        InvalidLink(InvalidLink { link: id }),
        InvalidDeployer(InvalidDeployer {}),
        WiringMismatch(WiringMismatch { counterpart: a, expected: b, actual: c }),
        UnauthorizedCaller(UnauthorizedCaller { link: id, caller: c }),
        SupplyOverflow(SupplyOverflow { totalSupply: y, amount: z }),
        InsufficientSpendable(InsufficientSpendable { spendable: x, needed: z }),
        CreditStakeTooSmall(CreditStakeTooSmall { staked: y, minimum: z }),
        InsufficientStakedCredit(InsufficientStakedCredit { staked: z, requested: x }),
        ZeroAmount(ZeroAmount {}),
        NoPendingCredit(NoPendingCredit {}),
        CreditLocked(CreditLocked { releaseTime: u64::MAX - 1 }),
        ArithmeticOverflow(ArithmeticOverflow {}),
        InsufficientBalance(erc20::ERC20InsufficientBalance { sender: a, balance: x, needed: z }),
        InvalidSender(erc20::ERC20InvalidSender { sender: b }),
        InvalidReceiver(erc20::ERC20InvalidReceiver { receiver: c }),
        InsufficientAllowance(erc20::ERC20InsufficientAllowance { spender: a, allowance: y, needed: z }),
        InvalidSpender(erc20::ERC20InvalidSpender { spender: b }),
        InvalidApprover(erc20::ERC20InvalidApprover { approver: c }),
    });
}

mod properties {
    use proptest::prelude::*;

    use super::*;

    #[derive(Clone, Debug)]
    enum Action {
        Mint(usize, u64),
        Burn(usize, u64),
        Transfer(usize, usize, u64),
        Stake(usize, u64),
        Unstake(usize, u64),
        Withdraw(usize),
        Wait(u64),
    }

    fn action() -> impl Strategy<Value = Action> {
        // Amounts in 0.01 DIEM, so the 0.1 DIEM minimum is hit often.
        prop_oneof![
            (0..3usize, 0..1_000u64).prop_map(|(a, x)| Action::Mint(a, x)),
            (0..3usize, 0..1_000u64).prop_map(|(a, x)| Action::Burn(a, x)),
            (0..3usize, 0..3usize, 0..1_000u64).prop_map(|(a, b, x)| Action::Transfer(a, b, x)),
            (0..3usize, 0..1_000u64).prop_map(|(a, x)| Action::Stake(a, x)),
            (0..3usize, 0..1_000u64).prop_map(|(a, x)| Action::Unstake(a, x)),
            (0..3usize).prop_map(Action::Withdraw),
            (0..2 * DAY).prop_map(Action::Wait),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::default())]

        /// Whatever happens, totalSupply == Σ balanceOf, each balance covers its staked and
        /// pending DIEM, stakes are 0 or ≥ 0.1 DIEM, the totals are the sums, and nothing
        /// staked or pending ever leaves an account.
        #[test]
        fn credit_staking_keeps_balances_consistent(
            actions in prop::collection::vec(action(), 1..40),
        ) {
            let token = Contract::<DiemToken>::new();
            let (deployer, minter) = (Address::random(), Address::random());
            let users = [Address::random(), Address::random(), Address::random()];
            token.sender(deployer).constructor(deployer).motsu_unwrap();
            let _minter = minter_at(minter, token.address());
            token.sender(deployer).set_minter(minter).motsu_unwrap();
            let cents = |x: u64| U256::from(x) * uint!(10_000_000_000_000_000_U256);
            let mut now = NOON;
            for action in actions {
                // Reverted calls are fine; the invariants must hold either way.
                match action {
                    Action::Mint(a, x) => { let _ = token.sender(minter).mint(users[a], cents(x)).motsu_res(); }
                    Action::Burn(a, x) => { let _ = token.sender(minter).burn(users[a], cents(x)).motsu_res(); }
                    Action::Transfer(a, b, x) => { let _ = token.sender(users[a]).transfer(users[b], cents(x)).motsu_res(); }
                    Action::Stake(a, x) => { let _ = token.sender(users[a]).stake_credit(cents(x)).motsu_res(); }
                    Action::Unstake(a, x) => { let _ = token.sender(users[a]).request_credit_unstake_at(cents(x), now).motsu_res(); }
                    Action::Withdraw(a) => { let _ = token.sender(users[a]).withdraw_credit_at(now).motsu_res(); }
                    Action::Wait(dt) => now += dt,
                }
                let t = token.sender(deployer);
                let (mut balances, mut staked, mut pending) = (U256::ZERO, U256::ZERO, U256::ZERO);
                for user in users {
                    let (s, (p, release)) = (t.staked_credit_of(user), t.pending_credit_of(user));
                    let b = t.balance_of(user);
                    prop_assert!(s.is_zero() || s >= MIN_CREDIT_STAKE);
                    prop_assert!(s + p <= b);
                    prop_assert_eq!(b, t.spendable_of(user) + s + p);
                    prop_assert_eq!(p.is_zero(), release == 0);
                    prop_assert_eq!(t.daily_credit_usd(user), s);
                    balances += b;
                    staked += s;
                    pending += p;
                }
                prop_assert_eq!(t.total_supply(), balances);
                prop_assert_eq!(t.total_daily_credit_usd(), staked);
                prop_assert_eq!(t.total_pending_credit(), pending);
            }
        }
    }
}
