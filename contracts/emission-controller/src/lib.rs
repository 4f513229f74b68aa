//! Emission controller (SPEC §3.3).
//!
//! Mints the yearly VVV emission continuously and splits it between the stakers (minted to the
//! staking vault and announced with `notifyRewards`) and the platform treasury, by a
//! piecewise-linear curve of the reported utilization.
//!
//! - The rate (`annualEmission`, VVV-wei per `YEAR`) can only go down: `cutEmission` now, or
//!   `scheduleCut` at a future time. No function raises it.
//! - `distribute()` is permissionless. It integrates the piecewise-constant rate exactly from
//!   the last distribution to now, across every scheduled cut that fell due, with
//!   `vvv_common::emission::accrue`; the division remainder is carried in storage, so however
//!   often it is called the total minted is `⌊∫ rate dt / YEAR⌋` (INV-4).
//! - The split uses `vvv_common::split` at the utilization in force during the period; every
//!   policy change (`reportUtilization`, `setCurve`, `cutEmission`) distributes first, so each
//!   setting applies exactly to the period in which it was in force. `stakers + treasury ==
//!   minted` exactly (INV-5).
//!
//! Wiring (token, vault, treasury) is fixed at construction. Policy uses OpenZeppelin
//! `AccessControl`: `DEFAULT_ADMIN_ROLE` cuts the rate and sets the curve, `REPORTER_ROLE`
//! reports utilization.
//!
//! Time is read once per public call and passed to an internal `*_at(now)` function, which the
//! unit tests call with explicit times.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main, no_std)]
extern crate alloc;

// The trapping panic handler of Wasm builds.
use vvv_support as _;

use alloc::{vec, vec::Vec};

use alloy_primitives::{uint, Address, B256, U16, U256, U64, U8};
use alloy_sol_types::SolEvent;
use stylus_sdk::{
    block, evm, msg,
    prelude::*,
    storage::{StorageAddress, StorageArray, StorageU16, StorageU256, StorageU64, StorageU8},
};
use vvv_access::{self as control, AccessControl};
pub use vvv_common::emission_schedule::MAX_SCHEDULED_CUTS;
use vvv_common::{
    emission,
    emission_schedule::{self as schedule, Accrued, Cut, Schedule, ScheduleError},
    rewards,
    split::{self, CurveError, CurvePoint, MAX_CURVE_POINTS},
    units::BPS,
};
use vvv_encoding::emit_log;
use vvv_interfaces::{call_failed, IStakingVault, IVvvToken};

/// Highest rate the controller can be deployed with: the launch default, 14 000 000 VVV a year.
pub const MAX_ANNUAL_EMISSION: U256 = uint!(14_000_000_000_000_000_000_000_000_U256);

/// `InvalidCurve.reason`: the two arrays differ in length.
pub const CURVE_LENGTH_MISMATCH: u8 = 1;
/// `InvalidCurve.reason`: fewer than 2 or more than 8 points.
pub const CURVE_BAD_LENGTH: u8 = 2;
/// `InvalidCurve.reason`: the first point is not at 0 or the last not at 10 000 bps.
pub const CURVE_BAD_ENDPOINTS: u8 = 3;
/// `InvalidCurve.reason`: a point is not strictly to the right of the one before.
pub const CURVE_NOT_INCREASING: u8 = 4;
/// `InvalidCurve.reason`: a point gives stakers more than 10 000 bps.
pub const CURVE_SHARE_TOO_HIGH: u8 = 5;

/// `keccak256("REPORTER_ROLE")`: may call `reportUtilization`.
pub const REPORTER_ROLE: [u8; 32] = control::role_id(b"REPORTER_ROLE");

mod sol {
    alloy_sol_types::sol! {
        /// Deployment: the wiring (fixed for good), the starting rate and when emission starts.
        #[derive(Debug)]
        event ControllerInitialized(address vvv, address vault, address treasury, uint256 annualEmission, uint64 startTime);
        /// `minted` VVV accrued over `[fromTime, toTime)` were minted: `toStakers` to the vault
        /// (announced as rewards) and `toTreasury` to the treasury, at `stakerShareBps`.
        #[derive(Debug)]
        event Distributed(uint256 minted, uint256 toStakers, uint256 toTreasury, uint64 fromTime, uint64 toTime, uint16 stakerShareBps);
        /// The rate went from `previousRate` to `newRate` at `effectiveTime` (an immediate cut,
        /// or a scheduled cut applied when it fell due).
        #[derive(Debug)]
        event EmissionCut(uint256 previousRate, uint256 newRate, uint64 effectiveTime);
        /// A cut to `newRate` was scheduled for `effectiveTime`.
        #[derive(Debug)]
        event CutScheduled(uint64 effectiveTime, uint256 newRate);
        /// An immediate cut below a pending scheduled cut lowered that cut from `previousRate`
        /// to `newRate`, so that applying it later can never raise the rate.
        #[derive(Debug)]
        event ScheduledCutLowered(uint64 effectiveTime, uint256 previousRate, uint256 newRate);
        /// The reporter set the utilization; stakers now get `stakerShareBps`.
        #[derive(Debug)]
        event UtilizationReported(uint16 utilizationBps, uint16 stakerShareBps);
        /// The split curve is now the points `(utilizations[i], shares[i])`.
        #[derive(Debug)]
        event CurveSet(uint16[] utilizations, uint16[] shares);

        /// The rate may only go down: `requested` is above the rate `current` in force before
        /// it (or above the 14 000 000 VVV/yr launch maximum at deployment).
        #[derive(Debug, PartialEq, Eq)]
        error EmissionIncreaseForbidden(uint256 current, uint256 requested);
        /// A wiring address (token, vault, treasury or admin) is zero.
        #[derive(Debug, PartialEq, Eq)]
        error ZeroAddress();
        /// Emission cannot start before the deployment block.
        #[derive(Debug, PartialEq, Eq)]
        error StartTimeInPast(uint64 startTime, uint64 now);
        /// A scheduled cut must take effect strictly after now.
        #[derive(Debug, PartialEq, Eq)]
        error CutNotInFuture(uint64 timestamp, uint64 now);
        /// Already `max` cuts are pending.
        #[derive(Debug, PartialEq, Eq)]
        error TooManyScheduledCuts(uint256 max);
        /// Utilization is at most 10 000 bps.
        #[derive(Debug, PartialEq, Eq)]
        error UtilizationOutOfRange(uint256 bps);
        /// `setCurve` rejected the curve; `reason` is one of the `CURVE_*` codes:
        /// 1 `LENGTH_MISMATCH` (the arrays differ in length; `index` = `shares.length`),
        /// 2 `BAD_LENGTH` (not 2..=8 points; `index` = number of points),
        /// 3 `BAD_ENDPOINTS` (first utilization not 0 or last not 10 000; `index` = 0),
        /// 4 `NOT_INCREASING` (point `index` not strictly right of the one before),
        /// 5 `SHARE_TOO_HIGH` (point `index` gives stakers more than 10 000 bps).
        #[derive(Debug, PartialEq, Eq)]
        error InvalidCurve(uint8 reason, uint256 index);
        /// A checked operation overflowed (unreachable with any real supply).
        #[derive(Debug, PartialEq, Eq)]
        error ArithmeticOverflow();
    }
}
pub use sol::*;
pub use vvv_interfaces::CallFailed;

/// Every way a controller call can fail, each an ABI-encoded custom error.
#[derive(SolidityError, Debug, PartialEq)]
pub enum Error {
    EmissionIncreaseForbidden(EmissionIncreaseForbidden),
    ZeroAddress(ZeroAddress),
    StartTimeInPast(StartTimeInPast),
    CutNotInFuture(CutNotInFuture),
    TooManyScheduledCuts(TooManyScheduledCuts),
    UtilizationOutOfRange(UtilizationOutOfRange),
    InvalidCurve(InvalidCurve),
    ArithmeticOverflow(ArithmeticOverflow),
    CallFailed(CallFailed),
    // These two come from `vvv_access::Error`: `#[access_control]` writes the `From`.
    UnauthorizedAccount(control::AccessControlUnauthorizedAccount),
    BadConfirmation(control::AccessControlBadConfirmation),
}

fn overflow() -> Error {
    Error::ArithmeticOverflow(ArithmeticOverflow {})
}

fn increase_forbidden(current: U256, requested: U256) -> Error {
    Error::EmissionIncreaseForbidden(EmissionIncreaseForbidden { current, requested })
}

/// Storage of the emission controller.
#[entrypoint]
#[storage]
pub struct EmissionController {
    /// Roles: `DEFAULT_ADMIN_ROLE` (cuts, curve, roles) and `REPORTER_ROLE` (OpenZeppelin).
    access: AccessControl,
    /// The VVV token; this controller is its minter. Fixed at construction.
    token: StorageAddress,
    /// The staking vault that receives and distributes the stakers' part. Fixed at construction.
    vault: StorageAddress,
    /// The platform treasury that receives the rest. Fixed at construction.
    treasury: StorageAddress,
    /// Rate in force at `last_distribution` (VVV-wei per `YEAR`). Pending cuts that fell due
    /// since then are applied by the next distribution; the `annualEmission()` view includes
    /// them.
    annual_emission: StorageU256,
    /// End of the last integrated period (unix seconds); starts at the launch time, which may
    /// lie in the future (nothing accrues before it).
    last_distribution: StorageU64,
    /// Remainder numerator of the last accrual, `< YEAR`: owed to the next one.
    carry: StorageU256,
    /// VVV minted by this controller, ever: `⌊∫ rate dt / YEAR⌋` up to `last_distribution`.
    total_emitted: StorageU256,
    /// Last reported utilization, 0..=10 000 bps.
    utilization_bps: StorageU16,
    /// Number of points of the split curve (2..=8).
    curve_len: StorageU8,
    /// Number of pending scheduled cuts (0..=8).
    cut_count: StorageU8,
    /// The split curve, packed in one word: point `i` in bytes `4i..4i+4` (little-endian), its
    /// utilization (bps, strictly increasing from 0 to 10 000) in the low two bytes and the
    /// stakers' share there (bps, ≤ 10 000) in the high two.
    curve_points: StorageU256,
    /// Pending scheduled cuts, first `cut_count` entries, sorted by time: each word is
    /// `time << 192 | rate`. Rates never exceed the deployment rate (≤ 14M VVV < 2^84) so they
    /// fit below bit 192; they are non-increasing and ≤ `annual_emission`.
    cuts: StorageArray<StorageU256, MAX_SCHEDULED_CUTS>,
}

#[control::access_control]
#[public]
impl EmissionController {
    /// Wires the token, vault and treasury for good, sets the starting rate (at most 14M VVV a
    /// year) and the launch time (`startTime ≥ now`; nothing accrues before it), installs the
    /// default split curve and grants `DEFAULT_ADMIN_ROLE` to `admin`.
    #[constructor]
    pub fn constructor(
        &mut self,
        vvv: Address,
        vault: Address,
        treasury: Address,
        admin: Address,
        annual_emission: U256,
        start_time: u64,
    ) -> Result<(), Error> {
        if vvv.is_zero() || vault.is_zero() || treasury.is_zero() || admin.is_zero() {
            return Err(Error::ZeroAddress(ZeroAddress {}));
        }
        if annual_emission > MAX_ANNUAL_EMISSION {
            return Err(increase_forbidden(MAX_ANNUAL_EMISSION, annual_emission));
        }
        let now = block::timestamp();
        if start_time < now {
            return Err(Error::StartTimeInPast(StartTimeInPast {
                startTime: start_time,
                now,
            }));
        }
        self.token.set(vvv);
        self.vault.set(vault);
        self.treasury.set(treasury);
        self.annual_emission.set(annual_emission);
        self.last_distribution.set(U64::from(start_time));
        let (utilizations, shares): (Vec<u16>, Vec<u16>) = split::DEFAULT_CURVE
            .iter()
            .map(|p| (p.utilization_bps, p.staker_share_bps))
            .unzip();
        self.store_curve(&utilizations, &shares);
        self.access
            ._grant_role(AccessControl::DEFAULT_ADMIN_ROLE.into(), admin);
        emit_log(
            &[ControllerInitialized::SIGNATURE_HASH],
            &[
                U256::from_be_bytes(vvv.into_word().0),
                U256::from_be_bytes(vault.into_word().0),
                U256::from_be_bytes(treasury.into_word().0),
                annual_emission,
                U256::from(start_time),
            ],
        );
        evm::log(CurveSet {
            utilizations,
            shares,
        });
        Ok(())
    }

    /// Mints everything accrued since the last distribution and returns the amount.
    /// Permissionless.
    pub fn distribute(&mut self) -> Result<U256, Error> {
        self.distribute_at(block::timestamp())
    }

    /// Cuts the rate now, for good. Admin only. Distributes first, so the past period is paid
    /// at the old rate. `newRate` must not exceed the rate in force. Pending scheduled cuts
    /// above `newRate` are lowered to it.
    pub fn cut_emission(&mut self, new_rate: U256) -> Result<(), Error> {
        self.cut_emission_at(new_rate, block::timestamp())
    }

    /// Schedules a permanent cut to `newRate` at `timestamp` (> now). Admin only. `newRate`
    /// must not exceed the rate that would be in force at `timestamp`; later pending cuts
    /// above `newRate` are lowered to it (as `cutEmission` does), so the schedule never rises.
    /// At most 8 pending cuts.
    pub fn schedule_cut(&mut self, timestamp: u64, new_rate: U256) -> Result<(), Error> {
        self.schedule_cut_at(timestamp, new_rate, block::timestamp())
    }

    /// Reports platform utilization (bps, ≤ 10 000). Reporter role only. Distributes first, so
    /// the previous utilization's split applies to the period it was in force.
    pub fn report_utilization(&mut self, bps: u16) -> Result<(), Error> {
        self.report_utilization_at(bps, block::timestamp())
    }

    /// Replaces the split curve with the points `(utilizations[i], shares[i])`. Admin only.
    /// Distributes first, so the old curve applies to the past period.
    pub fn set_curve(&mut self, utilizations: Vec<u16>, shares: Vec<u16>) -> Result<(), Error> {
        self.set_curve_at(utilizations, shares, block::timestamp())
    }

    /// What `distribute()` would mint now.
    pub fn pending_emission(&self) -> Result<U256, Error> {
        self.pending_emission_at(block::timestamp())
    }

    /// Stakers' share of new emission at the current utilization (bps).
    pub fn current_staker_share_bps(&self) -> u16 {
        self.current_share()
    }

    /// Stakers' share (bps) at utilization `u` (bps, ≤ 10 000) on the current curve.
    pub fn staker_share_bps(&self, u: u16) -> Result<u16, Error> {
        if u64::from(u) > BPS {
            return Err(Error::UtilizationOutOfRange(UtilizationOutOfRange {
                bps: U256::from(u),
            }));
        }
        let (points, len) = self.load_curve();
        Ok(split::staker_share_bps(points.get(..len).unwrap_or(&[]), u))
    }

    /// Yearly yield of one unlocked sVVV, bps: `E × share / (U + 0.8 L)` with the rate in
    /// force, the current share and the vault's unlocked `U` and locked `L` sVVV (rounded
    /// down; 0 when nothing is staked).
    pub fn unlocked_apr_bps(&self) -> Result<U256, Error> {
        self.apr_bps_at(rewards::UNLOCKED_WEIGHT_BPS, block::timestamp())
    }

    /// Yearly yield of one locked sVVV (behind DIEM), bps: 80% of the unlocked one's, rounded
    /// down.
    pub fn locked_apr_bps(&self) -> Result<U256, Error> {
        self.apr_bps_at(rewards::LOCKED_WEIGHT_BPS, block::timestamp())
    }

    /// VVV minted by this controller, ever.
    pub fn total_emitted(&self) -> U256 {
        self.total_emitted.get()
    }

    /// Rate in force now (VVV-wei per year), counting scheduled cuts that fell due.
    pub fn annual_emission(&self) -> U256 {
        self.annual_emission_at(block::timestamp())
    }

    /// End of the last distributed period (the launch time before the first distribution).
    pub fn last_distribution(&self) -> u64 {
        self.last_distribution.get().to::<u64>()
    }

    /// Remainder numerator carried to the next distribution (< 31 536 000).
    pub fn carry(&self) -> U256 {
        self.carry.get()
    }

    /// Last reported utilization (bps).
    pub fn utilization_bps(&self) -> u16 {
        self.utilization_bps.get().to::<u16>()
    }

    /// Utilizations of the split curve's points, bps (their shares: `curveShares()`).
    ///
    /// Two single-array views instead of one `(uint16[], uint16[])`: stylus-sdk 0.9 encodes a
    /// returned tuple that holds arrays as one dynamic value (with a leading offset), which is
    /// not the encoding of two return values that the exported ABI declares; a lone array is
    /// encoded right.
    pub fn curve_utilizations(&self) -> Vec<u16> {
        self.curve().0
    }

    /// Stakers' shares of the split curve's points, bps, in the order of `curveUtilizations()`.
    pub fn curve_shares(&self) -> Vec<u16> {
        self.curve().1
    }

    /// Effective times of the pending scheduled cuts, ascending (their rates:
    /// `scheduledCutRates()`). Cuts whose time has passed are applied by the next distribution
    /// (`annualEmission()` already counts them). Two views for the reason given at
    /// `curveUtilizations()`.
    pub fn scheduled_cut_times(&self) -> Vec<u64> {
        self.scheduled_cuts().0
    }

    /// Rates of the pending scheduled cuts, in the order of `scheduledCutTimes()`.
    pub fn scheduled_cut_rates(&self) -> Vec<U256> {
        self.scheduled_cuts().1
    }

    /// The VVV token (wiring).
    pub fn token(&self) -> Address {
        self.token.get()
    }

    /// The staking vault (wiring).
    pub fn vault(&self) -> Address {
        self.vault.get()
    }

    /// The treasury (wiring).
    pub fn treasury(&self) -> Address {
        self.treasury.get()
    }

    /// `keccak256("REPORTER_ROLE")`.
    #[selector(name = "REPORTER_ROLE")]
    pub fn reporter_role(&self) -> B256 {
        REPORTER_ROLE.into()
    }
}

impl EmissionController {
    /// The split curve: utilizations and stakers' shares of its points (bps).
    pub(crate) fn curve(&self) -> (Vec<u16>, Vec<u16>) {
        let (points, len) = self.load_curve();
        points
            .iter()
            .take(len)
            .map(|p| (p.utilization_bps, p.staker_share_bps))
            .unzip()
    }

    /// Pending scheduled cuts, sorted by time: effective times and rates.
    pub(crate) fn scheduled_cuts(&self) -> (Vec<u64>, Vec<U256>) {
        let schedule = self.load_schedule();
        schedule.pending().iter().map(|c| (c.time, c.rate)).unzip()
    }

    /// Fails unless the caller holds `role`.
    fn only(&self, role: [u8; 32]) -> Result<(), Error> {
        Ok(self.access._check_role(role.into(), msg::sender())?)
    }

    /// `distribute()` at an explicit time.
    pub(crate) fn distribute_at(&mut self, now: u64) -> Result<U256, Error> {
        let from = self.last_distribution();
        let accrued = self.accrue_until(now, true)?;
        if accrued.due > 0 {
            self.drop_due_cuts(accrued.due);
            self.annual_emission.set(accrued.rate);
        }
        if accrued.to_time <= from {
            // Nothing elapsed (same second, or before launch): no state besides due cuts
            // changed, nothing to mint.
            return Ok(U256::ZERO);
        }
        let total_emitted = self
            .total_emitted
            .get()
            .checked_add(accrued.minted)
            .ok_or_else(overflow)?;
        // Effects before the calls (the token and vault are fixed, trusted wiring).
        self.total_emitted.set(total_emitted);
        self.carry.set(accrued.carry);
        self.last_distribution.set(U64::from(accrued.to_time));
        let share = self.current_share();
        // Stakers' part rounded down; the treasury takes the rest: the sum is exact (INV-5).
        let (to_stakers, to_treasury) = split::split_emission(accrued.minted, share);
        let vault = self.vault.get();
        self.mint(vault, to_stakers)?;
        if !to_stakers.is_zero() {
            // The vault requires the VVV to be there already: minted just above.
            IStakingVault::new(vault)
                .notify_rewards(&mut *self, to_stakers)
                .map_err(|e| call_failed(vault, e))?;
        }
        let treasury = self.treasury.get();
        self.mint(treasury, to_treasury)?;
        emit_log(
            &[Distributed::SIGNATURE_HASH],
            &[
                accrued.minted,
                to_stakers,
                to_treasury,
                U256::from(from),
                U256::from(accrued.to_time),
                U256::from(share),
            ],
        );
        Ok(accrued.minted)
    }

    /// Mints `amount` VVV to `to` (nothing when zero).
    fn mint(&mut self, to: Address, amount: U256) -> Result<(), Error> {
        if amount.is_zero() {
            return Ok(());
        }
        let token = self.token.get();
        IVvvToken::new(token)
            .mint(&mut *self, to, amount)
            .map_err(|e| call_failed(token, e).into())
    }

    /// Integrates the rate from the last distribution to `now` across every pending cut due by
    /// then (`vvv_common::emission_schedule::accrue_until`). Logs `EmissionCut` for each due cut
    /// when `log_cuts`.
    fn accrue_until(&self, now: u64, log_cuts: bool) -> Result<Accrued, Error> {
        let log = |previous_rate: U256, cut: &Cut| {
            if log_cuts {
                emit_log(
                    &[EmissionCut::SIGNATURE_HASH],
                    &[previous_rate, cut.rate, U256::from(cut.time)],
                );
            }
        };
        let from = self.last_distribution();
        let (rate, carry) = (self.annual_emission.get(), self.carry.get());
        schedule::accrue_until(&self.load_schedule(), from, rate, carry, now, log)
            .ok_or_else(overflow)
    }

    /// `cutEmission` at an explicit time.
    pub(crate) fn cut_emission_at(&mut self, new_rate: U256, now: u64) -> Result<(), Error> {
        self.only(AccessControl::DEFAULT_ADMIN_ROLE)?;
        self.distribute_at(now)?;
        let current = self.annual_emission.get();
        if new_rate > current {
            return Err(increase_forbidden(current, new_rate));
        }
        self.annual_emission.set(new_rate);
        // Keep every pending cut ≤ the rate before it: lower those above the new rate.
        let mut schedule = self.load_schedule();
        if Self::lower_cuts_above(&mut schedule, 0, new_rate) {
            self.store_schedule(&schedule);
        }
        emit_log(
            &[EmissionCut::SIGNATURE_HASH],
            &[current, new_rate, U256::from(now)],
        );
        Ok(())
    }

    /// `scheduleCut` at an explicit time.
    pub(crate) fn schedule_cut_at(
        &mut self,
        timestamp: u64,
        new_rate: U256,
        now: u64,
    ) -> Result<(), Error> {
        self.only(AccessControl::DEFAULT_ADMIN_ROLE)?;
        if timestamp <= now {
            return Err(Error::CutNotInFuture(CutNotInFuture { timestamp, now }));
        }
        // Applies (and removes) every cut already due, so only future cuts count toward the cap.
        self.distribute_at(now)?;
        let mut schedule = self.load_schedule();
        let index = schedule
            .insert(timestamp, new_rate, self.annual_emission.get())
            .map_err(|e| match e {
                ScheduleError::Full => Error::TooManyScheduledCuts(TooManyScheduledCuts {
                    max: U256::from(MAX_SCHEDULED_CUTS),
                }),
                ScheduleError::Increase { before } => increase_forbidden(before, new_rate),
            })?;
        // A later cut above the new rate would raise the rate back up: lower it.
        Self::lower_cuts_above(&mut schedule, index + 1, new_rate);
        self.store_schedule(&schedule);
        emit_log(
            &[CutScheduled::SIGNATURE_HASH],
            &[U256::from(timestamp), new_rate],
        );
        Ok(())
    }

    /// `reportUtilization` at an explicit time.
    pub(crate) fn report_utilization_at(&mut self, bps: u16, now: u64) -> Result<(), Error> {
        self.only(REPORTER_ROLE)?;
        if u64::from(bps) > BPS {
            return Err(Error::UtilizationOutOfRange(UtilizationOutOfRange {
                bps: U256::from(bps),
            }));
        }
        self.distribute_at(now)?;
        self.utilization_bps.set(U16::from(bps));
        emit_log(
            &[UtilizationReported::SIGNATURE_HASH],
            &[U256::from(bps), U256::from(self.current_share())],
        );
        Ok(())
    }

    /// `setCurve` at an explicit time.
    pub(crate) fn set_curve_at(
        &mut self,
        utilizations: Vec<u16>,
        shares: Vec<u16>,
        now: u64,
    ) -> Result<(), Error> {
        self.only(AccessControl::DEFAULT_ADMIN_ROLE)?;
        let invalid = |reason: u8, index: usize| {
            Error::InvalidCurve(InvalidCurve {
                reason,
                index: U256::from(index),
            })
        };
        if utilizations.len() != shares.len() {
            return Err(invalid(CURVE_LENGTH_MISMATCH, shares.len()));
        }
        let points: Vec<CurvePoint> = utilizations
            .iter()
            .zip(shares.iter())
            .map(|(&utilization_bps, &staker_share_bps)| CurvePoint {
                utilization_bps,
                staker_share_bps,
            })
            .collect();
        split::validate_curve(&points).map_err(|reason| match reason {
            CurveError::BadLength => invalid(CURVE_BAD_LENGTH, points.len()),
            CurveError::BadEndpoints => invalid(CURVE_BAD_ENDPOINTS, 0),
            CurveError::NotIncreasing { index } => invalid(CURVE_NOT_INCREASING, index),
            CurveError::ShareTooHigh { index } => invalid(CURVE_SHARE_TOO_HIGH, index),
        })?;
        self.distribute_at(now)?;
        self.store_curve(&utilizations, &shares);
        evm::log(CurveSet {
            utilizations,
            shares,
        });
        Ok(())
    }

    /// `pendingEmission()` at an explicit time.
    pub(crate) fn pending_emission_at(&self, now: u64) -> Result<U256, Error> {
        Ok(self.accrue_until(now, false)?.minted)
    }

    /// `annualEmission()` at an explicit time: the stored rate lowered by every due cut.
    pub(crate) fn annual_emission_at(&self, now: u64) -> U256 {
        let rate = self.annual_emission.get();
        self.load_schedule().rate_at(rate, now)
    }

    /// `unlockedAprBps()` (`weight_bps` 10 000) or `lockedAprBps()` (8 000) at an explicit
    /// time.
    pub(crate) fn apr_bps_at(&self, weight_bps: u64, now: u64) -> Result<U256, Error> {
        let vault = self.vault.get();
        let total_weight = IStakingVault::new(vault)
            .total_weight(self)
            .map_err(|e| call_failed(vault, e))?;
        // Rounded down (vvv-common): a displayed yield never overstates.
        Ok(emission::apr_bps(
            self.annual_emission_at(now),
            self.current_share(),
            weight_bps,
            total_weight,
        ))
    }

    /// Stakers' share at the stored utilization on the stored curve.
    fn current_share(&self) -> u16 {
        let (points, len) = self.load_curve();
        split::staker_share_bps(
            points.get(..len).unwrap_or(&[]),
            self.utilization_bps.get().to::<u16>(),
        )
    }

    /// The stored curve (at most 8 points).
    fn load_curve(&self) -> ([CurvePoint; MAX_CURVE_POINTS], usize) {
        let len = usize::from(self.curve_len.get().to::<u8>()).min(MAX_CURVE_POINTS);
        let word = self.curve_points.get().to_le_bytes::<32>();
        let mut points = [CurvePoint {
            utilization_bps: 0,
            staker_share_bps: 0,
        }; MAX_CURVE_POINTS];
        for (point, bytes) in points.iter_mut().zip(word.chunks_exact(4)) {
            point.utilization_bps = u16::from_le_bytes([bytes[0], bytes[1]]);
            point.staker_share_bps = u16::from_le_bytes([bytes[2], bytes[3]]);
        }
        (points, len)
    }

    /// Overwrites the stored curve with a validated one (2..=8 points).
    fn store_curve(&mut self, utilizations: &[u16], shares: &[u16]) {
        let mut word = [0u8; 32];
        let mut len = 0u8;
        for ((bytes, u), s) in word.chunks_exact_mut(4).zip(utilizations).zip(shares) {
            bytes[..2].copy_from_slice(&u.to_le_bytes());
            bytes[2..].copy_from_slice(&s.to_le_bytes());
            len += 1;
        }
        self.curve_points.set(U256::from_le_bytes(word));
        self.curve_len.set(U8::from(len));
    }

    /// The pending cuts (at most 8).
    fn load_schedule(&self) -> Schedule {
        let len = usize::from(self.cut_count.get().to::<u8>());
        Schedule::unpack(len, |i| self.cuts.get(i).unwrap_or_default())
    }

    /// Overwrites the stored cuts (the slots past the count are left as they are: unread).
    fn store_schedule(&mut self, schedule: &Schedule) {
        let pending = schedule.pending();
        for (i, cut) in pending.iter().enumerate() {
            if let Some(mut slot) = self.cuts.setter(i) {
                slot.set(cut.pack());
            }
        }
        self.cut_count.set(U8::from(pending.len() as u8));
    }

    /// Lowers to `rate` every pending cut from position `from` on whose rate is above it,
    /// logging `ScheduledCutLowered` for each. Returns whether any was lowered.
    fn lower_cuts_above(schedule: &mut Schedule, from: usize, rate: U256) -> bool {
        schedule.lower_above(from, rate, |cut| {
            emit_log(
                &[ScheduledCutLowered::SIGNATURE_HASH],
                &[U256::from(cut.time), cut.rate, rate],
            )
        })
    }

    /// Removes the first `due` cuts (they have been applied).
    fn drop_due_cuts(&mut self, due: usize) {
        let mut schedule = self.load_schedule();
        schedule.drop_due(due);
        self.store_schedule(&schedule);
    }
}

#[cfg(test)]
mod tests;
