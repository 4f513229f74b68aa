//! Unit tests (motsu): every public function, every revert path with its exact error, the events,
//! permit signatures, the fixed minter and the counters.
use alloy_signer::SignerSync;
use motsu::prelude::*;
use stylus_sdk::alloy_sol_types::SolValue;
use vvv_test_support::{assert_encodes_as_abi, assert_revert};

use super::*;
use emission_controller::EmissionController;

/// `n` whole VVV.
fn vvv(n: u64) -> U256 {
    U256::from(n) * U256::from(10).pow(U256::from(18))
}

/// motsu's fixed block timestamp (2025-01-01T00:00:00Z).
const NOW: u64 = 1_735_689_600;

/// Genesis: 60M to `alice`, 40M to `bob`, deployed by `deployer`.
fn deploy(token: &Contract<VvvToken>, deployer: Address, alice: Address, bob: Address) {
    token
        .sender(deployer)
        .constructor(
            deployer,
            vec![alice, bob],
            vec![vvv(60_000_000), vvv(40_000_000)],
        )
        .motsu_unwrap();
}

/// A real emission controller at `minter`, built for `token` (its `token()` is checked
/// when it is wired). Keep it alive for the test: dropping a motsu contract erases it.
fn controller_at(minter: Address, token: Address) -> Contract<EmissionController> {
    let controller = Contract::<EmissionController>::new_at(minter);
    let other = Address::with_last_byte(0xee);
    controller
        .sender(other)
        .constructor(token, other, other, other, U256::ZERO, 1_735_689_600)
        .motsu_unwrap();
    controller
}

/// Genesis as in [`deploy`], then `minter` (a real controller) wired.
#[must_use = "the minter lives as long as the returned value"]
fn deploy_wired(
    token: &Contract<VvvToken>,
    deployer: Address,
    minter: Address,
    alice: Address,
    bob: Address,
) -> Contract<EmissionController> {
    deploy(token, deployer, alice, bob);
    let controller = controller_at(minter, token.address());
    token.sender(deployer).set_minter(minter).motsu_unwrap();
    controller
}

/// Finding 5 of issue 9: the minter must name this token in its own `token()`: a
/// controller built for another token cannot be wired.
#[motsu::test]
fn set_minter_checks_the_controllers_token(
    token: Contract<VvvToken>,
    deployer: Address,
    minter: Address,
    other_token: Address,
    alice: Address,
    bob: Address,
) {
    deploy(&token, deployer, alice, bob);
    let _elsewhere = controller_at(minter, other_token);
    let expected = WiringMismatch {
        counterpart: minter,
        expected: token.address(),
        actual: other_token,
    };
    assert_revert!(
        token.sender(deployer).set_minter(minter),
        matches Error::WiringMismatch(e) if e == expected
    );
    assert_eq!(token.sender(alice).minter(), Address::ZERO);
}

// ---------------------------------------------------------------- constructor

#[motsu::test]
fn genesis_mints_exactly_100m(token: Contract<VvvToken>, deployer: Address, alice: Address) {
    let half = GENESIS_SUPPLY / U256::from(2);
    token
        .sender(deployer)
        .constructor(deployer, vec![deployer, alice], vec![half, half])
        .motsu_unwrap();
    assert_eq!(token.sender(alice).total_supply(), GENESIS_SUPPLY);
    assert_eq!(token.sender(alice).balance_of(alice), half);
    assert_eq!(token.sender(alice).balance_of(deployer), half);
    assert_eq!(token.sender(alice).total_minted(), U256::ZERO);
    assert_eq!(token.sender(alice).total_burned(), U256::ZERO);
    assert_eq!(token.sender(alice).minter(), Address::ZERO);
    for to in [deployer, alice] {
        token.assert_emitted(&erc20::Transfer {
            from: Address::ZERO,
            to,
            value: half,
        });
    }
}

#[motsu::test]
fn genesis_accepts_repeated_recipients(
    token: Contract<VvvToken>,
    deployer: Address,
    alice: Address,
) {
    let quarter = GENESIS_SUPPLY / U256::from(4);
    token
        .sender(deployer)
        .constructor(deployer, vec![alice; 4], vec![quarter; 4])
        .motsu_unwrap();
    assert_eq!(token.sender(alice).balance_of(alice), GENESIS_SUPPLY);
    assert_eq!(token.sender(alice).total_supply(), GENESIS_SUPPLY);
}

#[motsu::test]
fn constructor_reverts_on_length_mismatch(
    token: Contract<VvvToken>,
    deployer: Address,
    alice: Address,
    bob: Address,
) {
    assert_revert!(
        token
            .sender(deployer)
            .constructor(deployer, vec![alice, bob], vec![GENESIS_SUPPLY]),
        matches Error::GenesisLengthMismatch(GenesisLengthMismatch { recipients, amounts })
            if recipients == U256::from(2) && amounts == U256::from(1)
    );
    assert_eq!(token.sender(alice).total_supply(), U256::ZERO);
}

#[motsu::test]
fn constructor_reverts_when_genesis_above_100m(
    token: Contract<VvvToken>,
    deployer: Address,
    alice: Address,
    bob: Address,
) {
    assert_revert!(
        token.sender(deployer).constructor(
            deployer,
            vec![alice, bob],
            vec![vvv(60_000_000), vvv(40_000_001)]
        ),
        matches Error::GenesisSupplyMismatch(e)
            if e == GenesisSupplyMismatch { total: vvv(100_000_001), expected: GENESIS_SUPPLY }
    );
    // The reverted deployment left nothing behind.
    assert_eq!(token.sender(alice).total_supply(), U256::ZERO);
    assert_eq!(token.sender(alice).balance_of(alice), U256::ZERO);
}

#[motsu::test]
fn constructor_reverts_when_genesis_below_100m(
    token: Contract<VvvToken>,
    deployer: Address,
    alice: Address,
    bob: Address,
) {
    assert_revert!(
        token.sender(deployer).constructor(
            deployer,
            vec![alice, bob],
            vec![vvv(60_000_000), vvv(39_999_999)]
        ),
        matches Error::GenesisSupplyMismatch(e)
            if e == GenesisSupplyMismatch { total: vvv(99_999_999), expected: GENESIS_SUPPLY }
    );
    // One wei short is also rejected.
    assert_revert!(
        token.sender(deployer).constructor(
            deployer,
            vec![alice],
            vec![GENESIS_SUPPLY - U256::from(1)]
        ),
        matches Error::GenesisSupplyMismatch(GenesisSupplyMismatch { total, .. })
            if total == GENESIS_SUPPLY - U256::from(1)
    );
}

#[motsu::test]
fn constructor_reverts_on_empty_genesis(token: Contract<VvvToken>, deployer: Address) {
    assert_revert!(
        token.sender(deployer).constructor(deployer, vec![], vec![]),
        matches Error::GenesisSupplyMismatch(GenesisSupplyMismatch { total, expected })
            if total.is_zero() && expected == GENESIS_SUPPLY
    );
}

/// Amounts whose sum overflows 256 bits are rejected as a mismatch, not a panic.
#[motsu::test]
fn constructor_reverts_on_overflowing_genesis(
    token: Contract<VvvToken>,
    deployer: Address,
    alice: Address,
    bob: Address,
) {
    assert_revert!(
        token
            .sender(deployer)
            .constructor(deployer, vec![alice, bob], vec![U256::MAX, U256::MAX]),
        matches Error::GenesisSupplyMismatch(GenesisSupplyMismatch { total, .. })
            if total == U256::MAX
    );
    assert_revert!(
        token.sender(deployer).constructor(
            deployer,
            vec![alice, bob],
            vec![GENESIS_SUPPLY, U256::MAX]
        ),
        matches Error::GenesisSupplyMismatch(GenesisSupplyMismatch { total, .. })
            if total == U256::MAX
    );
}

#[motsu::test]
fn constructor_reverts_on_zero_recipient(
    token: Contract<VvvToken>,
    deployer: Address,
    alice: Address,
) {
    assert_revert!(
        token.sender(deployer).constructor(
            deployer,
            vec![alice, Address::ZERO],
            vec![vvv(60_000_000), vvv(40_000_000)]
        ),
        matches Error::InvalidReceiver(erc20::ERC20InvalidReceiver { receiver })
            if receiver.is_zero()
    );
    assert_eq!(token.sender(alice).balance_of(alice), U256::ZERO);
}

// ---------------------------------------------------------------- metadata

#[motsu::test]
fn metadata(token: Contract<VvvToken>, deployer: Address, alice: Address, bob: Address) {
    deploy(&token, deployer, alice, bob);
    assert_eq!(token.sender(alice).name(), "Venice Token");
    assert_eq!(token.sender(alice).symbol(), "VVV");
    assert_eq!(token.sender(alice).decimals(), 18);
}

// ---------------------------------------------------------------- setMinter

#[motsu::test]
fn set_minter_wires_the_minter_and_emits(
    token: Contract<VvvToken>,
    deployer: Address,
    minter: Address,
    alice: Address,
    bob: Address,
) {
    deploy(&token, deployer, alice, bob);
    let _minter = controller_at(minter, token.address());
    token.sender(deployer).set_minter(minter).motsu_unwrap();
    assert_eq!(token.sender(alice).minter(), minter);
    token.assert_emitted(&Wired {
        link: vvv_wiring::MINTER,
        account: minter,
    });
}

#[motsu::test]
fn set_minter_reverts_for_non_deployer(
    token: Contract<VvvToken>,
    deployer: Address,
    minter: Address,
    alice: Address,
    bob: Address,
) {
    deploy(&token, deployer, alice, bob);
    for caller in [alice, minter, Address::ZERO] {
        assert_revert!(
            token.sender(caller).set_minter(minter),
            matches Error::NotDeployer(e) if e == NotDeployer { caller }
        );
    }
    assert_eq!(token.sender(alice).minter(), Address::ZERO);
}

/// Through the StylusDeployer the constructor's caller is that contract: the account
/// passed as `deployer` wires, the caller cannot (D-1).
#[motsu::test]
fn set_minter_by_the_deployer_argument_not_the_constructor_caller(
    token: Contract<VvvToken>,
    factory: Address,
    deployer: Address,
    minter: Address,
    alice: Address,
) {
    token
        .sender(factory)
        .constructor(deployer, vec![alice], vec![GENESIS_SUPPLY])
        .motsu_unwrap();
    assert_revert!(
        token.sender(factory).set_minter(minter),
        matches Error::NotDeployer(NotDeployer { caller }) if caller == factory
    );
    let _minter = controller_at(minter, token.address());
    token.sender(deployer).set_minter(minter).motsu_unwrap();
    assert_eq!(token.sender(alice).minter(), minter);
}

#[motsu::test]
fn constructor_reverts_on_zero_deployer(token: Contract<VvvToken>, alice: Address) {
    assert_revert!(
        token
            .sender(alice)
            .constructor(Address::ZERO, vec![alice], vec![GENESIS_SUPPLY]),
        matches Error::InvalidDeployer(InvalidDeployer {})
    );
}

#[motsu::test]
fn set_minter_reverts_on_zero_minter(
    token: Contract<VvvToken>,
    deployer: Address,
    alice: Address,
    bob: Address,
) {
    deploy(&token, deployer, alice, bob);
    assert_revert!(
        token.sender(deployer).set_minter(Address::ZERO),
        matches Error::InvalidLink(InvalidLink { link }) if link == vvv_wiring::MINTER
    );
    assert_eq!(token.sender(alice).minter(), Address::ZERO);
}

#[motsu::test]
fn set_minter_twice_reverts_even_for_deployer(
    token: Contract<VvvToken>,
    deployer: Address,
    minter: Address,
    alice: Address,
    bob: Address,
) {
    let _minter = deploy_wired(&token, deployer, minter, alice, bob);
    for caller in [deployer, alice, minter] {
        assert_revert!(
            token.sender(caller).set_minter(alice),
            matches Error::AlreadyWired(e)
                if e == AlreadyWired { link: vvv_wiring::MINTER, current: minter }
        );
    }
    assert_eq!(token.sender(alice).minter(), minter);
}

/// A failed first attempt (zero minter) does not use up the deployer's one wiring.
#[motsu::test]
fn set_minter_after_a_reverted_attempt(
    token: Contract<VvvToken>,
    deployer: Address,
    minter: Address,
    alice: Address,
    bob: Address,
) {
    deploy(&token, deployer, alice, bob);
    token
        .sender(deployer)
        .set_minter(Address::ZERO)
        .motsu_unwrap_err();
    let _minter = controller_at(minter, token.address());
    token.sender(deployer).set_minter(minter).motsu_unwrap();
    assert_eq!(token.sender(alice).minter(), minter);
}

// ---------------------------------------------------------------- mint

#[motsu::test]
fn mint_by_minter(
    token: Contract<VvvToken>,
    deployer: Address,
    minter: Address,
    alice: Address,
    bob: Address,
) {
    let _minter = deploy_wired(&token, deployer, minter, alice, bob);
    token.sender(minter).mint(bob, vvv(7)).motsu_unwrap();
    token
        .sender(minter)
        .mint(alice, U256::from(3))
        .motsu_unwrap();
    assert_eq!(token.sender(alice).balance_of(bob), vvv(40_000_007));
    assert_eq!(
        token.sender(alice).balance_of(alice),
        vvv(60_000_000) + U256::from(3)
    );
    assert_eq!(
        token.sender(alice).total_supply(),
        GENESIS_SUPPLY + vvv(7) + U256::from(3)
    );
    assert_eq!(token.sender(alice).total_minted(), vvv(7) + U256::from(3));
    token.assert_emitted(&erc20::Transfer {
        from: Address::ZERO,
        to: bob,
        value: vvv(7),
    });
    // The minter may mint to itself (the controller forwards) and mint zero.
    token.sender(minter).mint(minter, U256::ZERO).motsu_unwrap();
    assert_eq!(token.sender(alice).total_minted(), vvv(7) + U256::from(3));
}

#[motsu::test]
fn mint_reverts_before_wiring(
    token: Contract<VvvToken>,
    deployer: Address,
    alice: Address,
    bob: Address,
) {
    deploy(&token, deployer, alice, bob);
    // Nobody, the deployer and the zero address (== the unset minter) included.
    for caller in [deployer, alice, Address::ZERO] {
        assert_revert!(
            token.sender(caller).mint(caller, vvv(1)),
            matches Error::UnauthorizedCaller(e)
                if e == UnauthorizedCaller { link: vvv_wiring::MINTER, caller }
        );
    }
    assert_eq!(token.sender(alice).total_supply(), GENESIS_SUPPLY);
}

#[motsu::test]
fn mint_reverts_for_non_minter(
    token: Contract<VvvToken>,
    deployer: Address,
    minter: Address,
    alice: Address,
    bob: Address,
    admin: Address,
) {
    let _minter = deploy_wired(&token, deployer, minter, alice, bob);
    // The deployer, a genesis holder, an unrelated "admin" account, the zero address.
    for caller in [deployer, alice, admin, Address::ZERO] {
        assert_revert!(
            token.sender(caller).mint(caller, vvv(1)),
            matches Error::UnauthorizedCaller(e)
                if e == UnauthorizedCaller { link: vvv_wiring::MINTER, caller }
        );
    }
    assert_eq!(token.sender(alice).total_supply(), GENESIS_SUPPLY);
    assert_eq!(token.sender(alice).total_minted(), U256::ZERO);
}

#[motsu::test]
fn mint_reverts_on_supply_overflow(
    token: Contract<VvvToken>,
    deployer: Address,
    minter: Address,
    alice: Address,
    bob: Address,
) {
    let _minter = deploy_wired(&token, deployer, minter, alice, bob);
    let headroom = U256::MAX - GENESIS_SUPPLY;
    assert_revert!(
        token.sender(minter).mint(alice, headroom + U256::from(1)),
        matches Error::SupplyOverflow(e)
            if e == SupplyOverflow { totalSupply: GENESIS_SUPPLY, amount: headroom + U256::from(1) }
    );
    // Exactly up to U256::MAX is fine.
    token.sender(minter).mint(alice, headroom).motsu_unwrap();
    assert_eq!(token.sender(alice).total_supply(), U256::MAX);
    assert_revert!(
        token.sender(minter).mint(alice, U256::from(1)),
        matches Error::SupplyOverflow(SupplyOverflow { totalSupply, amount })
            if totalSupply == U256::MAX && amount == U256::from(1)
    );
}

/// `totalMinted` is cumulative, so it can overflow while the supply (after burns) cannot.
#[motsu::test]
fn mint_reverts_when_total_minted_would_overflow(
    token: Contract<VvvToken>,
    deployer: Address,
    minter: Address,
    alice: Address,
    bob: Address,
) {
    let _minter = deploy_wired(&token, deployer, minter, alice, bob);
    let headroom = U256::MAX - GENESIS_SUPPLY;
    token.sender(minter).mint(minter, headroom).motsu_unwrap();
    token.sender(minter).burn(headroom).motsu_unwrap();
    assert_eq!(token.sender(alice).total_supply(), GENESIS_SUPPLY);
    assert_revert!(
        token.sender(minter).mint(minter, headroom),
        matches Error::SupplyOverflow(SupplyOverflow { totalSupply, amount })
            if totalSupply == GENESIS_SUPPLY && amount == headroom
    );
    assert_eq!(token.sender(alice).total_minted(), headroom);
}

#[motsu::test]
fn mint_to_zero_address_reverts(
    token: Contract<VvvToken>,
    deployer: Address,
    minter: Address,
    alice: Address,
    bob: Address,
) {
    let _minter = deploy_wired(&token, deployer, minter, alice, bob);
    assert_revert!(
        token.sender(minter).mint(Address::ZERO, vvv(1)),
        matches Error::InvalidReceiver(erc20::ERC20InvalidReceiver { receiver })
            if receiver.is_zero()
    );
    assert_eq!(token.sender(alice).total_minted(), U256::ZERO);
}

// ---------------------------------------------------------------- burn, burnFrom

#[motsu::test]
fn burn_reduces_balance_and_supply(
    token: Contract<VvvToken>,
    deployer: Address,
    alice: Address,
    bob: Address,
) {
    deploy(&token, deployer, alice, bob);
    token.sender(alice).burn(vvv(1_000)).motsu_unwrap();
    assert_eq!(token.sender(alice).balance_of(alice), vvv(59_999_000));
    assert_eq!(token.sender(alice).total_supply(), vvv(99_999_000));
    assert_eq!(token.sender(alice).total_burned(), vvv(1_000));
    token.assert_emitted(&erc20::Transfer {
        from: alice,
        to: Address::ZERO,
        value: vvv(1_000),
    });
    token.sender(bob).burn(vvv(40_000_000)).motsu_unwrap();
    assert_eq!(token.sender(alice).balance_of(bob), U256::ZERO);
    assert_eq!(token.sender(alice).total_burned(), vvv(40_001_000));
}

#[motsu::test]
fn burn_reverts_on_insufficient_balance(
    token: Contract<VvvToken>,
    deployer: Address,
    alice: Address,
    bob: Address,
) {
    deploy(&token, deployer, alice, bob);
    assert_revert!(
        token.sender(bob).burn(vvv(40_000_000) + U256::from(1)),
        matches Error::InsufficientBalance(erc20::ERC20InsufficientBalance { sender, balance, needed })
            if sender == bob
                && balance == vvv(40_000_000)
                && needed == vvv(40_000_000) + U256::from(1)
    );
    assert_revert!(
        token.sender(deployer).burn(U256::from(1)),
        matches Error::InsufficientBalance(erc20::ERC20InsufficientBalance { sender, balance, .. })
            if sender == deployer && balance.is_zero()
    );
    assert_eq!(token.sender(alice).total_burned(), U256::ZERO);
    assert_eq!(token.sender(alice).total_supply(), GENESIS_SUPPLY);
}

#[motsu::test]
fn burn_from_spends_allowance(
    token: Contract<VvvToken>,
    deployer: Address,
    alice: Address,
    bob: Address,
    treasury: Address,
) {
    deploy(&token, deployer, alice, bob);
    token
        .sender(alice)
        .approve(treasury, vvv(10))
        .motsu_unwrap();
    token
        .sender(treasury)
        .burn_from(alice, vvv(4))
        .motsu_unwrap();
    assert_eq!(token.sender(alice).allowance(alice, treasury), vvv(6));
    assert_eq!(token.sender(alice).balance_of(alice), vvv(59_999_996));
    assert_eq!(token.sender(alice).balance_of(treasury), U256::ZERO);
    assert_eq!(token.sender(alice).total_supply(), vvv(99_999_996));
    assert_eq!(token.sender(alice).total_burned(), vvv(4));
    token.assert_emitted(&erc20::Transfer {
        from: alice,
        to: Address::ZERO,
        value: vvv(4),
    });
    // An infinite allowance is not spent (OpenZeppelin semantics).
    token
        .sender(bob)
        .approve(treasury, U256::MAX)
        .motsu_unwrap();
    token.sender(treasury).burn_from(bob, vvv(1)).motsu_unwrap();
    assert_eq!(token.sender(alice).allowance(bob, treasury), U256::MAX);
    assert_eq!(token.sender(alice).total_burned(), vvv(5));
}

#[motsu::test]
fn burn_from_reverts_on_insufficient_allowance(
    token: Contract<VvvToken>,
    deployer: Address,
    alice: Address,
    bob: Address,
    treasury: Address,
) {
    deploy(&token, deployer, alice, bob);
    assert_revert!(
        token.sender(treasury).burn_from(alice, vvv(1)),
        matches Error::InsufficientAllowance(erc20::ERC20InsufficientAllowance { spender, allowance, needed })
            if spender == treasury && allowance.is_zero() && needed == vvv(1)
    );
    token.sender(alice).approve(treasury, vvv(1)).motsu_unwrap();
    assert_revert!(
        token
            .sender(treasury)
            .burn_from(alice, vvv(1) + U256::from(1)),
        matches Error::InsufficientAllowance(erc20::ERC20InsufficientAllowance { spender, allowance, needed })
            if spender == treasury && allowance == vvv(1) && needed == vvv(1) + U256::from(1)
    );
    // The holder's own balance does not count as an allowance.
    assert_revert!(
        token.sender(alice).burn_from(alice, vvv(1)),
        matches Error::InsufficientAllowance(_)
    );
    assert_eq!(token.sender(alice).total_burned(), U256::ZERO);
}

#[motsu::test]
fn burn_from_reverts_on_insufficient_balance(
    token: Contract<VvvToken>,
    deployer: Address,
    alice: Address,
    bob: Address,
    treasury: Address,
) {
    deploy(&token, deployer, alice, bob);
    token
        .sender(bob)
        .approve(treasury, U256::MAX)
        .motsu_unwrap();
    assert_revert!(
        token.sender(treasury).burn_from(bob, vvv(40_000_001)),
        matches Error::InsufficientBalance(erc20::ERC20InsufficientBalance { sender, balance, needed })
            if sender == bob && balance == vvv(40_000_000) && needed == vvv(40_000_001)
    );
    assert_eq!(token.sender(alice).allowance(bob, treasury), U256::MAX);
    assert_eq!(token.sender(alice).total_burned(), U256::ZERO);
}

// ---------------------------------------------------------------- ERC-20 basics

#[motsu::test]
fn transfer_moves_balance(
    token: Contract<VvvToken>,
    deployer: Address,
    alice: Address,
    bob: Address,
) {
    deploy(&token, deployer, alice, bob);
    assert!(token.sender(alice).transfer(bob, vvv(5)).motsu_unwrap());
    assert_eq!(token.sender(alice).balance_of(alice), vvv(59_999_995));
    assert_eq!(token.sender(alice).balance_of(bob), vvv(40_000_005));
    assert_eq!(token.sender(alice).total_supply(), GENESIS_SUPPLY);
    token.assert_emitted(&erc20::Transfer {
        from: alice,
        to: bob,
        value: vvv(5),
    });
}

#[motsu::test]
fn transfer_reverts(token: Contract<VvvToken>, deployer: Address, alice: Address, bob: Address) {
    deploy(&token, deployer, alice, bob);
    assert_revert!(
        token.sender(deployer).transfer(alice, U256::from(1)),
        matches Error::InsufficientBalance(erc20::ERC20InsufficientBalance { sender, balance, needed })
            if sender == deployer && balance.is_zero() && needed == U256::from(1)
    );
    assert_revert!(
        token.sender(alice).transfer(Address::ZERO, U256::from(1)),
        matches Error::InvalidReceiver(erc20::ERC20InvalidReceiver { receiver })
            if receiver.is_zero()
    );
}

#[motsu::test]
fn approve_sets_allowance(
    token: Contract<VvvToken>,
    deployer: Address,
    alice: Address,
    bob: Address,
) {
    deploy(&token, deployer, alice, bob);
    assert!(token.sender(alice).approve(bob, vvv(3)).motsu_unwrap());
    assert_eq!(token.sender(alice).allowance(alice, bob), vvv(3));
    token.assert_emitted(&erc20::Approval {
        owner: alice,
        spender: bob,
        value: vvv(3),
    });
    assert_revert!(
        token.sender(alice).approve(Address::ZERO, vvv(3)),
        matches Error::InvalidSpender(erc20::ERC20InvalidSpender { spender }) if spender.is_zero()
    );
}

#[motsu::test]
fn transfer_from_spends_allowance(
    token: Contract<VvvToken>,
    deployer: Address,
    alice: Address,
    bob: Address,
    carol: Address,
) {
    deploy(&token, deployer, alice, bob);
    token.sender(alice).approve(bob, vvv(3)).motsu_unwrap();
    assert!(token
        .sender(bob)
        .transfer_from(alice, carol, vvv(2))
        .motsu_unwrap());
    assert_eq!(token.sender(alice).balance_of(carol), vvv(2));
    assert_eq!(token.sender(alice).allowance(alice, bob), vvv(1));
    token.assert_emitted(&erc20::Transfer {
        from: alice,
        to: carol,
        value: vvv(2),
    });
    assert_revert!(
        token.sender(bob).transfer_from(alice, carol, vvv(2)),
        matches Error::InsufficientAllowance(erc20::ERC20InsufficientAllowance { spender, allowance, needed })
            if spender == bob && allowance == vvv(1) && needed == vvv(2)
    );
    assert_eq!(token.sender(alice).balance_of(carol), vvv(2));
}

// ---------------------------------------------------------------- permit (EIP-2612)

/// The EIP-712 domain separator computed independently of the contract.
fn expected_domain_separator(token: Address, chain_id: u64) -> B256 {
    let type_hash = keccak256(
        "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)",
    );
    keccak256(
        (
            type_hash,
            keccak256("Venice Token"),
            keccak256("1"),
            U256::from(chain_id),
            token,
        )
            .abi_encode(),
    )
}

/// The digest an owner signs, computed independently of the contract.
fn expected_permit_digest(
    token: Address,
    owner: Address,
    spender: Address,
    value: U256,
    nonce: U256,
    deadline: U256,
) -> B256 {
    let type_hash = keccak256(
        "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)",
    );
    let struct_hash = keccak256((type_hash, owner, spender, value, nonce, deadline).abi_encode());
    let mut preimage = vec![0x19, 0x01];
    preimage.extend_from_slice(expected_domain_separator(token, 42_161).as_slice());
    preimage.extend_from_slice(struct_hash.as_slice());
    keccak256(preimage)
}

/// `(v, r, s)` of `signer`'s signature over `digest`.
fn sign(signer: &Account, digest: B256) -> (u8, B256, B256) {
    let signature = signer.signer().sign_hash_sync(&digest).expect("signs");
    (
        27 + u8::from(signature.v()),
        signature.r().into(),
        signature.s().into(),
    )
}

#[motsu::test]
fn domain_separator_and_digest(
    token: Contract<VvvToken>,
    deployer: Address,
    alice: Account,
    bob: Address,
) {
    deploy(&token, deployer, alice.address(), bob);
    assert_eq!(
        token.sender(bob).domain_separator(),
        expected_domain_separator(token.address(), 42_161)
    );
    let deadline = U256::from(NOW + 60);
    assert_eq!(
        token
            .sender(bob)
            .permit_digest(alice.address(), bob, vvv(1), deadline),
        expected_permit_digest(
            token.address(),
            alice.address(),
            bob,
            vvv(1),
            U256::ZERO,
            deadline
        )
    );
}

#[motsu::test]
fn permit_sets_allowance_and_bumps_nonce(
    token: Contract<VvvToken>,
    deployer: Address,
    alice: Account,
    bob: Address,
    relayer: Address,
) {
    deploy(&token, deployer, alice.address(), bob);
    let owner = alice.address();
    let deadline = U256::from(NOW + 3_600);
    for (nonce, value) in [(0u64, vvv(5)), (1, vvv(8))] {
        assert_eq!(token.sender(bob).nonces(owner), U256::from(nonce));
        let digest = expected_permit_digest(
            token.address(),
            owner,
            bob,
            value,
            U256::from(nonce),
            deadline,
        );
        let (v, r, s) = sign(&alice, digest);
        // Anyone may submit the signed permit.
        token
            .sender(relayer)
            .permit(owner, bob, value, deadline, v, r, s)
            .motsu_unwrap();
        assert_eq!(token.sender(bob).allowance(owner, bob), value);
        assert_eq!(token.sender(bob).nonces(owner), U256::from(nonce + 1));
        token.assert_emitted(&erc20::Approval {
            owner,
            spender: bob,
            value,
        });
    }
    // The allowance works.
    token
        .sender(bob)
        .transfer_from(owner, bob, vvv(8))
        .motsu_unwrap();
    assert_eq!(token.sender(bob).balance_of(bob), vvv(40_000_008));
}

#[motsu::test]
fn permit_accepts_deadline_equal_to_now(
    token: Contract<VvvToken>,
    deployer: Address,
    alice: Account,
    bob: Address,
) {
    deploy(&token, deployer, alice.address(), bob);
    let owner = alice.address();
    let deadline = U256::from(NOW);
    let digest = expected_permit_digest(token.address(), owner, bob, vvv(1), U256::ZERO, deadline);
    let (v, r, s) = sign(&alice, digest);
    token
        .sender(bob)
        .permit(owner, bob, vvv(1), deadline, v, r, s)
        .motsu_unwrap();
    assert_eq!(token.sender(bob).allowance(owner, bob), vvv(1));
}

#[motsu::test]
fn permit_reverts_on_expired_deadline(
    token: Contract<VvvToken>,
    deployer: Address,
    alice: Account,
    bob: Address,
) {
    deploy(&token, deployer, alice.address(), bob);
    let owner = alice.address();
    let deadline = U256::from(NOW - 1);
    let digest = expected_permit_digest(token.address(), owner, bob, vvv(1), U256::ZERO, deadline);
    let (v, r, s) = sign(&alice, digest);
    assert_revert!(
        token
            .sender(bob)
            .permit(owner, bob, vvv(1), deadline, v, r, s),
        matches Error::ExpiredSignature(permit::ERC2612ExpiredSignature { deadline: d })
            if d == deadline
    );
    assert_eq!(token.sender(bob).allowance(owner, bob), U256::ZERO);
    assert_eq!(token.sender(bob).nonces(owner), U256::ZERO);
}

#[motsu::test]
fn permit_reverts_on_wrong_signer(
    token: Contract<VvvToken>,
    deployer: Address,
    alice: Account,
    mallory: Account,
    bob: Address,
) {
    deploy(&token, deployer, alice.address(), bob);
    let owner = alice.address();
    let deadline = U256::from(NOW + 60);
    let digest = expected_permit_digest(token.address(), owner, bob, vvv(1), U256::ZERO, deadline);
    let (v, r, s) = sign(&mallory, digest);
    assert_revert!(
        token
            .sender(bob)
            .permit(owner, bob, vvv(1), deadline, v, r, s),
        matches Error::InvalidSigner(permit::ERC2612InvalidSigner { signer, owner: o })
            if signer == mallory.address() && o == owner
    );
    assert_eq!(token.sender(bob).allowance(owner, bob), U256::ZERO);
    assert_eq!(token.sender(bob).nonces(owner), U256::ZERO);
}

/// Signed fields are bound: a different value, spender or deadline recovers another signer.
#[motsu::test]
fn permit_reverts_on_tampered_fields(
    token: Contract<VvvToken>,
    deployer: Address,
    alice: Account,
    bob: Address,
    carol: Address,
) {
    deploy(&token, deployer, alice.address(), bob);
    let owner = alice.address();
    let deadline = U256::from(NOW + 60);
    let digest = expected_permit_digest(token.address(), owner, bob, vvv(1), U256::ZERO, deadline);
    let (v, r, s) = sign(&alice, digest);
    for (spender, value, dl) in [
        (bob, vvv(2), deadline),
        (carol, vvv(1), deadline),
        (bob, vvv(1), deadline + U256::from(1)),
    ] {
        assert_revert!(
            token.sender(bob).permit(owner, spender, value, dl, v, r, s),
            matches Error::InvalidSigner(permit::ERC2612InvalidSigner { signer, owner: o })
                if signer != owner && o == owner
        );
    }
}

#[motsu::test]
fn permit_replay_reverts(
    token: Contract<VvvToken>,
    deployer: Address,
    alice: Account,
    bob: Address,
) {
    deploy(&token, deployer, alice.address(), bob);
    let owner = alice.address();
    let deadline = U256::from(NOW + 60);
    let digest = expected_permit_digest(token.address(), owner, bob, vvv(1), U256::ZERO, deadline);
    let (v, r, s) = sign(&alice, digest);
    token
        .sender(bob)
        .permit(owner, bob, vvv(1), deadline, v, r, s)
        .motsu_unwrap();
    // Bob spends it, then tries to reuse the signature to restore it.
    token
        .sender(bob)
        .transfer_from(owner, bob, vvv(1))
        .motsu_unwrap();
    assert_revert!(
        token
            .sender(bob)
            .permit(owner, bob, vvv(1), deadline, v, r, s),
        matches Error::InvalidSigner(permit::ERC2612InvalidSigner { signer, owner: o })
            if signer != owner && o == owner
    );
    assert_eq!(token.sender(bob).allowance(owner, bob), U256::ZERO);
    assert_eq!(token.sender(bob).nonces(owner), U256::from(1));
}

/// The chain id is part of the domain: a signature for Arbitrum One is void elsewhere.
#[motsu::test]
fn permit_reverts_on_other_chain(
    token: Contract<VvvToken>,
    deployer: Address,
    alice: Account,
    bob: Address,
) {
    deploy(&token, deployer, alice.address(), bob);
    let owner = alice.address();
    let deadline = U256::from(NOW + 60);
    let digest = expected_permit_digest(token.address(), owner, bob, vvv(1), U256::ZERO, deadline);
    let (v, r, s) = sign(&alice, digest);
    VM::context().set_chain_id(412_346);
    assert_eq!(
        token.sender(bob).domain_separator(),
        expected_domain_separator(token.address(), 412_346)
    );
    assert_revert!(
        token
            .sender(bob)
            .permit(owner, bob, vvv(1), deadline, v, r, s),
        matches Error::InvalidSigner(_)
    );
}

/// A malleable twin (s' = n − s, v flipped) is rejected.
#[motsu::test]
fn permit_reverts_on_high_s(
    token: Contract<VvvToken>,
    deployer: Address,
    alice: Account,
    bob: Address,
) {
    deploy(&token, deployer, alice.address(), bob);
    let owner = alice.address();
    let deadline = U256::from(NOW + 60);
    let digest = expected_permit_digest(token.address(), owner, bob, vvv(1), U256::ZERO, deadline);
    let (v, r, s) = sign(&alice, digest);
    // secp256k1 group order n = 2 × SIGNATURE_S_UPPER_BOUND + 1.
    let n = SIGNATURE_S_UPPER_BOUND * U256::from(2) + U256::from(1);
    let high_s = B256::from(n - U256::from_be_bytes(s.0));
    let flipped_v = if v == 27 { 28 } else { 27 };
    assert_revert!(
        token
            .sender(bob)
            .permit(owner, bob, vvv(1), deadline, flipped_v, r, high_s),
        matches Error::InvalidSignatureS(ECDSAInvalidSignatureS { s }) if s == high_s
    );
}

/// The bound itself is a low `s` (EIP-2: `s ≤ n/2`): a signature with exactly that `s` gets
/// past the malleability check (and fails only as a wrong signer); one above it does not.
#[motsu::test]
fn permit_high_s_bound_is_inclusive(
    token: Contract<VvvToken>,
    deployer: Address,
    alice: Account,
    bob: Address,
) {
    deploy(&token, deployer, alice.address(), bob);
    let owner = alice.address();
    let deadline = U256::from(NOW + 60);
    let digest = expected_permit_digest(token.address(), owner, bob, vvv(1), U256::ZERO, deadline);
    let (v, r, _) = sign(&alice, digest);
    let at_bound = B256::from(SIGNATURE_S_UPPER_BOUND);
    let err = token
        .sender(bob)
        .permit(owner, bob, vvv(1), deadline, v, r, at_bound)
        .motsu_unwrap_err();
    assert!(
        matches!(err, Error::InvalidSigner(_) | Error::InvalidSignature(_)),
        "s = n/2 is low: {err:?}"
    );
    let above = B256::from(SIGNATURE_S_UPPER_BOUND + U256::from(1));
    assert_revert!(
        token
            .sender(bob)
            .permit(owner, bob, vvv(1), deadline, v, r, above),
        matches Error::InvalidSignatureS(ECDSAInvalidSignatureS { s }) if s == above
    );
}

#[motsu::test]
fn permit_reverts_on_invalid_v(
    token: Contract<VvvToken>,
    deployer: Address,
    alice: Account,
    bob: Address,
) {
    deploy(&token, deployer, alice.address(), bob);
    let owner = alice.address();
    let deadline = U256::from(NOW + 60);
    let digest = expected_permit_digest(token.address(), owner, bob, vvv(1), U256::ZERO, deadline);
    let (_, r, s) = sign(&alice, digest);
    for v in [0u8, 1, 26, 29, 255] {
        let err = token
            .sender(bob)
            .permit(owner, bob, vvv(1), deadline, v, r, s)
            .motsu_unwrap_err();
        assert!(
            matches!(err, Error::InvalidSignature(ECDSAInvalidSignature {})),
            "v = {v}: {err:?}"
        );
    }
    assert_eq!(token.sender(bob).nonces(owner), U256::ZERO);
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
        GenesisLengthMismatch(GenesisLengthMismatch { recipients: x, amounts: y }),
        GenesisSupplyMismatch(GenesisSupplyMismatch { total: z, expected: x }),
        NotDeployer(NotDeployer { caller: a }),
        AlreadyWired(AlreadyWired { link: id, current: b }),
        InvalidLink(InvalidLink { link: id }),
        InvalidDeployer(InvalidDeployer {}),
        WiringMismatch(WiringMismatch { counterpart: a, expected: b, actual: c }),
        UnauthorizedCaller(UnauthorizedCaller { link: id, caller: c }),
        SupplyOverflow(SupplyOverflow { totalSupply: y, amount: z }),
        ExpiredSignature(permit::ERC2612ExpiredSignature { deadline: z }),
        InvalidSigner(permit::ERC2612InvalidSigner { signer: b, owner: c }),
        InvalidSignature(ECDSAInvalidSignature {}),
        InvalidSignatureS(ECDSAInvalidSignatureS { s: id }),
        InsufficientBalance(erc20::ERC20InsufficientBalance { sender: a, balance: x, needed: z }),
        InvalidSender(erc20::ERC20InvalidSender { sender: b }),
        InvalidReceiver(erc20::ERC20InvalidReceiver { receiver: c }),
        InsufficientAllowance(erc20::ERC20InsufficientAllowance { spender: a, allowance: y, needed: z }),
        InvalidSpender(erc20::ERC20InvalidSpender { spender: b }),
        InvalidApprover(erc20::ERC20InvalidApprover { approver: c }),
    });
}

/// The real `ecrecover` precompile returns *empty* output when it cannot recover a key.
/// motsu's precompile pads that to a zero word, so this test installs one that behaves
/// like the chain. The permit must revert with `ECDSAInvalidSignature()`, not trap (as
/// OpenZeppelin's `recover` alone would, slicing `output[12..]`).
mod empty_ecrecover {
    use super::*;

    /// An `ecrecover` that, like the real one on bad input, returns nothing.
    #[storage]
    pub struct EmptyEcrecover;

    unsafe impl TopLevelStorage for EmptyEcrecover {}

    #[public]
    impl EmptyEcrecover {
        #[fallback]
        fn fallback(&mut self, _calldata: &[u8]) -> Result<Vec<u8>, Vec<u8>> {
            Ok(Vec::new())
        }
    }

    /// A plain `#[test]`: `#[motsu::test]` would install motsu's own precompile.
    #[test]
    fn permit_rejects_unrecoverable_signature() {
        let _precompile = Contract::<EmptyEcrecover>::new_at(ECRECOVER_ADDR);
        let token = Contract::<VvvToken>::from_tag("token");
        let (deployer, alice, bob) = (
            Address::from_tag("deployer"),
            Address::from_tag("alice"),
            Address::from_tag("bob"),
        );
        deploy(&token, deployer, alice, bob);
        let (r, s) = (B256::with_last_byte(1), B256::with_last_byte(1));
        assert_revert!(
            token
                .sender(bob)
                .permit(alice, bob, vvv(1), U256::from(NOW), 27, r, s),
            matches Error::InvalidSignature(ECDSAInvalidSignature {})
        );
        // `s ≥ n` cannot be recovered either, but reports the high `s`, as it would with
        // a recoverable signature.
        let high_s = B256::repeat_byte(0xff);
        assert_revert!(
            token
                .sender(bob)
                .permit(alice, bob, vvv(1), U256::from(NOW), 27, r, high_s),
            matches Error::InvalidSignatureS(ECDSAInvalidSignatureS { s }) if s == high_s
        );
        assert_eq!(token.sender(bob).allowance(alice, bob), U256::ZERO);
        assert_eq!(token.sender(bob).nonces(alice), U256::ZERO);
    }
}

// ---------------------------------------------------------------- INV-1

mod inv1 {
    use proptest::{
        prelude::*,
        test_runner::{Config, TestRunner},
    };

    use super::*;

    /// Number of plain holders the actions move tokens between (plus the minter).
    const HOLDERS: usize = 4;

    #[derive(Clone, Debug)]
    enum Action {
        /// The minter mints `amount` to holder `to`.
        Mint { to: usize, amount: U256 },
        /// Holder `from` burns `bps`/10 000 of its balance (> 10 000: more than it has).
        Burn { from: usize, bps: u16 },
        /// `spender` burns `bps` of `owner`'s balance using an allowance of `allowance_bps`.
        BurnFrom {
            owner: usize,
            spender: usize,
            bps: u16,
            allowance_bps: u16,
        },
        /// `from` transfers `bps` of its balance to `to`.
        Transfer { from: usize, to: usize, bps: u16 },
    }

    fn amount() -> impl Strategy<Value = U256> {
        prop_oneof![
            (0u64..1_000).prop_map(U256::from),
            (0u128..10u128.pow(27)).prop_map(U256::from),
            // Near the overflow edge: exercises `SupplyOverflow` reverts mid-sequence.
            (0u64..1_000).prop_map(|d| U256::MAX - GENESIS_SUPPLY - U256::from(d)),
        ]
    }

    fn action() -> impl Strategy<Value = Action> {
        let who = 0..=HOLDERS; // HOLDERS is the minter's index
        let bps = 0u16..=11_000;
        prop_oneof![
            (who.clone(), amount()).prop_map(|(to, amount)| Action::Mint { to, amount }),
            (who.clone(), bps.clone()).prop_map(|(from, bps)| Action::Burn { from, bps }),
            (who.clone(), who.clone(), bps.clone(), bps.clone()).prop_map(
                |(owner, spender, bps, allowance_bps)| Action::BurnFrom {
                    owner,
                    spender,
                    bps,
                    allowance_bps
                }
            ),
            (who.clone(), who, bps).prop_map(|(from, to, bps)| Action::Transfer { from, to, bps }),
        ]
    }

    fn part(balance: U256, bps: u16) -> U256 {
        balance * U256::from(bps) / U256::from(10_000)
    }

    /// INV-1: whatever sequence of mints, burns, burnFroms and transfers runs (failed
    /// calls revert), `totalSupply == 100M + totalMinted − totalBurned == Σ balances`.
    #[motsu::test]
    fn inv1_supply_conservation() {
        let deployer = Address::from_tag("deployer");
        let minter = Address::from_tag("minter");
        let mut accounts: Vec<Address> = (0..HOLDERS)
            .map(|i| Address::with_last_byte(0xa0 + i as u8))
            .collect();
        accounts.push(minter);
        let genesis: Vec<U256> = vec![GENESIS_SUPPLY / U256::from(4); 4];

        let mut runner = TestRunner::new(Config {
            failure_persistence: None,
            ..Config::default()
        });
        runner
            .run(&proptest::collection::vec(action(), 1..40), |actions| {
                let token = Contract::<VvvToken>::new();
                token
                    .sender(deployer)
                    .constructor(deployer, accounts[..4].to_vec(), genesis.clone())
                    .motsu_unwrap();
                let _minter = controller_at(minter, token.address());
                token.sender(deployer).set_minter(minter).motsu_unwrap();
                let balance = |i: usize| token.sender(deployer).balance_of(accounts[i]);
                for action in actions {
                    // Each call may fail (overflow, insufficient balance/allowance);
                    // `motsu_res` reverts the failed call's state like the chain does.
                    let _ = match action {
                        Action::Mint { to, amount } => {
                            token.sender(minter).mint(accounts[to], amount).motsu_res()
                        }
                        Action::Burn { from, bps } => {
                            let value = part(balance(from), bps);
                            token.sender(accounts[from]).burn(value).motsu_res()
                        }
                        Action::BurnFrom {
                            owner,
                            spender,
                            bps,
                            allowance_bps,
                        } => {
                            let held = balance(owner);
                            let _ = token
                                .sender(accounts[owner])
                                .approve(accounts[spender], part(held, allowance_bps))
                                .motsu_res();
                            token
                                .sender(accounts[spender])
                                .burn_from(accounts[owner], part(held, bps))
                                .motsu_res()
                        }
                        Action::Transfer { from, to, bps } => {
                            let value = part(balance(from), bps);
                            token
                                .sender(accounts[from])
                                .transfer(accounts[to], value)
                                .motsu_res()
                                .map(|_| ())
                        }
                    };
                    let supply = token.sender(deployer).total_supply();
                    let minted = token.sender(deployer).total_minted();
                    let burned = token.sender(deployer).total_burned();
                    let sum = (0..=HOLDERS)
                        .map(balance)
                        .fold(U256::ZERO, |acc, b| acc + b);
                    prop_assert_eq!(supply, GENESIS_SUPPLY + minted - burned);
                    prop_assert_eq!(supply, sum);
                }
                Ok(())
            })
            .unwrap();
    }
}
