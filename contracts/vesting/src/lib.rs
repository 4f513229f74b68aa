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
// The free functions `block::timestamp()`/`evm::log` are deprecated in favour of `self.vm()`, a
// `dyn Host` whose vtable keeps every host import alive: see contracts/README.md, "Code size".
#![allow(deprecated)]
extern crate alloc;

/// A panic is a bug (every input error is a custom error), so it traps without formatting.
#[cfg(all(target_arch = "wasm32", not(any(test, feature = "export-abi"))))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}

pub mod schedule;

use alloc::{vec, vec::Vec};

use alloy_primitives::{Address, Bytes, U256, U64};
use stylus_sdk::{
    block,
    call::{self, Call},
    contract, evm,
    prelude::*,
    storage::{StorageAddress, StorageU256, StorageU64},
};
use vvv_interfaces::IVvvToken;

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
        /// A call to `target` (the token) reverted with `reason` (its revert data; empty when
        /// it returned `false` or a reply that does not decode) — the suite's one failed-call
        /// error (audits/DESIGN-NOTES.md D-12).
        #[derive(Debug, PartialEq, Eq)]
        error CallFailed(address target, bytes reason);
    }
}
pub use sol::*;

/// Every way a vesting call can fail, each an ABI-encoded custom error.
#[derive(SolidityError, Debug)]
pub enum Error {
    InvalidToken(InvalidToken),
    InvalidBeneficiary(InvalidBeneficiary),
    InvalidSchedule(InvalidSchedule),
    NothingToRelease(NothingToRelease),
    CallFailed(CallFailed),
}

/// `CallFailed` for a call to `target` that failed with `err` (its revert data kept).
fn call_failed(target: Address, err: call::Error) -> Error {
    let reason = match err {
        call::Error::Revert(data) => data.into(),
        call::Error::AbiDecodingFailed(_) => Bytes::new(),
    };
    Error::CallFailed(CallFailed { target, reason })
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
        evm::log(VestingCreated {
            token,
            beneficiary,
            start,
            duration,
        });
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
        Ok(schedule::vested_amount(
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
            .map_err(|e| call_failed(token, e))
    }

    /// [`Self::releasable`] at time `now`.
    pub(crate) fn releasable_at(&self, now: u64) -> Result<U256, Error> {
        Ok(schedule::releasable_amount(
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
        // `amount ≤ balance` (schedule::releasable_amount), so the running total stays below
        // everything this contract ever held and cannot saturate.
        let total_released = self.released.get().saturating_add(amount);
        // Effects before the interaction.
        self.released.set(total_released);
        let token = self.token.get();
        let beneficiary = self.beneficiary.get();
        let transferred = IVvvToken::new(token)
            .transfer(Call::new_in(self), beneficiary, amount)
            .map_err(|e| call_failed(token, e))?;
        if !transferred {
            return Err(Error::CallFailed(CallFailed {
                target: token,
                reason: Bytes::new(),
            }));
        }
        evm::log(Released {
            beneficiary,
            amount,
            totalReleased: total_released,
        });
        Ok(amount)
    }
}

#[cfg(test)]
mod tests {
    use motsu::prelude::*;
    use vvv_token::{VvvToken, GENESIS_SUPPLY};

    use super::*;

    /// motsu's fixed block timestamp (2025-01-01T00:00:00Z).
    const NOW: u64 = 1_735_689_600;
    /// Vesting starts a day after "now".
    const START: u64 = NOW + 86_400;
    /// 24 months (2 × 365 days).
    const DURATION: u64 = 2 * 31_536_000;
    const END: u64 = START + DURATION;

    fn vvv(n: u64) -> U256 {
        U256::from(n) * U256::from(10).pow(U256::from(18))
    }

    /// The 75% of the team's 10M that vests.
    fn total() -> U256 {
        vvv(7_500_000)
    }

    /// `⌊total × elapsed / DURATION⌋`.
    fn vested_at(t: u64) -> U256 {
        total() * U256::from(t - START) / U256::from(DURATION)
    }

    /// VVV with all 100M at `treasury`; a vesting of `START`/`DURATION` for `team`, funded
    /// with 7.5M by `treasury` (the deploy config's transfer).
    fn setup(
        token: &Contract<VvvToken>,
        vesting: &Contract<VvvVesting>,
        treasury: Address,
        team: Address,
    ) {
        token
            .sender(treasury)
            .constructor(treasury, vec![treasury], vec![GENESIS_SUPPLY])
            .motsu_unwrap();
        vesting
            .sender(treasury)
            .constructor(token.address(), team, START, DURATION)
            .motsu_unwrap();
        token
            .sender(treasury)
            .transfer(vesting.address(), total())
            .motsu_unwrap();
    }

    fn balance(token: &Contract<VvvToken>, account: Address) -> U256 {
        token.sender(account).balance_of(account)
    }

    // ---------------------------------------------------------------- constructor, views

    #[motsu::test]
    fn constructor_sets_schedule_and_emits(
        token: Contract<VvvToken>,
        vesting: Contract<VvvVesting>,
        treasury: Address,
        team: Address,
    ) {
        setup(&token, &vesting, treasury, team);
        let v = vesting.sender(team);
        assert_eq!(v.token(), token.address());
        assert_eq!(v.beneficiary(), team);
        assert_eq!(v.start(), START);
        assert_eq!(v.duration(), DURATION);
        assert_eq!(v.end(), END);
        assert_eq!(v.released(), U256::ZERO);
        vesting.assert_emitted(&VestingCreated {
            token: token.address(),
            beneficiary: team,
            start: START,
            duration: DURATION,
        });
    }

    #[motsu::test]
    fn constructor_reverts_on_zero_token(
        vesting: Contract<VvvVesting>,
        treasury: Address,
        team: Address,
    ) {
        let err = vesting
            .sender(treasury)
            .constructor(Address::ZERO, team, START, DURATION)
            .motsu_unwrap_err();
        let Error::InvalidToken(e) = err else {
            panic!("expected InvalidToken, got {err:?}");
        };
        assert_eq!(
            e,
            InvalidToken {
                token: Address::ZERO
            }
        );
        assert!(vesting.all_events().is_empty());
    }

    #[motsu::test]
    fn constructor_reverts_on_zero_beneficiary(
        token: Contract<VvvToken>,
        vesting: Contract<VvvVesting>,
        treasury: Address,
    ) {
        let err = vesting
            .sender(treasury)
            .constructor(token.address(), Address::ZERO, START, DURATION)
            .motsu_unwrap_err();
        let Error::InvalidBeneficiary(e) = err else {
            panic!("expected InvalidBeneficiary, got {err:?}");
        };
        assert_eq!(
            e,
            InvalidBeneficiary {
                beneficiary: Address::ZERO
            }
        );
        assert!(vesting.all_events().is_empty());
    }

    #[motsu::test]
    fn constructor_reverts_when_end_overflows(
        token: Contract<VvvToken>,
        vesting: Contract<VvvVesting>,
        treasury: Address,
        team: Address,
    ) {
        let err = vesting
            .sender(treasury)
            .constructor(token.address(), team, u64::MAX - 9, 10)
            .motsu_unwrap_err();
        let Error::InvalidSchedule(e) = err else {
            panic!("expected InvalidSchedule, got {err:?}");
        };
        assert_eq!(
            e,
            InvalidSchedule {
                start: u64::MAX - 9,
                duration: 10
            }
        );
        assert_eq!(vesting.sender(team).beneficiary(), Address::ZERO);
        // The largest schedule that fits is accepted.
        vesting
            .sender(treasury)
            .constructor(token.address(), team, u64::MAX - 10, 10)
            .motsu_unwrap();
        assert_eq!(vesting.sender(team).end(), u64::MAX);
    }

    /// `vestedAmount(t)` over the whole schedule, from the contract's real token balance.
    #[motsu::test]
    fn vested_amount_view(
        token: Contract<VvvToken>,
        vesting: Contract<VvvVesting>,
        treasury: Address,
        team: Address,
    ) {
        setup(&token, &vesting, treasury, team);
        let v = vesting.sender(team);
        assert_eq!(v.vested_amount(0).motsu_unwrap(), U256::ZERO);
        assert_eq!(v.vested_amount(START - 1).motsu_unwrap(), U256::ZERO);
        assert_eq!(v.vested_amount(START).motsu_unwrap(), U256::ZERO);
        assert_eq!(
            v.vested_amount(START + 1).motsu_unwrap(),
            vested_at(START + 1)
        );
        assert_eq!(
            v.vested_amount(START + DURATION / 2).motsu_unwrap(),
            vvv(3_750_000)
        );
        assert_eq!(v.vested_amount(END - 1).motsu_unwrap(), vested_at(END - 1));
        assert!(v.vested_amount(END - 1).motsu_unwrap() < total());
        assert_eq!(v.vested_amount(END).motsu_unwrap(), total());
        assert_eq!(v.vested_amount(u64::MAX).motsu_unwrap(), total());
        // The shell reads the block time (before START here): nothing releasable yet.
        assert_eq!(v.releasable().motsu_unwrap(), U256::ZERO);
    }

    // ---------------------------------------------------------------- release

    #[motsu::test]
    fn release_before_start_reverts(
        token: Contract<VvvToken>,
        vesting: Contract<VvvVesting>,
        treasury: Address,
        team: Address,
    ) {
        setup(&token, &vesting, treasury, team);
        let events_before = vesting.all_events().len();
        // Before start, and at start itself (nothing has vested yet).
        for t in [NOW, START - 1, START] {
            assert_eq!(
                vesting.sender(team).releasable_at(t).motsu_unwrap(),
                U256::ZERO
            );
            let err = vesting.sender(team).release_at(t).motsu_unwrap_err();
            let Error::NothingToRelease(e) = err else {
                panic!("expected NothingToRelease, got {err:?}");
            };
            assert_eq!(
                e,
                NothingToRelease {
                    start: START,
                    end: END
                }
            );
        }
        // The shell reads motsu's block time, which is before START.
        let err = vesting.sender(team).release().motsu_unwrap_err();
        assert!(matches!(err, Error::NothingToRelease(_)));
        // Nothing moved and no (misleading) event was emitted.
        assert_eq!(vesting.all_events().len(), events_before);
        assert_eq!(balance(&token, team), U256::ZERO);
        assert_eq!(balance(&token, vesting.address()), total());
        assert_eq!(vesting.sender(team).released(), U256::ZERO);
    }

    #[motsu::test]
    fn release_partway_pays_the_vested_part(
        token: Contract<VvvToken>,
        vesting: Contract<VvvVesting>,
        treasury: Address,
        team: Address,
    ) {
        setup(&token, &vesting, treasury, team);
        // One second in: ⌊7.5M × 1 / 63 072 000⌋ (rounded down).
        let t1 = START + 1;
        let first = vested_at(t1);
        assert_eq!(vesting.sender(team).releasable_at(t1).motsu_unwrap(), first);
        assert_eq!(vesting.sender(team).release_at(t1).motsu_unwrap(), first);
        assert_eq!(balance(&token, team), first);
        vesting.assert_emitted(&Released {
            beneficiary: team,
            amount: first,
            totalReleased: first,
        });
        // A quarter in: the quarter minus what was paid.
        let t2 = START + DURATION / 4;
        let second = vvv(1_875_000) - first;
        assert_eq!(vesting.sender(team).release_at(t2).motsu_unwrap(), second);
        assert_eq!(balance(&token, team), vvv(1_875_000));
        assert_eq!(vesting.sender(team).released(), vvv(1_875_000));
        assert_eq!(balance(&token, vesting.address()), vvv(5_625_000));
        vesting.assert_emitted(&Released {
            beneficiary: team,
            amount: second,
            totalReleased: vvv(1_875_000),
        });
        // Nothing more in the same second.
        assert_eq!(
            vesting.sender(team).releasable_at(t2).motsu_unwrap(),
            U256::ZERO
        );
        let err = vesting.sender(team).release_at(t2).motsu_unwrap_err();
        assert!(matches!(
            err,
            Error::NothingToRelease(NothingToRelease { start, end }) if start == START && end == END
        ));
        // Half-way: another quarter.
        assert_eq!(
            vesting
                .sender(team)
                .release_at(START + DURATION / 2)
                .motsu_unwrap(),
            vvv(1_875_000)
        );
        assert_eq!(balance(&token, team), vvv(3_750_000));
    }

    #[motsu::test]
    fn release_after_end_pays_everything(
        token: Contract<VvvToken>,
        vesting: Contract<VvvVesting>,
        treasury: Address,
        team: Address,
    ) {
        setup(&token, &vesting, treasury, team);
        let partial = vesting
            .sender(team)
            .release_at(START + DURATION / 3)
            .motsu_unwrap();
        assert_eq!(partial, vested_at(START + DURATION / 3));
        let rest = vesting.sender(team).release_at(END + 1_000).motsu_unwrap();
        assert_eq!(partial + rest, total());
        assert_eq!(balance(&token, team), total());
        assert_eq!(balance(&token, vesting.address()), U256::ZERO);
        assert_eq!(vesting.sender(team).released(), total());
        vesting.assert_emitted(&Released {
            beneficiary: team,
            amount: rest,
            totalReleased: total(),
        });
        // Nothing is left, ever.
        for t in [END + 1_000, u64::MAX] {
            let err = vesting.sender(team).release_at(t).motsu_unwrap_err();
            assert!(matches!(err, Error::NothingToRelease(_)));
        }
        assert_eq!(
            vesting.sender(team).vested_amount(END).motsu_unwrap(),
            total()
        );
    }

    #[motsu::test]
    fn release_at_end_in_one_go(
        token: Contract<VvvToken>,
        vesting: Contract<VvvVesting>,
        treasury: Address,
        team: Address,
    ) {
        setup(&token, &vesting, treasury, team);
        assert_eq!(vesting.sender(team).release_at(END).motsu_unwrap(), total());
        assert_eq!(balance(&token, team), total());
    }

    /// `release()` itself (the shell) with motsu's block time half-way through a schedule.
    #[motsu::test]
    fn release_reads_block_time(
        token: Contract<VvvToken>,
        vesting: Contract<VvvVesting>,
        treasury: Address,
        team: Address,
    ) {
        token
            .sender(treasury)
            .constructor(treasury, vec![treasury], vec![GENESIS_SUPPLY])
            .motsu_unwrap();
        vesting
            .sender(treasury)
            .constructor(token.address(), team, NOW - DURATION / 2, DURATION)
            .motsu_unwrap();
        token
            .sender(treasury)
            .transfer(vesting.address(), total())
            .motsu_unwrap();
        assert_eq!(
            vesting.sender(team).releasable().motsu_unwrap(),
            vvv(3_750_000)
        );
        assert_eq!(
            vesting.sender(team).release().motsu_unwrap(),
            vvv(3_750_000)
        );
        assert_eq!(balance(&token, team), vvv(3_750_000));
        assert_eq!(vesting.sender(team).releasable().motsu_unwrap(), U256::ZERO);
    }

    /// Anyone may trigger a release; the tokens go to the beneficiary only.
    #[motsu::test]
    fn anyone_may_release_only_beneficiary_receives(
        token: Contract<VvvToken>,
        vesting: Contract<VvvVesting>,
        treasury: Address,
        team: Address,
        stranger: Address,
    ) {
        setup(&token, &vesting, treasury, team);
        let t = START + DURATION / 2;
        assert_eq!(
            vesting.sender(stranger).release_at(t).motsu_unwrap(),
            vvv(3_750_000)
        );
        assert_eq!(balance(&token, stranger), U256::ZERO);
        assert_eq!(balance(&token, team), vvv(3_750_000));
        vesting.assert_emitted(&Released {
            beneficiary: team,
            amount: vvv(3_750_000),
            totalReleased: vvv(3_750_000),
        });
        // The funder (deploy config) cannot claw anything back either: it also just pays the team.
        vesting.sender(treasury).release_at(END).motsu_unwrap();
        assert_eq!(balance(&token, team), total());
        assert_eq!(balance(&token, treasury), GENESIS_SUPPLY - total());
    }

    /// VVV sent after the start vests as if it had been there from the start.
    #[motsu::test]
    fn late_deposit_vests_on_the_same_schedule(
        token: Contract<VvvToken>,
        vesting: Contract<VvvVesting>,
        treasury: Address,
        team: Address,
    ) {
        setup(&token, &vesting, treasury, team);
        let half = START + DURATION / 2;
        vesting.sender(team).release_at(half).motsu_unwrap();
        token
            .sender(treasury)
            .transfer(vesting.address(), vvv(1_000))
            .motsu_unwrap();
        // Half of the deposit is vested at once.
        assert_eq!(
            vesting.sender(team).releasable_at(half).motsu_unwrap(),
            vvv(500)
        );
        assert_eq!(
            vesting.sender(team).vested_amount(half).motsu_unwrap(),
            vvv(3_750_500)
        );
        assert_eq!(
            vesting.sender(team).release_at(half).motsu_unwrap(),
            vvv(500)
        );
        vesting.sender(team).release_at(END).motsu_unwrap();
        assert_eq!(balance(&token, team), total() + vvv(1_000));
        assert_eq!(vesting.sender(team).released(), total() + vvv(1_000));
    }

    /// `duration == 0`: a timelock that frees everything at `start`.
    #[motsu::test]
    fn zero_duration_is_a_timelock(
        token: Contract<VvvToken>,
        vesting: Contract<VvvVesting>,
        treasury: Address,
        team: Address,
    ) {
        token
            .sender(treasury)
            .constructor(treasury, vec![treasury], vec![GENESIS_SUPPLY])
            .motsu_unwrap();
        vesting
            .sender(treasury)
            .constructor(token.address(), team, START, 0)
            .motsu_unwrap();
        token
            .sender(treasury)
            .transfer(vesting.address(), total())
            .motsu_unwrap();
        assert_eq!(vesting.sender(team).end(), START);
        let err = vesting
            .sender(team)
            .release_at(START - 1)
            .motsu_unwrap_err();
        assert!(matches!(
            err,
            Error::NothingToRelease(NothingToRelease { start, end }) if start == START && end == START
        ));
        assert_eq!(
            vesting.sender(team).release_at(START).motsu_unwrap(),
            total()
        );
    }

    #[motsu::test]
    fn release_of_unfunded_vesting_reverts(
        token: Contract<VvvToken>,
        vesting: Contract<VvvVesting>,
        treasury: Address,
        team: Address,
    ) {
        token
            .sender(treasury)
            .constructor(treasury, vec![treasury], vec![GENESIS_SUPPLY])
            .motsu_unwrap();
        vesting
            .sender(treasury)
            .constructor(token.address(), team, START, DURATION)
            .motsu_unwrap();
        let err = vesting.sender(team).release_at(END).motsu_unwrap_err();
        assert!(matches!(err, Error::NothingToRelease(_)));
    }

    /// Releases at random times (any caller, some before start, some repeated) through the
    /// real token pay the beneficiary exactly what has vested at each release, and exactly
    /// the allocation by the end; the contract is left empty.
    #[motsu::test]
    fn release_sequence_pays_exactly_the_total() {
        use proptest::{
            prelude::*,
            test_runner::{Config, TestRunner},
        };
        let (treasury, team) = (Address::from_tag("treasury"), Address::from_tag("team"));
        let strategy = (
            1u128..=10u128.pow(26), // up to the whole 100M genesis
            0u64..10_000_000,
            proptest::collection::vec(0u64..(START + DURATION + 1_000 - NOW), 0..16),
        );
        let mut runner = TestRunner::new(Config {
            failure_persistence: None,
            ..Config::default()
        });
        runner
            .run(&strategy, |(allocation, duration, mut offsets)| {
                let allocation = U256::from(allocation);
                let token = Contract::<VvvToken>::new();
                let vesting = Contract::<VvvVesting>::new();
                token
                    .sender(treasury)
                    .constructor(treasury, vec![treasury], vec![GENESIS_SUPPLY])
                    .motsu_unwrap();
                vesting
                    .sender(treasury)
                    .constructor(token.address(), team, START, duration)
                    .motsu_unwrap();
                token
                    .sender(treasury)
                    .transfer(vesting.address(), allocation)
                    .motsu_unwrap();
                offsets.sort_unstable();
                let end = START + duration;
                for t in offsets.into_iter().map(|o| NOW + o).chain([end]) {
                    let vested = schedule::vested_amount(allocation, START, duration, t);
                    let expected = vested - vesting.sender(team).released();
                    match vesting.sender(treasury).release_at(t).motsu_res() {
                        Ok(paid) => prop_assert_eq!(paid, expected),
                        Err(Error::NothingToRelease(_)) => prop_assert_eq!(expected, U256::ZERO),
                        Err(e) => prop_assert!(false, "unexpected {:?}", e),
                    }
                    prop_assert_eq!(balance(&token, team), vested);
                }
                prop_assert_eq!(balance(&token, team), allocation);
                prop_assert_eq!(balance(&token, vesting.address()), U256::ZERO);
                prop_assert_eq!(vesting.sender(team).released(), allocation);
                Ok(())
            })
            .unwrap();
    }

    // ---------------------------------------------------------------- token failures

    /// A token that reports a balance but whose `transfer` returns `false`.
    #[storage]
    struct FalseToken;

    unsafe impl TopLevelStorage for FalseToken {}

    #[public]
    impl FalseToken {
        fn balance_of(&self, _account: Address) -> U256 {
            U256::from(1_000)
        }

        fn transfer(&mut self, _to: Address, _value: U256) -> bool {
            false
        }
    }

    #[motsu::test]
    fn release_reverts_when_transfer_returns_false(
        token: Contract<FalseToken>,
        vesting: Contract<VvvVesting>,
        treasury: Address,
        team: Address,
    ) {
        vesting
            .sender(treasury)
            .constructor(token.address(), team, START, DURATION)
            .motsu_unwrap();
        assert_eq!(
            vesting.sender(team).releasable_at(END).motsu_unwrap(),
            U256::from(1_000)
        );
        let err = vesting.sender(team).release_at(END).motsu_unwrap_err();
        let Error::CallFailed(e) = err else {
            panic!("expected CallFailed, got {err:?}");
        };
        assert_eq!(
            e,
            CallFailed {
                target: token.address(),
                reason: Bytes::new(),
            }
        );
        // The reverted call left `released` untouched.
        assert_eq!(vesting.sender(team).released(), U256::ZERO);
    }

    /// A token that reports a balance but whose `transfer` reverts with its own data.
    #[storage]
    struct RevertingToken;

    unsafe impl TopLevelStorage for RevertingToken {}

    #[public]
    impl RevertingToken {
        fn balance_of(&self, _account: Address) -> U256 {
            U256::from(1_000)
        }

        fn transfer(&mut self, _to: Address, _value: U256) -> Result<bool, Vec<u8>> {
            Err(b"token says no".to_vec())
        }
    }

    /// Issue 9, finding 7: the suite's one failed-call error keeps the callee's revert data
    /// (it used to be dropped).
    #[motsu::test]
    fn release_keeps_the_tokens_revert_data(
        token: Contract<RevertingToken>,
        vesting: Contract<VvvVesting>,
        treasury: Address,
        team: Address,
    ) {
        vesting
            .sender(treasury)
            .constructor(token.address(), team, START, DURATION)
            .motsu_unwrap();
        let err = vesting.sender(team).release_at(END).motsu_unwrap_err();
        let Error::CallFailed(e) = err else {
            panic!("expected CallFailed, got {err:?}");
        };
        assert_eq!(
            e,
            CallFailed {
                target: token.address(),
                reason: Bytes::from_static(b"token says no"),
            }
        );
        assert_eq!(vesting.sender(team).released(), U256::ZERO);
    }

    /// Behaves like an address without code: every call succeeds and returns nothing.
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

    /// A token address without code (motsu cannot call a bare address, so `NoCode` stands in
    /// for one): the empty return data does not decode, and release and views fail cleanly.
    #[motsu::test]
    fn token_without_code_fails_cleanly(
        not_a_token: Contract<NoCode>,
        vesting: Contract<VvvVesting>,
        treasury: Address,
        team: Address,
    ) {
        vesting
            .sender(treasury)
            .constructor(not_a_token.address(), team, START, DURATION)
            .motsu_unwrap();
        let err = vesting.sender(team).release_at(END).motsu_unwrap_err();
        assert!(matches!(
            err,
            Error::CallFailed(CallFailed { target, ref reason }) if target == not_a_token.address() && reason.is_empty()
        ));
        assert!(matches!(
            vesting.sender(team).vested_amount(END).motsu_unwrap_err(),
            Error::CallFailed(_)
        ));
        assert!(matches!(
            vesting.sender(team).releasable().motsu_unwrap_err(),
            Error::CallFailed(_)
        ));
    }
}
