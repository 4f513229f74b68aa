//! DIEM — tokenized compute (SPEC §3.4).
//!
//! ERC-20 `"Diem"` / `"DIEM"`, 18 decimals. New DIEM is minted, and DIEM is burned, only by the
//! DIEM minter (`contracts/diem-minter`), which the deployer wires once and nobody can change
//! afterwards; the minter burns from the caller's own balance, so its `burn(from, amount)` needs
//! no allowance.
//!
//! **Credit staking.** A holder stakes DIEM for API credit: 1 DIEM staked = $1 of credit per
//! day, so `dailyCreditUsd(account)` is the staked amount (18 decimals). An account's stake is
//! either 0 or at least [`MIN_CREDIT_STAKE`] (0.1 DIEM). `requestCreditUnstake` stops an amount
//! counting at once and frees it at the next UTC day boundary; `withdrawCredit` then returns it
//! to the spendable balance.
//!
//! **Balances.** Staking does not move tokens: `balanceOf` is the whole holding,
//! `spendable + staked + pending`, so `totalSupply == Σ balanceOf` as for any ERC-20. Only the
//! spendable part moves: transfers, `transferFrom` and the minter's burns revert with
//! `InsufficientSpendable(spendable, needed)` when they would touch staked or pending DIEM.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main, no_std)]
extern crate alloc;

// The trapping panic handler of Wasm builds.
use vvv_support as _;

use alloc::{string::String, vec, vec::Vec};

use alloy_primitives::{uint, Address, U256, U64};
use alloy_sol_types::SolEvent;
use openzeppelin_stylus::token::erc20::{self, Erc20, IErc20};
use stylus_sdk::{
    block, msg,
    prelude::*,
    storage::{StorageMap, StorageU256, StorageU64},
};
use vvv_common::diem::next_day_boundary;
use vvv_encoding::emit_log;
use vvv_wiring::{Link, Wiring, MINTER};

/// Smallest non-zero credit stake: 0.1 DIEM.
pub const MIN_CREDIT_STAKE: U256 = uint!(100_000_000_000_000_000_U256);

mod sol {
    alloy_sol_types::sol! {
        /// `account` staked `amount` DIEM for credit; its stake is now `staked`.
        #[derive(Debug, PartialEq, Eq)]
        event CreditStaked(address indexed account, uint256 amount, uint256 staked);
        /// `account` asked to unstake `amount`: its stake is now `staked` and `pending` DIEM
        /// (this request and any earlier one not yet withdrawn) is freed at `releaseTime`.
        #[derive(Debug, PartialEq, Eq)]
        event CreditUnstakeRequested(
            address indexed account,
            uint256 amount,
            uint256 staked,
            uint256 pending,
            uint64 releaseTime
        );
        /// `amount` pending DIEM of `account` went back to its spendable balance.
        #[derive(Debug, PartialEq, Eq)]
        event CreditWithdrawn(address indexed account, uint256 amount);

        /// A mint would overflow the total supply.
        #[derive(Debug, PartialEq, Eq)]
        error SupplyOverflow(uint256 totalSupply, uint256 amount);
        /// Only the spendable part of a balance (not staked, not pending) can move or burn.
        #[derive(Debug, PartialEq, Eq)]
        error InsufficientSpendable(uint256 spendable, uint256 needed);
        /// A credit stake must be 0 or at least `minimum` (0.1 DIEM); `staked` is what the
        /// account's stake would have become.
        #[derive(Debug, PartialEq, Eq)]
        error CreditStakeTooSmall(uint256 staked, uint256 minimum);
        /// Unstaking more credit than is staked.
        #[derive(Debug, PartialEq, Eq)]
        error InsufficientStakedCredit(uint256 staked, uint256 requested);
        /// Staking or unstaking zero.
        #[derive(Debug, PartialEq, Eq)]
        error ZeroAmount();
        /// Nothing is pending for the caller.
        #[derive(Debug, PartialEq, Eq)]
        error NoPendingCredit();
        /// The pending credit is freed only at `releaseTime` (a UTC day boundary).
        #[derive(Debug, PartialEq, Eq)]
        error CreditLocked(uint64 releaseTime);
        /// An intermediate value overflowed (unreachable for real amounts and times).
        #[derive(Debug, PartialEq, Eq)]
        error ArithmeticOverflow();
    }
}
/// `diem()`: the minter's own link to this token, checked when it is wired (SPEC §3.2).
const MINTER_LINK: [u8; 4] = stylus_sdk::function_selector!("diem");

pub use sol::*;
pub use vvv_wiring::{
    AlreadyWired, InvalidDeployer, InvalidLink, NotDeployer, UnauthorizedCaller, Wired,
    WiringMismatch,
};

// Every way a DIEM call can fail, each an ABI-encoded custom error
// (`vvv_encoding::static_errors!`: `#[derive(SolidityError)]` with one shared encoder;
// `errors_encode_as_their_abi` checks every variant against alloy's encoding).
vvv_encoding::static_errors! {
    #[derive(Debug)]
    pub enum Error {
        NotDeployer(NotDeployer { caller }),
        AlreadyWired(AlreadyWired { link, current }),
        InvalidLink(InvalidLink { link }),
        InvalidDeployer(InvalidDeployer {}),
        WiringMismatch(WiringMismatch { counterpart, expected, actual }),
        UnauthorizedCaller(UnauthorizedCaller { link, caller }),
        SupplyOverflow(SupplyOverflow { totalSupply, amount }),
        InsufficientSpendable(InsufficientSpendable { spendable, needed }),
        CreditStakeTooSmall(CreditStakeTooSmall { staked, minimum }),
        InsufficientStakedCredit(InsufficientStakedCredit { staked, requested }),
        ZeroAmount(ZeroAmount {}),
        NoPendingCredit(NoPendingCredit {}),
        CreditLocked(CreditLocked { releaseTime }),
        ArithmeticOverflow(ArithmeticOverflow {}),
        InsufficientBalance(erc20::ERC20InsufficientBalance { sender, balance, needed }),
        InvalidSender(erc20::ERC20InvalidSender { sender }),
        InvalidReceiver(erc20::ERC20InvalidReceiver { receiver }),
        InsufficientAllowance(erc20::ERC20InsufficientAllowance { spender, allowance, needed }),
        InvalidSpender(erc20::ERC20InvalidSpender { spender }),
        InvalidApprover(erc20::ERC20InvalidApprover { approver }),
    }
}

/// Two errors are equal when their variants and fields are (tests compare a call's error with
/// `assert_eq!`). OpenZeppelin's ERC-20 error structs do not implement `PartialEq`; their
/// `Debug` output lists every field, so it is compared instead (as in `vvv-token`).
#[cfg(not(target_arch = "wasm32"))] // host only: tests (the contracts never compare errors)
impl PartialEq for Error {
    fn eq(&self, other: &Self) -> bool {
        alloc::format!("{self:?}") == alloc::format!("{other:?}")
    }
}

impl From<erc20::Error> for Error {
    fn from(value: erc20::Error) -> Self {
        match value {
            erc20::Error::InsufficientBalance(e) => Error::InsufficientBalance(e),
            erc20::Error::InvalidSender(e) => Error::InvalidSender(e),
            erc20::Error::InvalidReceiver(e) => Error::InvalidReceiver(e),
            erc20::Error::InsufficientAllowance(e) => Error::InsufficientAllowance(e),
            erc20::Error::InvalidSpender(e) => Error::InvalidSpender(e),
            erc20::Error::InvalidApprover(e) => Error::InvalidApprover(e),
        }
    }
}

/// One account's credit stake.
#[storage]
pub struct CreditAccount {
    /// DIEM staked for credit and counting: 0 or ≥ `MIN_CREDIT_STAKE`.
    staked: StorageU256,
    /// DIEM asked back and not yet withdrawn; counts for nothing and cannot move.
    pending: StorageU256,
    /// When `pending` becomes withdrawable (a UTC day boundary); 0 when nothing is pending.
    release_time: StorageU64,
}

/// Storage of the DIEM token.
#[entrypoint]
#[storage]
pub struct DiemToken {
    /// Balances (spendable + staked + pending), allowances and total supply (OpenZeppelin).
    erc20: Erc20,
    /// The account that may wire the minter, until it does.
    wiring: Wiring,
    /// The only account that may mint and burn, the DIEM minter, wired once by the deployer.
    minter: Link,
    /// Each account's credit stake.
    credit: StorageMap<Address, CreditAccount>,
    /// Σ staked credit over all accounts: the platform's total daily credit in USD (WAD).
    total_staked: StorageU256,
    /// Σ pending credit over all accounts.
    total_pending: StorageU256,
}

#[public]
impl DiemToken {
    /// Records `deployer` (not zero: `InvalidDeployer()`) as the one account that may wire the
    /// minter, once; an argument because through the StylusDeployer the caller is that
    /// contract (D-1).
    #[constructor]
    pub fn constructor(&mut self, deployer: Address) -> Result<(), Error> {
        self.wiring.init(deployer)
    }

    /// Wires the minter (the DIEM minter contract). Only the deployer, only once: afterwards
    /// nobody, the deployer included, can mint or burn DIEM except through the minter.
    pub fn set_minter(&mut self, minter: Address) -> Result<(), Error> {
        self.wiring
            .wire_minter(&mut self.minter, minter, MINTER_LINK)
    }

    /// Mints `amount` new DIEM to `to` (spendable). Only the minter.
    pub fn mint(&mut self, to: Address, amount: U256) -> Result<(), Error> {
        self.minter.only::<Error>(MINTER)?;
        let total_supply = self.erc20.total_supply();
        if total_supply.checked_add(amount).is_none() {
            return Err(Error::SupplyOverflow(SupplyOverflow {
                totalSupply: total_supply,
                amount,
            }));
        }
        Ok(self.erc20._mint(to, amount)?)
    }

    /// Burns `amount` of `from`'s spendable DIEM. Only the minter, which calls it for its own
    /// caller's burns, so no allowance is needed. Staked and pending DIEM cannot be burned.
    pub fn burn(&mut self, from: Address, amount: U256) -> Result<(), Error> {
        self.minter.only::<Error>(MINTER)?;
        self.require_spendable(from, amount)?;
        Ok(self.erc20._burn(from, amount)?)
    }

    /// Stakes `amount` of the caller's spendable DIEM for credit. The stake afterwards must be
    /// at least 0.1 DIEM.
    pub fn stake_credit(&mut self, amount: U256) -> Result<(), Error> {
        let account = msg::sender();
        if amount.is_zero() {
            return Err(Error::ZeroAmount(ZeroAmount {}));
        }
        self.require_spendable(account, amount)?;
        let staked_before = self.credit.getter(account).staked.get();
        // staked + amount ≤ balance ≤ total supply: checked only to be explicit.
        let staked = staked_before.checked_add(amount).ok_or_else(overflow)?;
        if staked < MIN_CREDIT_STAKE {
            return Err(Error::CreditStakeTooSmall(CreditStakeTooSmall {
                staked,
                minimum: MIN_CREDIT_STAKE,
            }));
        }
        let total_staked = self
            .total_staked
            .get()
            .checked_add(amount)
            .ok_or_else(overflow)?;
        self.credit.setter(account).staked.set(staked);
        self.total_staked.set(total_staked);
        emit_log(
            &[CreditStaked::SIGNATURE_HASH, account.into_word()],
            &[amount, staked],
        );
        Ok(())
    }

    /// Stops `amount` of the caller's staked DIEM counting for credit now and frees it at the
    /// next UTC day boundary. What stays staked must be 0 or at least 0.1 DIEM.
    ///
    /// A second request before withdrawing adds to the pending amount; since the first request
    /// was made on the same UTC day (else it has matured), the release time does not move. If
    /// the earlier pending DIEM has already matured it is freed first (a `CreditWithdrawn`
    /// event), so a new request never re-locks DIEM that was already free.
    pub fn request_credit_unstake(&mut self, amount: U256) -> Result<(), Error> {
        self.request_credit_unstake_at(amount, block::timestamp())
    }

    /// Returns the caller's pending DIEM to its spendable balance, once the release time
    /// (the UTC day boundary after the request) has come.
    pub fn withdraw_credit(&mut self) -> Result<U256, Error> {
        self.withdraw_credit_at(block::timestamp())
    }

    /// The DIEM minter, or zero before wiring.
    pub fn minter(&self) -> Address {
        self.minter.get()
    }

    /// DIEM `account` has staked for credit (and counting).
    pub fn staked_credit_of(&self, account: Address) -> U256 {
        self.credit.getter(account).staked.get()
    }

    /// DIEM `account` asked back and has not withdrawn, and when it can (0 when none).
    pub fn pending_credit_of(&self, account: Address) -> (U256, u64) {
        let credit = self.credit.getter(account);
        (credit.pending.get(), credit.release_time.get().to::<u64>())
    }

    /// The part of `account`'s balance that can move: balance − staked − pending.
    pub fn spendable_of(&self, account: Address) -> U256 {
        self.spendable(account)
    }

    /// `account`'s API credit in USD per day, 18 decimals: its staked DIEM (1 DIEM = $1/day).
    pub fn daily_credit_usd(&self, account: Address) -> U256 {
        self.credit.getter(account).staked.get()
    }

    /// All accounts' API credit in USD per day, 18 decimals: all staked DIEM.
    pub fn total_daily_credit_usd(&self) -> U256 {
        self.total_staked.get()
    }

    /// All DIEM pending withdrawal after an unstake request.
    pub fn total_pending_credit(&self) -> U256 {
        self.total_pending.get()
    }

    /// `"Diem"`.
    pub fn name(&self) -> String {
        "Diem".into()
    }

    /// `"DIEM"`.
    pub fn symbol(&self) -> String {
        "DIEM".into()
    }

    /// 18.
    pub fn decimals(&self) -> u8 {
        18
    }

    /// Total DIEM in existence.
    pub fn total_supply(&self) -> U256 {
        self.erc20.total_supply()
    }

    /// The whole holding: spendable + staked + pending.
    pub fn balance_of(&self, account: Address) -> U256 {
        self.erc20.balance_of(account)
    }

    /// Moves spendable DIEM only.
    pub fn transfer(&mut self, to: Address, value: U256) -> Result<bool, Error> {
        self.require_spendable(msg::sender(), value)?;
        Ok(self.erc20.transfer(to, value)?)
    }

    /// How much of `owner`'s DIEM `spender` may move.
    pub fn allowance(&self, owner: Address, spender: Address) -> U256 {
        self.erc20.allowance(owner, spender)
    }

    /// Lets `spender` move `value` of the caller's DIEM (`U256::MAX`: unlimited).
    pub fn approve(&mut self, spender: Address, value: U256) -> Result<bool, Error> {
        Ok(self.erc20.approve(spender, value)?)
    }

    /// Moves spendable DIEM only, spending the caller's allowance.
    pub fn transfer_from(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
    ) -> Result<bool, Error> {
        self.require_spendable(from, value)?;
        Ok(self.erc20.transfer_from(from, to, value)?)
    }
}

/// The error for an intermediate overflow.
fn overflow() -> Error {
    Error::ArithmeticOverflow(ArithmeticOverflow {})
}

impl DiemToken {
    /// balance − staked − pending. Every path keeps `staked + pending ≤ balance` (staking takes
    /// only spendable DIEM and only spendable DIEM moves), so the subtraction never saturates.
    fn spendable(&self, account: Address) -> U256 {
        let credit = self.credit.getter(account);
        self.erc20
            .balance_of(account)
            .saturating_sub(credit.staked.get())
            .saturating_sub(credit.pending.get())
    }

    /// Reverts with `InsufficientSpendable` unless `account` can move `needed`.
    fn require_spendable(&self, account: Address, needed: U256) -> Result<(), Error> {
        let spendable = self.spendable(account);
        if spendable < needed {
            return Err(Error::InsufficientSpendable(InsufficientSpendable {
                spendable,
                needed,
            }));
        }
        Ok(())
    }

    /// `requestCreditUnstake` at time `now` (unix seconds).
    pub(crate) fn request_credit_unstake_at(
        &mut self,
        amount: U256,
        now: u64,
    ) -> Result<(), Error> {
        let account = msg::sender();
        if amount.is_zero() {
            return Err(Error::ZeroAmount(ZeroAmount {}));
        }
        let credit = self.credit.getter(account);
        let staked_before = credit.staked.get();
        let Some(staked) = staked_before.checked_sub(amount) else {
            return Err(Error::InsufficientStakedCredit(InsufficientStakedCredit {
                staked: staked_before,
                requested: amount,
            }));
        };
        if !staked.is_zero() && staked < MIN_CREDIT_STAKE {
            return Err(Error::CreditStakeTooSmall(CreditStakeTooSmall {
                staked,
                minimum: MIN_CREDIT_STAKE,
            }));
        }
        let release_time = next_day_boundary(now).ok_or_else(overflow)?;
        let (mut pending, previous_release) =
            (credit.pending.get(), credit.release_time.get().to::<u64>());
        if !pending.is_zero() && now >= previous_release {
            // The earlier request has matured: free it rather than lock it again.
            self.withdraw_credit_at(now)?;
            pending = U256::ZERO;
        }
        // pending + amount ≤ balance ≤ total supply: checked only to be explicit.
        let pending = pending.checked_add(amount).ok_or_else(overflow)?;
        let total_pending = self
            .total_pending
            .get()
            .checked_add(amount)
            .ok_or_else(overflow)?;
        // amount ≤ staked ≤ total staked.
        let total_staked = self.total_staked.get().saturating_sub(amount);
        let mut credit = self.credit.setter(account);
        credit.staked.set(staked);
        credit.pending.set(pending);
        credit.release_time.set(U64::from(release_time));
        self.total_staked.set(total_staked);
        self.total_pending.set(total_pending);
        emit_log(
            &[CreditUnstakeRequested::SIGNATURE_HASH, account.into_word()],
            &[amount, staked, pending, U256::from(release_time)],
        );
        Ok(())
    }

    /// `withdrawCredit` at time `now` (unix seconds). Returns the amount freed.
    pub(crate) fn withdraw_credit_at(&mut self, now: u64) -> Result<U256, Error> {
        let account = msg::sender();
        let credit = self.credit.getter(account);
        let (amount, release_time) = (credit.pending.get(), credit.release_time.get().to::<u64>());
        if amount.is_zero() {
            return Err(Error::NoPendingCredit(NoPendingCredit {}));
        }
        if now < release_time {
            return Err(Error::CreditLocked(CreditLocked {
                releaseTime: release_time,
            }));
        }
        let mut credit = self.credit.setter(account);
        credit.pending.set(U256::ZERO);
        credit.release_time.set(U64::ZERO);
        // amount ≤ total pending.
        self.total_pending
            .set(self.total_pending.get().saturating_sub(amount));
        emit_log(
            &[CreditWithdrawn::SIGNATURE_HASH, account.into_word()],
            &[amount],
        );
        Ok(amount)
    }
}

#[cfg(test)]
mod tests;
