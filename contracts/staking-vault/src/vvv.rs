//! The vault's calls to the VVV token, and its events.
//!
//! Calls are encoded by hand (selector and static words) with one shared encoder and decoder,
//! and events with one shared log encoder, instead of `vvv-interfaces`' generated call types and
//! alloy's encoders monomorphised per call and per event. The reason is code size; the swap was
//! not measured for these four calls, the nearest measurement is the ABI dispatcher's
//! (`router.rs`: one shared decoder instead of 59 saved 2.3 KB compressed). The `sol!` events
//! below define the ABI and the tests check every emission against them; the unit tests make
//! every call against the real VVV token.
use super::*;

mod sol {
    alloy_sol_types::sol! {
        /// ERC-20: `value` sVVV moved from `from` to `to` (zero `from`: minted by a stake, a
        /// compound or a cancelled request; zero `to`: burned by an unstake request).
        #[derive(Debug, PartialEq, Eq)]
        event Transfer(address indexed from, address indexed to, uint256 value);
        /// ERC-20: `owner` allowed `spender` to move `value` of its unlocked sVVV.
        #[derive(Debug, PartialEq, Eq)]
        event Approval(address indexed owner, address indexed spender, uint256 value);
        /// `payer` paid `amount` VVV and `beneficiary` received `amount` unlocked sVVV.
        #[derive(Debug, PartialEq, Eq)]
        event Staked(address indexed payer, address indexed beneficiary, uint256 amount);
        /// The distributor announced `amount` VVV of rewards. With what was left of the
        /// stream and the kept rewards, `streamed` VVV are now released linearly into the
        /// accumulator until `periodEnd`.
        #[derive(Debug, PartialEq, Eq)]
        event RewardsNotified(uint256 amount, uint256 streamed, uint64 periodEnd);
        /// `account` was paid `amount` VVV of rewards.
        #[derive(Debug, PartialEq, Eq)]
        event RewardsClaimed(address indexed account, uint256 amount);
        /// `account` restaked `amount` VVV of rewards as unlocked sVVV.
        #[derive(Debug, PartialEq, Eq)]
        event RewardsCompounded(address indexed account, uint256 amount);
        /// Request `id`: `owner` burned `amount` sVVV, withdrawable from `unlockTime`.
        #[derive(Debug, PartialEq, Eq)]
        event UnstakeRequested(uint256 indexed id, address indexed owner, uint256 amount, uint64 unlockTime);
        /// Request `id` was cancelled and its `amount` restaked to `owner`.
        #[derive(Debug, PartialEq, Eq)]
        event UnstakeCancelled(uint256 indexed id, address indexed owner, uint256 amount);
        /// Request `id` was paid: `amount` VVV to `owner`.
        #[derive(Debug, PartialEq, Eq)]
        event Withdrawn(uint256 indexed id, address indexed owner, uint256 amount);
        /// The locker moved `amount` of `account`'s sVVV from unlocked to locked; the account
        /// now has `lockedAfter` locked.
        #[derive(Debug, PartialEq, Eq)]
        event Locked(address indexed account, uint256 amount, uint256 lockedAfter);
        /// The locker moved `amount` of `account`'s sVVV from locked to unlocked; the account
        /// now has `lockedAfter` locked.
        #[derive(Debug, PartialEq, Eq)]
        event Unlocked(address indexed account, uint256 amount, uint256 lockedAfter);
        /// The cooldown of new requests changed from `previous` to `cooldown` seconds.
        #[derive(Debug, PartialEq, Eq)]
        event CooldownSet(uint64 previous, uint64 cooldown);
        /// The reward period of the next announcements changed from `previous` to `duration`
        /// seconds.
        #[derive(Debug, PartialEq, Eq)]
        event RewardsDurationSet(uint64 previous, uint64 duration);
        /// `amount` VVV held above what the vault owes (INV-2) was burned.
        #[derive(Debug, PartialEq, Eq)]
        event ExcessSwept(uint256 amount);
        /// OpenZeppelin `Pausable`: `account` paused new stakes.
        #[derive(Debug, PartialEq, Eq)]
        event Paused(address account);
        /// OpenZeppelin `Pausable`: `account` let new stakes in again.
        #[derive(Debug, PartialEq, Eq)]
        event Unpaused(address account);
        /// The `isPro` threshold changed from `previous` to `threshold` sVVV.
        #[derive(Debug, PartialEq, Eq)]
        event ProThresholdSet(uint256 previous, uint256 threshold);
    }
}
pub use sol::*;

/// `balanceOf(address)` of the VVV token (the same signature as `IVvvToken` in
/// `contracts/interfaces`; the calls are encoded by hand to share one encoder, see `call_vvv`).
pub(crate) const BALANCE_OF: [u8; 4] = stylus_sdk::function_selector!("balanceOf", Address);
/// `transfer(address,uint256)` of the VVV token.
pub(crate) const TRANSFER: [u8; 4] = stylus_sdk::function_selector!("transfer", Address, U256);
/// `transferFrom(address,address,uint256)` of the VVV token.
pub(crate) const TRANSFER_FROM: [u8; 4] =
    stylus_sdk::function_selector!("transferFrom", Address, Address, U256);
/// `burn(uint256)` of the VVV token.
pub(crate) const BURN: [u8; 4] = stylus_sdk::function_selector!("burn", U256);
/// `vault()`: the staking vault the distributor and the locker are built for.
pub(crate) const VAULT_VIEW: [u8; 4] = stylus_sdk::function_selector!("vault");
/// `token()`: the VVV token the distributor (emission controller) mints.
pub(crate) const TOKEN_VIEW: [u8; 4] = stylus_sdk::function_selector!("token");

/// A VVV `transfer`/`transferFrom` reply must be `true`; `false` becomes an empty revert.
pub(crate) fn returned_true(word: U256) -> Result<(), Error> {
    if word == U256::from(1) {
        Ok(())
    } else {
        Err(Error::VvvReverted(call::Error::Revert(Vec::new())))
    }
}

/// Emits a log (`vvv_encoding::emit_log`): the `sol!` events above define the ABI, one shared
/// encoder writes them; the tests check every emission against them.
pub(crate) use vvv_encoding::emit_log as emit;

/// Emits the ERC-20 `Transfer(from, to, value)`.
pub(crate) fn emit_transfer(from: Address, to: Address, value: U256) {
    emit(
        &[Transfer::SIGNATURE_HASH, from.into_word(), to.into_word()],
        &[value],
    );
}

impl StakingVault {
    /// The vault's VVV balance.
    pub(crate) fn vvv_balance(&mut self) -> Result<U256, Error> {
        let this = contract::address();
        self.call_vvv(BALANCE_OF, &[this.into_word()])
    }

    /// Pulls `amount` VVV from `from` into the vault (needs `from`'s approval).
    pub(crate) fn pull_vvv(&mut self, from: Address, amount: U256) -> Result<(), Error> {
        let this = contract::address();
        let ok = self.call_vvv(
            TRANSFER_FROM,
            &[from.into_word(), this.into_word(), amount.into()],
        )?;
        returned_true(ok)
    }

    /// Sends `amount` VVV from the vault to `to`.
    pub(crate) fn push_vvv(&mut self, to: Address, amount: U256) -> Result<(), Error> {
        let ok = self.call_vvv(TRANSFER, &[to.into_word(), amount.into()])?;
        returned_true(ok)
    }

    /// Calls the VVV token: `selector ‖ args`, one static-typed word each, and returns the one
    /// word every VVV function used here returns (a `bool` or a `uint256`). A revert is passed
    /// on verbatim; a reply that is not one word is an empty revert.
    pub(crate) fn call_vvv(&mut self, selector: [u8; 4], args: &[B256]) -> Result<U256, Error> {
        let reply = self.send_to_vvv(selector, args)?;
        if reply.len() != 32 {
            return Err(Error::VvvReverted(call::Error::Revert(Vec::new())));
        }
        Ok(U256::from_be_slice(&reply))
    }

    /// Calls the VVV token with `selector ‖ args` (one static-typed word each) and returns its
    /// reply; a revert is passed on verbatim.
    pub(crate) fn send_to_vvv(
        &mut self,
        selector: [u8; 4],
        args: &[B256],
    ) -> Result<Vec<u8>, Error> {
        let vvv = self.vvv.get();
        let mut calldata = selector.to_vec();
        for arg in args {
            calldata.extend_from_slice(arg.as_slice());
        }
        call::call(Call::new_in(self), vvv, &calldata).map_err(Error::VvvReverted)
    }
}
