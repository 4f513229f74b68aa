//! Every way a vault call fails: the custom errors of its ABI, `Error` and its encoding, and the
//! checked arithmetic that turns an overflow or a broken bookkeeping rule into one of them.
use super::*;

mod sol {
    alloy_sol_types::sol! {
        /// An amount that must be positive is zero.
        #[derive(Debug, PartialEq, Eq)]
        error ZeroAmount();
        /// An account that must be set is the zero address.
        #[derive(Debug, PartialEq, Eq)]
        error ZeroAddress();
        /// A sum overflowed 256 bits (no realistic input reaches this).
        #[derive(Debug, PartialEq, Eq)]
        error ArithmeticOverflow();
        /// The account has only `unlocked` unlocked sVVV; the action needs `needed`.
        #[derive(Debug, PartialEq, Eq)]
        error InsufficientUnlocked(uint256 unlocked, uint256 needed);
        /// The account has only `locked` locked sVVV; the unlock needs `needed`.
        #[derive(Debug, PartialEq, Eq)]
        error InsufficientLocked(uint256 locked, uint256 needed);
        /// The vault holds `balance` VVV, already owes `accounted`, and cannot back `amount`
        /// more of rewards.
        #[derive(Debug, PartialEq, Eq)]
        error UnbackedRewards(uint256 balance, uint256 accounted, uint256 amount);
        /// The account has no rewards to claim or compound.
        #[derive(Debug, PartialEq, Eq)]
        error NoRewards();
        /// The request cannot be withdrawn before `unlockTime`.
        #[derive(Debug, PartialEq, Eq)]
        error CooldownNotElapsed(uint64 unlockTime);
        /// Request `id` belongs to `owner`, not to the caller.
        #[derive(Debug, PartialEq, Eq)]
        error NotRequestOwner(uint256 id, address owner);
        /// Request `id` does not exist or was already cancelled or withdrawn.
        #[derive(Debug, PartialEq, Eq)]
        error RequestNotOpen(uint256 id);
        /// A cooldown of `requested` seconds is above the maximum `max` (30 days).
        #[derive(Debug, PartialEq, Eq)]
        error CooldownOutOfRange(uint64 requested, uint64 max);
        /// Staking waits until the suite is wired (rewards distributor and locker).
        #[derive(Debug, PartialEq, Eq)]
        error NotWired();
        /// A reward period of `requested` seconds is outside [`min`, `max`] (1 hour, 30 days).
        #[derive(Debug, PartialEq, Eq)]
        error RewardsDurationOutOfRange(uint64 requested, uint64 min, uint64 max);
        /// The vault holds no VVV above what it owes.
        #[derive(Debug, PartialEq, Eq)]
        error NothingToSweep();
        /// OpenZeppelin `Pausable`: new stakes are paused.
        #[derive(Debug, PartialEq, Eq)]
        error EnforcedPause();
        /// OpenZeppelin `Pausable`: new stakes are not paused.
        #[derive(Debug, PartialEq, Eq)]
        error ExpectedPause();
        /// The vault's own bookkeeping is inconsistent (a bug; never expected).
        #[derive(Debug, PartialEq, Eq)]
        error BrokenInvariant();
        /// ERC-20 (ERC-6093): transfer to the zero address.
        #[derive(Debug, PartialEq, Eq)]
        error ERC20InvalidReceiver(address receiver);
        /// ERC-20 (ERC-6093): approval of the zero address.
        #[derive(Debug, PartialEq, Eq)]
        error ERC20InvalidSpender(address spender);
        /// ERC-20 (ERC-6093): `spender` may move only `allowance`, not `needed`.
        #[derive(Debug, PartialEq, Eq)]
        error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed);
    }
}
pub use sol::*;

// Every way a vault call can fail (`vvv_encoding::static_errors!`: one shared encoder instead of
// alloy's per error type; `errors_encode_as_their_abi_or_bubble_verbatim` checks every variant
// against alloy's encoding). `VvvReverted` returns the VVV token's own revert data verbatim
// (e.g. its `ERC20InsufficientAllowance`), as Solidity's bubbling does, and is not listed in the
// ABI (it is the VVV token's error, not a `SolError` of ours).
vvv_encoding::static_errors! {
    #[derive(Debug, PartialEq)]
    pub enum Error {
        ZeroAmount(ZeroAmount {}),
        ZeroAddress(ZeroAddress {}),
        ArithmeticOverflow(ArithmeticOverflow {}),
        InsufficientUnlocked(InsufficientUnlocked { unlocked, needed }),
        InsufficientLocked(InsufficientLocked { locked, needed }),
        UnbackedRewards(UnbackedRewards { balance, accounted, amount }),
        NoRewards(NoRewards {}),
        CooldownNotElapsed(CooldownNotElapsed { unlockTime }),
        NotRequestOwner(NotRequestOwner { id, owner }),
        RequestNotOpen(RequestNotOpen { id }),
        CooldownOutOfRange(CooldownOutOfRange { requested, max }),
        // The wiring errors (`vvv-wiring`).
        NotDeployer(NotDeployer { caller }),
        AlreadyWired(AlreadyWired { link, current }),
        InvalidLink(InvalidLink { link }),
        InvalidDeployer(InvalidDeployer {}),
        WiringMismatch(WiringMismatch { counterpart, expected, actual }),
        UnauthorizedCaller(UnauthorizedCaller { link, caller }),
        NotWired(NotWired {}),
        RewardsDurationOutOfRange(RewardsDurationOutOfRange { requested, min, max }),
        NothingToSweep(NothingToSweep {}),
        BrokenInvariant(BrokenInvariant {}),
        InvalidReceiver(ERC20InvalidReceiver { receiver }),
        InvalidSpender(ERC20InvalidSpender { spender }),
        InsufficientAllowance(ERC20InsufficientAllowance { spender, allowance, needed }),
        // These two come from `vvv_access::Error`: `#[access_control]` writes the `From`.
        UnauthorizedAccount(control::AccessControlUnauthorizedAccount { account, neededRole }),
        BadConfirmation(control::AccessControlBadConfirmation {}),
        EnforcedPause(EnforcedPause {}),
        ExpectedPause(ExpectedPause {}),
    }
    passthrough
    /// A call to the VVV token reverted (or returned `false`: empty data); its revert data is
    /// passed on unchanged.
    VvvReverted(call::Error) => call::MethodError::encode;
}

/// `Option` from checked arithmetic (ours or `vvv-common`'s) into `ArithmeticOverflow()`.
pub(crate) fn checked<T>(value: Option<T>) -> Result<T, Error> {
    value.ok_or(Error::ArithmeticOverflow(ArithmeticOverflow {}))
}

/// A bookkeeping value that cannot be missing unless the vault has a bug.
pub(crate) fn consistent<T>(value: Option<T>) -> Result<T, Error> {
    value.ok_or(Error::BrokenInvariant(BrokenInvariant {}))
}

/// `a + b`, or `ArithmeticOverflow()`. Not inlined: one copy of the 256-bit add serves every
/// call site (code size).
#[inline(never)]
pub(crate) fn add(a: U256, b: U256) -> Result<U256, Error> {
    checked(a.checked_add(b))
}

/// `a − b` where the vault's bookkeeping guarantees `a ≥ b`, or `BrokenInvariant()`.
#[inline(never)]
pub(crate) fn sub(a: U256, b: U256) -> Result<U256, Error> {
    consistent(a.checked_sub(b))
}
