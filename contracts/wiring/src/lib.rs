//! Write-once links (`audits/DESIGN-NOTES.md` D-1): the accounts a contract trusts for one
//! power each — a token's minter, the vault's rewards distributor and locker. The deployer
//! wires each link once, after which nobody, the deployer included, can change it, and only
//! the linked account may make the calls the link guards. A role would not do: its admin could
//! grant it to anyone (SPEC §4).
//!
//! - [`Wiring`] holds the one account allowed to wire (named at construction) and wires a
//!   [`Link`]: not wired yet (`AlreadyWired`), deployer only (`NotDeployer`), not zero
//!   (`InvalidLink`), and checked against the counterpart's own links (SPEC §3.2, "wiring
//!   guard"): e.g. the minter must name this token in its own `token()`, so a mistaken or
//!   compromised deployer key cannot wire an account without code or a contract built for
//!   another suite ([`check_link`]: one static call per check, at wiring time only). Each wiring
//!   emits `Wired(link, account)`. Once the contract's last link is wired it calls
//!   [`Wiring::close`]: the deployer is cleared.
//! - [`Link::only`] guards the linked account's calls (`UnauthorizedCaller`).
//!
//! Users: the VVV token (link `MINTER`: the emission controller), the DIEM token (`MINTER`:
//! the DIEM minter), the staking vault (`REWARDS_DISTRIBUTOR`: the emission controller;
//! `LOCKER`: the DIEM minter). Each contract lists these errors in its own `Error`
//! ([`WiringError`]). The DIEM minter uses [`linked_address`] for its `isWired()` view.
#![no_std]
extern crate alloc;

// `#[storage]` expands to code naming `vec!` and `Vec`.
use alloc::{vec, vec::Vec};

use alloy_primitives::{Address, B256};
use alloy_sol_types::SolEvent;
use stylus_sdk::{
    call::{self, Call},
    contract, msg,
    prelude::*,
    storage::StorageAddress,
};

mod sol {
    alloy_sol_types::sol! {
        /// `account` was wired as `link` (once, for good).
        #[derive(Debug)]
        event Wired(bytes32 indexed link, address indexed account);

        /// Only the deployer may wire, and only until the contract is fully wired.
        #[derive(Debug, PartialEq, Eq)]
        error NotDeployer(address caller);
        /// `link` is already wired to `current`; it can never change.
        #[derive(Debug, PartialEq, Eq)]
        error AlreadyWired(bytes32 link, address current);
        /// `link` cannot be wired to the zero address.
        #[derive(Debug, PartialEq, Eq)]
        error InvalidLink(bytes32 link);
        /// The wiring account given to the constructor cannot be the zero address.
        #[derive(Debug, PartialEq, Eq)]
        error InvalidDeployer();
        /// Wiring refused: `counterpart`'s own link names `actual` (zero: it has no such view,
        /// e.g. an account without code), not `expected`.
        #[derive(Debug, PartialEq, Eq)]
        error WiringMismatch(address counterpart, address expected, address actual);
        /// Only the account wired as `link` may do this, and `caller` is not it (or `link` is
        /// not wired yet).
        #[derive(Debug, PartialEq, Eq)]
        error UnauthorizedCaller(bytes32 link, address caller);
    }
}
pub use sol::*;

/// The id of a link in errors and events: its name as a left-aligned, zero-padded `bytes32`
/// (Solidity's `bytes32("MINTER")`, as MakerDAO's `file(bytes32 what, …)`), readable in raw
/// revert data and logs, and compressible in the program (a hash is 32 random bytes). Names are
/// at most 32 bytes (a longer one fails to compile: the index is out of bounds in a `const`).
const fn link_id(name: &[u8]) -> B256 {
    let mut id = [0u8; 32];
    let mut i = 0;
    while i < name.len() {
        id[i] = name[i];
        i += 1;
    }
    B256::new(id)
}

/// `bytes32("MINTER")`: the one account that may mint a token.
pub const MINTER: B256 = link_id(b"MINTER");
/// `bytes32("REWARDS_DISTRIBUTOR")`: the one account that may announce the vault's rewards.
pub const REWARDS_DISTRIBUTOR: B256 = link_id(b"REWARDS_DISTRIBUTOR");
/// `bytes32("LOCKER")`: the one account that may lock and unlock sVVV.
pub const LOCKER: B256 = link_id(b"LOCKER");

/// A contract error that can carry every wiring error: `From` each of them, as
/// `#[derive(SolidityError)]` writes for its variants. The wiring functions build the
/// contract's own error directly, with no intermediate enum to convert (code size).
pub trait WiringError:
    From<NotDeployer>
    + From<AlreadyWired>
    + From<InvalidLink>
    + From<InvalidDeployer>
    + From<WiringMismatch>
    + From<UnauthorizedCaller>
{
}

impl<E> WiringError for E where
    E: From<NotDeployer>
        + From<AlreadyWired>
        + From<InvalidLink>
        + From<InvalidDeployer>
        + From<WiringMismatch>
        + From<UnauthorizedCaller>
{
}

/// The address `counterpart` returns from its view `selector` (a function without arguments
/// returning an `address`); zero when the call fails or its reply is not one ABI-encoded
/// address (an account without code replies with no data).
#[inline]
pub fn linked_address(counterpart: Address, selector: [u8; 4]) -> Address {
    match call::static_call(Call::new(), counterpart, &selector) {
        Ok(reply) if reply.len() == 32 && reply[..12].iter().all(|b| *b == 0) => {
            Address::from_word(B256::from_slice(&reply))
        }
        _ => Address::ZERO,
    }
}

/// `WiringMismatch` unless `counterpart`'s view `selector` returns `expected`.
#[inline]
pub fn check_link(
    counterpart: Address,
    selector: [u8; 4],
    expected: Address,
) -> Result<(), WiringMismatch> {
    let actual = linked_address(counterpart, selector);
    if actual == expected {
        Ok(())
    } else {
        Err(WiringMismatch {
            counterpart,
            expected,
            actual,
        })
    }
}

/// The account allowed to wire a contract's links.
#[storage]
pub struct Wiring {
    /// Named at construction; cleared by [`Wiring::close`] once every link is wired.
    deployer: StorageAddress,
}

impl Wiring {
    /// Records `deployer` as the one account that may wire; zero reverts `InvalidDeployer()`.
    /// An argument, not the constructor's caller: through the StylusDeployer (the
    /// one-transaction deploy path) that caller is the StylusDeployer contract, which could
    /// never wire (`audits/DESIGN-NOTES.md` D-1).
    #[inline]
    pub fn init<E: WiringError>(&mut self, deployer: Address) -> Result<(), E> {
        if deployer.is_zero() {
            return Err(InvalidDeployer {}.into());
        }
        self.deployer.set(deployer);
        Ok(())
    }

    /// Wires `link` (id `id`) to `account`: only while `link` is not wired, only by the
    /// deployer, not to zero, and only if, for every `(view, expected)` of `checks`,
    /// `account`'s view `view` returns `expected` (emits `Wired`). The checks run in order;
    /// the first that fails is the error (each call site passes a constant array of one or
    /// two: the loop is bounded).
    pub fn wire<E: WiringError>(
        &self,
        link: &mut Link,
        id: B256,
        account: Address,
        checks: &[([u8; 4], Address)],
    ) -> Result<(), E> {
        let current = link.get();
        if !current.is_zero() {
            return Err(AlreadyWired { link: id, current }.into());
        }
        let caller = msg::sender();
        if caller != self.deployer.get() || caller.is_zero() {
            return Err(NotDeployer { caller }.into());
        }
        if account.is_zero() {
            return Err(InvalidLink { link: id }.into());
        }
        for (view, expected) in checks {
            check_link(account, *view, *expected)?;
        }
        link.account.set(account);
        vvv_encoding::emit_topics(&[Wired::SIGNATURE_HASH, id, account.into_word()]);
        Ok(())
    }

    /// Wires a token's only link, its minter (id [`MINTER`]), as [`Wiring::wire`] does, checking
    /// that the minter's view `token_view` (e.g. `token()`) names this token; then closes the
    /// wiring.
    #[inline]
    pub fn wire_minter<E: WiringError>(
        &mut self,
        minter_link: &mut Link,
        minter: Address,
        token_view: [u8; 4],
    ) -> Result<(), E> {
        self.wire::<E>(
            minter_link,
            MINTER,
            minter,
            &[(token_view, contract::address())],
        )?;
        self.close();
        Ok(())
    }

    /// Clears the deployer: nothing more can be wired. Called once the last link is wired.
    #[inline]
    pub fn close(&mut self) {
        self.deployer.set(Address::ZERO);
    }

    /// The account that may wire what is not wired yet; zero once the contract is fully wired.
    #[inline]
    pub fn deployer(&self) -> Address {
        self.deployer.get()
    }
}

/// One write-once link: an account wired by [`Wiring::wire`], then frozen.
#[storage]
pub struct Link {
    /// The linked account. Zero until wired.
    account: StorageAddress,
}

impl Link {
    /// The linked account, or zero before wiring.
    #[inline]
    pub fn get(&self) -> Address {
        self.account.get()
    }

    /// Reverts `UnauthorizedCaller(id, caller)` unless the caller is the linked account
    /// (never before wiring: the zero address is no caller).
    #[inline]
    pub fn only<E: From<UnauthorizedCaller>>(&self, id: B256) -> Result<(), E> {
        let caller = msg::sender();
        if caller != self.account.get() || caller.is_zero() {
            return Err(UnauthorizedCaller { link: id, caller }.into());
        }
        Ok(())
    }
}

/// The logs `wire` writes by hand must be the ABI's `Wired` (the `sol!` event is what `vvv abi`
/// publishes).
#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::address;

    #[test]
    fn link_ids_are_their_names_left_aligned() {
        assert_eq!(MINTER, B256::right_padding_from(b"MINTER"));
        assert_eq!(
            REWARDS_DISTRIBUTOR,
            B256::right_padding_from(b"REWARDS_DISTRIBUTOR")
        );
        assert_eq!(LOCKER, B256::right_padding_from(b"LOCKER"));
        assert_eq!(&MINTER[..7], b"MINTER\0");
    }

    #[test]
    fn wired_is_two_indexed_topics_and_no_data() {
        let account = address!("00000000000000000000000000000000000000aa");
        let event = Wired {
            link: LOCKER,
            account,
        };
        let log = event.encode_log_data();
        assert_eq!(
            log.topics(),
            &[Wired::SIGNATURE_HASH, LOCKER, account.into_word()]
        );
        assert!(log.data.is_empty());
    }
}
