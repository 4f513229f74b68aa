//! Staking vault: VVV in, sVVV out (SPEC §3.2).
//!
//! - `stake(amount)` / `stakeFor(beneficiary, amount)` pull VVV and mint sVVV **1:1**.
//! - sVVV is an ERC-20 (`"Staked VVV"`, `"sVVV"`, 18 decimals). A balance has an *unlocked* and
//!   a *locked* part (`balanceOf = unlocked + locked`); only the unlocked part moves. The DIEM
//!   minter (the wired *locker*) moves sVVV between the two parts with `lock`/`unlock`.
//! - Rewards: a reward-per-weight accumulator (`vvv_common::rewards`), O(1) per action. An
//!   account weighs `unlocked × 10 000 + locked × 8 000` (locked sVVV earns 80%). Rewards are
//!   earned over time, never at an instant (INV-11): each announcement, with what is left of
//!   the running stream and the kept rewards, is released linearly over `rewardsDuration`
//!   (7 days by default, admin-set within [1 hour, 30 days] for the next announcement), and
//!   every action first moves what the stream released since the last action into the
//!   accumulator, then settles the accounts it touches (both sides of a transfer), then changes
//!   balances. What is released while nothing is staked, and rounding dust, is kept and folded
//!   into the next announcement (streamed again, never handed whole to one late staker). Only
//!   the wired rewards distributor (the emission controller) announces rewards, and only
//!   rewards the vault already holds (`UnbackedRewards` otherwise).
//! - Unstaking: `requestUnstake` burns unlocked sVVV (its yield stops) and opens a request that
//!   `withdraw` pays in VVV once its cooldown (7 days by default, admin-set within [0, 30 days],
//!   fixed per request when it is opened) has elapsed; `cancelUnstake` restakes it.
//! - Pausing stops new stakes only (`stake`, `stakeFor`, `compound`). Requests, cancels,
//!   withdrawals, claims, transfers and lock/unlock always work (SPEC §4, INV-9).
//! - Solvency (INV-2): VVV held ≥ `accountedAssets()` = sVVV supply + open requests + rewards
//!   announced and not yet paid (which includes the kept rewards).
//!
//! - `sweepExcess()` (admin) burns VVV held above that requirement (sent by mistake); it can
//!   never touch what INV-2 covers. sVVV cannot be sent to the vault itself (it would be stuck).
//!
//! Wiring vs roles (contracts/README.md): the VVV token is set at construction; the rewards
//! distributor and the locker are wired once each by the deployer, each checked against the
//! counterpart's own links (the distributor's `vault()` and `token()`, the locker's `vault()`),
//! and then frozen. Until both are wired, `stake`/`stakeFor` revert `NotWired()`. The
//! `DEFAULT_ADMIN_ROLE` (`vvv-access`, OpenZeppelin's `AccessControl` ABI) only turns policy
//! knobs: cooldown, rewards duration, pro threshold, pause, sweep of the excess. No role can
//! move or freeze user funds.
//!
//! The sVVV ERC-20 is our own minimal implementation rather than OpenZeppelin's `Erc20`: a
//! balance is two numbers (unlocked, locked) and every movement must first settle rewards, so
//! wrapping `Erc20` would mean a second balance map kept in sync with the first and every
//! transfer path overridden anyway; owning the storage keeps one source of truth and is smaller.
//!
//! Layout: `lib.rs` the storage and the public interface; `errors.rs` the custom errors and
//! checked arithmetic; `requests.rs` unstake requests; `ledger.rs` settling and sVVV balance
//! moves; `vvv.rs` calls to the VVV token and the events (the cooldown's rules are
//! `vvv_common::cooldown`); `router.rs` the ABI dispatcher of the Wasm build; `tests.rs` and `invariants.rs` the tests.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main, no_std)]
extern crate alloc;

// The trapping panic handler of Wasm builds.
use vvv_support as _;

use alloc::{string::String, vec, vec::Vec};

use alloy_primitives::{uint, Address, B256, U256, U64};
use alloy_sol_types::SolEvent;
use stylus_sdk::{
    call::{self, Call},
    contract, msg,
    prelude::*,
    storage::{StorageAddress, StorageBool, StorageMap, StorageU256, StorageU64},
};
use vvv_access::{self as control, AccessControl};
use vvv_common::{
    cooldown,
    mul_div::mul_div_down,
    rewards::{self, Stream},
    units::WAD,
};
use vvv_wiring::{Link, Wiring};

pub mod router;

/// Default `isPro` threshold: 100 VVV staked.
pub const DEFAULT_PRO_THRESHOLD: U256 = uint!(100_000_000_000_000_000_000_U256);

mod errors;
mod ledger;
mod requests;
mod vvv;

pub use errors::*;
pub use requests::{OpenRequests, UnstakeRequest};
pub use vvv::*;
pub use vvv_wiring::{
    AlreadyWired, InvalidDeployer, InvalidLink, NotDeployer, UnauthorizedCaller, Wired,
    WiringMismatch,
};

/// Block time. Unit tests set it (`tests::clock`): motsu's block timestamp is fixed.
#[cfg(not(test))]
fn now() -> u64 {
    stylus_sdk::block::timestamp()
}
#[cfg(test)]
use tests::clock::now;

/// Storage of the staking vault. In Wasm, [`router`] is the entry point instead of the router
/// `#[public]` generates (code size; the ABI is the same).
#[cfg_attr(not(target_arch = "wasm32"), entrypoint)]
#[storage]
pub struct StakingVault {
    /// Roles (OpenZeppelin): `DEFAULT_ADMIN_ROLE` sets the cooldown, the pro threshold and the
    /// pause, and manages roles.
    access: AccessControl,
    /// Pause flag: stops new stakes only. (Our own bool with OpenZeppelin's `Paused`/`Unpaused`
    /// events and `EnforcedPause`/`ExpectedPause` errors: smaller than OZ's `Pausable`.)
    paused: StorageBool,
    /// True once both the rewards distributor and the locker are wired (staking opens).
    /// Next to `paused`: one storage slot for both stake-time checks.
    wired: StorageBool,
    /// The VVV token, wired at construction, never changes.
    vvv: StorageAddress,
    /// The account named at construction that may wire the distributor and the locker once
    /// each; cleared once both are wired.
    wiring: Wiring,
    /// The only account that may call `notifyRewards` (emission controller). Zero until wired.
    rewards_distributor: Link,
    /// The only account that may call `lock`/`unlock` (DIEM minter). Zero until wired.
    locker: Link,
    /// Unlocked sVVV per account: transferable, earns full yield.
    unlocked: StorageMap<Address, StorageU256>,
    /// Locked sVVV per account (behind DIEM): not transferable, earns 80% of the yield.
    locked: StorageMap<Address, StorageU256>,
    /// ERC-20 allowances over unlocked sVVV: owner → spender → amount.
    allowances: StorageMap<Address, StorageMap<Address, StorageU256>>,
    /// sVVV supply: Σ (unlocked + locked) over all accounts = VVV staked.
    total_staked: StorageU256,
    /// Σ locked over all accounts (≤ `total_staked`).
    total_locked: StorageU256,
    /// Rewards per unit of weight since genesis, scaled by `rewards::REWARD_SCALE`.
    reward_per_weight: StorageU256,
    /// Per account: the `reward_per_weight` it was last settled at.
    reward_checkpoint: StorageMap<Address, StorageU256>,
    /// Per account: rewards settled and not yet claimed or compounded (VVV).
    rewards_owed: StorageMap<Address, StorageU256>,
    /// Σ `amount` of every `notifyRewards` (VVV).
    total_rewards_announced: StorageU256,
    /// Σ rewards claimed or compounded (VVV).
    total_rewards_paid: StorageU256,
    /// Released rewards that could not be spread (zero total weight, or rounding dust),
    /// folded into the next announcement's stream.
    kept_rewards: StorageU256,
    /// Announced rewards not yet released into the accumulator.
    stream_remaining: StorageU256,
    /// Time up to which the stream has been released into the accumulator.
    stream_updated: StorageU64,
    /// Time at which the stream has released everything.
    stream_end: StorageU64,
    /// Reward period of the next announcement, seconds (within [1 hour, 30 days]).
    rewards_duration: StorageU64,
    /// Σ `amount` of the open unstake requests (VVV owed to requesters).
    total_pending_withdrawals: StorageU256,
    /// Number of requests ever opened; ids run from 1 to this.
    request_count: StorageU256,
    /// Every request by id.
    requests: StorageMap<U256, UnstakeRequest>,
    /// Per account: the ids of its open requests, in no particular order.
    open_requests: StorageMap<Address, OpenRequests>,
    /// Cooldown of new requests, seconds (≤ `cooldown::MAX_COOLDOWN`).
    cooldown: StorageU64,
    /// Staked sVVV (unlocked + locked) from which `isPro` is true.
    pro_threshold: StorageU256,
}

// SAFETY: the vault is the contract's top-level storage (what `#[entrypoint]` declares on host
// builds; in Wasm `router` is the entry point).
#[cfg(target_arch = "wasm32")]
unsafe impl stylus_sdk::stylus_core::storage::TopLevelStorage for StakingVault {}

#[control::access_control]
#[public]
impl StakingVault {
    /// Wires the VVV token (for good), gives `admin` the `DEFAULT_ADMIN_ROLE`, and records
    /// `deployer` as the one account that wires the distributor and the locker (an argument
    /// because through the StylusDeployer the caller is that contract, D-1). No zero address
    /// (`ZeroAddress()`; a zero deployer: `InvalidDeployer()`).
    #[constructor]
    pub fn constructor(
        &mut self,
        vvv: Address,
        admin: Address,
        deployer: Address,
    ) -> Result<(), Error> {
        if vvv.is_zero() || admin.is_zero() {
            return Err(Error::ZeroAddress(ZeroAddress {}));
        }
        self.vvv.set(vvv);
        self.wiring.init::<Error>(deployer)?;
        self.access
            ._grant_role(AccessControl::DEFAULT_ADMIN_ROLE.into(), admin);
        self.cooldown.set(U64::from(cooldown::DEFAULT_COOLDOWN));
        self.rewards_duration
            .set(U64::from(rewards::DEFAULT_REWARDS_DURATION));
        self.pro_threshold.set(DEFAULT_PRO_THRESHOLD);
        emit(
            &[CooldownSet::SIGNATURE_HASH],
            &[U256::ZERO, U256::from(cooldown::DEFAULT_COOLDOWN)],
        );
        emit(
            &[RewardsDurationSet::SIGNATURE_HASH],
            &[U256::ZERO, U256::from(rewards::DEFAULT_REWARDS_DURATION)],
        );
        emit(
            &[ProThresholdSet::SIGNATURE_HASH],
            &[U256::ZERO, DEFAULT_PRO_THRESHOLD],
        );
        Ok(())
    }

    // ----- Wiring (deployer, once each) -----

    /// Wires the rewards distributor (the emission controller). Deployer only, once, and only
    /// a distributor whose `vault()` is this vault and whose `token()` is this vault's VVV.
    pub fn set_rewards_distributor(&mut self, distributor: Address) -> Result<(), Error> {
        let checks = [
            (VAULT_VIEW, contract::address()),
            (TOKEN_VIEW, self.vvv.get()),
        ];
        self.wiring.wire::<Error>(
            &mut self.rewards_distributor,
            vvv_wiring::REWARDS_DISTRIBUTOR,
            distributor,
            &checks,
        )?;
        self.finish_wiring(self.locker.get());
        Ok(())
    }

    /// Wires the locker (the DIEM minter). Deployer only, once, and only a locker whose
    /// `vault()` is this vault.
    pub fn set_locker(&mut self, locker: Address) -> Result<(), Error> {
        let checks = [(VAULT_VIEW, contract::address())];
        self.wiring
            .wire::<Error>(&mut self.locker, vvv_wiring::LOCKER, locker, &checks)?;
        self.finish_wiring(self.rewards_distributor.get());
        Ok(())
    }

    // ----- Staking -----

    /// Stakes `amount` VVV of the caller for the caller. See `stakeFor`.
    pub fn stake(&mut self, amount: U256) -> Result<(), Error> {
        self.stake_for(msg::sender(), amount)
    }

    /// Pulls `amount` VVV from the caller (who must have approved the vault) and mints
    /// `amount` unlocked sVVV to `beneficiary`. Not while paused, not before wiring.
    pub fn stake_for(&mut self, beneficiary: Address, amount: U256) -> Result<(), Error> {
        self.when_not_paused()?;
        if !self.wired.get() {
            return Err(Error::NotWired(NotWired {}));
        }
        if amount.is_zero() {
            return Err(Error::ZeroAmount(ZeroAmount {}));
        }
        if beneficiary.is_zero() {
            return Err(Error::ZeroAddress(ZeroAddress {}));
        }
        if beneficiary == contract::address() {
            // sVVV held by the vault itself could never move again.
            return Err(Error::InvalidReceiver(ERC20InvalidReceiver {
                receiver: beneficiary,
            }));
        }
        let payer = msg::sender();
        // Pull first: the mint below is only reached with the VVV in hand (the token is ours,
        // without transfer hooks or fees, and reentrancy is off).
        self.pull_vvv(payer, amount)?;
        self.mint_unlocked(beneficiary, amount, now())?;
        emit(
            &[
                Staked::SIGNATURE_HASH,
                payer.into_word(),
                beneficiary.into_word(),
            ],
            &[amount],
        );
        Ok(())
    }

    // ----- Rewards -----

    /// Announces `amount` VVV of rewards, already sent to the vault. Only the wired rewards
    /// distributor. The stream is first released up to now; then what is left of it, the kept
    /// rewards and `amount` are released linearly over the next `rewardsDuration`.
    pub fn notify_rewards(&mut self, amount: U256) -> Result<(), Error> {
        self.rewards_distributor
            .only::<Error>(vvv_wiring::REWARDS_DISTRIBUTOR)?;
        let accounted = self.accounted_assets()?;
        let balance = self.vvv_balance()?;
        if balance < add(accounted, amount)? {
            return Err(Error::UnbackedRewards(UnbackedRewards {
                balance,
                accounted,
                amount,
            }));
        }
        let now = now();
        let stream = self.advance(now)?;
        let to_stream = add(self.kept_rewards.get(), amount)?;
        let duration = self.rewards_duration.get().to::<u64>();
        let stream = checked(stream.announce(now, to_stream, duration))?;
        let announced = add(self.total_rewards_announced.get(), amount)?;
        self.kept_rewards.set(U256::ZERO);
        self.store_stream(stream);
        self.total_rewards_announced.set(announced);
        emit(
            &[RewardsNotified::SIGNATURE_HASH],
            &[amount, stream.remaining, U256::from(stream.end)],
        );
        Ok(())
    }

    /// Pays the caller's pending rewards in VVV and returns the amount. Works while paused.
    pub fn claim_rewards(&mut self) -> Result<U256, Error> {
        let account = msg::sender();
        let amount = self.take_rewards(account, now())?;
        emit(
            &[RewardsClaimed::SIGNATURE_HASH, account.into_word()],
            &[amount],
        );
        self.push_vvv(account, amount)?;
        Ok(amount)
    }

    /// Restakes the caller's pending rewards as unlocked sVVV and returns the amount. A new
    /// stake, so not while paused.
    pub fn compound(&mut self) -> Result<U256, Error> {
        self.when_not_paused()?;
        let account = msg::sender();
        let now = now();
        let amount = self.take_rewards(account, now)?;
        // The VVV is already in the vault: it moves from "unpaid rewards" to "staked".
        self.mint_unlocked(account, amount, now)?;
        emit(
            &[RewardsCompounded::SIGNATURE_HASH, account.into_word()],
            &[amount],
        );
        Ok(amount)
    }

    // ----- Unstaking -----

    /// Burns `amount` of the caller's unlocked sVVV and opens an unstake request withdrawable
    /// after the current cooldown. Returns the request id. Works while paused.
    pub fn request_unstake(&mut self, amount: U256) -> Result<U256, Error> {
        self.request_unstake_at(amount, now())
    }

    /// Cancels the caller's open request `id` and restakes its amount as unlocked sVVV.
    /// Works while paused: pausing stops new capital coming in, and a cancel only undoes the
    /// caller's own exit with VVV already in the vault (audits/DESIGN-NOTES.md D-15).
    pub fn cancel_unstake(&mut self, id: U256) -> Result<(), Error> {
        let owner = msg::sender();
        let amount = self.close_request(owner, id, None)?;
        self.mint_unlocked(owner, amount, now())?;
        emit(
            &[
                UnstakeCancelled::SIGNATURE_HASH,
                id.into(),
                owner.into_word(),
            ],
            &[amount],
        );
        Ok(())
    }

    /// Pays the caller's open request `id` in VVV once its unlock time has come; returns the
    /// amount. Works while paused.
    pub fn withdraw(&mut self, id: U256) -> Result<U256, Error> {
        self.withdraw_at(id, now())
    }

    // ----- Lock interface (DIEM minter) -----

    /// Moves `amount` of `account`'s sVVV from unlocked to locked. Only the wired locker.
    pub fn lock(&mut self, account: Address, amount: U256) -> Result<(), Error> {
        self.move_lock(account, amount, true, now())
    }

    /// Moves `amount` of `account`'s sVVV from locked to unlocked. Only the wired locker.
    pub fn unlock(&mut self, account: Address, amount: U256) -> Result<(), Error> {
        self.move_lock(account, amount, false, now())
    }

    // ----- Admin knobs (DEFAULT_ADMIN_ROLE) -----

    /// Sets the cooldown (`duration`, seconds) of requests opened from now on, within
    /// [0, 30 days]. (Not named `seconds`: a Solidity keyword, and the ABI is exported as is.)
    pub fn set_cooldown(&mut self, duration: u64) -> Result<(), Error> {
        self.only_admin()?;
        if !cooldown::in_range(duration) {
            return Err(Error::CooldownOutOfRange(CooldownOutOfRange {
                requested: duration,
                max: cooldown::MAX_COOLDOWN,
            }));
        }
        let previous = self.cooldown.get().to::<u64>();
        self.cooldown.set(U64::from(duration));
        emit(
            &[CooldownSet::SIGNATURE_HASH],
            &[U256::from(previous), U256::from(duration)],
        );
        Ok(())
    }

    /// Sets the reward period (`duration`, seconds) of the next announcements, within
    /// [1 hour, 30 days]. The running stream keeps its end.
    pub fn set_rewards_duration(&mut self, duration: u64) -> Result<(), Error> {
        self.only_admin()?;
        if !rewards::rewards_duration_in_range(duration) {
            return Err(Error::RewardsDurationOutOfRange(
                RewardsDurationOutOfRange {
                    requested: duration,
                    min: rewards::MIN_REWARDS_DURATION,
                    max: rewards::MAX_REWARDS_DURATION,
                },
            ));
        }
        let previous = self.rewards_duration.get().to::<u64>();
        self.rewards_duration.set(U64::from(duration));
        emit(
            &[RewardsDurationSet::SIGNATURE_HASH],
            &[U256::from(previous), U256::from(duration)],
        );
        Ok(())
    }

    /// Burns the VVV the vault holds above `accountedAssets()` (VVV sent to it by mistake) and
    /// returns the amount; `NothingToSweep()` if there is none. What INV-2 covers (stakes,
    /// open requests, unpaid and streaming rewards) is never touched.
    pub fn sweep_excess(&mut self) -> Result<U256, Error> {
        self.only_admin()?;
        let balance = self.vvv_balance()?;
        let excess = balance.saturating_sub(self.accounted_assets()?);
        if excess.is_zero() {
            return Err(Error::NothingToSweep(NothingToSweep {}));
        }
        self.send_to_vvv(BURN, &[excess.into()])?;
        emit(&[ExcessSwept::SIGNATURE_HASH], &[excess]);
        Ok(excess)
    }

    /// Sets the staked amount from which `isPro` is true.
    pub fn set_pro_threshold(&mut self, threshold: U256) -> Result<(), Error> {
        self.only_admin()?;
        let previous = self.pro_threshold.get();
        self.pro_threshold.set(threshold);
        emit(&[ProThresholdSet::SIGNATURE_HASH], &[previous, threshold]);
        Ok(())
    }

    /// Stops new stakes (`stake`, `stakeFor`, `compound`). Nothing else.
    pub fn pause(&mut self) -> Result<(), Error> {
        self.only_admin()?;
        self.set_paused(true)
    }

    /// Lets new stakes in again.
    pub fn unpause(&mut self) -> Result<(), Error> {
        self.only_admin()?;
        self.set_paused(false)
    }

    // ----- sVVV ERC-20 -----

    /// `"Staked VVV"`.
    pub fn name(&self) -> String {
        "Staked VVV".into()
    }

    /// `"sVVV"`.
    pub fn symbol(&self) -> String {
        "sVVV".into()
    }

    /// 18.
    pub fn decimals(&self) -> u8 {
        18
    }

    /// sVVV supply: the VVV staked (unlocked + locked sVVV of every account).
    pub fn total_supply(&self) -> U256 {
        self.total_staked.get()
    }

    /// Unlocked + locked sVVV of `account`.
    pub fn balance_of(&self, account: Address) -> U256 {
        // Both parts are ≤ total_staked, so the sum fits; saturating for the type checker.
        self.unlocked
            .get(account)
            .saturating_add(self.locked.get(account))
    }

    /// How much of `owner`'s unlocked sVVV `spender` may move.
    pub fn allowance(&self, owner: Address, spender: Address) -> U256 {
        self.allowances.getter(owner).get(spender)
    }

    /// Lets `spender` move `value` of the caller's unlocked sVVV (`U256::MAX`: unlimited).
    pub fn approve(&mut self, spender: Address, value: U256) -> Result<bool, Error> {
        if spender.is_zero() {
            return Err(Error::InvalidSpender(ERC20InvalidSpender { spender }));
        }
        let owner = msg::sender();
        self.allowances.setter(owner).setter(spender).set(value);
        emit(
            &[
                Approval::SIGNATURE_HASH,
                owner.into_word(),
                spender.into_word(),
            ],
            &[value],
        );
        Ok(true)
    }

    /// Moves `value` of the caller's **unlocked** sVVV to `to`.
    pub fn transfer(&mut self, to: Address, value: U256) -> Result<bool, Error> {
        self.transfer_unlocked(msg::sender(), to, value, now())?;
        Ok(true)
    }

    /// Moves `value` of `from`'s **unlocked** sVVV to `to`, spending the caller's allowance
    /// (an unlimited allowance is not decreased).
    pub fn transfer_from(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
    ) -> Result<bool, Error> {
        let spender = msg::sender();
        let allowance = self.allowances.getter(from).get(spender);
        if allowance != U256::MAX {
            if allowance < value {
                return Err(Error::InsufficientAllowance(ERC20InsufficientAllowance {
                    spender,
                    allowance,
                    needed: value,
                }));
            }
            self.allowances
                .setter(from)
                .setter(spender)
                .set(allowance - value);
        }
        self.transfer_unlocked(from, to, value, now())?;
        Ok(true)
    }

    // ----- Views -----

    /// sVVV locked behind DIEM, all accounts.
    pub fn total_locked(&self) -> U256 {
        self.total_locked.get()
    }

    /// `account`'s unlocked (transferable) sVVV.
    pub fn unlocked_of(&self, account: Address) -> U256 {
        self.unlocked.get(account)
    }

    /// `account`'s locked sVVV.
    pub fn locked_of(&self, account: Address) -> U256 {
        self.locked.get(account)
    }

    /// Rewards `account` can claim or compound now (VVV), the stream released up to now
    /// included.
    pub fn pending_rewards(&self, account: Address) -> Result<U256, Error> {
        let (reward_per_weight, _, _) = self.released_to(now())?;
        let weight = checked(rewards::weight(
            self.unlocked.get(account),
            self.locked.get(account),
        ))?;
        // Rounding: down (vvv-common), the account never gets more than its exact share.
        // `None` would be an overflow of weight × Δ accumulator, which stays below
        // Σ announced × 1e36 (see `settle`).
        let earned = checked(rewards::earned(
            weight,
            reward_per_weight,
            self.reward_checkpoint.get(account),
        ))?;
        add(self.rewards_owed.get(account), earned)
    }

    /// The accumulator as of the last action: rewards per unit of weight since genesis,
    /// × `REWARD_SCALE` (1e36).
    pub fn reward_per_weight(&self) -> U256 {
        self.reward_per_weight.get()
    }

    /// Σ weight of all accounts: `unlocked × 10 000 + locked × 8 000` summed (the APR views
    /// of the emission controller divide by it).
    pub fn total_weight(&self) -> Result<U256, Error> {
        let total_locked = self.total_locked.get();
        let total_unlocked = sub(self.total_staked.get(), total_locked)?;
        checked(rewards::weight(total_unlocked, total_locked))
    }

    /// The stream's release rate now, VVV wei per second (rounded down; 0 after its end).
    pub fn reward_rate(&self) -> U256 {
        self.load_stream().rate()
    }

    /// The stream: `remaining` rewards not yet released as of `lastUpdate`, released linearly
    /// until `periodEnd`.
    pub fn reward_stream(&self) -> (U256, u64, u64) {
        let stream = self.load_stream();
        (stream.remaining, stream.updated, stream.end)
    }

    /// Reward period of the next announcement, seconds.
    pub fn rewards_duration(&self) -> u64 {
        self.rewards_duration.get().to::<u64>()
    }

    /// `account`'s settlement: its rewards settled and not yet paid (`owed`, the part of
    /// `pendingRewards` already credited) and the `rewardPerWeight` it was settled at.
    pub fn settlement_of(&self, account: Address) -> (U256, U256) {
        (
            self.rewards_owed.get(account),
            self.reward_checkpoint.get(account),
        )
    }

    /// Released rewards waiting for the next announcement (zero weight, rounding dust).
    pub fn kept_rewards(&self) -> U256 {
        self.kept_rewards.get()
    }

    /// Σ rewards ever announced.
    pub fn total_rewards_announced(&self) -> U256 {
        self.total_rewards_announced.get()
    }

    /// Σ rewards ever claimed or compounded.
    pub fn total_rewards_paid(&self) -> U256 {
        self.total_rewards_paid.get()
    }

    /// VVV owed on open unstake requests.
    pub fn total_pending_withdrawals(&self) -> U256 {
        self.total_pending_withdrawals.get()
    }

    /// Every VVV the vault owes: sVVV supply + open requests + rewards announced and not yet
    /// paid (owed, in the accumulator, streaming, or kept).
    /// INV-2: the vault's VVV balance is never below this.
    pub fn accounted_assets(&self) -> Result<U256, Error> {
        // unpaid + kept = announced − paid.
        let rewards = sub(
            self.total_rewards_announced.get(),
            self.total_rewards_paid.get(),
        )?;
        let owed = add(
            self.total_staked.get(),
            self.total_pending_withdrawals.get(),
        )?;
        add(owed, rewards)
    }

    /// Request `id`: (owner, amount, unlockTime, open). Zero owner: no such request.
    pub fn request(&self, id: U256) -> (Address, U256, u64, bool) {
        let request = self.requests.getter(id);
        (
            request.owner.get(),
            request.amount.get(),
            request.unlock_time.get().to::<u64>(),
            request.open.get(),
        )
    }

    /// Number of requests ever opened (ids are 1..=requestCount).
    pub fn request_count(&self) -> U256 {
        self.request_count.get()
    }

    /// Ids of `account`'s open requests, in no particular order.
    pub fn open_requests_of(&self, account: Address) -> Vec<U256> {
        let open = self.open_requests.getter(account);
        let mut ids = Vec::new();
        let mut position = U256::ZERO;
        while position < open.count.get() {
            ids.push(open.ids.get(position));
            position += U256::from(1);
        }
        ids
    }

    /// Cooldown of new requests, seconds.
    pub fn cooldown(&self) -> u64 {
        self.cooldown.get().to::<u64>()
    }

    /// Staked amount from which `isPro` is true.
    pub fn pro_threshold(&self) -> U256 {
        self.pro_threshold.get()
    }

    /// Whether `account` stakes (unlocked + locked) at least the pro threshold.
    pub fn is_pro(&self, account: Address) -> bool {
        self.balance_of(account) >= self.pro_threshold.get()
    }

    /// `account`'s share of all staked VVV, in WAD (1e18 = everything); 0 if nothing is
    /// staked. Rounded down.
    pub fn capacity_share_wad(&self, account: Address) -> U256 {
        let total = self.total_staked.get();
        if total.is_zero() {
            return U256::ZERO;
        }
        // Rounding: down (a share never adds up to more than the whole). balance ≤ total, so
        // the quotient is ≤ WAD and cannot overflow.
        mul_div_down(self.balance_of(account), WAD, total).unwrap_or_default()
    }

    /// The VVV token.
    pub fn vvv(&self) -> Address {
        self.vvv.get()
    }

    /// The deployer (may wire what is not wired yet), or zero once both links are wired.
    pub fn deployer(&self) -> Address {
        self.wiring.deployer()
    }

    /// The rewards distributor (emission controller), or zero before wiring.
    pub fn rewards_distributor(&self) -> Address {
        self.rewards_distributor.get()
    }

    /// The locker (DIEM minter), or zero before wiring.
    pub fn locker(&self) -> Address {
        self.locker.get()
    }

    /// Whether new stakes are paused.
    pub fn paused(&self) -> bool {
        self.paused.get()
    }
}

impl StakingVault {
    /// After one link is wired: once `other_link` is wired too, staking opens and the deployer
    /// is cleared (nothing is left to wire).
    fn finish_wiring(&mut self, other_link: Address) {
        if !other_link.is_zero() {
            self.wired.set(true);
            self.wiring.close();
        }
    }

    /// New stakes are allowed (not paused).
    fn when_not_paused(&self) -> Result<(), Error> {
        if self.paused.get() {
            return Err(Error::EnforcedPause(EnforcedPause {}));
        }
        Ok(())
    }

    /// Pauses (`true`) or unpauses; fails if already in that state.
    fn set_paused(&mut self, paused: bool) -> Result<(), Error> {
        if self.paused.get() == paused {
            return Err(if paused {
                Error::EnforcedPause(EnforcedPause {})
            } else {
                Error::ExpectedPause(ExpectedPause {})
            });
        }
        self.paused.set(paused);
        let signature = if paused {
            Paused::SIGNATURE_HASH
        } else {
            Unpaused::SIGNATURE_HASH
        };
        emit(
            &[signature],
            &[U256::from_be_bytes(msg::sender().into_word().0)],
        );
        Ok(())
    }

    /// The caller holds `DEFAULT_ADMIN_ROLE`.
    fn only_admin(&self) -> Result<(), Error> {
        Ok(self
            .access
            ._check_role(AccessControl::DEFAULT_ADMIN_ROLE.into(), msg::sender())?)
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod invariants;
