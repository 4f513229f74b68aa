//! The ABI encoders of the programs that encode by hand, for code size: custom errors whose
//! fields are all static words ([`static_errors!`], [`encode_words`], [`Word`]; the vault's hand
//! router also returns its values with them; users: the vault and the two tokens) and logs
//! ([`emit_log`], [`emit_topics`]; users: every program, `vvv-wiring` and `vvv-access` — all
//! the suite's events but the emission controller's `CurveSet`, whose arrays are dynamic and
//! keep alloy's encoder). Each user's tests check its encodings against alloy's (`sol!` types).
#![no_std]
extern crate alloc;

use alloc::vec::Vec;
use alloy_primitives::{Address, B256, U256};
#[doc(hidden)]
pub use alloy_sol_types::SolError;

/// Emits a log: `topics` (an event's signature hash, then its indexed fields; at most 4) and
/// `data` (its other fields, one static word each: an address as `U256::from_be_bytes(
/// address.into_word().0)`). One encoder into one buffer, instead of `evm::log`'s alloy encoder
/// monomorphised per event type (moving the suite's events here from `evm::log`: −1,886 B
/// compressed over seven programs, measured) or `evm::raw_log`'s second copy; a stack buffer measured
/// larger. The callers' tests check each emission against its `sol!` event.
pub fn emit_log(topics: &[B256], data: &[U256]) {
    let mut bytes = Vec::with_capacity(32 * (topics.len() + data.len()));
    for topic in topics {
        bytes.extend_from_slice(topic.as_slice());
    }
    for word in data {
        bytes.extend_from_slice(&word.to_be_bytes::<32>());
    }
    // SAFETY: the pointer and length are those of `bytes`, live for the call; the host reads
    // them and keeps nothing.
    unsafe { stylus_sdk::hostio::emit_log(bytes.as_ptr(), bytes.len(), topics.len()) }
}

/// Emits a log of indexed fields only (`topics`: the signature hash, then the fields; `N` ≤ 4),
/// straight from the caller's array: `B256` is `repr(transparent)` over `[u8; 32]`, so the
/// array is the log's bytes already (no copy; in the tokens ~0.2 KB smaller than
/// [`emit_log`]'s buffer, measured).
#[inline]
pub fn emit_topics<const N: usize>(topics: &[B256; N]) {
    // SAFETY: `topics` is `32 * N` contiguous bytes, live for the call; the host reads them and
    // keeps nothing.
    unsafe { stylus_sdk::hostio::emit_log(topics.as_ptr().cast(), 32 * N, N) }
}

/// A value that ABI-encodes as one 32-byte word.
pub trait Word {
    fn word(&self) -> B256;
}
impl Word for U256 {
    #[inline]
    fn word(&self) -> B256 {
        (*self).into()
    }
}
impl Word for Address {
    #[inline]
    fn word(&self) -> B256 {
        self.into_word()
    }
}
impl Word for u64 {
    #[inline]
    fn word(&self) -> B256 {
        U256::from(*self).into()
    }
}
impl Word for B256 {
    #[inline]
    fn word(&self) -> B256 {
        *self
    }
}
impl Word for bool {
    #[inline]
    fn word(&self) -> B256 {
        U256::from(*self as u8).into()
    }
}

/// `prefix ‖ words`: revert data of a custom error whose fields are all static (the prefix is
/// its selector), or return data of static values (no prefix).
#[inline]
pub fn encode_words(prefix: &[u8], words: &[B256]) -> Vec<u8> {
    let mut data = Vec::with_capacity(prefix.len() + 32 * words.len());
    data.extend_from_slice(prefix);
    for word in words {
        data.extend_from_slice(word.as_slice());
    }
    data
}

/// Declares a contract's `Error`, every way its calls fail, as `#[derive(SolidityError)]` does
/// (the enum, `From` each custom error, its revert data, its list in the exported ABI), for
/// custom errors whose fields are all static ABI words — every error of the suite but
/// `CallFailed`. Each such variant names its fields, and one shared encoder ([`encode_words`])
/// writes selector and fields, instead of alloy's encoder monomorphised per error type (code
/// size: vault and tokens; each one's tests check every variant against alloy's encoding). An
/// optional `passthrough` variant returns its data as given (the vault's `VvvReverted`: the VVV
/// token's own revert data) and is not listed in the ABI. The contracts with `CallFailed` keep
/// `#[derive(SolidityError)]`: there the shared encoder measured no smaller compressed
/// (brotli folds alloy's per-type copies well; +147 B over five contracts).
///
/// ```
/// extern crate alloc;
/// use alloy_primitives::U256;
/// use alloy_sol_types::SolError;
///
/// alloy_sol_types::sol! {
///     #[derive(Debug)]
///     error ZeroAmount();
///     #[derive(Debug)]
///     error BelowMinimum(uint256 amount, uint256 minimum);
/// }
///
/// vvv_encoding::static_errors! {
///     #[derive(Debug)]
///     pub enum Error {
///         ZeroAmount(ZeroAmount {}),
///         BelowMinimum(BelowMinimum { amount, minimum }),
///     }
/// }
///
/// let error = BelowMinimum { amount: U256::from(1), minimum: U256::from(2) };
/// let expected = error.abi_encode();
/// assert_eq!(Vec::<u8>::from(Error::from(error)), expected);
/// assert_eq!(Vec::<u8>::from(Error::from(ZeroAmount {})), ZeroAmount::SELECTOR);
/// ```
#[macro_export]
macro_rules! static_errors {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $($variant:ident($ty:ty { $($field:ident),* }),)*
        }
        $(passthrough $(#[$raw_meta:meta])* $raw:ident($raw_ty:ty) => $raw_encode:path;)?
    ) => {
        $(#[$meta])*
        pub enum $name {
            $($variant($ty),)*
            $($(#[$raw_meta])* $raw($raw_ty),)?
        }

        $(impl From<$ty> for $name {
            fn from(value: $ty) -> Self {
                Self::$variant(value)
            }
        })*

        impl From<$name> for ::alloc::vec::Vec<u8> {
            fn from(err: $name) -> Self {
                match err {
                    $($name::$variant(_e) => $crate::encode_words(
                        &<$ty as $crate::SolError>::SELECTOR,
                        &[$($crate::Word::word(&_e.$field)),*],
                    ),)*
                    $($name::$raw(e) => $raw_encode(e),)?
                }
            }
        }

        #[cfg(feature = "export-abi")]
        impl stylus_sdk::abi::export::internal::InnerTypes for $name {
            fn inner_types() -> ::alloc::vec::Vec<stylus_sdk::abi::export::internal::InnerType> {
                ::alloc::vec![$(stylus_sdk::abi::export::internal::InnerType {
                    name: ::alloc::format!(
                        "error {};",
                        <$ty as $crate::SolError>::SIGNATURE.replace(',', ", ")
                    ),
                    id: ::core::any::TypeId::of::<$ty>(),
                },)*]
            }
        }
    };
}
