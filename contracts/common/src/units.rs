//! Units of account (SPEC §2).
use alloy_primitives::{uint, U256};

/// 1.0 in 18-decimal fixed point; also one whole token.
pub const WAD: U256 = uint!(1_000_000_000_000_000_000_U256);
/// 100% in basis points.
pub const BPS: u64 = 10_000;
/// One day in seconds.
pub const DAY: u64 = 86_400;
/// One year (365 days) in seconds: the emission rate is per `YEAR`.
pub const YEAR: u64 = 31_536_000;
