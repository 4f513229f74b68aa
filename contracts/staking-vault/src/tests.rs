//! Unit tests: every public function, every revert path with its exact error, the events.
//!
//! The vault runs against the real VVV token (`contracts/vvv-token`): genesis goes to the test
//! accounts, the token's minter is a real emission controller deployed at `CONTROLLER`, whose
//! address the tests also use as the caller that mints VVV into the vault and calls
//! `notifyRewards` as the wired distributor. A real DIEM minter deployed at `LOCKER` is the
//! locker (the wiring checks read their `vault()`/`token()`), and the tests call `lock`/`unlock`
//! from its address. Time: motsu's block timestamp is fixed, so the vault reads [`clock`] in
//! unit tests; `request_unstake_at` / `withdraw_at` take explicit times.
use alloy_primitives::{address, Address, B256, U256};
use alloy_sol_types::SolError;
use motsu::prelude::*;
use openzeppelin_stylus::{access::control::AccessControl, token::erc20 as oz_erc20};
use proptest::prelude::*;
use stylus_sdk::call;
use vvv_test_support::{assert_encodes_as_abi, assert_revert};
use vvv_token::{VvvToken, GENESIS_SUPPLY};

use diem_minter::DiemMinter;
use emission_controller::EmissionController;
use vvv_common::{diem::DEFAULT_BASE, rewards::DEFAULT_REWARDS_DURATION};

use super::*;
use vvv_common::cooldown::{DEFAULT_COOLDOWN, MAX_COOLDOWN};

/// Plays the emission controller: VVV minter and the vault's rewards distributor.
pub(crate) const CONTROLLER: Address = address!("00000000000000000000000000000000c0c0c0c0");
/// Plays the DIEM minter: the vault's locker.
pub(crate) const LOCKER: Address = address!("0000000000000000000000000000000010c1e500");
/// motsu's fixed block timestamp (2025-01-01T00:00:00Z).
pub(crate) const MOTSU_NOW: u64 = 1_735_689_600;
/// Genesis VVV of each test user.
pub(crate) const USER_GENESIS: u64 = 1_000_000;

/// `n` whole tokens (18 decimals).
pub(crate) fn tokens(n: u64) -> U256 {
    U256::from(n) * WAD
}

/// Stands for the DIEM token in the DIEM minter's constructor (the vault never calls it).
const DIEM: Address = address!("00000000000000000000000000000000d1e30000");

/// The block time the vault reads in unit tests (motsu's own stays at `MOTSU_NOW`). Per test
/// thread; [`setup`] resets it.
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

    /// Moves the test time `seconds` forward.
    pub(crate) fn advance(seconds: u64) {
        set(now() + seconds);
    }
}

/// The vault's real counterparts, the emission controller at `CONTROLLER` and the DIEM minter
/// at `LOCKER`, built for `vault` and `vvv` (so the wiring checks pass). Keep it alive for the
/// whole test: dropping a motsu contract erases it.
pub(crate) struct Counterparts {
    _controller: Contract<EmissionController>,
    _minter: Contract<DiemMinter>,
}

/// Deploys the [`Counterparts`] of `vault` (holding `vvv`), administered by `admin`.
pub(crate) fn counterparts(vvv: Address, vault: Address, admin: Address) -> Counterparts {
    let controller = Contract::<EmissionController>::new_at(CONTROLLER);
    controller
        .sender(admin)
        .constructor(vvv, vault, admin, admin, tokens(6_000_000), MOTSU_NOW)
        .motsu_unwrap();
    let minter = Contract::<DiemMinter>::new_at(LOCKER);
    minter
        .sender(admin)
        .constructor(vault, DIEM, admin, DEFAULT_BASE)
        .motsu_unwrap();
    Counterparts {
        _controller: controller,
        _minter: minter,
    }
}

/// `DEFAULT_ADMIN_ROLE` as a `B256`.
fn admin_role() -> B256 {
    AccessControl::DEFAULT_ADMIN_ROLE.into()
}

/// Deploys VVV (1M to each user, the rest of the 100M to `admin`, minter `CONTROLLER`), the
/// vault (`admin` as deployer and admin) and its counterparts, wires the vault to `CONTROLLER`
/// and `LOCKER`; every user approves the vault for all its VVV. The clock starts at
/// `MOTSU_NOW`.
#[must_use = "the counterparts live as long as the returned value"]
pub(crate) fn setup(
    token: &Contract<VvvToken>,
    vault: &Contract<StakingVault>,
    admin: Address,
    users: &[Address],
) -> Counterparts {
    setup_constructing_with(token, vault, admin, users, || {
        vault
            .sender(admin)
            .constructor(token.address(), admin, admin)
            .motsu_unwrap();
    })
}

/// [`setup`], with `construct` running the vault's constructor (`token`, `admin`, `admin`).
#[must_use = "the counterparts live as long as the returned value"]
fn setup_constructing_with(
    token: &Contract<VvvToken>,
    vault: &Contract<StakingVault>,
    admin: Address,
    users: &[Address],
    construct: impl FnOnce(),
) -> Counterparts {
    clock::set(MOTSU_NOW);
    let per_user = tokens(USER_GENESIS);
    let mut recipients = users.to_vec();
    let mut amounts = vec![per_user; users.len()];
    recipients.push(admin);
    amounts.push(GENESIS_SUPPLY - per_user * U256::from(users.len()));
    token
        .sender(admin)
        .constructor(admin, recipients, amounts)
        .motsu_unwrap();
    construct();
    let counterparts = counterparts(token.address(), vault.address(), admin);
    token.sender(admin).set_minter(CONTROLLER).motsu_unwrap();
    vault
        .sender(admin)
        .set_rewards_distributor(CONTROLLER)
        .motsu_unwrap();
    vault.sender(admin).set_locker(LOCKER).motsu_unwrap();
    for user in users {
        token
            .sender(*user)
            .approve(vault.address(), U256::MAX)
            .motsu_unwrap();
    }
    counterparts
}

/// The controller mints `amount` VVV into the vault and announces it (the stream starts now).
pub(crate) fn announce(token: &Contract<VvvToken>, vault: &Contract<StakingVault>, amount: U256) {
    token
        .sender(CONTROLLER)
        .mint(vault.address(), amount)
        .motsu_unwrap();
    vault
        .sender(CONTROLLER)
        .notify_rewards(amount)
        .motsu_unwrap();
}

/// [`announce`], then the clock runs to the end of the stream: everything is released.
pub(crate) fn reward(token: &Contract<VvvToken>, vault: &Contract<StakingVault>, amount: U256) {
    announce(token, vault, amount);
    clock::set(vault.sender(CONTROLLER).reward_stream().2);
}

/// VVV held by `account`.
pub(crate) fn vvv_of(token: &Contract<VvvToken>, account: Address) -> U256 {
    token.sender(account).balance_of(account)
}

/// INV-2 on the spot: the vault holds at least what it owes.
pub(crate) fn assert_solvent(token: &Contract<VvvToken>, vault: &Contract<StakingVault>) {
    let held = vvv_of(token, vault.address());
    let accounted = vault.sender(CONTROLLER).accounted_assets().motsu_unwrap();
    assert!(held >= accounted, "held {held} < accounted {accounted}");
}

// ----- Construction and wiring -----

#[motsu::test]
fn constructor_sets_token_admin_defaults(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    admin: Address,
    alice: Address,
) {
    let _counterparts = setup(&token, &vault, admin, &[alice]);
    let v = vault.sender(alice);
    assert_eq!(v.vvv(), token.address());
    // Both links wired by `setup`: nothing is left for the deployer.
    assert_eq!(v.deployer(), Address::ZERO);
    assert_eq!(v.rewards_distributor(), CONTROLLER);
    assert_eq!(v.locker(), LOCKER);
    assert!(v.has_role(admin_role(), admin));
    assert!(!v.has_role(admin_role(), alice));
    assert_eq!(v.get_role_admin(admin_role()), admin_role());
    assert_eq!(v.cooldown(), DEFAULT_COOLDOWN);
    assert_eq!(v.cooldown(), 7 * 86_400);
    assert_eq!(v.pro_threshold(), tokens(100));
    assert!(!v.paused());
    assert_eq!(v.name(), "Staked VVV");
    assert_eq!(v.symbol(), "sVVV");
    assert_eq!(v.decimals(), 18);
    assert_eq!(v.total_supply(), U256::ZERO);
    assert_eq!(v.total_supply(), U256::ZERO);
    assert_eq!(v.request_count(), U256::ZERO);
    vault.assert_emitted(&CooldownSet {
        previous: 0,
        cooldown: DEFAULT_COOLDOWN,
    });
    vault.assert_emitted(&ProThresholdSet {
        previous: U256::ZERO,
        threshold: tokens(100),
    });
    vault.assert_emitted(&Wired {
        link: vvv_wiring::REWARDS_DISTRIBUTOR,
        account: CONTROLLER,
    });
    vault.assert_emitted(&Wired {
        link: vvv_wiring::LOCKER,
        account: LOCKER,
    });
}

#[motsu::test]
fn constructor_rejects_zero_addresses(vault: Contract<StakingVault>, admin: Address) {
    assert_revert!(
        vault.sender(admin).constructor(Address::ZERO, admin, admin),
        Error::ZeroAddress(ZeroAddress {})
    );
    assert_revert!(
        vault.sender(admin).constructor(admin, Address::ZERO, admin),
        Error::ZeroAddress(ZeroAddress {})
    );
    assert_revert!(
        vault.sender(admin).constructor(admin, admin, Address::ZERO),
        Error::InvalidDeployer(InvalidDeployer {})
    );
}

/// Through the StylusDeployer the constructor's caller is that contract: the account passed
/// as `deployer` wires, the caller cannot (D-1).
#[motsu::test]
fn wiring_account_is_the_constructor_argument_not_the_caller(
    vault: Contract<StakingVault>,
    deployer: Address,
    admin: Address,
    token: Address,
    factory: Address,
) {
    vault
        .sender(factory)
        .constructor(token, admin, deployer)
        .motsu_unwrap();
    let _counterparts = counterparts(token, vault.address(), admin);
    assert_eq!(vault.sender(admin).deployer(), deployer);
    assert_revert!(
        vault.sender(factory).set_rewards_distributor(CONTROLLER),
        Error::NotDeployer(NotDeployer { caller: factory })
    );
    assert_revert!(
        vault.sender(factory).set_locker(LOCKER),
        Error::NotDeployer(NotDeployer { caller: factory })
    );
    vault
        .sender(deployer)
        .set_rewards_distributor(CONTROLLER)
        .motsu_unwrap();
    vault.sender(deployer).set_locker(LOCKER).motsu_unwrap();
    assert_eq!(vault.sender(admin).rewards_distributor(), CONTROLLER);
    assert_eq!(vault.sender(admin).locker(), LOCKER);
}

#[motsu::test]
fn wiring_is_deployer_only_once_and_non_zero(
    vault: Contract<StakingVault>,
    deployer: Address,
    admin: Address,
    token: Address,
    mallory: Address,
) {
    // The deployer (named in the constructor) wires, not the admin.
    vault
        .sender(deployer)
        .constructor(token, admin, deployer)
        .motsu_unwrap();
    let _counterparts = counterparts(token, vault.address(), admin);
    for caller in [admin, mallory] {
        assert_revert!(
            vault.sender(caller).set_rewards_distributor(CONTROLLER),
            Error::NotDeployer(NotDeployer { caller })
        );
        assert_revert!(
            vault.sender(caller).set_locker(LOCKER),
            Error::NotDeployer(NotDeployer { caller })
        );
    }
    assert_revert!(
        vault
            .sender(deployer)
            .set_rewards_distributor(Address::ZERO),
        Error::InvalidLink(InvalidLink {
            link: vvv_wiring::REWARDS_DISTRIBUTOR
        })
    );
    assert_revert!(
        vault.sender(deployer).set_locker(Address::ZERO),
        Error::InvalidLink(InvalidLink {
            link: vvv_wiring::LOCKER
        })
    );

    vault
        .sender(deployer)
        .set_rewards_distributor(CONTROLLER)
        .motsu_unwrap();
    // One link wired: the deployer stays until the other is.
    assert_eq!(vault.sender(mallory).deployer(), deployer);
    vault.sender(deployer).set_locker(LOCKER).motsu_unwrap();
    vault.assert_emitted(&Wired {
        link: vvv_wiring::REWARDS_DISTRIBUTOR,
        account: CONTROLLER,
    });
    vault.assert_emitted(&Wired {
        link: vvv_wiring::LOCKER,
        account: LOCKER,
    });
    assert_eq!(vault.sender(mallory).deployer(), Address::ZERO);

    // Frozen: not even the deployer can rewire.
    assert_revert!(
        vault.sender(deployer).set_rewards_distributor(mallory),
        Error::AlreadyWired(AlreadyWired {
            link: vvv_wiring::REWARDS_DISTRIBUTOR,
            current: CONTROLLER
        })
    );
    assert_revert!(
        vault.sender(deployer).set_locker(mallory),
        Error::AlreadyWired(AlreadyWired {
            link: vvv_wiring::LOCKER,
            current: LOCKER
        })
    );
    assert_eq!(vault.sender(mallory).rewards_distributor(), CONTROLLER);
    assert_eq!(vault.sender(mallory).locker(), LOCKER);
}

/// Behaves like an account without code: every call succeeds and returns nothing.
#[storage]
struct NoCode;

unsafe impl TopLevelStorage for NoCode {}

#[public]
impl NoCode {
    #[fallback]
    fn fallback(&mut self, _calldata: &[u8]) -> Result<Vec<u8>, Vec<u8>> {
        Ok(Vec::new())
    }
}

/// Finding 5 of issue 9: each wiring call checks the counterpart's own links, so a
/// controller or DIEM minter built for another vault or token, or an account without code,
/// cannot be wired (it could otherwise freeze stakers' sVVV as a locker).
#[motsu::test]
fn wiring_checks_the_counterparts_own_links(
    vault: Contract<StakingVault>,
    other_vault: Contract<StakingVault>,
    no_code: Contract<NoCode>,
    deployer: Address,
    admin: Address,
    token: Address,
    other_token: Address,
) {
    vault
        .sender(deployer)
        .constructor(token, admin, deployer)
        .motsu_unwrap();
    let this = vault.address();
    // Built for another vault: the distributor's `vault()` and the locker's `vault()` differ.
    {
        let _elsewhere = counterparts(token, other_vault.address(), admin);
        let expected = WiringMismatch {
            counterpart: CONTROLLER,
            expected: this,
            actual: other_vault.address(),
        };
        assert_revert!(
            vault.sender(deployer).set_rewards_distributor(CONTROLLER),
            Error::WiringMismatch(expected)
        );
        let expected = WiringMismatch {
            counterpart: LOCKER,
            expected: this,
            actual: other_vault.address(),
        };
        assert_revert!(
            vault.sender(deployer).set_locker(LOCKER),
            Error::WiringMismatch(expected)
        );
    }
    // The right vault but another token: the distributor's `token()` differs.
    {
        let _wrong_token = counterparts(other_token, this, admin);
        let expected = WiringMismatch {
            counterpart: CONTROLLER,
            expected: token,
            actual: other_token,
        };
        assert_revert!(
            vault.sender(deployer).set_rewards_distributor(CONTROLLER),
            Error::WiringMismatch(expected)
        );
    }
    // No code: no link at all.
    let expected = WiringMismatch {
        counterpart: no_code.address(),
        expected: this,
        actual: Address::ZERO,
    };
    assert_revert!(
        vault.sender(deployer).set_locker(no_code.address()),
        Error::WiringMismatch(expected)
    );
    // Nothing was wired by the refused calls.
    assert_eq!(vault.sender(admin).rewards_distributor(), Address::ZERO);
    assert_eq!(vault.sender(admin).locker(), Address::ZERO);
}

/// Finding 5 of issue 9: no stake (which the locker could then freeze) before the suite is
/// wired — neither with one link only.
#[motsu::test]
fn stake_reverts_not_wired_until_both_links_are_wired(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    admin: Address,
    alice: Address,
) {
    token
        .sender(admin)
        .constructor(
            admin,
            vec![alice, admin],
            vec![tokens(1), GENESIS_SUPPLY - tokens(1)],
        )
        .motsu_unwrap();
    vault
        .sender(admin)
        .constructor(token.address(), admin, admin)
        .motsu_unwrap();
    let _counterparts = counterparts(token.address(), vault.address(), admin);
    token
        .sender(alice)
        .approve(vault.address(), U256::MAX)
        .motsu_unwrap();
    let not_wired = |vault: &Contract<StakingVault>| {
        assert_revert!(vault.sender(alice).stake(tokens(1)), matches Error::NotWired(_));
        assert_revert!(vault.sender(alice).stake_for(alice, tokens(1)), matches Error::NotWired(_));
    };
    not_wired(&vault);
    vault
        .sender(admin)
        .set_rewards_distributor(CONTROLLER)
        .motsu_unwrap();
    not_wired(&vault);
    vault.sender(admin).set_locker(LOCKER).motsu_unwrap();
    vault.sender(alice).stake(tokens(1)).motsu_unwrap();
    assert_eq!(vault.sender(alice).balance_of(alice), tokens(1));
}

// ----- Staking -----

#[motsu::test]
fn stake_pulls_vvv_and_mints_unlocked_svvv_one_to_one(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    admin: Address,
    alice: Address,
) {
    let _counterparts = setup(&token, &vault, admin, &[alice]);
    let amount = tokens(250);
    vault.sender(alice).stake(amount).motsu_unwrap();
    let v = vault.sender(alice);
    assert_eq!(v.balance_of(alice), amount);
    assert_eq!(v.unlocked_of(alice), amount);
    assert_eq!(v.locked_of(alice), U256::ZERO);
    assert_eq!(v.total_supply(), amount);
    assert_eq!(v.total_supply(), amount);
    assert_eq!(vvv_of(&token, alice), tokens(USER_GENESIS) - amount);
    assert_eq!(vvv_of(&token, vault.address()), amount);
    vault.assert_emitted(&Staked {
        payer: alice,
        beneficiary: alice,
        amount,
    });
    vault.assert_emitted(&Transfer {
        from: Address::ZERO,
        to: alice,
        value: amount,
    });
    assert_solvent(&token, &vault);
}

#[motsu::test]
fn stake_for_credits_the_beneficiary_and_charges_the_caller(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    admin: Address,
    airdrop: Address,
    bob: Address,
) {
    let _counterparts = setup(&token, &vault, admin, &[airdrop]);
    vault
        .sender(airdrop)
        .stake_for(bob, tokens(10))
        .motsu_unwrap();
    assert_eq!(vault.sender(bob).balance_of(bob), tokens(10));
    assert_eq!(vault.sender(bob).balance_of(airdrop), U256::ZERO);
    assert_eq!(vvv_of(&token, airdrop), tokens(USER_GENESIS - 10));
    vault.assert_emitted(&Staked {
        payer: airdrop,
        beneficiary: bob,
        amount: tokens(10),
    });
}

#[motsu::test]
fn stake_zero_reverts(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    admin: Address,
    alice: Address,
) {
    let _counterparts = setup(&token, &vault, admin, &[alice]);
    assert_revert!(vault.sender(alice).stake(U256::ZERO), matches Error::ZeroAmount(_));
    assert_revert!(vault.sender(alice).stake_for(alice, U256::ZERO), matches Error::ZeroAmount(_));
}

#[motsu::test]
fn stake_for_zero_beneficiary_reverts(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    admin: Address,
    alice: Address,
) {
    let _counterparts = setup(&token, &vault, admin, &[alice]);
    assert_revert!(
        vault.sender(alice).stake_for(Address::ZERO, tokens(1)),
        Error::ZeroAddress(ZeroAddress {})
    );
}

#[motsu::test]
fn stake_without_allowance_bubbles_the_token_error(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    admin: Address,
    alice: Address,
    carol: Address,
) {
    let _counterparts = setup(&token, &vault, admin, &[alice]);
    // carol holds VVV but never approved the vault.
    token
        .sender(alice)
        .transfer(carol, tokens(5))
        .motsu_unwrap();
    let reason = oz_erc20::ERC20InsufficientAllowance {
        spender: vault.address(),
        allowance: U256::ZERO,
        needed: tokens(5),
    }
    .abi_encode();
    assert_revert!(
        vault.sender(carol).stake(tokens(5)),
        Error::VvvReverted(call::Error::Revert(reason))
    );
    // And more than the balance: the token's insufficient-balance error, verbatim.
    assert_revert!(
        vault.sender(alice).stake(tokens(USER_GENESIS + 1)),
        matches Error::VvvReverted(call::Error::Revert(data))
            if oz_erc20::ERC20InsufficientBalance::abi_decode(&data, true).is_ok()
    );
    assert_eq!(vault.sender(alice).total_supply(), U256::ZERO);
}

// ----- Pause -----

#[motsu::test]
fn pause_stops_new_stakes_only(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    admin: Address,
    alice: Address,
    bob: Address,
) {
    let _counterparts = setup(&token, &vault, admin, &[alice, bob]);
    vault.sender(alice).stake(tokens(100)).motsu_unwrap();
    vault.sender(bob).stake(tokens(100)).motsu_unwrap();
    let t0 = MOTSU_NOW;
    let open = vault
        .sender(alice)
        .request_unstake_at(tokens(10), t0)
        .motsu_unwrap();
    reward(&token, &vault, tokens(20));

    vault.sender(admin).pause().motsu_unwrap();
    vault.assert_emitted(&openzeppelin_stylus::utils::pausable::Paused { account: admin });
    assert!(vault.sender(alice).paused());

    // New stakes stop: stake, stakeFor, compound.
    assert_revert!(vault.sender(alice).stake(tokens(1)), matches Error::EnforcedPause(_));
    assert_revert!(vault.sender(alice).stake_for(bob, tokens(1)), matches Error::EnforcedPause(_));
    assert_revert!(vault.sender(alice).compound(), matches Error::EnforcedPause(_));

    // Everything else works.
    let claimed = vault.sender(alice).claim_rewards().motsu_unwrap();
    assert!(claimed > U256::ZERO);
    let id = vault
        .sender(bob)
        .request_unstake_at(tokens(40), t0)
        .motsu_unwrap();
    vault.sender(bob).cancel_unstake(id).motsu_unwrap();
    let paid = vault
        .sender(alice)
        .withdraw_at(open, t0 + DEFAULT_COOLDOWN)
        .motsu_unwrap();
    assert_eq!(paid, tokens(10));
    vault.sender(bob).transfer(alice, tokens(1)).motsu_unwrap();
    vault.sender(LOCKER).lock(alice, tokens(5)).motsu_unwrap();
    vault.sender(LOCKER).unlock(alice, tokens(5)).motsu_unwrap();

    vault.sender(admin).unpause().motsu_unwrap();
    vault.assert_emitted(&openzeppelin_stylus::utils::pausable::Unpaused { account: admin });
    vault.sender(alice).stake(tokens(1)).motsu_unwrap();
    assert_solvent(&token, &vault);
}

#[motsu::test]
fn pause_and_unpause_revert_in_the_wrong_state_or_for_non_admins(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    admin: Address,
    alice: Address,
) {
    let _counterparts = setup(&token, &vault, admin, &[alice]);
    assert_revert!(vault.sender(admin).unpause(), matches Error::ExpectedPause(_));
    assert_revert!(
        vault.sender(alice).pause(),
        Error::UnauthorizedAccount(control::AccessControlUnauthorizedAccount {
            account: alice,
            neededRole: admin_role()
        })
    );
    vault.sender(admin).pause().motsu_unwrap();
    assert_revert!(vault.sender(admin).pause(), matches Error::EnforcedPause(_));
    assert_revert!(
        vault.sender(alice).unpause(),
        matches Error::UnauthorizedAccount(e) if e.account == alice
    );
    assert!(vault.sender(alice).paused());
}

// ----- sVVV ERC-20 -----

#[motsu::test]
fn transfer_moves_unlocked_svvv(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    admin: Address,
    alice: Address,
    bob: Address,
) {
    let _counterparts = setup(&token, &vault, admin, &[alice]);
    vault.sender(alice).stake(tokens(30)).motsu_unwrap();
    assert!(vault.sender(alice).transfer(bob, tokens(12)).motsu_unwrap());
    assert_eq!(vault.sender(bob).balance_of(alice), tokens(18));
    assert_eq!(vault.sender(bob).balance_of(bob), tokens(12));
    assert_eq!(vault.sender(bob).total_supply(), tokens(30));
    vault.assert_emitted(&Transfer {
        from: alice,
        to: bob,
        value: tokens(12),
    });
    // A self-transfer changes nothing.
    vault.sender(bob).transfer(bob, tokens(12)).motsu_unwrap();
    assert_eq!(vault.sender(bob).balance_of(bob), tokens(12));
    // Zero-value transfers are fine.
    vault.sender(bob).transfer(alice, U256::ZERO).motsu_unwrap();
}

#[motsu::test]
fn transfer_of_locked_svvv_reverts(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    admin: Address,
    alice: Address,
    bob: Address,
) {
    let _counterparts = setup(&token, &vault, admin, &[alice]);
    vault.sender(alice).stake(tokens(10)).motsu_unwrap();
    vault.sender(LOCKER).lock(alice, tokens(7)).motsu_unwrap();
    assert_eq!(vault.sender(alice).balance_of(alice), tokens(10));
    assert_revert!(
        vault.sender(alice).transfer(bob, tokens(4)),
        Error::InsufficientUnlocked(InsufficientUnlocked {
            unlocked: tokens(3),
            needed: tokens(4)
        })
    );
    // transferFrom with ample allowance hits the same wall.
    vault.sender(alice).approve(bob, U256::MAX).motsu_unwrap();
    assert_revert!(
        vault.sender(bob).transfer_from(alice, bob, tokens(4)),
        Error::InsufficientUnlocked(InsufficientUnlocked {
            unlocked: tokens(3),
            needed: tokens(4)
        })
    );
    // The unlocked part still moves.
    vault.sender(alice).transfer(bob, tokens(3)).motsu_unwrap();
    assert_eq!(vault.sender(alice).balance_of(alice), tokens(7));
    assert_eq!(vault.sender(alice).locked_of(alice), tokens(7));
}

#[motsu::test]
fn transfer_to_zero_reverts(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    admin: Address,
    alice: Address,
) {
    let _counterparts = setup(&token, &vault, admin, &[alice]);
    vault.sender(alice).stake(tokens(1)).motsu_unwrap();
    assert_revert!(
        vault.sender(alice).transfer(Address::ZERO, tokens(1)),
        Error::InvalidReceiver(ERC20InvalidReceiver {
            receiver: Address::ZERO
        })
    );
}

#[motsu::test]
fn approve_and_transfer_from_spend_the_allowance(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    admin: Address,
    alice: Address,
    bob: Address,
    carol: Address,
) {
    let _counterparts = setup(&token, &vault, admin, &[alice]);
    vault.sender(alice).stake(tokens(20)).motsu_unwrap();
    assert!(vault.sender(alice).approve(bob, tokens(8)).motsu_unwrap());
    vault.assert_emitted(&Approval {
        owner: alice,
        spender: bob,
        value: tokens(8),
    });
    assert_eq!(vault.sender(bob).allowance(alice, bob), tokens(8));
    assert!(vault
        .sender(bob)
        .transfer_from(alice, carol, tokens(5))
        .motsu_unwrap());
    assert_eq!(vault.sender(bob).allowance(alice, bob), tokens(3));
    assert_eq!(vault.sender(bob).balance_of(carol), tokens(5));
    assert_revert!(
        vault.sender(bob).transfer_from(alice, carol, tokens(4)),
        Error::InsufficientAllowance(ERC20InsufficientAllowance {
            spender: bob,
            allowance: tokens(3),
            needed: tokens(4)
        })
    );
    // Exactly the remaining allowance can be spent, leaving none.
    vault
        .sender(bob)
        .transfer_from(alice, carol, tokens(3))
        .motsu_unwrap();
    assert_eq!(vault.sender(bob).allowance(alice, bob), U256::ZERO);
    // An unlimited allowance is not decreased.
    vault.sender(alice).approve(bob, U256::MAX).motsu_unwrap();
    vault
        .sender(bob)
        .transfer_from(alice, carol, tokens(5))
        .motsu_unwrap();
    assert_eq!(vault.sender(bob).allowance(alice, bob), U256::MAX);
    // Approving the zero address reverts.
    assert_revert!(
        vault.sender(alice).approve(Address::ZERO, tokens(1)),
        Error::InvalidSpender(ERC20InvalidSpender {
            spender: Address::ZERO
        })
    );
}

// ----- Rewards -----

#[motsu::test]
fn rewards_split_pro_rata_and_claim_pays_vvv(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    admin: Address,
    alice: Address,
    bob: Address,
) {
    let _counterparts = setup(&token, &vault, admin, &[alice, bob]);
    vault.sender(alice).stake(tokens(300)).motsu_unwrap();
    vault.sender(bob).stake(tokens(100)).motsu_unwrap();
    reward(&token, &vault, tokens(1_000));
    vault.assert_emitted(&RewardsNotified {
        amount: tokens(1_000),
        streamed: tokens(1_000),
        periodEnd: MOTSU_NOW + DEFAULT_REWARDS_DURATION,
    });
    // 750 / 250 to within a wei each (rounded down).
    let pa = vault.sender(alice).pending_rewards(alice).motsu_unwrap();
    let pb = vault.sender(bob).pending_rewards(bob).motsu_unwrap();
    assert!(
        pa <= tokens(750) && tokens(750) - pa <= U256::from(1),
        "{pa}"
    );
    assert!(
        pb <= tokens(250) && tokens(250) - pb <= U256::from(1),
        "{pb}"
    );

    let before = vvv_of(&token, alice);
    let claimed = vault.sender(alice).claim_rewards().motsu_unwrap();
    assert_eq!(claimed, pa);
    assert_eq!(vvv_of(&token, alice), before + pa);
    vault.assert_emitted(&RewardsClaimed {
        account: alice,
        amount: pa,
    });
    let v = vault.sender(alice);
    assert_eq!(v.pending_rewards(alice).motsu_unwrap(), U256::ZERO);
    assert_eq!(v.settlement_of(alice).0, U256::ZERO);
    assert_eq!(v.settlement_of(alice).1, v.reward_per_weight());
    assert_eq!(v.total_rewards_paid(), pa);
    assert_eq!(v.total_rewards_announced(), tokens(1_000));
    assert_solvent(&token, &vault);
}

#[motsu::test]
fn claim_with_nothing_pending_reverts(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    admin: Address,
    alice: Address,
) {
    let _counterparts = setup(&token, &vault, admin, &[alice]);
    assert_revert!(vault.sender(alice).claim_rewards(), matches Error::NoRewards(_));
    vault.sender(alice).stake(tokens(1)).motsu_unwrap();
    assert_revert!(vault.sender(alice).compound(), matches Error::NoRewards(_));
}

#[motsu::test]
fn compound_restakes_pending_rewards(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    admin: Address,
    alice: Address,
) {
    let _counterparts = setup(&token, &vault, admin, &[alice]);
    vault.sender(alice).stake(tokens(100)).motsu_unwrap();
    reward(&token, &vault, tokens(7));
    let pending = vault.sender(alice).pending_rewards(alice).motsu_unwrap();
    assert_eq!(pending, tokens(7));
    let accounted = vault.sender(alice).accounted_assets().motsu_unwrap();
    let compounded = vault.sender(alice).compound().motsu_unwrap();
    assert_eq!(compounded, tokens(7));
    assert_eq!(vault.sender(alice).balance_of(alice), tokens(107));
    assert_eq!(vault.sender(alice).total_supply(), tokens(107));
    assert_eq!(
        vault.sender(alice).pending_rewards(alice).motsu_unwrap(),
        U256::ZERO
    );
    // The VVV stayed in the vault: it moved from rewards to stake.
    assert_eq!(
        vault.sender(alice).accounted_assets().motsu_unwrap(),
        accounted
    );
    vault.assert_emitted(&RewardsCompounded {
        account: alice,
        amount: tokens(7),
    });
    vault.assert_emitted(&Transfer {
        from: Address::ZERO,
        to: alice,
        value: tokens(7),
    });
    assert_solvent(&token, &vault);
}

#[motsu::test]
fn locked_svvv_earns_80_percent(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    admin: Address,
    alice: Address,
    bob: Address,
) {
    let _counterparts = setup(&token, &vault, admin, &[alice, bob]);
    vault.sender(alice).stake(tokens(1_000)).motsu_unwrap();
    vault.sender(bob).stake(tokens(1_000)).motsu_unwrap();
    vault.sender(LOCKER).lock(bob, tokens(1_000)).motsu_unwrap();
    // Several distributions, odd amounts.
    for amount in [
        tokens(900),
        U256::from(123_456_789u64),
        tokens(33) + U256::from(7),
    ] {
        reward(&token, &vault, amount);
    }
    let unlocked_reward = vault.sender(alice).pending_rewards(alice).motsu_unwrap();
    let locked_reward = vault.sender(bob).pending_rewards(bob).motsu_unwrap();
    // 10·locked vs 8·unlocked agree to within rounding (|locked − 0.8·unlocked| < 1 wei per
    // distribution).
    let (a, b) = (
        locked_reward * U256::from(10),
        unlocked_reward * U256::from(8),
    );
    let diff = if a > b { a - b } else { b - a };
    assert!(
        diff < U256::from(10),
        "locked {locked_reward} unlocked {unlocked_reward}"
    );
    assert!(locked_reward >= tokens(400));
    assert!(unlocked_reward >= tokens(500));
}

#[motsu::test]
fn rewards_at_zero_weight_are_kept_then_paid_with_the_next_distribution(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    admin: Address,
    alice: Address,
) {
    let _counterparts = setup(&token, &vault, admin, &[alice]);
    reward(&token, &vault, tokens(50));
    vault.assert_emitted(&RewardsNotified {
        amount: tokens(50),
        streamed: tokens(50),
        periodEnd: MOTSU_NOW + DEFAULT_REWARDS_DURATION,
    });
    assert_solvent(&token, &vault);

    // The first action after the stream ran out with nobody staked (this stake) releases it
    // all into `kept`: nothing per weight...
    vault.sender(alice).stake(tokens(10)).motsu_unwrap();
    assert_eq!(vault.sender(alice).kept_rewards(), tokens(50));
    assert_eq!(vault.sender(alice).reward_per_weight(), U256::ZERO);
    // ...so staking alone earns none of the kept rewards...
    clock::advance(DEFAULT_REWARDS_DURATION);
    assert_eq!(
        vault.sender(alice).pending_rewards(alice).motsu_unwrap(),
        U256::ZERO
    );
    // ...the next announcement streams them again, together with its own amount.
    reward(&token, &vault, tokens(5));
    vault.assert_emitted(&RewardsNotified {
        amount: tokens(5),
        streamed: tokens(55),
        periodEnd: MOTSU_NOW + 2 * DEFAULT_REWARDS_DURATION + DEFAULT_REWARDS_DURATION,
    });
    assert_eq!(vault.sender(alice).kept_rewards(), U256::ZERO);
    assert_eq!(
        vault.sender(alice).pending_rewards(alice).motsu_unwrap(),
        tokens(55)
    );
    assert_eq!(
        vault.sender(alice).claim_rewards().motsu_unwrap(),
        tokens(55)
    );
    assert_solvent(&token, &vault);
}

#[motsu::test]
fn transfer_settles_both_sides_first(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    admin: Address,
    alice: Address,
    bob: Address,
) {
    let _counterparts = setup(&token, &vault, admin, &[alice, bob]);
    vault.sender(alice).stake(tokens(100)).motsu_unwrap();
    vault.sender(bob).stake(tokens(100)).motsu_unwrap();
    reward(&token, &vault, tokens(10));
    vault
        .sender(alice)
        .transfer(bob, tokens(100))
        .motsu_unwrap();
    // The reward before the transfer stays with each side.
    assert_eq!(vault.sender(alice).settlement_of(alice).0, tokens(5));
    assert_eq!(vault.sender(alice).settlement_of(bob).0, tokens(5));
    reward(&token, &vault, tokens(10));
    assert_eq!(
        vault.sender(alice).pending_rewards(alice).motsu_unwrap(),
        tokens(5)
    );
    assert_eq!(
        vault.sender(bob).pending_rewards(bob).motsu_unwrap(),
        tokens(15)
    );
}

#[motsu::test]
fn notify_rewards_only_by_the_distributor(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    admin: Address,
    alice: Address,
) {
    let _counterparts = setup(&token, &vault, admin, &[alice]);
    for caller in [admin, alice] {
        assert_revert!(
            vault.sender(caller).notify_rewards(U256::ZERO),
            Error::UnauthorizedCaller(UnauthorizedCaller {
                link: vvv_wiring::REWARDS_DISTRIBUTOR,
                caller
            })
        );
    }
}

#[motsu::test]
fn notify_rewards_before_wiring_reverts(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    admin: Address,
) {
    vault
        .sender(admin)
        .constructor(token.address(), admin, admin)
        .motsu_unwrap();
    assert_revert!(
        vault.sender(CONTROLLER).notify_rewards(U256::ZERO),
        Error::UnauthorizedCaller(UnauthorizedCaller {
            link: vvv_wiring::REWARDS_DISTRIBUTOR,
            caller: CONTROLLER
        })
    );
}

#[motsu::test]
fn unbacked_notify_rewards_reverts(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    admin: Address,
    alice: Address,
) {
    let _counterparts = setup(&token, &vault, admin, &[alice]);
    vault.sender(alice).stake(tokens(100)).motsu_unwrap();
    // Nothing minted: the stake itself cannot back rewards.
    assert_revert!(
        vault.sender(CONTROLLER).notify_rewards(U256::from(1)),
        Error::UnbackedRewards(UnbackedRewards {
            balance: tokens(100),
            accounted: tokens(100),
            amount: U256::from(1)
        })
    );
    // Minted 10, announced 10, then 10 more without minting: unbacked.
    reward(&token, &vault, tokens(10));
    assert_revert!(
        vault.sender(CONTROLLER).notify_rewards(tokens(10)),
        Error::UnbackedRewards(UnbackedRewards {
            balance: tokens(110),
            accounted: tokens(110),
            amount: tokens(10)
        })
    );
    // Open requests count as owed too.
    vault
        .sender(alice)
        .request_unstake_at(tokens(50), MOTSU_NOW)
        .motsu_unwrap();
    assert_revert!(
        vault.sender(CONTROLLER).notify_rewards(U256::from(1)),
        matches Error::UnbackedRewards(_)
    );
    // VVV sent directly (a donation) can back a later announcement.
    token
        .sender(alice)
        .transfer(vault.address(), tokens(3))
        .motsu_unwrap();
    vault
        .sender(CONTROLLER)
        .notify_rewards(tokens(3))
        .motsu_unwrap();
    assert_solvent(&token, &vault);
}

#[motsu::test]
fn notify_zero_rewards_redistributes_kept(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    admin: Address,
    alice: Address,
) {
    let _counterparts = setup(&token, &vault, admin, &[alice]);
    reward(&token, &vault, tokens(2));
    // Released while nothing was staked: kept.
    vault.sender(alice).stake(tokens(1)).motsu_unwrap();
    assert_eq!(vault.sender(alice).kept_rewards(), tokens(2));
    // An empty announcement streams the kept rewards again, over a new period.
    vault
        .sender(CONTROLLER)
        .notify_rewards(U256::ZERO)
        .motsu_unwrap();
    assert_eq!(vault.sender(alice).kept_rewards(), U256::ZERO);
    clock::advance(DEFAULT_REWARDS_DURATION);
    assert_eq!(
        vault.sender(alice).pending_rewards(alice).motsu_unwrap(),
        tokens(2)
    );
}

// ----- Unstaking -----

#[motsu::test]
fn request_unstake_burns_and_opens_a_request(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    admin: Address,
    alice: Address,
) {
    let _counterparts = setup(&token, &vault, admin, &[alice]);
    vault.sender(alice).stake(tokens(100)).motsu_unwrap();
    // The public shell uses motsu's block time.
    let id = vault
        .sender(alice)
        .request_unstake(tokens(40))
        .motsu_unwrap();
    assert_eq!(id, U256::from(1));
    let unlock = MOTSU_NOW + DEFAULT_COOLDOWN;
    let v = vault.sender(alice);
    assert_eq!(v.request(id), (alice, tokens(40), unlock, true));
    assert_eq!(v.open_requests_of(alice), vec![id]);
    assert_eq!(v.balance_of(alice), tokens(60));
    assert_eq!(v.total_supply(), tokens(60));
    assert_eq!(v.total_pending_withdrawals(), tokens(40));
    assert_eq!(v.request_count(), U256::from(1));
    assert_eq!(v.accounted_assets().motsu_unwrap(), tokens(100));
    vault.assert_emitted(&UnstakeRequested {
        id,
        owner: alice,
        amount: tokens(40),
        unlockTime: unlock,
    });
    vault.assert_emitted(&Transfer {
        from: alice,
        to: Address::ZERO,
        value: tokens(40),
    });
    // The public withdraw shell at motsu's time: too early.
    assert_revert!(
        vault.sender(alice).withdraw(id),
        Error::CooldownNotElapsed(CooldownNotElapsed { unlockTime: unlock })
    );
    assert_solvent(&token, &vault);
}

#[motsu::test]
fn request_unstake_stops_the_yield(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    admin: Address,
    alice: Address,
    bob: Address,
) {
    let _counterparts = setup(&token, &vault, admin, &[alice, bob]);
    vault.sender(alice).stake(tokens(100)).motsu_unwrap();
    vault.sender(bob).stake(tokens(100)).motsu_unwrap();
    reward(&token, &vault, tokens(10));
    vault
        .sender(alice)
        .request_unstake_at(tokens(100), clock::now())
        .motsu_unwrap();
    reward(&token, &vault, tokens(10));
    // Alice keeps what she earned before the request and nothing after.
    assert_eq!(
        vault.sender(alice).pending_rewards(alice).motsu_unwrap(),
        tokens(5)
    );
    assert_eq!(
        vault.sender(bob).pending_rewards(bob).motsu_unwrap(),
        tokens(15)
    );
}

#[motsu::test]
fn request_unstake_reverts_on_zero_and_on_locked_svvv(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    admin: Address,
    alice: Address,
) {
    let _counterparts = setup(&token, &vault, admin, &[alice]);
    vault.sender(alice).stake(tokens(10)).motsu_unwrap();
    assert_revert!(
        vault
            .sender(alice)
            .request_unstake_at(U256::ZERO, MOTSU_NOW),
        Error::ZeroAmount(ZeroAmount {})
    );
    vault.sender(LOCKER).lock(alice, tokens(6)).motsu_unwrap();
    assert_revert!(
        vault.sender(alice).request_unstake_at(tokens(5), MOTSU_NOW),
        Error::InsufficientUnlocked(InsufficientUnlocked {
            unlocked: tokens(4),
            needed: tokens(5)
        })
    );
    assert_eq!(vault.sender(alice).request_count(), U256::ZERO);
}

#[motsu::test]
fn withdraw_before_cooldown_reverts_and_exactly_at_it_pays(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    admin: Address,
    alice: Address,
) {
    let _counterparts = setup(&token, &vault, admin, &[alice]);
    vault.sender(alice).stake(tokens(10)).motsu_unwrap();
    let t0 = MOTSU_NOW + 12_345;
    let id = vault
        .sender(alice)
        .request_unstake_at(tokens(10), t0)
        .motsu_unwrap();
    let unlock = t0 + DEFAULT_COOLDOWN;
    for early in [t0, unlock - 1] {
        assert_revert!(
            vault.sender(alice).withdraw_at(id, early),
            Error::CooldownNotElapsed(CooldownNotElapsed { unlockTime: unlock })
        );
    }
    let before = vvv_of(&token, alice);
    let paid = vault.sender(alice).withdraw_at(id, unlock).motsu_unwrap();
    assert_eq!(paid, tokens(10));
    assert_eq!(vvv_of(&token, alice), before + tokens(10));
    vault.assert_emitted(&Withdrawn {
        id,
        owner: alice,
        amount: tokens(10),
    });
    let v = vault.sender(alice);
    assert_eq!(v.request(id), (alice, tokens(10), unlock, false));
    assert!(v.open_requests_of(alice).is_empty());
    assert_eq!(v.total_pending_withdrawals(), U256::ZERO);
    assert_eq!(v.accounted_assets().motsu_unwrap(), U256::ZERO);
    assert_eq!(vvv_of(&token, vault.address()), U256::ZERO);
}

#[motsu::test]
fn withdraw_of_someone_elses_request_reverts(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    admin: Address,
    alice: Address,
    mallory: Address,
) {
    let _counterparts = setup(&token, &vault, admin, &[alice]);
    vault.sender(alice).stake(tokens(10)).motsu_unwrap();
    let id = vault
        .sender(alice)
        .request_unstake_at(tokens(10), MOTSU_NOW)
        .motsu_unwrap();
    let late = MOTSU_NOW + MAX_COOLDOWN;
    assert_revert!(
        vault.sender(mallory).withdraw_at(id, late),
        Error::NotRequestOwner(NotRequestOwner { id, owner: alice })
    );
    assert_revert!(
        vault.sender(mallory).cancel_unstake(id),
        Error::NotRequestOwner(NotRequestOwner { id, owner: alice })
    );
    vault.sender(alice).withdraw_at(id, late).motsu_unwrap();
}

#[motsu::test]
fn withdraw_twice_or_unknown_id_reverts(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    admin: Address,
    alice: Address,
) {
    let _counterparts = setup(&token, &vault, admin, &[alice]);
    vault.sender(alice).stake(tokens(10)).motsu_unwrap();
    let id = vault
        .sender(alice)
        .request_unstake_at(tokens(10), MOTSU_NOW)
        .motsu_unwrap();
    let late = MOTSU_NOW + DEFAULT_COOLDOWN;
    vault.sender(alice).withdraw_at(id, late).motsu_unwrap();
    assert_revert!(
        vault.sender(alice).withdraw_at(id, late),
        Error::RequestNotOpen(RequestNotOpen { id })
    );
    for unknown in [U256::ZERO, U256::from(2), U256::MAX] {
        assert_revert!(
            vault.sender(alice).withdraw_at(unknown, late),
            Error::RequestNotOpen(RequestNotOpen { id: unknown })
        );
    }
    // A withdrawn request cannot be cancelled either.
    assert_revert!(vault.sender(alice).cancel_unstake(id), matches Error::RequestNotOpen(_));
}

#[motsu::test]
fn cancel_unstake_restakes_and_cancel_twice_reverts(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    admin: Address,
    alice: Address,
) {
    let _counterparts = setup(&token, &vault, admin, &[alice]);
    vault.sender(alice).stake(tokens(10)).motsu_unwrap();
    let id = vault
        .sender(alice)
        .request_unstake_at(tokens(4), MOTSU_NOW)
        .motsu_unwrap();
    vault.sender(alice).cancel_unstake(id).motsu_unwrap();
    vault.assert_emitted(&UnstakeCancelled {
        id,
        owner: alice,
        amount: tokens(4),
    });
    let v = vault.sender(alice);
    assert_eq!(v.balance_of(alice), tokens(10));
    assert_eq!(v.unlocked_of(alice), tokens(10));
    assert_eq!(v.total_supply(), tokens(10));
    assert_eq!(v.total_pending_withdrawals(), U256::ZERO);
    assert!(!v.request(id).3);
    assert!(v.open_requests_of(alice).is_empty());
    assert_revert!(
        vault.sender(alice).cancel_unstake(id),
        Error::RequestNotOpen(RequestNotOpen { id })
    );
    assert_revert!(
        vault
            .sender(alice)
            .withdraw_at(id, MOTSU_NOW + MAX_COOLDOWN),
        matches Error::RequestNotOpen(_)
    );
    assert_revert!(
        vault.sender(alice).cancel_unstake(U256::from(99)),
        matches Error::RequestNotOpen(_)
    );
}

#[motsu::test]
fn open_requests_swap_remove(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    admin: Address,
    alice: Address,
    bob: Address,
) {
    let _counterparts = setup(&token, &vault, admin, &[alice, bob]);
    vault.sender(alice).stake(tokens(10)).motsu_unwrap();
    vault.sender(bob).stake(tokens(10)).motsu_unwrap();
    let mut ids = Vec::new();
    for _ in 0..3 {
        ids.push(
            vault
                .sender(alice)
                .request_unstake_at(tokens(1), MOTSU_NOW)
                .motsu_unwrap(),
        );
    }
    let bob_id = vault
        .sender(bob)
        .request_unstake_at(tokens(1), MOTSU_NOW)
        .motsu_unwrap();
    assert_eq!(vault.sender(alice).open_requests_of(alice), ids);
    assert_eq!(vault.sender(alice).open_requests_of(bob), vec![bob_id]);
    // Removing the first moves the last into its place.
    vault.sender(alice).cancel_unstake(ids[0]).motsu_unwrap();
    assert_eq!(
        vault.sender(alice).open_requests_of(alice),
        vec![ids[2], ids[1]]
    );
    // Removing the last is a plain pop.
    vault
        .sender(alice)
        .withdraw_at(ids[1], MOTSU_NOW + DEFAULT_COOLDOWN)
        .motsu_unwrap();
    assert_eq!(vault.sender(alice).open_requests_of(alice), vec![ids[2]]);
    vault
        .sender(alice)
        .withdraw_at(ids[2], MOTSU_NOW + DEFAULT_COOLDOWN)
        .motsu_unwrap();
    assert!(vault.sender(alice).open_requests_of(alice).is_empty());
    // A new request reuses position 0 and still finds its way out.
    let id = vault
        .sender(alice)
        .request_unstake_at(tokens(1), MOTSU_NOW)
        .motsu_unwrap();
    assert_eq!(vault.sender(alice).open_requests_of(alice), vec![id]);
    vault.sender(alice).cancel_unstake(id).motsu_unwrap();
    assert_eq!(vault.sender(alice).open_requests_of(bob), vec![bob_id]);
}

/// Issue 14 regression: the request moved by a swap-remove can leave while the one it jumped
/// over is still open (open 3, cancel the first, withdraw the moved last, then the middle).
#[motsu::test]
fn open_requests_withdraw_the_moved_request_while_the_middle_is_open(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    admin: Address,
    alice: Address,
) {
    let _counterparts = setup(&token, &vault, admin, &[alice]);
    vault.sender(alice).stake(tokens(10)).motsu_unwrap();
    let ids: Vec<U256> = (1..=3)
        .map(|n| {
            vault
                .sender(alice)
                .request_unstake_at(tokens(n), MOTSU_NOW)
                .motsu_unwrap()
        })
        .collect();
    vault.sender(alice).cancel_unstake(ids[0]).motsu_unwrap();
    assert_eq!(
        vault.sender(alice).open_requests_of(alice),
        vec![ids[2], ids[1]]
    );
    let before = token.sender(alice).balance_of(alice);
    vault
        .sender(alice)
        .withdraw_at(ids[2], MOTSU_NOW + DEFAULT_COOLDOWN)
        .motsu_unwrap();
    assert_eq!(token.sender(alice).balance_of(alice), before + tokens(3));
    assert_eq!(vault.sender(alice).open_requests_of(alice), vec![ids[1]]);
    assert_revert!(
        vault
            .sender(alice)
            .withdraw_at(ids[2], MOTSU_NOW + DEFAULT_COOLDOWN),
        matches Error::RequestNotOpen(_)
    );
    vault
        .sender(alice)
        .withdraw_at(ids[1], MOTSU_NOW + DEFAULT_COOLDOWN)
        .motsu_unwrap();
    assert_eq!(token.sender(alice).balance_of(alice), before + tokens(5));
    assert!(vault.sender(alice).open_requests_of(alice).is_empty());
    assert_eq!(vault.sender(alice).balance_of(alice), tokens(5));
}

// ----- Cooldown -----

#[motsu::test]
fn set_cooldown_applies_to_new_requests_only(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    admin: Address,
    alice: Address,
) {
    let _counterparts = setup(&token, &vault, admin, &[alice]);
    vault.sender(alice).stake(tokens(10)).motsu_unwrap();
    let old = vault
        .sender(alice)
        .request_unstake_at(tokens(1), MOTSU_NOW)
        .motsu_unwrap();
    vault
        .sender(admin)
        .set_cooldown(MAX_COOLDOWN)
        .motsu_unwrap();
    vault.assert_emitted(&CooldownSet {
        previous: DEFAULT_COOLDOWN,
        cooldown: MAX_COOLDOWN,
    });
    assert_eq!(vault.sender(alice).cooldown(), MAX_COOLDOWN);
    let new = vault
        .sender(alice)
        .request_unstake_at(tokens(1), MOTSU_NOW)
        .motsu_unwrap();
    assert_eq!(
        vault.sender(alice).request(old).2,
        MOTSU_NOW + DEFAULT_COOLDOWN
    );
    assert_eq!(vault.sender(alice).request(new).2, MOTSU_NOW + MAX_COOLDOWN);
    vault
        .sender(alice)
        .withdraw_at(old, MOTSU_NOW + DEFAULT_COOLDOWN)
        .motsu_unwrap();
    // Zero cooldown: withdrawable in the same second.
    vault.sender(admin).set_cooldown(0).motsu_unwrap();
    let instant = vault
        .sender(alice)
        .request_unstake(tokens(1))
        .motsu_unwrap();
    vault.sender(alice).withdraw(instant).motsu_unwrap();
}

#[motsu::test]
fn set_cooldown_out_of_range_or_by_non_admin_reverts(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    admin: Address,
    alice: Address,
) {
    let _counterparts = setup(&token, &vault, admin, &[alice]);
    for requested in [MAX_COOLDOWN + 1, u64::MAX] {
        assert_revert!(
            vault.sender(admin).set_cooldown(requested),
            Error::CooldownOutOfRange(CooldownOutOfRange {
                requested,
                max: MAX_COOLDOWN
            })
        );
    }
    assert_revert!(
        vault.sender(alice).set_cooldown(0),
        Error::UnauthorizedAccount(control::AccessControlUnauthorizedAccount {
            account: alice,
            neededRole: admin_role()
        })
    );
    assert_eq!(vault.sender(alice).cooldown(), DEFAULT_COOLDOWN);
}

// ----- Pro threshold and capacity share -----

#[motsu::test]
fn is_pro_and_set_pro_threshold(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    admin: Address,
    alice: Address,
) {
    let _counterparts = setup(&token, &vault, admin, &[alice]);
    assert!(!vault.sender(alice).is_pro(alice));
    vault.sender(alice).stake(tokens(99)).motsu_unwrap();
    assert!(!vault.sender(alice).is_pro(alice));
    vault.sender(alice).stake(tokens(1)).motsu_unwrap();
    assert!(vault.sender(alice).is_pro(alice));
    // Locked sVVV counts.
    vault.sender(LOCKER).lock(alice, tokens(100)).motsu_unwrap();
    assert!(vault.sender(alice).is_pro(alice));

    assert_revert!(
        vault.sender(alice).set_pro_threshold(U256::ZERO),
        matches Error::UnauthorizedAccount(e) if e.account == alice
    );
    vault
        .sender(admin)
        .set_pro_threshold(tokens(101))
        .motsu_unwrap();
    vault.assert_emitted(&ProThresholdSet {
        previous: tokens(100),
        threshold: tokens(101),
    });
    assert_eq!(vault.sender(alice).pro_threshold(), tokens(101));
    assert!(!vault.sender(alice).is_pro(alice));
}

#[motsu::test]
fn capacity_share_wad_is_the_rounded_down_share(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    admin: Address,
    alice: Address,
    bob: Address,
) {
    let _counterparts = setup(&token, &vault, admin, &[alice, bob]);
    assert_eq!(vault.sender(alice).capacity_share_wad(alice), U256::ZERO);
    vault.sender(alice).stake(tokens(1)).motsu_unwrap();
    vault.sender(bob).stake(tokens(2)).motsu_unwrap();
    vault.sender(LOCKER).lock(bob, tokens(1)).motsu_unwrap();
    let a = vault.sender(alice).capacity_share_wad(alice);
    let b = vault.sender(alice).capacity_share_wad(bob);
    assert_eq!(a, U256::from(333_333_333_333_333_333u64));
    assert_eq!(b, U256::from(666_666_666_666_666_666u64));
    assert!(a + b <= WAD);
    assert_eq!(vault.sender(alice).capacity_share_wad(admin), U256::ZERO);
}

// ----- Lock interface -----

#[motsu::test]
fn lock_and_unlock_move_between_parts(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    admin: Address,
    alice: Address,
) {
    let _counterparts = setup(&token, &vault, admin, &[alice]);
    vault.sender(alice).stake(tokens(10)).motsu_unwrap();
    vault.sender(LOCKER).lock(alice, tokens(6)).motsu_unwrap();
    vault.assert_emitted(&Locked {
        account: alice,
        amount: tokens(6),
        lockedAfter: tokens(6),
    });
    let v = vault.sender(alice);
    assert_eq!(v.unlocked_of(alice), tokens(4));
    assert_eq!(v.locked_of(alice), tokens(6));
    assert_eq!(v.balance_of(alice), tokens(10));
    assert_eq!(v.total_locked(), tokens(6));
    assert_eq!(v.total_supply(), tokens(10));
    vault.sender(LOCKER).unlock(alice, tokens(2)).motsu_unwrap();
    vault.assert_emitted(&Unlocked {
        account: alice,
        amount: tokens(2),
        lockedAfter: tokens(4),
    });
    let v = vault.sender(alice);
    assert_eq!(v.unlocked_of(alice), tokens(6));
    assert_eq!(v.locked_of(alice), tokens(4));
    assert_eq!(v.total_locked(), tokens(4));
}

#[motsu::test]
fn lock_by_non_locker_reverts(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    admin: Address,
    alice: Address,
) {
    let _counterparts = setup(&token, &vault, admin, &[alice]);
    vault.sender(alice).stake(tokens(10)).motsu_unwrap();
    for caller in [alice, admin, CONTROLLER] {
        assert_revert!(
            vault.sender(caller).lock(alice, tokens(1)),
            Error::UnauthorizedCaller(UnauthorizedCaller {
                link: vvv_wiring::LOCKER,
                caller
            })
        );
        assert_revert!(
            vault.sender(caller).unlock(alice, tokens(1)),
            Error::UnauthorizedCaller(UnauthorizedCaller {
                link: vvv_wiring::LOCKER,
                caller
            })
        );
    }
}

#[motsu::test]
fn lock_before_wiring_reverts(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    admin: Address,
    alice: Address,
) {
    vault
        .sender(admin)
        .constructor(token.address(), admin, admin)
        .motsu_unwrap();
    assert_revert!(
        vault.sender(LOCKER).lock(alice, U256::ZERO),
        Error::UnauthorizedCaller(UnauthorizedCaller {
            link: vvv_wiring::LOCKER,
            caller: LOCKER
        })
    );
}

#[motsu::test]
fn lock_more_than_unlocked_and_unlock_more_than_locked_revert(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    admin: Address,
    alice: Address,
) {
    let _counterparts = setup(&token, &vault, admin, &[alice]);
    vault.sender(alice).stake(tokens(10)).motsu_unwrap();
    assert_revert!(
        vault.sender(LOCKER).lock(alice, tokens(11)),
        Error::InsufficientUnlocked(InsufficientUnlocked {
            unlocked: tokens(10),
            needed: tokens(11)
        })
    );
    vault.sender(LOCKER).lock(alice, tokens(3)).motsu_unwrap();
    assert_revert!(
        vault.sender(LOCKER).unlock(alice, tokens(4)),
        Error::InsufficientLocked(InsufficientLocked {
            locked: tokens(3),
            needed: tokens(4)
        })
    );
}

#[motsu::test]
fn lock_settles_rewards_before_the_weight_changes(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    admin: Address,
    alice: Address,
    bob: Address,
) {
    let _counterparts = setup(&token, &vault, admin, &[alice, bob]);
    vault.sender(alice).stake(tokens(100)).motsu_unwrap();
    vault.sender(bob).stake(tokens(100)).motsu_unwrap();
    reward(&token, &vault, tokens(10));
    vault.sender(LOCKER).lock(alice, tokens(100)).motsu_unwrap();
    // Earned at full weight before the lock.
    assert_eq!(vault.sender(alice).settlement_of(alice).0, tokens(5));
    reward(&token, &vault, tokens(18));
    // 8 : 10 afterwards.
    assert_eq!(
        vault.sender(alice).pending_rewards(alice).motsu_unwrap(),
        tokens(13)
    );
    assert_eq!(
        vault.sender(bob).pending_rewards(bob).motsu_unwrap(),
        tokens(15)
    );
    vault
        .sender(LOCKER)
        .unlock(alice, tokens(100))
        .motsu_unwrap();
    assert_eq!(vault.sender(alice).settlement_of(alice).0, tokens(13));
}

// ----- Roles -----

#[motsu::test]
fn roles_grant_revoke_renounce(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    admin: Address,
    alice: Address,
    bob: Address,
) {
    let _counterparts = setup(&token, &vault, admin, &[alice]);
    let role = admin_role();
    assert_revert!(
        vault.sender(alice).grant_role(role, bob),
        Error::UnauthorizedAccount(control::AccessControlUnauthorizedAccount {
            account: alice,
            neededRole: role
        })
    );
    vault.sender(admin).grant_role(role, bob).motsu_unwrap();
    assert!(vault.sender(alice).has_role(role, bob));
    vault.sender(bob).set_cooldown(0).motsu_unwrap();
    assert_revert!(
        vault.sender(alice).revoke_role(role, bob),
        matches Error::UnauthorizedAccount(_)
    );
    vault.sender(admin).revoke_role(role, bob).motsu_unwrap();
    assert!(!vault.sender(alice).has_role(role, bob));
    assert_revert!(vault.sender(admin).renounce_role(role, bob), matches Error::BadConfirmation(_));
    vault
        .sender(admin)
        .renounce_role(role, admin)
        .motsu_unwrap();
    assert!(!vault.sender(alice).has_role(role, admin));
    assert_revert!(vault.sender(admin).set_cooldown(1), matches Error::UnauthorizedAccount(_));
}

// ----- Encoding -----

/// Every variant is encoded as alloy encodes its `sol!` error, each field a distinct value so a
/// dropped or swapped word shows; `VvvReverted` passes the VVV token's revert data on verbatim.
#[test]
fn errors_encode_as_their_abi_or_bubble_verbatim() {
    let (a, b, c) = (
        address!("00000000000000000000000000000000000000a1"),
        address!("00000000000000000000000000000000000000b2"),
        address!("00000000000000000000000000000000000000c3"),
    );
    let (x, y, z) = (U256::from(3), U256::from(4), U256::MAX - U256::from(5));
    let role = alloy_primitives::keccak256("SOME_ROLE");
    assert_encodes_as_abi!(Error {
        ZeroAmount(ZeroAmount {}),
        ZeroAddress(ZeroAddress {}),
        ArithmeticOverflow(ArithmeticOverflow {}),
        InsufficientUnlocked(InsufficientUnlocked { unlocked: x, needed: y }),
        InsufficientLocked(InsufficientLocked { locked: x, needed: z }),
        UnbackedRewards(UnbackedRewards { balance: x, accounted: y, amount: z }),
        NoRewards(NoRewards {}),
        CooldownNotElapsed(CooldownNotElapsed { unlockTime: u64::MAX - 1 }),
        NotRequestOwner(NotRequestOwner { id: z, owner: c }),
        RequestNotOpen(RequestNotOpen { id: y }),
        CooldownOutOfRange(CooldownOutOfRange { requested: 7, max: 9 }),
        NotDeployer(NotDeployer { caller: a }),
        AlreadyWired(AlreadyWired { link: role, current: b }),
        InvalidLink(InvalidLink { link: role }),
        InvalidDeployer(InvalidDeployer {}),
        WiringMismatch(WiringMismatch { counterpart: a, expected: b, actual: c }),
        UnauthorizedCaller(UnauthorizedCaller { link: role, caller: c }),
        NotWired(NotWired {}),
        RewardsDurationOutOfRange(RewardsDurationOutOfRange { requested: 1, min: 2, max: 3 }),
        NothingToSweep(NothingToSweep {}),
        BrokenInvariant(BrokenInvariant {}),
        InvalidReceiver(ERC20InvalidReceiver { receiver: c }),
        InvalidSpender(ERC20InvalidSpender { spender: a }),
        InsufficientAllowance(ERC20InsufficientAllowance { spender: b, allowance: y, needed: z }),
        UnauthorizedAccount(control::AccessControlUnauthorizedAccount { account: c, neededRole: role }),
        BadConfirmation(control::AccessControlBadConfirmation {}),
        EnforcedPause(EnforcedPause {}),
        ExpectedPause(ExpectedPause {}),
    });
    let raw = vec![0xde, 0xad, 0xbe, 0xef];
    let encoded: Vec<u8> = Error::VvvReverted(call::Error::Revert(raw.clone())).into();
    assert_eq!(encoded, raw);
}

// ----- Issue 9: rewards earned over time, admin knobs on the stream, excess -----

/// Finding 1 of issue 9 (reward sniping), the motsu form of the measured scenario: a week of
/// staker emission (214 795 VVV) announced after 7 days without a distribution, with an honest
/// 1 000-VVV staker. A sniper stakes 99 000 VVV in the same block, the announcement comes, the
/// sniper claims and leaves (cooldown 0) in that block. Before the stream the sniper took
/// ≈ 99% (212 647 VVV); now it earns nothing (< 0.1% is the bar) and the honest staker gets
/// the week's emission over the next period.
#[motsu::test]
fn inv11_sniper_staking_around_an_announcement_earns_nothing(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    admin: Address,
    honest: Address,
    sniper: Address,
) {
    let _counterparts = setup(&token, &vault, admin, &[honest, sniper]);
    token
        .sender(admin)
        .transfer(sniper, tokens(99_000))
        .motsu_unwrap();
    vault.sender(honest).stake(tokens(1_000)).motsu_unwrap();
    vault.sender(admin).set_cooldown(0).motsu_unwrap();
    clock::advance(7 * 86_400);
    let week = tokens(214_795);

    vault.sender(sniper).stake(tokens(99_000)).motsu_unwrap();
    announce(&token, &vault, week);
    assert_revert!(vault.sender(sniper).claim_rewards(), matches Error::NoRewards(_));
    let id = vault
        .sender(sniper)
        .request_unstake_at(tokens(99_000), clock::now())
        .motsu_unwrap();
    vault
        .sender(sniper)
        .withdraw_at(id, clock::now())
        .motsu_unwrap();
    let sniper_earned = vault.sender(sniper).pending_rewards(sniper).motsu_unwrap();
    assert_eq!(sniper_earned, U256::ZERO);
    assert!(sniper_earned * U256::from(1_000) < week);

    // The honest staker, alone for the whole period, gets it all (± rounding dust).
    clock::advance(DEFAULT_REWARDS_DURATION);
    let honest_earned = vault.sender(honest).claim_rewards().motsu_unwrap();
    assert!(honest_earned <= week && week - honest_earned <= U256::from(2));
    assert_solvent(&token, &vault);
}

/// A stake held for part of the period earns its weight share of that part only.
#[motsu::test]
fn inv11_rewards_follow_the_time_staked(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    admin: Address,
    alice: Address,
    bob: Address,
) {
    let _counterparts = setup(&token, &vault, admin, &[alice, bob]);
    vault.sender(alice).stake(tokens(100)).motsu_unwrap();
    announce(&token, &vault, tokens(700));
    assert_eq!(
        vault.sender(alice).reward_rate(),
        tokens(700) / U256::from(DEFAULT_REWARDS_DURATION)
    );
    // Day 1: alice alone earns 100.
    clock::advance(86_400);
    let day1 = vault.sender(alice).pending_rewards(alice).motsu_unwrap();
    assert!(tokens(100) - day1 <= U256::from(1), "{day1}");
    // Bob stakes as much for days 2–3: each earns 50 + 50; then bob leaves.
    vault.sender(bob).stake(tokens(100)).motsu_unwrap();
    clock::advance(2 * 86_400);
    let id = vault
        .sender(bob)
        .request_unstake_at(tokens(100), clock::now())
        .motsu_unwrap();
    let bob_earned = vault.sender(bob).pending_rewards(bob).motsu_unwrap();
    assert!(tokens(100) - bob_earned <= U256::from(2), "{bob_earned}");
    // Days 4–7: alice alone again. In all: 100 + 100 + 400 = 600 for alice.
    clock::advance(4 * 86_400);
    let alice_earned = vault.sender(alice).pending_rewards(alice).motsu_unwrap();
    assert!(
        tokens(600) - alice_earned <= U256::from(3),
        "{alice_earned}"
    );
    // Bob's request did not earn after it was opened.
    assert_eq!(
        vault.sender(bob).pending_rewards(bob).motsu_unwrap(),
        bob_earned
    );
    vault
        .sender(bob)
        .withdraw_at(id, clock::now() + DEFAULT_COOLDOWN)
        .motsu_unwrap();
    assert_solvent(&token, &vault);
}

/// Finding 2 of issue 9: rewards kept through 30 empty days are streamed again, not handed
/// whole to whoever stakes first. A 1-wei staker alone for the first hour of the new stream
/// gets that hour's share (1 000 × 3 600 / 604 800 ≈ 5.95 VVV) and ~nothing after a normal
/// stake joins; before the stream it took all 1 000 VVV at the next distribution.
#[motsu::test]
fn kept_rewards_are_streamed_again_not_handed_to_the_first_staker(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    admin: Address,
    dust: Address,
    alice: Address,
) {
    let _counterparts = setup(&token, &vault, admin, &[dust, alice]);
    announce(&token, &vault, tokens(1_000));
    clock::advance(30 * 86_400);
    vault.sender(dust).stake(U256::from(1)).motsu_unwrap();
    assert_eq!(vault.sender(admin).kept_rewards(), tokens(1_000));
    // The next distribution (here an empty one) streams the kept rewards over a new period.
    announce(&token, &vault, U256::ZERO);
    clock::advance(3_600);
    vault.sender(alice).stake(tokens(1_000)).motsu_unwrap();
    clock::advance(DEFAULT_REWARDS_DURATION);
    let first_hour = tokens(1_000) * U256::from(3_600) / U256::from(DEFAULT_REWARDS_DURATION);
    let dust_earned = vault.sender(dust).pending_rewards(dust).motsu_unwrap();
    // The hour alone, plus ≤ 1e-21 of the rest (1 wei next to 1 000 VVV), ± rounding.
    assert!(
        dust_earned <= first_hour + U256::from(2) && first_hour - dust_earned <= U256::from(2),
        "{dust_earned} vs {first_hour}"
    );
    let alice_earned = vault.sender(alice).pending_rewards(alice).motsu_unwrap();
    assert!(
        tokens(1_000) - first_hour - alice_earned <= U256::from(4),
        "{alice_earned}"
    );
    assert_solvent(&token, &vault);
}

#[motsu::test]
fn set_rewards_duration_bounds_admin_only_next_announcement(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    admin: Address,
    alice: Address,
) {
    let _counterparts = setup(&token, &vault, admin, &[alice]);
    assert_eq!(
        vault.sender(alice).rewards_duration(),
        DEFAULT_REWARDS_DURATION
    );
    vault.assert_emitted(&RewardsDurationSet {
        previous: 0,
        duration: DEFAULT_REWARDS_DURATION,
    });
    assert_revert!(
        vault.sender(alice).set_rewards_duration(3_600),
        matches Error::UnauthorizedAccount(_)
    );
    for bad in [0, 3_599, 30 * 86_400 + 1, u64::MAX] {
        let expected = RewardsDurationOutOfRange {
            requested: bad,
            min: 3_600,
            max: 30 * 86_400,
        };
        assert_revert!(
            vault.sender(admin).set_rewards_duration(bad),
            Error::RewardsDurationOutOfRange(expected)
        );
    }
    vault.sender(alice).stake(tokens(10)).motsu_unwrap();
    announce(&token, &vault, tokens(7));
    let end = vault.sender(alice).reward_stream().2;
    assert_eq!(end, MOTSU_NOW + DEFAULT_REWARDS_DURATION);
    // A new duration leaves the running stream alone and applies to the next announcement.
    vault
        .sender(admin)
        .set_rewards_duration(3_600)
        .motsu_unwrap();
    vault.assert_emitted(&RewardsDurationSet {
        previous: DEFAULT_REWARDS_DURATION,
        duration: 3_600,
    });
    assert_eq!(vault.sender(alice).reward_stream().2, end);
    clock::advance(86_400);
    announce(&token, &vault, tokens(1));
    let (remaining, updated, end) = vault.sender(alice).reward_stream();
    assert_eq!((updated, end), (clock::now(), clock::now() + 3_600));
    // 6 of the first 7 VVV were still streaming; they join the new, shorter stream.
    assert!(tokens(7) - remaining <= U256::from(1), "{remaining}");
    clock::advance(3_600);
    let earned = vault.sender(alice).claim_rewards().motsu_unwrap();
    assert!(tokens(8) - earned <= U256::from(2), "{earned}");
}

/// Finding 7 of issue 9: VVV sent to the vault by mistake can be burned by the admin, and only
/// that: stakes, open requests and rewards (paid, owed or still streaming) stay covered.
#[motsu::test]
fn sweep_excess_burns_only_what_is_above_the_requirement(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    admin: Address,
    alice: Address,
) {
    let _counterparts = setup(&token, &vault, admin, &[alice]);
    vault.sender(alice).stake(tokens(100)).motsu_unwrap();
    vault
        .sender(alice)
        .request_unstake_at(tokens(10), clock::now())
        .motsu_unwrap();
    announce(&token, &vault, tokens(50));
    clock::advance(86_400);
    assert_revert!(vault.sender(admin).sweep_excess(), matches Error::NothingToSweep(_));
    // A mistaken transfer.
    token
        .sender(alice)
        .transfer(vault.address(), tokens(3))
        .motsu_unwrap();
    assert_revert!(vault.sender(alice).sweep_excess(), matches Error::UnauthorizedAccount(_));
    let burned_before = token.sender(admin).total_burned();
    let accounted = vault.sender(admin).accounted_assets().motsu_unwrap();
    assert_eq!(vault.sender(admin).sweep_excess().motsu_unwrap(), tokens(3));
    vault.assert_emitted(&ExcessSwept { amount: tokens(3) });
    assert_eq!(
        token.sender(admin).total_burned(),
        burned_before + tokens(3)
    );
    assert_eq!(vvv_of(&token, vault.address()), accounted);
    // Everyone can still leave with everything.
    clock::advance(DEFAULT_REWARDS_DURATION);
    let rewards = vault.sender(alice).claim_rewards().motsu_unwrap();
    assert!(tokens(50) - rewards <= U256::from(1));
    let id = vault
        .sender(alice)
        .request_unstake_at(tokens(90), clock::now())
        .motsu_unwrap();
    vault
        .sender(alice)
        .withdraw_at(id, clock::now() + DEFAULT_COOLDOWN)
        .motsu_unwrap();
    vault
        .sender(alice)
        .withdraw_at(U256::from(1), clock::now() + DEFAULT_COOLDOWN)
        .motsu_unwrap();
    assert_eq!(vault.sender(alice).balance_of(alice), U256::ZERO);
    assert_solvent(&token, &vault);
}

/// sVVV can be neither sent nor staked to the vault itself, where it would be stuck.
#[motsu::test]
fn svvv_cannot_be_sent_or_staked_to_the_vault(
    token: Contract<VvvToken>,
    vault: Contract<StakingVault>,
    admin: Address,
    alice: Address,
) {
    let _counterparts = setup(&token, &vault, admin, &[alice]);
    vault.sender(alice).stake(tokens(10)).motsu_unwrap();
    let this = vault.address();
    assert_revert!(
        vault.sender(alice).transfer(this, tokens(1)),
        Error::InvalidReceiver(ERC20InvalidReceiver { receiver: this })
    );
    assert_revert!(
        vault.sender(alice).stake_for(this, tokens(1)),
        Error::InvalidReceiver(ERC20InvalidReceiver { receiver: this })
    );
}

// ----- Hand router (router.rs) -----

/// Where [`run_through_router`] deploys VVV and the vault: the same addresses for both routers,
/// so that return data and errors that carry addresses compare byte for byte.
const TOKEN_AT: Address = address!("000000000000000000000000000000000000a0a0");
const VAULT_AT: Address = address!("000000000000000000000000000000000000b0b0");
const ADMIN_AT: Address = address!("00000000000000000000000000000000000000ad");
const ALICE_AT: Address = address!("00000000000000000000000000000000000000a1");
const BOB_AT: Address = address!("00000000000000000000000000000000000000b1");

/// Who sends the calls of a random history.
const SENDERS: [Address; 5] = [ALICE_AT, BOB_AT, ADMIN_AT, CONTROLLER, LOCKER];

/// The vault's functions as `abi/staking-vault.sol` lists them: selector and parameter types.
fn abi_functions() -> Vec<([u8; 4], Vec<&'static str>)> {
    include_str!("../../../abi/staking-vault.sol")
        .lines()
        .filter_map(|line| line.trim().strip_prefix("function "))
        .map(|declaration| {
            let (name, rest) = declaration.split_once('(').expect("a function declaration");
            let (params, _) = rest.split_once(')').expect("a parameter list");
            let types: Vec<&str> = params
                .split(',')
                .filter_map(|param| param.split_whitespace().next())
                .collect();
            let signature = format!("{name}({})", types.join(","));
            let selector = alloy_primitives::keccak256(signature)[..4]
                .try_into()
                .expect("4 bytes");
            (selector, types)
        })
        .collect()
}

/// A parameter word of ABI type `ty`, the `pick`-th of a pool of valid values and of values
/// that canonical decoding must refuse (an address or a `uint64` with high bits set).
fn parameter(ty: &str, pick: u16) -> B256 {
    let dirty = B256::left_padding_from(&[1; 21]);
    let words: Vec<B256> = match ty {
        "address" => [
            ALICE_AT,
            BOB_AT,
            ADMIN_AT,
            CONTROLLER,
            LOCKER,
            VAULT_AT,
            Address::ZERO,
        ]
        .map(|account| account.into_word())
        .into_iter()
        .chain([dirty])
        .collect(),
        "uint256" => [
            U256::ZERO,
            U256::from(1),
            U256::from(2),
            tokens(1),
            tokens(1_000),
            tokens(2 * USER_GENESIS),
            U256::MAX,
        ]
        .map(B256::from)
        .to_vec(),
        "uint64" => [0, 1, 86_400, 7 * 86_400, 31 * 86_400, u64::MAX]
            .map(|value| B256::from(U256::from(value)))
            .into_iter()
            .chain([B256::from(U256::from(u64::MAX) + U256::from(1))])
            .collect(),
        "bytes32" => vec![admin_role(), B256::with_last_byte(1), dirty],
        other => panic!("no pool for ABI type {other}"),
    };
    words[usize::from(pick) % words.len()]
}

/// How a random call's calldata is shaped.
#[derive(Clone, Copy, Debug)]
enum Shape {
    /// Selector and canonical parameters.
    Exact,
    /// The last byte missing.
    Truncated,
    /// `n` bytes more (zeros).
    Extended(u8),
    /// Only 3 bytes of selector.
    ShortSelector,
    /// An arbitrary selector, with the parameters.
    Selector(u32),
    /// The constructor's selector with three addresses (a second constructor call).
    Constructor,
}

/// One call of a random history: who sends it, what it calls, how long before it the clock runs.
#[derive(Clone, Debug)]
struct RawCall {
    sender: usize,
    function: usize,
    picks: [u16; 3],
    shape: Shape,
    wait: u64,
}

fn raw_call(functions: usize) -> impl Strategy<Value = RawCall> {
    let shape = prop_oneof![
        20 => Just(Shape::Exact),
        1 => Just(Shape::Truncated),
        1 => (1u8..=33).prop_map(Shape::Extended),
        1 => Just(Shape::ShortSelector),
        1 => any::<u32>().prop_map(Shape::Selector),
        1 => Just(Shape::Constructor),
    ];
    let wait = prop_oneof![3 => Just(0u64), 1 => 1u64..=8 * 86_400];
    (
        0..SENDERS.len(),
        0..functions,
        any::<[u16; 3]>(),
        shape,
        wait,
    )
        .prop_map(|(sender, function, picks, shape, wait)| RawCall {
            sender,
            function,
            picks,
            shape,
            wait,
        })
}

/// The calldata of `call`.
fn calldata(functions: &[([u8; 4], Vec<&'static str>)], call: &RawCall) -> Vec<u8> {
    let (selector, types) = &functions[call.function];
    let mut data = selector.to_vec();
    for (ty, pick) in types.iter().zip(call.picks) {
        data.extend_from_slice(parameter(ty, pick).as_slice());
    }
    match call.shape {
        Shape::Exact => {}
        Shape::Truncated => {
            data.pop();
        }
        Shape::Extended(n) => data.resize(data.len() + usize::from(n), 0),
        Shape::ShortSelector => data.truncate(3),
        Shape::Selector(selector) => data[..4].copy_from_slice(&selector.to_be_bytes()),
        Shape::Constructor => {
            data = constructor_calldata(call.picks.map(|pick| parameter("address", pick)));
        }
    }
    data
}

/// What the router `#[public]` generates answers, as stylus-sdk's `router_entrypoint` runs it
/// for a contract without fallback nor receive.
fn generated_route(vault: &mut StakingVault, input: &[u8]) -> stylus_sdk::ArbResult {
    use stylus_sdk::abi::{Router, CONSTRUCTOR_SELECTOR};
    let Some((selector, params)) = input.split_first_chunk::<4>() else {
        return Err(Vec::new());
    };
    let selector = u32::from_be_bytes(*selector);
    let answer = if selector == CONSTRUCTOR_SELECTOR {
        <StakingVault as Router<StakingVault>>::constructor(vault, params)
    } else {
        <StakingVault as Router<StakingVault>>::route(vault, selector, params)
    };
    answer.unwrap_or_else(|| Err(Vec::new()))
}

/// The constructor's calldata: its selector and three address words.
fn constructor_calldata(words: [B256; 3]) -> Vec<u8> {
    let mut data = stylus_sdk::abi::CONSTRUCTOR_SELECTOR.to_be_bytes().to_vec();
    for word in words {
        data.extend_from_slice(word.as_slice());
    }
    data
}

/// Deploys the suite at fixed addresses as [`setup`] does, but constructs the vault through
/// `router` (hand or generated: the constructor guard is the router's), stakes for Alice and
/// Bob and starts a reward stream; then runs `calls` through `router` and returns every
/// answer. The contracts are erased on return, so the next run starts from the same state.
fn run_through_router(
    router: fn(&mut StakingVault, &[u8]) -> stylus_sdk::ArbResult,
    calls: &[(usize, Vec<u8>, u64)],
) -> Vec<stylus_sdk::ArbResult> {
    let token = Contract::<VvvToken>::new_at(TOKEN_AT);
    let vault = Contract::<StakingVault>::new_at(VAULT_AT);
    let constructor = constructor_calldata([TOKEN_AT, ADMIN_AT, ADMIN_AT].map(|a| a.into_word()));
    let _counterparts =
        setup_constructing_with(&token, &vault, ADMIN_AT, &[ALICE_AT, BOB_AT], || {
            router(&mut vault.sender(ADMIN_AT), &constructor).motsu_unwrap();
        });
    vault.sender(ALICE_AT).stake(tokens(10_000)).motsu_unwrap();
    vault.sender(BOB_AT).stake(tokens(5_000)).motsu_unwrap();
    announce(&token, &vault, tokens(1_000));
    calls
        .iter()
        .map(|(sender, data, wait)| {
            clock::advance(*wait);
            let mut call = vault.sender(SENDERS[*sender]);
            router(&mut call, data).motsu_res()
        })
        .collect()
}

proptest! {
    /// `router.rs` answers every call as the router `#[public]` generates: the same return data
    /// or revert data, byte for byte, and so the same state for the calls after it. Random
    /// histories of calls to every ABI function by users, the admin, the distributor and the
    /// locker, with valid and non-canonical parameters, cut or extended calldata, unknown
    /// selectors and second constructor calls.
    #[test]
    fn hand_router_matches_the_generated_one(
        calls in prop::collection::vec(raw_call(59), 1..40),
    ) {
        let functions = abi_functions();
        prop_assert_eq!(functions.len(), 59, "the vault's ABI changed: update the strategy");
        let calls: Vec<_> = calls
            .iter()
            .map(|call| (call.sender, calldata(&functions, call), call.wait))
            .collect();
        let hand = run_through_router(router::route, &calls);
        let generated = run_through_router(generated_route, &calls);
        for (i, (hand, generated)) in hand.iter().zip(&generated).enumerate() {
            prop_assert_eq!(
                hand, generated,
                "call {} (sender {}, calldata 0x{}) answered differently",
                i, calls[i].0, alloy_primitives::hex::encode(&calls[i].1)
            );
        }
    }
}

/// On a fresh vault both routers run the constructor once with canonical arguments, and refuse
/// a dirty address, short arguments and a second call alike.
#[motsu::test]
fn hand_router_runs_the_constructor_as_the_generated_one() {
    let valid =
        constructor_calldata([TOKEN_AT, ADMIN_AT, ADMIN_AT].map(|account| account.into_word()));
    let dirty = constructor_calldata([
        TOKEN_AT.into_word(),
        B256::left_padding_from(&[1; 21]),
        ADMIN_AT.into_word(),
    ]);
    let short = valid[..valid.len() - 1].to_vec();
    let run = |router: fn(&mut StakingVault, &[u8]) -> stylus_sdk::ArbResult| {
        let token = Contract::<VvvToken>::new_at(TOKEN_AT);
        let vault = Contract::<StakingVault>::new_at(VAULT_AT);
        let answers: Vec<_> = [&dirty, &short, &valid, &valid]
            .into_iter()
            .map(|data| router(&mut vault.sender(ADMIN_AT), data).motsu_res())
            .collect();
        let wired = vault.sender(ADMIN_AT).vvv();
        drop(token);
        (answers, wired)
    };
    let (hand, hand_wired) = run(router::route);
    let (generated, generated_wired) = run(generated_route);
    assert_eq!(hand, generated);
    assert_eq!(
        hand,
        [Err(vec![]), Err(vec![]), Ok(vec![]), Err(vec![])],
        "the first valid call constructs, every other call reverts without data"
    );
    assert_eq!((hand_wired, generated_wired), (TOKEN_AT, TOKEN_AT));
}
