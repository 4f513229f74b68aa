//! The minter of a token, as wiring (`audits/DESIGN-NOTES.md` D-1): the deployer writes it
//! once, after which nobody — the deployer included — can change it, and only it can mint.
//!
//! Shared by the VVV token (minter: the emission controller) and the DIEM token (minter: the
//! DIEM minter). A role would not do: its admin could grant it to anyone (SPEC §4).
#![no_std]
// Free host functions instead of `self.vm()`: see contracts/README.md, "Code size".
#![allow(deprecated)]
extern crate alloc;

use alloc::{vec, vec::Vec};

use alloy_primitives::Address;
use stylus_sdk::{evm, msg, prelude::*, storage::StorageAddress};

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
    }
}
pub use sol::*;

/// Why a wiring or a minter-only call failed; each token wraps these in its own `Error`.
#[derive(Debug)]
pub enum Error {
    Unauthorized(Unauthorized),
    MinterAlreadySet(MinterAlreadySet),
    InvalidMinter(InvalidMinter),
    InvalidDeployer(InvalidDeployer),
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

    /// Wires `minter`: only the deployer, only once (emits `MinterSet`).
    #[inline]
    pub fn set(&mut self, minter: Address) -> Result<(), Error> {
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
