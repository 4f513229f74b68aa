//! Pure math shared by every VVV contract (SPEC §2).
//!
//! Everything here is a pure function of its inputs: time is a parameter, never read.
//! Arithmetic is checked; a function that can overflow returns `Option` and the calling
//! contract turns `None` into its `ArithmeticOverflow()` custom error. Every rounding favours
//! the protocol and is stated in the function's doc comment.
#![cfg_attr(not(test), no_std)]

pub mod airdrop;
pub mod cooldown;
pub mod diem;
pub mod emission;
pub mod emission_schedule;
pub mod ln;
pub mod mul_div;
pub mod rewards;
pub mod split;
#[cfg(test)]
mod test_support;
pub mod units;
pub mod vesting;

pub use alloy_primitives::U256;
