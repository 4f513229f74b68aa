//! The calls the VVV contracts make to each other, as typed `sol_interface!` bindings.
//!
//! One definition per callee, so every caller encodes the same selectors. Each interface lists
//! only what another contract calls; dapps use the full ABIs exported by each contract.
//!
//! Also the suite's one convention for a call that fails (`audits/DESIGN-NOTES.md` D-12): the
//! caller reverts `CallFailed(target, reason)` with the callee's revert data in `reason`, in the
//! spirit of ERC-7751's `WrappedError`, so a dapp sees both which contract failed and why. The
//! staking vault, which calls only the VVV token and hand-encodes those calls (code size),
//! passes the token's revert data through unchanged instead.
#![no_std]
// `stylus_sdk::call::Error`, the error of the `sol_interface!` bindings, is deprecated in 0.9.
#![allow(deprecated)]
extern crate alloc;

use alloc::vec;
use alloy_primitives::{Address, Bytes};
use stylus_sdk::{call, prelude::sol_interface};

mod sol {
    alloy_sol_types::sol! {
        /// A call to `target` failed; `reason` is its revert data (empty if it returned `false`
        /// or data that is not the expected reply).
        #[derive(Debug, PartialEq, Eq)]
        error CallFailed(address target, bytes reason);
    }
}
pub use sol::CallFailed;

/// `CallFailed` for a call to `target` that failed with `err`, keeping the callee's revert data.
#[inline]
pub fn call_failed(target: Address, err: call::Error) -> CallFailed {
    let reason = match err {
        call::Error::Revert(data) => Bytes::from(data),
        call::Error::AbiDecodingFailed(_) => Bytes::new(),
    };
    CallFailed { target, reason }
}

/// The reply of an ERC-20 call that returns `bool` (`transfer`, `transferFrom`, `approve`) to
/// `target`: `true` passes, `false` is `CallFailed(target, "")`, a revert keeps its data.
#[inline]
pub fn token_call_succeeded(
    target: Address,
    reply: Result<bool, call::Error>,
) -> Result<(), CallFailed> {
    match reply {
        Ok(true) => Ok(()),
        Ok(false) => Err(CallFailed {
            target,
            reason: Bytes::new(),
        }),
        Err(err) => Err(call_failed(target, err)),
    }
}

sol_interface! {
    /// The VVV token (`contracts/vvv-token`), as the vault, controller, treasury and airdrop use it.
    interface IVvvToken {
        function balanceOf(address account) external view returns (uint256);
        function transfer(address to, uint256 value) external returns (bool);
        function transferFrom(address from, address to, uint256 value) external returns (bool);
        function approve(address spender, uint256 value) external returns (bool);
        function mint(address to, uint256 amount) external;
        function burn(uint256 value) external;
    }

    /// The staking vault (`contracts/staking-vault`), as the controller, airdrop and DIEM
    /// minter use it.
    interface IStakingVault {
        function stakeFor(address beneficiary, uint256 amount) external;
        function notifyRewards(uint256 amount) external;
        function lock(address account, uint256 amount) external;
        function unlock(address account, uint256 amount) external;
        function totalWeight() external view returns (uint256);
        function unlockedOf(address account) external view returns (uint256);
        function lockedOf(address account) external view returns (uint256);
    }

    /// The DIEM token (`contracts/diem-token`), as the DIEM minter uses it.
    interface IDiemToken {
        function totalSupply() external view returns (uint256);
        function mint(address to, uint256 amount) external;
        function burn(address from, uint256 amount) external;
    }

    /// The burn treasury (`contracts/burn-treasury`), as the airdrop uses it.
    interface IBurnTreasury {
        function burnBalance() external returns (uint256);
    }
}

#[cfg(test)]
mod tests {
    use alloc::vec;

    use alloy_primitives::{address, Address, Bytes};
    use stylus_sdk::call;

    use super::{call_failed, token_call_succeeded, CallFailed};

    const TOKEN: Address = address!("0x00000000000000000000000000000000000000aa");

    #[test]
    fn call_failed_keeps_the_revert_data_and_names_the_target() {
        let data = vec![0xe4, 0x50, 0xd3, 0x8c, 7];
        assert_eq!(
            call_failed(TOKEN, call::Error::Revert(data.clone())),
            CallFailed {
                target: TOKEN,
                reason: Bytes::from(data)
            }
        );
        // A reply that does not decode has no revert data to keep.
        let undecodable = call::Error::AbiDecodingFailed(alloy_sol_types::Error::Overrun);
        assert_eq!(
            call_failed(TOKEN, undecodable),
            CallFailed {
                target: TOKEN,
                reason: Bytes::new()
            }
        );
    }

    #[test]
    fn a_token_call_passes_only_on_true() {
        assert_eq!(token_call_succeeded(TOKEN, Ok(true)), Ok(()));
        assert_eq!(
            token_call_succeeded(TOKEN, Ok(false)),
            Err(CallFailed {
                target: TOKEN,
                reason: Bytes::new()
            })
        );
        assert_eq!(
            token_call_succeeded(TOKEN, Err(call::Error::Revert(vec![1, 2]))),
            Err(CallFailed {
                target: TOKEN,
                reason: Bytes::from(vec![1, 2])
            })
        );
    }
}
