//! Helpers shared by the contracts' unit tests: [`assert_revert!`], [`assert_encodes_as_abi!`].
//!
//! Why a crate of its own: every contract crate's tests need the macro, so it must live in a
//! crate they can all name, and it must never reach a contract's Wasm. A crate that only ever
//! appears under `[dev-dependencies]` guarantees the latter by construction (`vvv build`, i.e.
//! `cargo run -p vvv-scripts -- build`, compiles a contract with its normal dependencies only,
//! and this crate builds no `cdylib`, so `vvv build` does not take it for a contract either).
//! The alternative, a `#[macro_export]` macro in `vvv-common` behind a cargo feature, would give
//! the pure-math crate a `motsu` dependency (optional, but in its manifest) and rely on every
//! contract enabling that feature from `[dev-dependencies]` only; a feature turned on by mistake
//! in `[dependencies]` would go unnoticed, while this crate in `[dependencies]` would stand out.
//!
//! The `panic!`s in [`assert_revert!`] are the test assertion itself (a failed test), never a
//! contract path: for the reason above, no contract's Wasm contains this code.

// What the macro's expansion names through `$crate`, so a test needs no `use` for it.
#[doc(hidden)]
pub use alloy_sol_types::SolError as __SolError;
#[doc(hidden)]
pub use motsu::prelude::ResultExt as __ResultExt;

/// Asserts that each `Error::Variant(value)` becomes the revert data alloy encodes for `value`
/// (`SolError::abi_encode`): the check of `vvv_encoding::static_errors!`'s shared encoder.
/// Give each field a distinct value, so that a dropped or swapped word shows, e.g.
/// `assert_encodes_as_abi!(Error { ZeroAmount(ZeroAmount {}), Low(Low { amount: x, min: y }) })`.
#[macro_export]
macro_rules! assert_encodes_as_abi {
    ($error:ident { $($variant:ident($value:expr)),* $(,)? }) => {$(
        let value = $value;
        let expected = $crate::__SolError::abi_encode(&value);
        let encoded: ::alloc::vec::Vec<u8> = $error::$variant(value).into();
        ::core::assert_eq!(encoded, expected, "{} is not encoded as its ABI", ::core::stringify!($variant));
    )*};
}

/// Asserts that a contract call reverts with the expected error, and rolls the call back as
/// `motsu_unwrap_err()` does (motsu restores the contracts' storage on `Err`).
///
/// - `assert_revert!(call, expected)` asserts `err == expected` (the crate's `Error` is
///   `PartialEq`), e.g. `assert_revert!(c.sender(a).f(x), Error::Paused(Paused {}))`.
/// - `assert_revert!(call, matches PATTERN)` or `assert_revert!(call, matches PATTERN if GUARD)`
///   asserts the error matches the pattern: for the tokens' `Error`s, which hold OpenZeppelin's
///   errors and so are not `PartialEq`, and for checks of some fields only.
///
/// On failure the panic message shows the call and what it returned instead: the `Ok` value or
/// the other error. (Test-only: the panics fail the test; see the crate doc.)
#[macro_export]
macro_rules! assert_revert {
    ($call:expr, matches $pattern:pat $(if $guard:expr)? $(,)?) => {
        match $crate::__ResultExt::motsu_res($call) {
            ::core::result::Result::Err($pattern) $(if $guard)? => {}
            // A failed test, not a contract path: this crate is a dev-dependency only (crate doc).
            ::core::result::Result::Err(other) => ::core::panic!(
                "`{}` reverted with {:?}, expected an error matching `{}`",
                ::core::stringify!($call),
                other,
                ::core::stringify!($pattern $(if $guard)?),
            ),
            // A failed test, not a contract path: this crate is a dev-dependency only (crate doc).
            ::core::result::Result::Ok(value) => ::core::panic!(
                "`{}` returned Ok({:?}), expected an error matching `{}`",
                ::core::stringify!($call),
                value,
                ::core::stringify!($pattern $(if $guard)?),
            ),
        }
    };
    ($call:expr, $expected:expr $(,)?) => {
        match $crate::__ResultExt::motsu_res($call) {
            ::core::result::Result::Err(err) => ::core::assert_eq!(
                err,
                $expected,
                "`{}` reverted with another error",
                ::core::stringify!($call),
            ),
            // A failed test, not a contract path: this crate is a dev-dependency only (crate doc).
            ::core::result::Result::Ok(value) => ::core::panic!(
                "`{}` returned Ok({:?}), expected it to revert with {:?}",
                ::core::stringify!($call),
                value,
                $expected,
            ),
        }
    };
}

#[cfg(test)]
mod tests {
    extern crate alloc;

    use alloc::vec::Vec;

    use alloy_primitives::{Address, U64};
    use motsu::prelude::*;
    use stylus_sdk::{prelude::*, storage::StorageU64};

    /// Why `Probe::set` failed.
    #[derive(Debug, PartialEq)]
    enum Error {
        Zero,
        TooLarge { value: u64, max: u64 },
    }

    impl From<Error> for Vec<u8> {
        fn from(err: Error) -> Vec<u8> {
            match err {
                Error::Zero => b"zero".to_vec(),
                Error::TooLarge { .. } => b"too large".to_vec(),
            }
        }
    }

    /// A contract whose one call can fail, so the macro sees a real motsu call (whose `Err`
    /// rolls the storage back, as `motsu_unwrap_err()` does).
    #[entrypoint]
    #[storage]
    struct Probe {
        value: StorageU64,
    }

    #[public]
    impl Probe {
        /// Stores `value` and returns it; reverts (after storing it) on zero or above 100.
        fn set(&mut self, value: u64) -> Result<u64, Error> {
            self.value.set(U64::from(value));
            match value {
                0 => Err(Error::Zero),
                101.. => Err(Error::TooLarge { value, max: 100 }),
                _ => Ok(value),
            }
        }

        fn value(&self) -> u64 {
            self.value.get().to()
        }
    }

    #[motsu::test]
    fn passes_on_the_expected_error_and_rolls_the_call_back(probe: Contract<Probe>, a: Address) {
        probe.sender(a).set(7).motsu_unwrap();
        assert_revert!(probe.sender(a).set(0), Error::Zero);
        assert_revert!(
            probe.sender(a).set(101),
            Error::TooLarge {
                value: 101,
                max: 100
            }
        );
        assert_revert!(probe.sender(a).set(101), matches Error::TooLarge { max: 100, .. });
        assert_revert!(
            probe.sender(a).set(102),
            matches Error::TooLarge { value, max } if value == max + 2,
        );
        assert_eq!(probe.sender(a).value(), 7);
    }

    #[motsu::test]
    #[should_panic(expected = "`probe.sender(a).set(0)` reverted with another error")]
    fn fails_on_another_variant(probe: Contract<Probe>, a: Address) {
        assert_revert!(
            probe.sender(a).set(0),
            Error::TooLarge { value: 0, max: 100 }
        );
    }

    #[motsu::test]
    #[should_panic(
        expected = "reverted with another error\n  left: TooLarge { value: 101, \
                    max: 100 }\n right: TooLarge { value: 101, max: 99 }"
    )]
    fn fails_on_another_field(probe: Contract<Probe>, a: Address) {
        assert_revert!(
            probe.sender(a).set(101),
            Error::TooLarge {
                value: 101,
                max: 99
            }
        );
    }

    #[motsu::test]
    #[should_panic(
        expected = "`probe.sender(a).set(7)` returned Ok(7), expected it to revert \
                    with Zero"
    )]
    fn fails_on_ok(probe: Contract<Probe>, a: Address) {
        assert_revert!(probe.sender(a).set(7), Error::Zero);
    }

    #[motsu::test]
    #[should_panic(
        expected = "`probe.sender(a).set(0)` reverted with Zero, expected an error \
                    matching `Error::TooLarge { .. }`"
    )]
    fn pattern_fails_on_another_variant(probe: Contract<Probe>, a: Address) {
        assert_revert!(probe.sender(a).set(0), matches Error::TooLarge { .. });
    }

    #[motsu::test]
    #[should_panic(
        expected = "reverted with TooLarge { value: 101, max: 100 }, expected an \
                    error matching `Error::TooLarge { value, .. } if value > 101`"
    )]
    fn pattern_fails_on_a_false_guard(probe: Contract<Probe>, a: Address) {
        assert_revert!(probe.sender(a).set(101), matches Error::TooLarge { value, .. } if value > 101);
    }

    #[motsu::test]
    #[should_panic(
        expected = "`probe.sender(a).set(7)` returned Ok(7), expected an error \
                    matching `Error::Zero`"
    )]
    fn pattern_fails_on_ok(probe: Contract<Probe>, a: Address) {
        assert_revert!(probe.sender(a).set(7), matches Error::Zero);
    }
}
