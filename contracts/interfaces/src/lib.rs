//! The calls the VVV contracts make to each other, as typed `sol_interface!` bindings.
//!
//! One definition per callee, so every caller encodes the same selectors. Each interface lists
//! only what another contract calls; dapps use the full ABIs exported by each contract.
#![no_std]
extern crate alloc;

use alloc::vec;
use stylus_sdk::prelude::sol_interface;

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
