//! The vault's ABI dispatcher in its Wasm build (code size, issue 12).
//!
//! `#[public]` in `lib.rs` defines the vault's ABI: it exports it (`vvv abi`, `abi/`), and
//! host builds (motsu tests, export-abi) route calls through the router it generates. That
//! router decodes every parameter tuple with its own copy of alloy's validating decoder and
//! checks `msg.value` inside each of its 59 arms: 2.3 KB of the compressed program (21,459 B →
//! 19,125 B), which kept the vault above the 20 KiB budget. Every parameter is one static word,
//! so in Wasm this dispatcher serves all functions with one decoder ([`params`]) and one
//! `msg.value` check.
//!
//! It answers exactly as the generated router does (`hand_router_matches_the_generated_one`
//! in `tests.rs` runs both on the same calls, byte for byte):
//! - parameters are accepted only in canonical encoding, as alloy's decoder with validation:
//!   exactly 32 bytes per parameter, nothing trailing, an `address` with its 12 high bytes zero,
//!   a `uint64` with its 24 high bytes zero; anything else reverts with empty data;
//! - no function is payable: a call with value reverts with empty data, as does a call with
//!   fewer than 4 bytes or an unknown selector (the vault has no fallback nor receive);
//! - the constructor runs once (the SDK's guard slot, `ConstructorGuard`);
//! - a function's error is its ABI-encoded custom error (`From<Error> for Vec<u8>`).
use alloc::{string::String, vec::Vec};

use alloy_primitives::{Address, B256, U256};
use stylus_sdk::{abi::CONSTRUCTOR_SELECTOR, stylus_core::host::ConstructorGuard, ArbResult};
#[cfg(target_arch = "wasm32")]
use stylus_sdk::{host::VM, msg, prelude::*, storage::StorageType};

use crate::{Error, StakingVault};
use vvv_encoding::{encode_words, Word};

/// `u32` selector of `name(types…)` (types as `AbiType`s: `Address` → `address`, …).
macro_rules! selectors {
    ($($constant:ident = $name:literal $(, $ty:ty)*;)*) => {
        $(const $constant: u32 =
            u32::from_be_bytes(stylus_sdk::function_selector!($name $(, $ty)*));)*
    };
}

selectors! {
    SET_REWARDS_DISTRIBUTOR = "setRewardsDistributor", Address;
    SET_LOCKER = "setLocker", Address;
    STAKE = "stake", U256;
    STAKE_FOR = "stakeFor", Address, U256;
    NOTIFY_REWARDS = "notifyRewards", U256;
    CLAIM_REWARDS = "claimRewards";
    COMPOUND = "compound";
    REQUEST_UNSTAKE = "requestUnstake", U256;
    CANCEL_UNSTAKE = "cancelUnstake", U256;
    WITHDRAW = "withdraw", U256;
    LOCK = "lock", Address, U256;
    UNLOCK = "unlock", Address, U256;
    SET_COOLDOWN = "setCooldown", u64;
    SET_REWARDS_DURATION = "setRewardsDuration", u64;
    SWEEP_EXCESS = "sweepExcess";
    SET_PRO_THRESHOLD = "setProThreshold", U256;
    PAUSE = "pause";
    UNPAUSE = "unpause";
    HAS_ROLE = "hasRole", B256, Address;
    GET_ROLE_ADMIN = "getRoleAdmin", B256;
    GRANT_ROLE = "grantRole", B256, Address;
    REVOKE_ROLE = "revokeRole", B256, Address;
    RENOUNCE_ROLE = "renounceRole", B256, Address;
    NAME = "name";
    SYMBOL = "symbol";
    DECIMALS = "decimals";
    TOTAL_SUPPLY = "totalSupply";
    BALANCE_OF = "balanceOf", Address;
    ALLOWANCE = "allowance", Address, Address;
    APPROVE = "approve", Address, U256;
    TRANSFER = "transfer", Address, U256;
    TRANSFER_FROM = "transferFrom", Address, Address, U256;
    TOTAL_LOCKED = "totalLocked";
    UNLOCKED_OF = "unlockedOf", Address;
    LOCKED_OF = "lockedOf", Address;
    PENDING_REWARDS = "pendingRewards", Address;
    REWARD_PER_WEIGHT = "rewardPerWeight";
    TOTAL_WEIGHT = "totalWeight";
    REWARD_RATE = "rewardRate";
    REWARD_STREAM = "rewardStream";
    REWARDS_DURATION = "rewardsDuration";
    SETTLEMENT_OF = "settlementOf", Address;
    KEPT_REWARDS = "keptRewards";
    TOTAL_REWARDS_ANNOUNCED = "totalRewardsAnnounced";
    TOTAL_REWARDS_PAID = "totalRewardsPaid";
    TOTAL_PENDING_WITHDRAWALS = "totalPendingWithdrawals";
    ACCOUNTED_ASSETS = "accountedAssets";
    REQUEST = "request", U256;
    REQUEST_COUNT = "requestCount";
    OPEN_REQUESTS_OF = "openRequestsOf", Address;
    COOLDOWN = "cooldown";
    PRO_THRESHOLD = "proThreshold";
    IS_PRO = "isPro", Address;
    CAPACITY_SHARE_WAD = "capacityShareWad", Address;
    VVV = "vvv";
    DEPLOYER = "deployer";
    REWARDS_DISTRIBUTOR = "rewardsDistributor";
    LOCKER = "locker";
    PAUSED = "paused";
}

/// The program's entry point in Wasm: what `#[entrypoint]` on the storage struct generates
/// (stylus-sdk's `router_entrypoint`), with [`dispatch`] as the router.
#[cfg(target_arch = "wasm32")]
#[entrypoint]
fn staking_vault_entrypoint(input: Vec<u8>, host: VM) -> ArbResult {
    // No function of the vault, the constructor included, accepts value.
    if !msg::value().is_zero() {
        return Err(Vec::new());
    }
    // SAFETY: the storage struct at slot 0 is the contract's one top-level storage, as the
    // generated entry point builds it.
    let mut vault = unsafe { StakingVault::new(U256::ZERO, 0, host) };
    route(&mut vault, &input)
}

/// Runs `input` (selector ‖ parameters) on `vault`, as stylus-sdk's `router_entrypoint` does.
pub fn route(vault: &mut StakingVault, input: &[u8]) -> ArbResult {
    let Some((selector, params)) = input.split_first_chunk::<4>() else {
        return Err(Vec::new());
    };
    let selector = u32::from_be_bytes(*selector);
    if selector == CONSTRUCTOR_SELECTOR {
        vault.check_constructor_slot()?;
        let [vvv, admin, deployer] = self::params(params)?;
        return reply(vault.constructor(address(vvv)?, address(admin)?, address(deployer)?));
    }
    dispatch(vault, selector, params)
}

/// Calls the vault function `selector` with `params` and encodes its result: the functions
/// that change state here, the views in [`dispatch_view`].
pub fn dispatch(vault: &mut StakingVault, selector: u32, params: &[u8]) -> ArbResult {
    match selector {
        SET_REWARDS_DISTRIBUTOR => {
            let [distributor] = self::params(params)?;
            reply(vault.set_rewards_distributor(address(distributor)?))
        }
        SET_LOCKER => {
            let [locker] = self::params(params)?;
            reply(vault.set_locker(address(locker)?))
        }
        STAKE => {
            let [amount] = self::params(params)?;
            reply(vault.stake(amount.into()))
        }
        STAKE_FOR => {
            let [beneficiary, amount] = self::params(params)?;
            reply(vault.stake_for(address(beneficiary)?, amount.into()))
        }
        NOTIFY_REWARDS => {
            let [amount] = self::params(params)?;
            reply(vault.notify_rewards(amount.into()))
        }
        CLAIM_REWARDS => {
            let [] = self::params(params)?;
            reply(vault.claim_rewards())
        }
        COMPOUND => {
            let [] = self::params(params)?;
            reply(vault.compound())
        }
        REQUEST_UNSTAKE => {
            let [amount] = self::params(params)?;
            reply(vault.request_unstake(amount.into()))
        }
        CANCEL_UNSTAKE => {
            let [id] = self::params(params)?;
            reply(vault.cancel_unstake(id.into()))
        }
        WITHDRAW => {
            let [id] = self::params(params)?;
            reply(vault.withdraw(id.into()))
        }
        LOCK => {
            let [account, amount] = self::params(params)?;
            reply(vault.lock(address(account)?, amount.into()))
        }
        UNLOCK => {
            let [account, amount] = self::params(params)?;
            reply(vault.unlock(address(account)?, amount.into()))
        }
        SET_COOLDOWN => {
            let [duration] = self::params(params)?;
            reply(vault.set_cooldown(uint64(duration)?))
        }
        SET_REWARDS_DURATION => {
            let [duration] = self::params(params)?;
            reply(vault.set_rewards_duration(uint64(duration)?))
        }
        SWEEP_EXCESS => {
            let [] = self::params(params)?;
            reply(vault.sweep_excess())
        }
        SET_PRO_THRESHOLD => {
            let [threshold] = self::params(params)?;
            reply(vault.set_pro_threshold(threshold.into()))
        }
        PAUSE => {
            let [] = self::params(params)?;
            reply(vault.pause())
        }
        UNPAUSE => {
            let [] = self::params(params)?;
            reply(vault.unpause())
        }
        GRANT_ROLE => {
            let [role, account] = self::params(params)?;
            reply(vault.grant_role(role, address(account)?))
        }
        REVOKE_ROLE => {
            let [role, account] = self::params(params)?;
            reply(vault.revoke_role(role, address(account)?))
        }
        RENOUNCE_ROLE => {
            let [role, confirmation] = self::params(params)?;
            reply(vault.renounce_role(role, address(confirmation)?))
        }
        APPROVE => {
            let [spender, value] = self::params(params)?;
            reply(vault.approve(address(spender)?, value.into()))
        }
        TRANSFER => {
            let [to, value] = self::params(params)?;
            reply(vault.transfer(address(to)?, value.into()))
        }
        TRANSFER_FROM => {
            let [from, to, value] = self::params(params)?;
            reply(vault.transfer_from(address(from)?, address(to)?, value.into()))
        }
        _ => dispatch_view(vault, selector, params),
    }
}

/// Calls the view `selector` with `params` and encodes its result: the vault's own state
/// here, an account's in [`dispatch_account_view`].
fn dispatch_view(vault: &StakingVault, selector: u32, params: &[u8]) -> ArbResult {
    match selector {
        GET_ROLE_ADMIN => {
            let [role] = self::params(params)?;
            view(vault.get_role_admin(role))
        }
        NAME => {
            let [] = self::params(params)?;
            Ok(string(vault.name()))
        }
        SYMBOL => {
            let [] = self::params(params)?;
            Ok(string(vault.symbol()))
        }
        DECIMALS => {
            let [] = self::params(params)?;
            view(U256::from(vault.decimals()))
        }
        TOTAL_SUPPLY => {
            let [] = self::params(params)?;
            view(vault.total_supply())
        }
        TOTAL_LOCKED => {
            let [] = self::params(params)?;
            view(vault.total_locked())
        }
        REWARD_PER_WEIGHT => {
            let [] = self::params(params)?;
            view(vault.reward_per_weight())
        }
        TOTAL_WEIGHT => {
            let [] = self::params(params)?;
            reply(vault.total_weight())
        }
        REWARD_RATE => {
            let [] = self::params(params)?;
            view(vault.reward_rate())
        }
        REWARD_STREAM => {
            let [] = self::params(params)?;
            let (remaining, last_update, period_end) = vault.reward_stream();
            Ok(words(&[
                remaining.into(),
                word(last_update),
                word(period_end),
            ]))
        }
        REWARDS_DURATION => {
            let [] = self::params(params)?;
            view(vault.rewards_duration())
        }
        KEPT_REWARDS => {
            let [] = self::params(params)?;
            view(vault.kept_rewards())
        }
        TOTAL_REWARDS_ANNOUNCED => {
            let [] = self::params(params)?;
            view(vault.total_rewards_announced())
        }
        TOTAL_REWARDS_PAID => {
            let [] = self::params(params)?;
            view(vault.total_rewards_paid())
        }
        TOTAL_PENDING_WITHDRAWALS => {
            let [] = self::params(params)?;
            view(vault.total_pending_withdrawals())
        }
        ACCOUNTED_ASSETS => {
            let [] = self::params(params)?;
            reply(vault.accounted_assets())
        }
        REQUEST => {
            let [id] = self::params(params)?;
            let (owner, amount, unlock_time, open) = vault.request(id.into());
            Ok(words(&[
                owner.into_word(),
                amount.into(),
                word(unlock_time),
                word(open),
            ]))
        }
        REQUEST_COUNT => {
            let [] = self::params(params)?;
            view(vault.request_count())
        }
        COOLDOWN => {
            let [] = self::params(params)?;
            view(vault.cooldown())
        }
        PRO_THRESHOLD => {
            let [] = self::params(params)?;
            view(vault.pro_threshold())
        }
        VVV => {
            let [] = self::params(params)?;
            view(vault.vvv())
        }
        DEPLOYER => {
            let [] = self::params(params)?;
            view(vault.deployer())
        }
        REWARDS_DISTRIBUTOR => {
            let [] = self::params(params)?;
            view(vault.rewards_distributor())
        }
        LOCKER => {
            let [] = self::params(params)?;
            view(vault.locker())
        }
        PAUSED => {
            let [] = self::params(params)?;
            view(vault.paused())
        }
        _ => dispatch_account_view(vault, selector, params),
    }
}

/// Calls the view of one account `selector` with `params` and encodes its result; an unknown
/// selector reverts with empty data.
fn dispatch_account_view(vault: &StakingVault, selector: u32, params: &[u8]) -> ArbResult {
    match selector {
        HAS_ROLE => {
            let [role, account] = self::params(params)?;
            view(vault.has_role(role, address(account)?))
        }
        BALANCE_OF => {
            let [account] = self::params(params)?;
            view(vault.balance_of(address(account)?))
        }
        ALLOWANCE => {
            let [owner, spender] = self::params(params)?;
            view(vault.allowance(address(owner)?, address(spender)?))
        }
        UNLOCKED_OF => {
            let [account] = self::params(params)?;
            view(vault.unlocked_of(address(account)?))
        }
        LOCKED_OF => {
            let [account] = self::params(params)?;
            view(vault.locked_of(address(account)?))
        }
        PENDING_REWARDS => {
            let [account] = self::params(params)?;
            reply(vault.pending_rewards(address(account)?))
        }
        SETTLEMENT_OF => {
            let [account] = self::params(params)?;
            let (owed, checkpoint) = vault.settlement_of(address(account)?);
            Ok(words(&[owed.into(), checkpoint.into()]))
        }
        OPEN_REQUESTS_OF => {
            let [account] = self::params(params)?;
            let ids = vault.open_requests_of(address(account)?);
            // ABI `uint256[]`: offset of the array (one word), its length, its items.
            let mut data = words(&[word(32u64), word(ids.len() as u64)]);
            for id in ids {
                data.extend_from_slice(&id.to_be_bytes::<32>());
            }
            Ok(data)
        }
        IS_PRO => {
            let [account] = self::params(params)?;
            view(vault.is_pro(address(account)?))
        }
        CAPACITY_SHARE_WAD => {
            let [account] = self::params(params)?;
            view(vault.capacity_share_wad(address(account)?))
        }
        _ => Err(Vec::new()),
    }
}

/// The `N` static parameters of a call: exactly `N` words, nothing trailing (alloy's decoder
/// with validation rejects anything else too); empty revert data otherwise.
fn params<const N: usize>(params: &[u8]) -> Result<[B256; N], Vec<u8>> {
    if params.len() != 32 * N {
        return Err(Vec::new());
    }
    let mut words = [B256::ZERO; N];
    for (word, chunk) in words.iter_mut().zip(params.chunks_exact(32)) {
        word.0.copy_from_slice(chunk);
    }
    Ok(words)
}

/// An `address` parameter: its 12 high bytes must be zero.
fn address(word: B256) -> Result<Address, Vec<u8>> {
    if word[..12].iter().any(|byte| *byte != 0) {
        return Err(Vec::new());
    }
    Ok(Address::from_word(word))
}

/// A `uint64` parameter: its 24 high bytes must be zero.
fn uint64(word: B256) -> Result<u64, Vec<u8>> {
    let value = U256::from_be_bytes(word.0);
    u64::try_from(value).map_err(|_| Vec::new())
}

/// `value` as its ABI word.
fn word(value: impl Word) -> B256 {
    value.word()
}

/// Return data of static words.
fn words(words: &[B256]) -> Vec<u8> {
    encode_words(&[], words)
}

/// Return data of a view that returns one word.
fn view(value: impl Word) -> ArbResult {
    Ok(value.word().to_vec())
}

/// A value a fallible vault function returns: nothing, or one word.
trait Returned {
    fn encode(self) -> Vec<u8>;
}
impl Returned for () {
    fn encode(self) -> Vec<u8> {
        Vec::new()
    }
}
/// One word (each type named: `Word` is another crate's trait, so no blanket impl beside `()`).
macro_rules! returned_as_word {
    ($($ty:ty),*) => {$(
        impl Returned for $ty {
            fn encode(self) -> Vec<u8> {
                self.word().to_vec()
            }
        }
    )*};
}
returned_as_word!(U256, Address, u64, B256, bool);

/// Return data of a fallible function: its value, or its custom error (`From<Error>`).
fn reply(result: Result<impl Returned, Error>) -> ArbResult {
    result.map(Returned::encode).map_err(Vec::from)
}

/// ABI `string` return data: offset (one word), length, bytes padded to whole words.
fn string(text: String) -> Vec<u8> {
    let mut data = words(&[word(32u64), word(text.len() as u64)]);
    data.extend_from_slice(text.as_bytes());
    data.resize(data.len().next_multiple_of(32), 0);
    data
}
