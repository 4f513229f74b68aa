//! DIEM minter (SPEC §3.4).
//!
//! Mints DIEM against sVVV locked in the staking vault, at the mint-rate curve
//! `rate(s) = base × T / (T − s)` of `vvv_common::diem::MintCurve`. Minting `d` DIEM at supply
//! `s` costs the exact integral `⌈base × T × ln((T − s)/(T − s − d))⌉` sVVV (rounded up: the
//! user pays), so splitting a mint never makes it cheaper (INV-7). The sVVV stays the caller's
//! and keeps earning 80% of the staking yield in the vault; it is only locked there.
//!
//! Each account has one position `{locked, debt}`. `burn(d)` burns `d` of the caller's DIEM (any
//! DIEM: it is fungible) against the caller's own position and unlocks
//! `⌊locked × d / debt⌋` (rounded down: the user receives), everything when `d == debt`.
//!
//! **Supply.** DIEM can be minted and burned only by this contract (the DIEM token's minter is
//! wired to it once, for good), so the DIEM supply is tracked here as `totalDebt` instead of
//! being read from the token on every mint: `DIEM.totalSupply() == totalDebt() == Σ debt`
//! (INV-6). Likewise `totalLocked() == Σ locked ==` the vault's `totalLocked()`, since this
//! contract is the vault's only locker.
//!
//! **Wiring vs roles.** The vault and the DIEM token are fixed at construction; `mint` reverts
//! `NotWired()` until the vault's `locker()` and DIEM's `minter()` are this contract (checked
//! once, by the first mint that finds them so, then remembered). The admin
//! (`DEFAULT_ADMIN_ROLE`, `vvv-access`) may only change the curve of future mints, and only
//! through a timelock (SPEC §3.4): `queueCurve(base, T)` announces it, `applyCurve()` makes it
//! current no sooner than 7 days later, and each change keeps `base` within ±25% of the current
//! one and never below `minBase`, fixed at deployment. So no admin can make DIEM nearly free for
//! itself, or change the price under users' feet. It can not touch positions, mint, or move
//! anyone's sVVV or DIEM.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main, no_std)]
extern crate alloc;

// The trapping panic handler of Wasm builds.
use vvv_support as _;

use alloc::{vec, vec::Vec};

use alloy_primitives::{Address, U256, U64};
use alloy_sol_types::SolEvent;
use stylus_sdk::{
    call::Call,
    contract, msg,
    prelude::*,
    storage::{StorageAddress, StorageBool, StorageMap, StorageU256, StorageU64},
};
use vvv_access::{self as control, AccessControl};
use vvv_common::diem::{base_change_bounds, pro_rata_unlock, MintCurve, MintError, CURVE_TIMELOCK};
use vvv_encoding::{emit_log, emit_topics};
use vvv_interfaces::{call_failed, IDiemToken, IStakingVault};

mod sol {
    alloy_sol_types::sol! {
        /// The vault and the DIEM token were wired at construction (for good).
        #[derive(Debug, PartialEq, Eq)]
        event Wired(address indexed vault, address indexed diem);
        /// The curve of future mints is now `base` sVVV per DIEM (WAD) and target `target`
        /// (at deployment, or a queued change applied).
        #[derive(Debug, PartialEq, Eq)]
        event CurveSet(uint256 base, uint256 target);
        /// A change of the curve to `base` and `target` was queued; `applyCurve` may make it
        /// current from `eta` on. Replaces any change queued before.
        #[derive(Debug, PartialEq, Eq)]
        event CurveQueued(uint256 base, uint256 target, uint64 eta);
        /// The queued change to `base` and `target` was cancelled.
        #[derive(Debug, PartialEq, Eq)]
        event CurveCancelled(uint256 base, uint256 target);
        /// The floor of `base`, fixed at deployment.
        #[derive(Debug, PartialEq, Eq)]
        event MinBaseSet(uint256 minBase);
        /// `account` minted `amount` DIEM for `cost` sVVV, now locked. Its position is now
        /// `{locked, debt}` and the DIEM supply `supply`.
        #[derive(Debug, PartialEq, Eq)]
        event Minted(
            address indexed account,
            uint256 amount,
            uint256 cost,
            uint256 locked,
            uint256 debt,
            uint256 supply
        );
        /// `account` burned `amount` DIEM and `unlocked` sVVV was unlocked. Its position is now
        /// `{locked, debt}` and the DIEM supply `supply`.
        #[derive(Debug, PartialEq, Eq)]
        event Burned(
            address indexed account,
            uint256 amount,
            uint256 unlocked,
            uint256 locked,
            uint256 debt,
            uint256 supply
        );

        /// Minting or burning zero.
        #[derive(Debug, PartialEq, Eq)]
        error ZeroAmount();
        /// A wiring address (vault, DIEM token, admin) is zero.
        #[derive(Debug, PartialEq, Eq)]
        error ZeroAddress();
        /// `supply + amount` reaches the curve's `target`, where the rate is infinite.
        #[derive(Debug, PartialEq, Eq)]
        error TargetReached(uint256 supply, uint256 amount, uint256 target);
        /// The mint would cost `cost` sVVV, more than the caller's `maxCost`.
        #[derive(Debug, PartialEq, Eq)]
        error SlippageExceeded(uint256 cost, uint256 maxCost);
        /// The caller has only `unlocked` unlocked sVVV in the vault; the mint needs `needed`.
        #[derive(Debug, PartialEq, Eq)]
        error InsufficientUnlockedSvvv(uint256 unlocked, uint256 needed);
        /// Burning `requested` DIEM against a position whose debt is only `debt`.
        #[derive(Debug, PartialEq, Eq)]
        error BurnExceedsDebt(uint256 debt, uint256 requested);
        /// `account` has no position (its debt is zero).
        #[derive(Debug, PartialEq, Eq)]
        error NoPosition(address account);
        /// The curve must satisfy 0 < base ≤ 1e27, supply < target ≤ 1e30.
        #[derive(Debug, PartialEq, Eq)]
        error InvalidCurve(uint256 base, uint256 target, uint256 supply);
        /// A queued `base` must lie in [`lowest`, `highest`]: within ±25% of the current base
        /// and not below `minBase`.
        #[derive(Debug, PartialEq, Eq)]
        error BaseChangeOutOfBounds(uint256 base, uint256 lowest, uint256 highest);
        /// The floor `minBase` must satisfy 0 < minBase ≤ the launch base (90 sVVV per DIEM).
        #[derive(Debug, PartialEq, Eq)]
        error InvalidMinBase(uint256 minBase);
        /// No curve change is queued.
        #[derive(Debug, PartialEq, Eq)]
        error NoCurveQueued();
        /// The queued curve change cannot be applied before `eta`.
        #[derive(Debug, PartialEq, Eq)]
        error CurveTimelocked(uint64 eta);
        /// Minting waits until the vault's locker and DIEM's minter are this contract.
        #[derive(Debug, PartialEq, Eq)]
        error NotWired();
        /// An intermediate value overflowed (unreachable inside the curve bounds).
        #[derive(Debug, PartialEq, Eq)]
        error ArithmeticOverflow();
    }
}
pub use sol::*;
pub use vvv_interfaces::CallFailed;

/// Every way a minter call can fail, each an ABI-encoded custom error.
#[derive(SolidityError, Debug, PartialEq)]
pub enum Error {
    ZeroAmount(ZeroAmount),
    ZeroAddress(ZeroAddress),
    TargetReached(TargetReached),
    SlippageExceeded(SlippageExceeded),
    InsufficientUnlockedSvvv(InsufficientUnlockedSvvv),
    BurnExceedsDebt(BurnExceedsDebt),
    NoPosition(NoPosition),
    InvalidCurve(InvalidCurve),
    BaseChangeOutOfBounds(BaseChangeOutOfBounds),
    InvalidMinBase(InvalidMinBase),
    NoCurveQueued(NoCurveQueued),
    CurveTimelocked(CurveTimelocked),
    NotWired(NotWired),
    ArithmeticOverflow(ArithmeticOverflow),
    CallFailed(CallFailed),
    // These two come from `vvv_access::Error`: `#[access_control]` writes the `From`.
    UnauthorizedAccount(control::AccessControlUnauthorizedAccount),
    BadConfirmation(control::AccessControlBadConfirmation),
}

/// The error for an intermediate overflow.
fn overflow() -> Error {
    Error::ArithmeticOverflow(ArithmeticOverflow {})
}

/// One account's DIEM position.
#[storage]
pub struct Position {
    /// sVVV of the account locked in the vault behind this position.
    locked: StorageU256,
    /// DIEM minted by the account and not yet burned against the position.
    debt: StorageU256,
}

/// Storage of the DIEM minter.
#[entrypoint]
#[storage]
pub struct DiemMinter {
    /// Roles (OpenZeppelin): `DEFAULT_ADMIN_ROLE` sets the curve and manages roles.
    access: AccessControl,
    /// The staking vault holding the locked sVVV; wired at construction, never changes.
    vault: StorageAddress,
    /// The DIEM token this contract mints and burns; wired at construction, never changes.
    diem: StorageAddress,
    /// Curve base: sVVV per DIEM at zero supply, WAD-scaled (90e18 at launch).
    base: StorageU256,
    /// Curve target: the supply (DIEM wei) at which the rate is infinite (38 000e18 at launch).
    target: StorageU256,
    /// Every account's position.
    positions: StorageMap<Address, Position>,
    /// Σ debt over all positions = the DIEM supply.
    total_debt: StorageU256,
    /// Σ locked over all positions = the vault's total locked sVVV.
    total_locked: StorageU256,
    /// Floor of `base`, fixed at deployment: no curve change goes below it.
    min_base: StorageU256,
    /// Queued curve change: its base (zero: none queued).
    queued_base: StorageU256,
    /// Queued curve change: its target.
    queued_target: StorageU256,
    /// Queued curve change: the earliest time `applyCurve` makes it current.
    queued_eta: StorageU64,
    /// True once a mint has found the vault's locker and DIEM's minter wired to this contract.
    wired: StorageBool,
}

/// `locker()` of the staking vault.
const LOCKER_VIEW: [u8; 4] = stylus_sdk::function_selector!("locker");
/// `minter()` of the DIEM token.
const MINTER_VIEW: [u8; 4] = stylus_sdk::function_selector!("minter");

/// Block time. Unit tests set it (`tests::clock`): motsu's block timestamp is fixed.
#[cfg(not(test))]
fn now() -> u64 {
    stylus_sdk::block::timestamp()
}
#[cfg(test)]
use tests::clock::now;

#[control::access_control]
#[public]
impl DiemMinter {
    /// Wires the vault and the DIEM token (for good), gives `admin` the `DEFAULT_ADMIN_ROLE`,
    /// starts on the launch curve (base 90, target 38 000 DIEM) and fixes the floor of `base`
    /// at `minBase` (0 < minBase ≤ 90e18; the deploy default is the launch base).
    #[constructor]
    pub fn constructor(
        &mut self,
        vault: Address,
        diem: Address,
        admin: Address,
        min_base: U256,
    ) -> Result<(), Error> {
        if vault.is_zero() || diem.is_zero() || admin.is_zero() {
            return Err(Error::ZeroAddress(ZeroAddress {}));
        }
        if min_base.is_zero() || min_base > MintCurve::DEFAULT.base {
            return Err(Error::InvalidMinBase(InvalidMinBase { minBase: min_base }));
        }
        self.min_base.set(min_base);
        self.vault.set(vault);
        self.diem.set(diem);
        self.access
            ._grant_role(AccessControl::DEFAULT_ADMIN_ROLE.into(), admin);
        let MintCurve { base, target } = MintCurve::DEFAULT;
        self.base.set(base);
        self.target.set(target);
        emit_topics(&[Wired::SIGNATURE_HASH, vault.into_word(), diem.into_word()]);
        emit_log(&[CurveSet::SIGNATURE_HASH], &[base, target]);
        emit_log(&[MinBaseSet::SIGNATURE_HASH], &[min_base]);
        Ok(())
    }

    /// Mints `amount` DIEM to the caller, locking its cost in the caller's unlocked sVVV.
    /// Reverts with `SlippageExceeded` when the cost is above `maxCost`.
    pub fn mint(&mut self, amount: U256, max_cost: U256) -> Result<U256, Error> {
        let account = msg::sender();
        if amount.is_zero() {
            return Err(Error::ZeroAmount(ZeroAmount {}));
        }
        self.when_wired()?;
        let supply_before = self.total_debt.get();
        // Rounded up inside `mint_cost`: the user pays. ≥ 1 wei for any amount > 0.
        let cost = self.quote(supply_before, amount)?;
        if cost > max_cost {
            return Err(Error::SlippageExceeded(SlippageExceeded {
                cost,
                maxCost: max_cost,
            }));
        }
        let vault = self.vault.get();
        // The vault would revert too; asking first gives the user a precise error.
        let unlocked = IStakingVault::new(vault)
            .unlocked_of(&*self, account)
            .map_err(|e| call_failed(vault, e))?;
        if unlocked < cost {
            return Err(Error::InsufficientUnlockedSvvv(InsufficientUnlockedSvvv {
                unlocked,
                needed: cost,
            }));
        }
        // supply + amount < target ≤ MAX_TARGET (checked by the curve), so the debts cannot
        // overflow; the locked sums are bounded by the sVVV supply. Checked anyway.
        let position = self.positions.getter(account);
        let locked = position
            .locked
            .get()
            .checked_add(cost)
            .ok_or_else(overflow)?;
        let debt = position
            .debt
            .get()
            .checked_add(amount)
            .ok_or_else(overflow)?;
        let supply = supply_before.checked_add(amount).ok_or_else(overflow)?;
        let total_locked = self
            .total_locked
            .get()
            .checked_add(cost)
            .ok_or_else(overflow)?;
        // Effects before interactions.
        let mut position = self.positions.setter(account);
        position.locked.set(locked);
        position.debt.set(debt);
        self.total_debt.set(supply);
        self.total_locked.set(total_locked);
        IStakingVault::new(vault)
            .lock(Call::new_in(self), account, cost)
            .map_err(|e| call_failed(vault, e))?;
        let diem = self.diem.get();
        IDiemToken::new(diem)
            .mint(Call::new_in(self), account, amount)
            .map_err(|e| call_failed(diem, e))?;
        emit_log(
            &[Minted::SIGNATURE_HASH, account.into_word()],
            &[amount, cost, locked, debt, supply],
        );
        Ok(cost)
    }

    /// Burns `amount` of the caller's (spendable) DIEM against the caller's own position and
    /// unlocks `⌊locked × amount / debt⌋` of its sVVV, everything when `amount == debt`.
    /// Returns the sVVV unlocked.
    pub fn burn(&mut self, amount: U256) -> Result<U256, Error> {
        let account = msg::sender();
        if amount.is_zero() {
            return Err(Error::ZeroAmount(ZeroAmount {}));
        }
        let position = self.positions.getter(account);
        let (locked_before, debt_before) = (position.locked.get(), position.debt.get());
        // Rounded down inside `pro_rata_unlock`: the user receives.
        let unlocked = unlock_for(account, locked_before, debt_before, amount)?;
        // unlocked ≤ locked and amount ≤ debt ≤ total debt, Σ locked == total locked: none of
        // these can underflow. Checked anyway.
        let locked = locked_before.checked_sub(unlocked).ok_or_else(overflow)?;
        let debt = debt_before.checked_sub(amount).ok_or_else(overflow)?;
        let supply = self
            .total_debt
            .get()
            .checked_sub(amount)
            .ok_or_else(overflow)?;
        let total_locked = self
            .total_locked
            .get()
            .checked_sub(unlocked)
            .ok_or_else(overflow)?;
        // Effects before interactions.
        let mut position = self.positions.setter(account);
        position.locked.set(locked);
        position.debt.set(debt);
        self.total_debt.set(supply);
        self.total_locked.set(total_locked);
        let diem = self.diem.get();
        IDiemToken::new(diem)
            .burn(Call::new_in(self), account, amount)
            .map_err(|e| call_failed(diem, e))?;
        if !unlocked.is_zero() {
            let vault = self.vault.get();
            IStakingVault::new(vault)
                .unlock(Call::new_in(self), account, unlocked)
                .map_err(|e| call_failed(vault, e))?;
        }
        emit_log(
            &[Burned::SIGNATURE_HASH, account.into_word()],
            &[amount, unlocked, locked, debt, supply],
        );
        Ok(unlocked)
    }

    /// Queues a change of the curve of future mints to `base` and `target`, applicable from
    /// 7 days on (replacing any change queued before). Admin only. `base` must lie within
    /// ±25% of the current base and not below `minBase`; the curve must be valid with
    /// `target` above the current supply.
    pub fn queue_curve(&mut self, base: U256, target: U256) -> Result<(), Error> {
        self.only_admin()?;
        self.check_curve(base, target)?;
        let (lowest, highest) =
            base_change_bounds(self.base.get(), self.min_base.get()).ok_or_else(overflow)?;
        if base < lowest || base > highest {
            return Err(Error::BaseChangeOutOfBounds(BaseChangeOutOfBounds {
                base,
                lowest,
                highest,
            }));
        }
        let eta = now().checked_add(CURVE_TIMELOCK).ok_or_else(overflow)?;
        self.queued_base.set(base);
        self.queued_target.set(target);
        self.queued_eta.set(U64::from(eta));
        emit_log(
            &[CurveQueued::SIGNATURE_HASH],
            &[base, target, U256::from(eta)],
        );
        Ok(())
    }

    /// Makes the queued curve current, once its timelock has passed. Admin only. The target
    /// must still be above the supply (`InvalidCurve` otherwise: cancel and queue again).
    /// Existing positions are not affected.
    pub fn apply_curve(&mut self) -> Result<(), Error> {
        self.only_admin()?;
        let base = self.queued_base.get();
        if base.is_zero() {
            return Err(Error::NoCurveQueued(NoCurveQueued {}));
        }
        let eta = self.queued_eta.get().to::<u64>();
        if now() < eta {
            return Err(Error::CurveTimelocked(CurveTimelocked { eta }));
        }
        let target = self.queued_target.get();
        self.check_curve(base, target)?;
        self.clear_queue();
        self.base.set(base);
        self.target.set(target);
        emit_log(&[CurveSet::SIGNATURE_HASH], &[base, target]);
        Ok(())
    }

    /// Drops the queued curve change. Admin only.
    pub fn cancel_curve(&mut self) -> Result<(), Error> {
        self.only_admin()?;
        let base = self.queued_base.get();
        if base.is_zero() {
            return Err(Error::NoCurveQueued(NoCurveQueued {}));
        }
        let target = self.queued_target.get();
        self.clear_queue();
        emit_log(&[CurveCancelled::SIGNATURE_HASH], &[base, target]);
        Ok(())
    }

    /// The queued curve change: base, target and the earliest time it applies (all zero when
    /// none is queued).
    pub fn queued_curve(&self) -> (U256, U256, u64) {
        (
            self.queued_base.get(),
            self.queued_target.get(),
            self.queued_eta.get().to::<u64>(),
        )
    }

    /// Floor of `base`, fixed at deployment.
    pub fn min_base(&self) -> U256 {
        self.min_base.get()
    }

    /// The mint rate at the current supply, sVVV per DIEM (WAD-scaled), rounded up.
    pub fn mint_rate(&self) -> Result<U256, Error> {
        let supply = self.total_debt.get();
        self.curve_now()
            .rate(supply)
            .map_err(|e| self.mint_error(e, supply, U256::ZERO))
    }

    /// The sVVV cost of minting `amount` DIEM now (what `mint` would lock), rounded up.
    pub fn quote_mint(&self, amount: U256) -> Result<U256, Error> {
        self.quote(self.total_debt.get(), amount)
    }

    /// The sVVV that burning `amount` DIEM against `account`'s position would unlock.
    pub fn quote_burn(&self, account: Address, amount: U256) -> Result<U256, Error> {
        let position = self.positions.getter(account);
        unlock_for(account, position.locked.get(), position.debt.get(), amount)
    }

    /// `account`'s position: sVVV locked and DIEM debt.
    pub fn position_of(&self, account: Address) -> (U256, U256) {
        let position = self.positions.getter(account);
        (position.locked.get(), position.debt.get())
    }

    /// The curve in force: base (sVVV per DIEM, WAD) and target (DIEM wei).
    pub fn curve(&self) -> (U256, U256) {
        (self.base.get(), self.target.get())
    }

    /// Σ debt = the DIEM supply.
    pub fn total_debt(&self) -> U256 {
        self.total_debt.get()
    }

    /// Σ locked = the sVVV locked in the vault behind DIEM.
    pub fn total_locked(&self) -> U256 {
        self.total_locked.get()
    }

    /// The staking vault.
    pub fn vault(&self) -> Address {
        self.vault.get()
    }

    /// The DIEM token.
    pub fn diem(&self) -> Address {
        self.diem.get()
    }
}

/// The unlock for burning `amount` of a position `{locked, debt}` of `account`.
fn unlock_for(account: Address, locked: U256, debt: U256, amount: U256) -> Result<U256, Error> {
    if debt.is_zero() {
        return Err(Error::NoPosition(NoPosition { account }));
    }
    // `None` only when amount > debt (debt is not zero here).
    pro_rata_unlock(locked, debt, amount).ok_or(Error::BurnExceedsDebt(BurnExceedsDebt {
        debt,
        requested: amount,
    }))
}

impl DiemMinter {
    /// The caller holds `DEFAULT_ADMIN_ROLE`.
    fn only_admin(&self) -> Result<(), Error> {
        Ok(self
            .access
            ._check_role(AccessControl::DEFAULT_ADMIN_ROLE.into(), msg::sender())?)
    }

    /// `InvalidCurve` unless `base`/`target` are inside the math's bounds with `target` above
    /// the current supply.
    fn check_curve(&self, base: U256, target: U256) -> Result<(), Error> {
        let supply = self.total_debt.get();
        if !(MintCurve { base, target }).is_valid() || target <= supply {
            return Err(Error::InvalidCurve(InvalidCurve {
                base,
                target,
                supply,
            }));
        }
        Ok(())
    }

    /// Forgets the queued curve change.
    fn clear_queue(&mut self) {
        self.queued_base.set(U256::ZERO);
        self.queued_target.set(U256::ZERO);
        self.queued_eta.set(U64::ZERO);
    }

    /// `NotWired()` unless the vault's locker and DIEM's minter are this contract. Checked with
    /// two static calls until they are, then remembered (wiring is write-once on both sides).
    fn when_wired(&mut self) -> Result<(), Error> {
        if self.wired.get() {
            return Ok(());
        }
        let this = contract::address();
        if vvv_wiring::linked_address(self.vault.get(), LOCKER_VIEW) != this
            || vvv_wiring::linked_address(self.diem.get(), MINTER_VIEW) != this
        {
            return Err(Error::NotWired(NotWired {}));
        }
        self.wired.set(true);
        Ok(())
    }

    /// The curve in force.
    fn curve_now(&self) -> MintCurve {
        MintCurve {
            base: self.base.get(),
            target: self.target.get(),
        }
    }

    /// Cost of minting `amount` at `supply` on the curve in force, rounded up.
    fn quote(&self, supply: U256, amount: U256) -> Result<U256, Error> {
        self.curve_now()
            .mint_cost(supply, amount)
            .map_err(|e| self.mint_error(e, supply, amount))
    }

    /// The custom error for a curve failure.
    fn mint_error(&self, error: MintError, supply: U256, amount: U256) -> Error {
        let target = self.target.get();
        match error {
            MintError::TargetReached => Error::TargetReached(TargetReached {
                supply,
                amount,
                target,
            }),
            // Unreachable: only valid curves are applied.
            MintError::BadCurve => Error::InvalidCurve(InvalidCurve {
                base: self.base.get(),
                target,
                supply,
            }),
            MintError::Overflow => overflow(),
        }
    }
}

#[cfg(test)]
mod tests;
