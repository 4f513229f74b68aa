//! Burn treasury (SPEC §3.5).
//!
//! Burns VVV and keeps a public ledger of every burn:
//! - `burnRevenue(amount, epoch, usdValue)` (revenue role): VVV bought back from platform
//!   revenue, pulled from the caller, burned, and booked under its epoch (e.g. `YYYYMM`) with
//!   the USD revenue it came from;
//! - `burn(amount)`: anyone burns their own VVV through the treasury, on the record;
//! - `burnBalance()`: anyone burns whatever VVV was sent to the treasury directly (e.g. the
//!   unclaimed airdrop swept here).
//!
//! The token is wired at construction and never changes. Every action ends by burning the
//! treasury's **whole** VVV balance, so the treasury never holds VVV at the end of a
//! transaction it made; VVV found on top of what an action pulled is booked as a
//! `BalanceBurned` (so `totalBurned` is always the sum of the amounts in the three burn events).
#![cfg_attr(not(any(test, feature = "export-abi")), no_main, no_std)]
extern crate alloc;

// The trapping panic handler of Wasm builds.
use vvv_support as _;

use alloc::{vec, vec::Vec};

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::SolEvent;
use stylus_sdk::{
    call::Call,
    contract, msg,
    prelude::*,
    storage::{StorageAddress, StorageMap, StorageU256},
};
use vvv_access::{self as control, AccessControl};
use vvv_encoding::emit_log;
use vvv_interfaces::{call_failed, token_call_succeeded, IVvvToken};

/// `keccak256("REVENUE_ROLE")`: may call `burnRevenue`.
pub const REVENUE_ROLE: B256 = B256::new(control::role_id(b"REVENUE_ROLE"));

mod sol {
    alloy_sol_types::sol! {
        /// Revenue buy-back burned: `amount` VVV pulled from `caller` and burned, booked under
        /// `epoch` together with the `usdValue` of revenue it was bought with.
        #[derive(Debug, PartialEq, Eq)]
        event RevenueBurned(uint64 indexed epoch, address indexed caller, uint256 amount, uint256 usdValue);
        /// `burner` burned `amount` of their own VVV through the treasury.
        #[derive(Debug, PartialEq, Eq)]
        event Burned(address indexed burner, uint256 amount);
        /// `amount` VVV the treasury held (sent to it directly) was burned in a call by `caller`.
        #[derive(Debug, PartialEq, Eq)]
        event BalanceBurned(address indexed caller, uint256 amount);

        /// A burn of zero VVV.
        #[derive(Debug, PartialEq, Eq)]
        error ZeroAmount();
        /// A constructor argument that must be an account is the zero address.
        #[derive(Debug, PartialEq, Eq)]
        error ZeroAddress();
        /// A ledger counter would overflow (only a nonsensical `usdValue` can do that).
        #[derive(Debug, PartialEq, Eq)]
        error ArithmeticOverflow();
    }
}
pub use sol::*;
pub use vvv_interfaces::CallFailed;

/// Every way a treasury call can fail, each an ABI-encoded custom error.
#[derive(SolidityError, Debug, PartialEq)]
pub enum Error {
    ZeroAmount(ZeroAmount),
    ZeroAddress(ZeroAddress),
    ArithmeticOverflow(ArithmeticOverflow),
    CallFailed(CallFailed),
    // These two come from `vvv_access::Error`: `#[access_control]` writes the `From`.
    UnauthorizedAccount(control::AccessControlUnauthorizedAccount),
    BadConfirmation(control::AccessControlBadConfirmation),
}

/// Storage of the burn treasury.
#[entrypoint]
#[storage]
pub struct BurnTreasury {
    /// Roles (OpenZeppelin): `DEFAULT_ADMIN_ROLE` manages `REVENUE_ROLE`.
    access: AccessControl,
    /// The VVV token, wired at construction, never changes.
    vvv: StorageAddress,
    /// VVV burned by the treasury, ever (all three kinds of burn).
    total_burned: StorageU256,
    /// VVV burned through `burnRevenue`, per epoch.
    burned_in_epoch: StorageMap<u64, StorageU256>,
    /// USD revenue reported with `burnRevenue`, per epoch (unit chosen by the revenue role;
    /// by convention 18 decimals, like DIEM's $1 = 1e18).
    revenue_in_epoch: StorageMap<u64, StorageU256>,
}

#[control::access_control]
#[public]
impl BurnTreasury {
    /// Wires the token (for good) and gives `admin` the `DEFAULT_ADMIN_ROLE`, which can grant
    /// `REVENUE_ROLE`.
    #[constructor]
    pub fn constructor(&mut self, vvv: Address, admin: Address) -> Result<(), Error> {
        if vvv.is_zero() || admin.is_zero() {
            return Err(Error::ZeroAddress(ZeroAddress {}));
        }
        self.vvv.set(vvv);
        self.access
            ._grant_role(AccessControl::DEFAULT_ADMIN_ROLE.into(), admin);
        Ok(())
    }

    /// Pulls `amount` VVV from the caller (who approved the treasury) and burns it, booking it
    /// under `epoch` with the `usdValue` of revenue it was bought with. Only `REVENUE_ROLE`.
    pub fn burn_revenue(&mut self, amount: U256, epoch: u64, usd_value: U256) -> Result<(), Error> {
        let caller = msg::sender();
        self.access._check_role(REVENUE_ROLE, caller)?;
        if amount.is_zero() {
            return Err(Error::ZeroAmount(ZeroAmount {}));
        }
        let overflow = || Error::ArithmeticOverflow(ArithmeticOverflow {});
        let burned = self
            .burned_in_epoch
            .get(epoch)
            .checked_add(amount)
            .ok_or_else(overflow)?;
        let revenue = self
            .revenue_in_epoch
            .get(epoch)
            .checked_add(usd_value)
            .ok_or_else(overflow)?;
        self.burned_in_epoch.setter(epoch).set(burned);
        self.revenue_in_epoch.setter(epoch).set(revenue);
        self.pull_and_burn(caller, amount)?;
        emit_log(
            &[
                RevenueBurned::SIGNATURE_HASH,
                U256::from(epoch).into(),
                caller.into_word(),
            ],
            &[amount, usd_value],
        );
        Ok(())
    }

    /// Pulls `amount` of the caller's VVV (approved to the treasury) and burns it, on the record.
    pub fn burn(&mut self, amount: U256) -> Result<(), Error> {
        let burner = msg::sender();
        if amount.is_zero() {
            return Err(Error::ZeroAmount(ZeroAmount {}));
        }
        self.pull_and_burn(burner, amount)?;
        emit_log(&[Burned::SIGNATURE_HASH, burner.into_word()], &[amount]);
        Ok(())
    }

    /// Burns all the VVV the treasury holds and returns how much; anyone may call. Nothing to
    /// burn is not an error (returns 0, no event), so a sweep can always call it.
    pub fn burn_balance(&mut self) -> Result<U256, Error> {
        let held = self.burn_held(U256::ZERO)?;
        Ok(held)
    }

    /// The VVV token.
    pub fn vvv(&self) -> Address {
        self.vvv.get()
    }

    /// VVV burned by the treasury, ever.
    pub fn total_burned(&self) -> U256 {
        self.total_burned.get()
    }

    /// VVV burned through `burnRevenue` under `epoch`.
    pub fn burned_in_epoch(&self, epoch: u64) -> U256 {
        self.burned_in_epoch.get(epoch)
    }

    /// USD revenue reported with `burnRevenue` under `epoch`.
    pub fn revenue_in_epoch(&self, epoch: u64) -> U256 {
        self.revenue_in_epoch.get(epoch)
    }

    /// `keccak256("REVENUE_ROLE")`.
    #[selector(name = "REVENUE_ROLE")]
    pub fn revenue_role(&self) -> B256 {
        REVENUE_ROLE
    }
}

impl BurnTreasury {
    /// Pulls `amount` VVV from `from`, then burns everything held (see `burn_held`).
    fn pull_and_burn(&mut self, from: Address, amount: U256) -> Result<(), Error> {
        let vvv = self.vvv.get();
        let token = IVvvToken::new(vvv);
        let this = contract::address();
        token_call_succeeded(
            vvv,
            token.transfer_from(Call::new_in(self), from, this, amount),
        )?;
        self.burn_held(amount)?;
        Ok(())
    }

    /// Burns the treasury's whole VVV balance, of which `booked` is already accounted for by
    /// the caller's own event; the rest (VVV sent directly) is announced as `BalanceBurned`.
    /// Returns the unbooked part burned. Leaves the treasury at a zero balance.
    fn burn_held(&mut self, booked: U256) -> Result<U256, Error> {
        let vvv = self.vvv.get();
        let token = IVvvToken::new(vvv);
        let held = token
            .balance_of(&*self, contract::address())
            .map_err(|e| call_failed(vvv, e))?;
        if held.is_zero() {
            return Ok(U256::ZERO);
        }
        token
            .burn(Call::new_in(self), held)
            .map_err(|e| call_failed(vvv, e))?;
        // Cannot overflow: the treasury's burns are bounded by the VVV supply ever minted.
        self.total_burned
            .set(self.total_burned.get().saturating_add(held));
        // `held ≥ booked`: the caller pulled `booked` in this call. Saturating keeps a
        // misbehaving token from making this panic.
        let extra = held.saturating_sub(booked);
        if !extra.is_zero() {
            emit_log(
                &[BalanceBurned::SIGNATURE_HASH, msg::sender().into_word()],
                &[extra],
            );
        }
        Ok(extra)
    }
}

#[cfg(test)]
mod tests;
