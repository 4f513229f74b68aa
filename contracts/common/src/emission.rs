//! Continuous emission with a carried remainder (SPEC §3.3, INV-4).
//!
//! The rate is VVV-wei per `YEAR`. Over `elapsed` seconds the exact amount is
//! `rate × elapsed / YEAR`; the integer part is minted and the remainder (a numerator below
//! `YEAR`) is carried into the next accrual. Because nothing is ever dropped, the total minted
//! after any sequence of accruals is `⌊∫ rate dt / YEAR⌋`, however the time is split.
use alloy_primitives::U256;

use crate::units::YEAR;

/// What one accrual mints and the remainder it carries forward.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Accrual {
    /// Whole wei to mint now: `⌊(rate × elapsed + carry) / YEAR⌋` (rounded down).
    pub minted: U256,
    /// Remainder of that division, `< YEAR`, owed to the next accrual.
    pub carry: U256,
}

/// Accrues `elapsed` seconds at `rate_per_year` on top of the carried remainder `carry`.
///
/// Rounding: down; the fraction is kept in `carry`, never lost. `None` only on overflow,
/// which needs `rate × elapsed ≥ 2^256` (unreachable for any real supply).
pub fn accrue(rate_per_year: U256, elapsed: u64, carry: U256) -> Option<Accrual> {
    let numerator = rate_per_year
        .checked_mul(U256::from(elapsed))?
        .checked_add(carry)?;
    let (minted, carry) = numerator.div_rem(U256::from(YEAR));
    Some(Accrual { minted, carry })
}

/// Stakers' yearly yield in bps: `annual × share_bps / total_staked`
/// (`annual × share / 10 000` VVV a year to stakers, over the stake, times 10 000).
///
/// Rounding: down (a displayed yield never overstates). 0 when nothing is staked.
pub fn staking_apr_bps(annual_emission: U256, staker_share_bps: u16, total_staked: U256) -> U256 {
    if total_staked.is_zero() {
        return U256::ZERO;
    }
    crate::mul_div::mul_div_down(annual_emission, U256::from(staker_share_bps), total_staked)
        .unwrap_or(U256::MAX)
}
