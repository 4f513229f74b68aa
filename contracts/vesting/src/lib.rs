//! Team vesting for VVV (SPEC §3.7).
//!
//! The team's allocation is 25% at launch (a plain transfer made by the deploy config) and 75%
//! released linearly over 24 months through this contract: VVV sent here vests from `start`
//! over `duration` seconds and `release()` pays what has vested and not yet been paid to the
//! beneficiary.
//!
//! - **One token, fixed at construction.** This is our own small contract rather than
//!   OpenZeppelin's `VestingWallet`: that wallet vests Ether and *any* ERC-20 passed per call,
//!   lets its owner transfer (sell) the unvested position through `Ownable`, and panics
//!   (`expect`) on overflow, which SPEC §2 forbids. A wallet for exactly one token, with a fixed
//!   beneficiary and no owner, has a smaller ABI, no ownership logic to audit, and is smaller
//!   Wasm (no Ownable, no SafeErc20, no ERC-165).
//! - **Allocation = balance + released**, as in OpenZeppelin's wallet: the deploy config just
//!   transfers VVV here (before or after `start`), and anything sent later vests on the same
//!   schedule as if it had been there from the start. Extra VVV can only benefit the beneficiary.
//! - **No admin.** Nobody can revoke, pause, redirect or speed up the schedule; the beneficiary
//!   cannot be changed (use a multisig as beneficiary if keys must rotate).
//! - **Anyone may call `release()`**, as in OpenZeppelin's wallet: the tokens always go to the
//!   beneficiary and only what has vested, so the caller chooses nothing but the moment (and pays
//!   the gas). A release that would pay nothing reverts with `NothingToRelease(start, end)`
//!   instead of succeeding silently or emitting a zero `Released` event.
//! - The math ([`schedule`]) is pure, time is read once per call and passed in
//!   (`release_at(now)`), and every rounding is down, in favour of the contract.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main, no_std)]
extern crate alloc;

// The trapping panic handler of Wasm builds.
use vvv_support as _;

use alloc::{vec, vec::Vec};

use alloy_primitives::{Address, U256, U64};
use alloy_sol_types::SolEvent;
use stylus_sdk::{
    block,
    call::Call,
    contract,
    prelude::*,
    storage::{StorageAddress, StorageU256, StorageU64},
};
use vvv_common::vesting;
use vvv_encoding::emit_log;
use vvv_interfaces::{call_failed, token_call_succeeded, IVvvToken};

mod sol {
    alloy_sol_types::sol! {
        /// The schedule, fixed for good at deployment.
        #[derive(Debug)]
        event VestingCreated(address indexed token, address indexed beneficiary, uint64 start, uint64 duration);
        /// `amount` VVV paid to `beneficiary`; `totalReleased` is the running total after it.
        #[derive(Debug)]
        event Released(address indexed beneficiary, uint256 amount, uint256 totalReleased);

        /// The token cannot be the zero address.
        #[derive(Debug, PartialEq, Eq)]
        error InvalidToken(address token);
        /// The beneficiary cannot be the zero address.
        #[derive(Debug, PartialEq, Eq)]
        error InvalidBeneficiary(address beneficiary);
        /// `start + duration` does not fit in a `uint64` timestamp.
        #[derive(Debug, PartialEq, Eq)]
        error InvalidSchedule(uint64 start, uint64 duration);
        /// Nothing has vested since the last release: vesting runs from `start` to `end`.
        #[derive(Debug, PartialEq, Eq)]
        error NothingToRelease(uint64 start, uint64 end);
    }
}
pub use sol::*;
pub use vvv_interfaces::CallFailed;

/// Every way a vesting call can fail, each an ABI-encoded custom error.
#[derive(SolidityError, Debug, PartialEq)]
pub enum Error {
    InvalidToken(InvalidToken),
    InvalidBeneficiary(InvalidBeneficiary),
    InvalidSchedule(InvalidSchedule),
    NothingToRelease(NothingToRelease),
    CallFailed(CallFailed),
}

/// Storage of the vesting contract. Everything but `released` is set once by the constructor.
#[entrypoint]
#[storage]
pub struct VvvVesting {
    /// The VVV token being vested.
    token: StorageAddress,
    /// The only account releases are paid to.
    beneficiary: StorageAddress,
    /// Unix time at which vesting starts (nothing is vested before it).
    start: StorageU64,
    /// Length of the linear vesting in seconds; everything is vested at `start + duration`.
    /// 0 makes the contract a timelock that frees everything at `start`.
    duration: StorageU64,
    /// VVV paid to the beneficiary so far.
    released: StorageU256,
}

#[public]
impl VvvVesting {
    /// Vests the VVV `token` held by this contract for `beneficiary`, linearly from `start`
    /// (unix seconds; may be in the past) over `duration` seconds. Fund it by transferring VVV
    /// to its address.
    #[constructor]
    pub fn constructor(
        &mut self,
        token: Address,
        beneficiary: Address,
        start: u64,
        duration: u64,
    ) -> Result<(), Error> {
        if token.is_zero() {
            return Err(Error::InvalidToken(InvalidToken { token }));
        }
        if beneficiary.is_zero() {
            return Err(Error::InvalidBeneficiary(InvalidBeneficiary {
                beneficiary,
            }));
        }
        if start.checked_add(duration).is_none() {
            return Err(Error::InvalidSchedule(InvalidSchedule { start, duration }));
        }
        self.token.set(token);
        self.beneficiary.set(beneficiary);
        self.start.set(U64::from(start));
        self.duration.set(U64::from(duration));
        emit_log(
            &[
                VestingCreated::SIGNATURE_HASH,
                token.into_word(),
                beneficiary.into_word(),
            ],
            &[U256::from(start), U256::from(duration)],
        );
        Ok(())
    }

    /// Pays everything vested and not yet released to the beneficiary; returns the amount.
    /// Anyone may call it. Reverts with `NothingToRelease` when that amount is zero.
    pub fn release(&mut self) -> Result<U256, Error> {
        self.release_at(block::timestamp())
    }

    /// The VVV token being vested.
    pub fn token(&self) -> Address {
        self.token.get()
    }

    /// The account every release is paid to.
    pub fn beneficiary(&self) -> Address {
        self.beneficiary.get()
    }

    /// Unix time at which vesting starts.
    pub fn start(&self) -> u64 {
        self.start.get().to()
    }

    /// Vesting length in seconds.
    pub fn duration(&self) -> u64 {
        self.duration.get().to()
    }

    /// Unix time from which everything is vested: `start + duration` (checked to fit at
    /// construction).
    pub fn end(&self) -> u64 {
        self.start().saturating_add(self.duration())
    }

    /// VVV released to the beneficiary so far.
    pub fn released(&self) -> U256 {
        self.released.get()
    }

    /// VVV a `release()` would pay now.
    pub fn releasable(&self) -> Result<U256, Error> {
        self.releasable_at(block::timestamp())
    }

    /// VVV vested at `timestamp` out of everything this contract has held (balance + released),
    /// rounded down.
    pub fn vested_amount(&self, timestamp: u64) -> Result<U256, Error> {
        let allocation = self.balance()?.saturating_add(self.released.get());
        Ok(vesting::vested_amount(
            allocation,
            self.start(),
            self.duration(),
            timestamp,
        ))
    }
}

impl VvvVesting {
    /// This contract's VVV balance.
    fn balance(&self) -> Result<U256, Error> {
        let token = self.token.get();
        IVvvToken::new(token)
            .balance_of(self, contract::address())
            .map_err(|e| call_failed(token, e).into())
    }

    /// [`Self::releasable`] at time `now`.
    pub(crate) fn releasable_at(&self, now: u64) -> Result<U256, Error> {
        Ok(vesting::releasable_amount(
            self.balance()?,
            self.released.get(),
            self.start(),
            self.duration(),
            now,
        ))
    }

    /// [`Self::release`] at time `now`.
    pub(crate) fn release_at(&mut self, now: u64) -> Result<U256, Error> {
        let amount = self.releasable_at(now)?;
        if amount.is_zero() {
            return Err(Error::NothingToRelease(NothingToRelease {
                start: self.start(),
                end: self.end(),
            }));
        }
        // `amount ≤ balance` (vesting::releasable_amount), so the running total stays below
        // everything this contract ever held and cannot saturate.
        let total_released = self.released.get().saturating_add(amount);
        // Effects before the interaction.
        self.released.set(total_released);
        let token = self.token.get();
        let beneficiary = self.beneficiary.get();
        let reply = IVvvToken::new(token).transfer(Call::new_in(self), beneficiary, amount);
        token_call_succeeded(token, reply)?;
        emit_log(
            &[Released::SIGNATURE_HASH, beneficiary.into_word()],
            &[amount, total_released],
        );
        Ok(amount)
    }
}

#[cfg(test)]
mod tests;
