//! Airdrop (SPEC §3.6).
//!
//! A Merkle root over `(uint256 index, address account, uint256 amount)` leaves, encoded like
//! OpenZeppelin's `StandardMerkleTree` and verified like OpenZeppelin's `MerkleProof` (the rules
//! are `vvv_common::airdrop`). Each index can be claimed once (a bitmap, 256 claims per storage word):
//! - `claim(index, account, amount, proof)`: anyone may submit it; the VVV goes to `account`;
//! - `claimAndStake(...)`: only `account` itself, which receives sVVV instead (the airdrop
//!   approves the vault and calls `stakeFor(account, amount)`): staking starts a cooldown on
//!   exit, so nobody may choose it for someone else.
//!
//! Claims are open while `now < deadline` (the deadline instant itself is closed); from
//! `now ≥ deadline` anyone may `sweep()` everything left to the burn treasury, which burns it.
//! The window is given explicitly at deployment: the deploy default is 45 days
//! ([`DEFAULT_CLAIM_WINDOW`]). All wiring (token, treasury, vault, root, deadline) is fixed at
//! construction; there is no admin. The contract is funded by a plain VVV transfer.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main, no_std)]
extern crate alloc;

// The trapping panic handler of Wasm builds.
use vvv_support as _;

use alloc::{vec, vec::Vec};

use alloy_primitives::{Address, B256, U256, U64};
use alloy_sol_types::SolEvent;
use stylus_sdk::{
    block,
    call::Call,
    contract, msg,
    prelude::*,
    storage::{StorageAddress, StorageB256, StorageMap, StorageU256, StorageU64},
};
pub use vvv_common::airdrop::DEFAULT_CLAIM_WINDOW;
use vvv_common::airdrop::{self as rules, bitmap_position, claims_open};
use vvv_encoding::emit_log;
use vvv_interfaces::{call_failed, token_call_succeeded, IBurnTreasury, IStakingVault, IVvvToken};

mod sol {
    alloy_sol_types::sol! {
        /// The airdrop was set up: everything here is fixed for good.
        #[derive(Debug, PartialEq, Eq)]
        event AirdropCreated(address vvv, address treasury, address vault, bytes32 merkleRoot, uint64 deadline);
        /// Leaf `index` was claimed: `amount` VVV to `account`, or staked for it as sVVV.
        #[derive(Debug, PartialEq, Eq)]
        event Claimed(uint256 indexed index, address indexed account, uint256 amount, bool staked);
        /// `amount` unclaimed VVV was sent to the burn treasury and burned.
        #[derive(Debug, PartialEq, Eq)]
        event Swept(uint256 amount);

        /// The VVV token or the treasury given to the constructor is the zero address.
        #[derive(Debug, PartialEq, Eq)]
        error ZeroAddress();
        /// The Merkle root given to the constructor is zero.
        #[derive(Debug, PartialEq, Eq)]
        error InvalidMerkleRoot();
        /// The claim window is zero, or `now + window` overflows.
        #[derive(Debug, PartialEq, Eq)]
        error InvalidClaimWindow(uint64 window);
        /// Leaf `index` was already claimed.
        #[derive(Debug, PartialEq, Eq)]
        error AlreadyClaimed(uint256 index);
        /// Claims closed at `deadline` (claims are open while `now < deadline`).
        #[derive(Debug, PartialEq, Eq)]
        error ClaimWindowClosed(uint64 deadline);
        /// Sweeping opens at `deadline` (`now ≥ deadline`).
        #[derive(Debug, PartialEq, Eq)]
        error ClaimWindowOpen(uint64 deadline);
        /// The proof does not lead from `(index, account, amount)` to the Merkle root.
        #[derive(Debug, PartialEq, Eq)]
        error InvalidProof();
        /// Only `account` may claim-and-stake its own allocation.
        #[derive(Debug, PartialEq, Eq)]
        error NotClaimant(address caller, address account);
        /// No staking vault is wired: use `claim`.
        #[derive(Debug, PartialEq, Eq)]
        error StakingUnavailable();
        /// The airdrop holds no VVV to sweep.
        #[derive(Debug, PartialEq, Eq)]
        error NothingToSweep();
        /// `totalClaimed` would overflow (only a tree with absurd amounts can do that).
        #[derive(Debug, PartialEq, Eq)]
        error ArithmeticOverflow();
    }
}
pub use sol::*;
pub use vvv_interfaces::CallFailed;

/// Every way an airdrop call can fail, each an ABI-encoded custom error.
#[derive(SolidityError, Debug, PartialEq)]
pub enum Error {
    ZeroAddress(ZeroAddress),
    InvalidMerkleRoot(InvalidMerkleRoot),
    InvalidClaimWindow(InvalidClaimWindow),
    AlreadyClaimed(AlreadyClaimed),
    ClaimWindowClosed(ClaimWindowClosed),
    ClaimWindowOpen(ClaimWindowOpen),
    InvalidProof(InvalidProof),
    NotClaimant(NotClaimant),
    StakingUnavailable(StakingUnavailable),
    NothingToSweep(NothingToSweep),
    ArithmeticOverflow(ArithmeticOverflow),
    CallFailed(CallFailed),
}

/// Storage of the airdrop.
#[entrypoint]
#[storage]
pub struct Airdrop {
    /// The VVV token, fixed at construction.
    vvv: StorageAddress,
    /// The burn treasury that receives and burns the sweep, fixed at construction.
    treasury: StorageAddress,
    /// The staking vault for `claimAndStake`, fixed at construction; zero = staking unavailable.
    vault: StorageAddress,
    /// Root of the Merkle tree of `(index, account, amount)` leaves.
    merkle_root: StorageB256,
    /// Unix time from which claims are closed and sweeping is open.
    deadline: StorageU64,
    /// Claim bitmap: bit `index % 256` of word `index / 256` is set once `index` is claimed.
    claimed: StorageMap<U256, StorageU256>,
    /// VVV paid out by claims (sent or staked), ever.
    total_claimed: StorageU256,
    /// VVV sent to the treasury by sweeps, ever.
    total_swept: StorageU256,
}

#[public]
impl Airdrop {
    /// Fixes the wiring and opens the claim window until `now + claimWindowSeconds`
    /// (deploy default [`DEFAULT_CLAIM_WINDOW`] = 45 days). `vault` may be zero if staking is
    /// not deployed: `claimAndStake` then reverts `StakingUnavailable()`.
    #[constructor]
    pub fn constructor(
        &mut self,
        vvv: Address,
        treasury: Address,
        vault: Address,
        merkle_root: B256,
        claim_window_seconds: u64,
    ) -> Result<(), Error> {
        let now = block::timestamp();
        self.init_at(vvv, treasury, vault, merkle_root, claim_window_seconds, now)
    }

    /// Claims leaf `index` and sends `amount` VVV to `account`. Anyone may submit it.
    pub fn claim(
        &mut self,
        index: U256,
        account: Address,
        amount: U256,
        proof: Vec<B256>,
    ) -> Result<(), Error> {
        let now = block::timestamp();
        self.claim_at(index, account, amount, proof, false, now)
    }

    /// Claims leaf `index` and stakes the `amount` VVV in the vault for `account`, which
    /// receives sVVV. Only `account` itself may call.
    pub fn claim_and_stake(
        &mut self,
        index: U256,
        account: Address,
        amount: U256,
        proof: Vec<B256>,
    ) -> Result<(), Error> {
        let now = block::timestamp();
        self.claim_at(index, account, amount, proof, true, now)
    }

    /// After the deadline, sends all the VVV the airdrop holds to the burn treasury and has it
    /// burned. Anyone may call.
    pub fn sweep(&mut self) -> Result<(), Error> {
        let now = block::timestamp();
        self.sweep_at(now)
    }

    /// Root of the Merkle tree of `(index, account, amount)` leaves.
    pub fn merkle_root(&self) -> B256 {
        self.merkle_root.get()
    }

    /// Claims are open while `block.timestamp < deadline`; sweeping from `deadline` on.
    pub fn deadline(&self) -> u64 {
        self.deadline.get().to()
    }

    /// Whether leaf `index` was claimed.
    pub fn is_claimed(&self, index: U256) -> bool {
        let (word, bit) = bitmap_position(index);
        !(self.claimed.get(word) & bit).is_zero()
    }

    /// The VVV token.
    pub fn vvv(&self) -> Address {
        self.vvv.get()
    }

    /// The burn treasury.
    pub fn treasury(&self) -> Address {
        self.treasury.get()
    }

    /// The staking vault, or zero if staking is unavailable.
    pub fn vault(&self) -> Address {
        self.vault.get()
    }

    /// VVV paid out by claims (sent or staked).
    pub fn total_claimed(&self) -> U256 {
        self.total_claimed.get()
    }

    /// VVV swept to the treasury and burned.
    pub fn total_swept(&self) -> U256 {
        self.total_swept.get()
    }
}

impl Airdrop {
    /// The constructor at time `now`.
    pub(crate) fn init_at(
        &mut self,
        vvv: Address,
        treasury: Address,
        vault: Address,
        merkle_root: B256,
        claim_window_seconds: u64,
        now: u64,
    ) -> Result<(), Error> {
        if vvv.is_zero() || treasury.is_zero() {
            return Err(Error::ZeroAddress(ZeroAddress {}));
        }
        if merkle_root.is_zero() {
            return Err(Error::InvalidMerkleRoot(InvalidMerkleRoot {}));
        }
        let deadline = match now.checked_add(claim_window_seconds) {
            Some(deadline) if claim_window_seconds != 0 => deadline,
            _ => {
                return Err(Error::InvalidClaimWindow(InvalidClaimWindow {
                    window: claim_window_seconds,
                }))
            }
        };
        self.vvv.set(vvv);
        self.treasury.set(treasury);
        self.vault.set(vault);
        self.merkle_root.set(merkle_root);
        self.deadline.set(U64::from(deadline));
        emit_log(
            &[AirdropCreated::SIGNATURE_HASH],
            &[
                U256::from_be_bytes(vvv.into_word().0),
                U256::from_be_bytes(treasury.into_word().0),
                U256::from_be_bytes(vault.into_word().0),
                merkle_root.into(),
                U256::from(deadline),
            ],
        );
        Ok(())
    }

    /// `claim` (`stake == false`) or `claimAndStake` (`stake == true`) at time `now`.
    /// Checks, in order: window, (staking: vault wired, caller is `account`), not yet claimed,
    /// proof. Then marks the index claimed before any external call.
    pub(crate) fn claim_at(
        &mut self,
        index: U256,
        account: Address,
        amount: U256,
        proof: Vec<B256>,
        stake: bool,
        now: u64,
    ) -> Result<(), Error> {
        let deadline = self.deadline();
        if !claims_open(now, deadline) {
            return Err(Error::ClaimWindowClosed(ClaimWindowClosed { deadline }));
        }
        let vault = self.vault.get();
        if stake {
            if vault.is_zero() {
                return Err(Error::StakingUnavailable(StakingUnavailable {}));
            }
            let caller = msg::sender();
            if caller != account {
                return Err(Error::NotClaimant(NotClaimant { caller, account }));
            }
        }
        let (word, bit) = bitmap_position(index);
        let bits = self.claimed.get(word);
        if !(bits & bit).is_zero() {
            return Err(Error::AlreadyClaimed(AlreadyClaimed { index }));
        }
        let leaf = rules::leaf(index, account, amount);
        if !rules::verify(&proof, self.merkle_root.get(), leaf) {
            return Err(Error::InvalidProof(InvalidProof {}));
        }
        let total_claimed = self
            .total_claimed
            .get()
            .checked_add(amount)
            .ok_or(Error::ArithmeticOverflow(ArithmeticOverflow {}))?;
        self.claimed.setter(word).set(bits | bit);
        self.total_claimed.set(total_claimed);

        let vvv = self.vvv.get();
        let token = IVvvToken::new(vvv);
        if stake {
            // The vault pulls exactly `amount` with `transferFrom`, so the allowance is spent.
            token_call_succeeded(vvv, token.approve(Call::new_in(self), vault, amount))?;
            IStakingVault::new(vault)
                .stake_for(Call::new_in(self), account, amount)
                .map_err(|e| call_failed(vault, e))?;
        } else {
            token_call_succeeded(vvv, token.transfer(Call::new_in(self), account, amount))?;
        }
        emit_log(
            &[Claimed::SIGNATURE_HASH, index.into(), account.into_word()],
            &[amount, U256::from(stake)],
        );
        Ok(())
    }

    /// `sweep` at time `now`.
    pub(crate) fn sweep_at(&mut self, now: u64) -> Result<(), Error> {
        let deadline = self.deadline();
        if claims_open(now, deadline) {
            return Err(Error::ClaimWindowOpen(ClaimWindowOpen { deadline }));
        }
        let vvv = self.vvv.get();
        let token = IVvvToken::new(vvv);
        let amount = token
            .balance_of(&*self, contract::address())
            .map_err(|e| call_failed(vvv, e))?;
        if amount.is_zero() {
            return Err(Error::NothingToSweep(NothingToSweep {}));
        }
        // Cannot overflow: sweeps are bounded by the VVV supply ever minted.
        self.total_swept
            .set(self.total_swept.get().saturating_add(amount));
        let treasury = self.treasury.get();
        token_call_succeeded(vvv, token.transfer(Call::new_in(self), treasury, amount))?;
        IBurnTreasury::new(treasury)
            .burn_balance(Call::new_in(self))
            .map_err(|e| call_failed(treasury, e))?;
        emit_log(&[Swept::SIGNATURE_HASH], &[amount]);
        Ok(())
    }
}

#[cfg(test)]
mod tests;
