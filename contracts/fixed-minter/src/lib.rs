//! The minter of a token, as wiring (`audits/DESIGN-NOTES.md` D-1): the deployer writes it
//! once, after which nobody — the deployer included — can change it, and only it can mint.
//!
//! Shared by the VVV token (minter: the emission controller) and the DIEM token (minter: the
//! DIEM minter). A role would not do: its admin could grant it to anyone (SPEC §4).
//!
//! Wiring is checked against the counterpart's own links (SPEC §3.2): the minter must name
//! this token in its own view (the controller's `token()`, the DIEM minter's `diem()`), so a
//! mistaken or compromised deployer key cannot wire an account without code or a contract built
//! for another suite. [`check_link`] is that check, also used by the staking vault. It costs one
//! static call, at wiring time only.
#![no_std]
// Free host functions instead of `self.vm()`: see contracts/README.md, "Code size".
#![allow(deprecated)]
extern crate alloc;

use alloc::{vec, vec::Vec};

use alloy_primitives::{Address, B256};
use stylus_sdk::{
    call::{self, Call},
    contract, evm, msg,
    prelude::*,
    storage::StorageAddress,
};

mod sol {
    alloy_sol_types::sol! {
        /// The minter was wired (once, for good).
        #[derive(Debug)]
        event MinterSet(address indexed minter);

        /// The caller is not the one account allowed to do this.
        #[derive(Debug, PartialEq, Eq)]
        error Unauthorized(address caller);
        /// The minter is already wired; it can never change.
        #[derive(Debug, PartialEq, Eq)]
        error MinterAlreadySet(address minter);
        /// The minter cannot be the zero address.
        #[derive(Debug, PartialEq, Eq)]
        error InvalidMinter();
        /// The wiring account given to the constructor cannot be the zero address.
        #[derive(Debug, PartialEq, Eq)]
        error InvalidDeployer();
        /// Wiring refused: `counterpart`'s own link names `actual` (zero: it has no such view,
        /// e.g. an account without code), not `expected`.
        #[derive(Debug, PartialEq, Eq)]
        error WiringMismatch(address counterpart, address expected, address actual);
    }
}
pub use sol::*;

/// Why a wiring or a minter-only call failed; each token wraps these in its own `Error`.
#[derive(Debug, PartialEq)]
pub enum Error {
    Unauthorized(Unauthorized),
    MinterAlreadySet(MinterAlreadySet),
    InvalidMinter(InvalidMinter),
    InvalidDeployer(InvalidDeployer),
    WiringMismatch(WiringMismatch),
}

/// The address `counterpart` returns from its view `selector` (a function without arguments
/// returning an `address`); zero when the call fails or its reply is not one ABI-encoded
/// address (an account without code replies with no data).
pub fn linked_address(counterpart: Address, selector: [u8; 4]) -> Address {
    match call::static_call(Call::new(), counterpart, &selector) {
        Ok(reply) if reply.len() == 32 && reply[..12].iter().all(|b| *b == 0) => {
            Address::from_word(B256::from_slice(&reply))
        }
        _ => Address::ZERO,
    }
}

/// `WiringMismatch` unless `counterpart`'s view `selector` returns `expected`.
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

/// Storage of the wiring.
#[storage]
pub struct FixedMinter {
    /// The only account that may mint. Zero until wired.
    minter: StorageAddress,
    /// The account allowed to wire the minter, once; cleared when it does.
    deployer: StorageAddress,
}

impl FixedMinter {
    /// Records `deployer` as the one account that may wire the minter; zero reverts
    /// `InvalidDeployer()`. An argument, not the constructor's caller: through the
    /// StylusDeployer (the one-transaction deploy path) that caller is the StylusDeployer
    /// contract, which could never wire (`audits/DESIGN-NOTES.md` D-1).
    #[inline]
    pub fn init(&mut self, deployer: Address) -> Result<(), Error> {
        if deployer.is_zero() {
            return Err(Error::InvalidDeployer(InvalidDeployer {}));
        }
        self.deployer.set(deployer);
        Ok(())
    }

    /// Wires `minter`: only the deployer, only once, and only a minter whose view
    /// `token_view` (e.g. `token()`) names this token (emits `MinterSet`).
    #[inline]
    pub fn set(&mut self, minter: Address, token_view: [u8; 4]) -> Result<(), Error> {
        let caller = msg::sender();
        let current = self.minter.get();
        if !current.is_zero() {
            return Err(Error::MinterAlreadySet(MinterAlreadySet {
                minter: current,
            }));
        }
        if caller != self.deployer.get() || caller.is_zero() {
            return Err(Error::Unauthorized(Unauthorized { caller }));
        }
        if minter.is_zero() {
            return Err(Error::InvalidMinter(InvalidMinter {}));
        }
        check_link(minter, token_view, contract::address()).map_err(Error::WiringMismatch)?;
        self.minter.set(minter);
        self.deployer.set(Address::ZERO);
        evm::log(MinterSet { minter });
        Ok(())
    }

    /// Reverts with `Unauthorized(caller)` unless the caller is the wired minter.
    #[inline]
    pub fn only_minter(&self) -> Result<(), Error> {
        let caller = msg::sender();
        if caller != self.minter.get() || caller.is_zero() {
            return Err(Error::Unauthorized(Unauthorized { caller }));
        }
        Ok(())
    }

    /// The minter, or zero before wiring.
    #[inline]
    pub fn get(&self) -> Address {
        self.minter.get()
    }
}
