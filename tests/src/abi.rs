//! The contracts' ABIs as `sol!` interfaces: what `cargo run -p <crate> --features export-abi`
//! prints, with the parameter names of the contracts' own `sol!` blocks. Only what the tests
//! use; selectors depend on names and types only, so a wrong entry fails loudly (the program
//! reverts with unknown-selector).

use alloy_sol_types::sol;

sol! {
    /// `contracts/vvv-token`.
    #[sol(all_derives)]
    interface IVvvToken {
        function setMinter(address minter) external;
        function mint(address to, uint256 amount) external;
        function minter() external view returns (address);
        function totalMinted() external view returns (uint256);
        function totalBurned() external view returns (uint256);
        function totalSupply() external view returns (uint256);
        function balanceOf(address account) external view returns (uint256);
        function transfer(address to, uint256 value) external returns (bool);
        function approve(address spender, uint256 value) external returns (bool);
        function burn(uint256 value) external;

        error GenesisLengthMismatch(uint256 recipients, uint256 amounts);
        error GenesisSupplyMismatch(uint256 total, uint256 expected);
        error Unauthorized(address caller);
        error MinterAlreadySet(address minter);
        error InvalidMinter();
        error InvalidDeployer();
        error SupplyOverflow(uint256 totalSupply, uint256 amount);
        error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed);
        error ERC20InvalidSender(address sender);
        error ERC20InvalidReceiver(address receiver);
        error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed);
        error ERC20InvalidSpender(address spender);
        error ERC20InvalidApprover(address approver);
    }

    /// `contracts/staking-vault` (sVVV).
    #[sol(all_derives)]
    interface IStakingVault {
        function setRewardsDistributor(address distributor) external;
        function setLocker(address locker) external;
        function stake(uint256 amount) external;
        function stakeFor(address beneficiary, uint256 amount) external;
        function claimRewards() external returns (uint256);
        function compound() external returns (uint256);
        function requestUnstake(uint256 amount) external returns (uint256);
        function cancelUnstake(uint256 id) external;
        function withdraw(uint256 id) external returns (uint256);
        function setCooldown(uint64 duration) external;
        function totalSupply() external view returns (uint256);
        function balanceOf(address account) external view returns (uint256);
        function transfer(address to, uint256 value) external returns (bool);
        function approve(address spender, uint256 value) external returns (bool);
        function totalStaked() external view returns (uint256);
        function totalLocked() external view returns (uint256);
        function unlockedOf(address account) external view returns (uint256);
        function lockedOf(address account) external view returns (uint256);
        function pendingRewards(address account) external view returns (uint256);
        function keptRewards() external view returns (uint256);
        function totalRewardsAnnounced() external view returns (uint256);
        function totalRewardsPaid() external view returns (uint256);
        function totalPendingWithdrawals() external view returns (uint256);
        function accountedAssets() external view returns (uint256);
        function request(uint256 id) external view returns (address owner, uint256 amount, uint64 unlockTime, bool open);
        function requestCount() external view returns (uint256);
        function openRequestsOf(address account) external view returns (uint256[] memory);
        function cooldown() external view returns (uint64);
        function vvv() external view returns (address);
        function deployer() external view returns (address);
        function rewardsDistributor() external view returns (address);
        function locker() external view returns (address);

        event UnstakeRequested(uint256 indexed id, address indexed owner, uint256 amount, uint64 unlockTime);

        error ZeroAmount();
        error ZeroAddress();
        error ArithmeticOverflow();
        error InsufficientUnlocked(uint256 unlocked, uint256 needed);
        error InsufficientLocked(uint256 locked, uint256 needed);
        error NotLocker(address caller);
        error NotRewardsDistributor(address caller);
        error UnbackedRewards(uint256 balance, uint256 accounted, uint256 amount);
        error NoRewards();
        error CooldownNotElapsed(uint64 unlockTime);
        error NotRequestOwner(uint256 id, address owner);
        error RequestNotOpen(uint256 id);
        error CooldownOutOfRange(uint64 requested, uint64 max);
        error NotDeployer(address caller);
        error AlreadyWired(address current);
        error BrokenInvariant();
        error ERC20InvalidReceiver(address receiver);
        error ERC20InvalidSpender(address spender);
        error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed);
        error AccessControlUnauthorizedAccount(address account, bytes32 neededRole);
        error AccessControlBadConfirmation();
        error EnforcedPause();
        error ExpectedPause();
    }

    /// `contracts/emission-controller`.
    #[sol(all_derives)]
    interface IEmissionController {
        function distribute() external returns (uint256);
        function reportUtilization(uint16 bps) external;
        function pendingEmission() external view returns (uint256);
        function currentStakerShareBps() external view returns (uint16);
        function stakingAprBps() external view returns (uint256);
        function totalEmitted() external view returns (uint256);
        function annualEmission() external view returns (uint256);
        function lastDistribution() external view returns (uint64);
        function carry() external view returns (uint256);
        function token() external view returns (address);
        function vault() external view returns (address);
        function treasury() external view returns (address);
        function hasRole(bytes32 role, address account) external view returns (bool);

        error EmissionIncreaseForbidden(uint256 current, uint256 requested);
        error ZeroAddress();
        error StartTimeInPast(uint64 startTime, uint64 now);
        error CutNotInFuture(uint64 timestamp, uint64 now);
        error TooManyScheduledCuts(uint256 max);
        error UtilizationOutOfRange(uint256 bps);
        error InvalidCurve(uint8 reason, uint256 index);
        error ArithmeticOverflow();
        error CallFailed(address target, bytes reason);
        error AccessControlUnauthorizedAccount(address account, bytes32 neededRole);
        error AccessControlBadConfirmation();
    }

    /// `contracts/burn-treasury`.
    #[sol(all_derives)]
    interface IBurnTreasury {
        function burnRevenue(uint256 amount, uint64 epoch, uint256 usd_value) external;
        function burn(uint256 amount) external;
        function burnBalance() external returns (uint256);
        function vvv() external view returns (address);
        function totalBurned() external view returns (uint256);
        function hasRole(bytes32 role, address account) external view returns (bool);

        error ZeroAmount();
        error ZeroAddress();
        error ArithmeticOverflow();
        error CallFailed(address target, bytes reason);
        error AccessControlUnauthorizedAccount(address account, bytes32 neededRole);
        error AccessControlBadConfirmation();
    }

    /// `contracts/diem-token`.
    #[sol(all_derives)]
    interface IDiemToken {
        function setMinter(address minter) external;
        function stakeCredit(uint256 amount) external;
        function requestCreditUnstake(uint256 amount) external;
        function withdrawCredit() external returns (uint256);
        function minter() external view returns (address);
        function stakedCreditOf(address account) external view returns (uint256);
        function pendingCreditOf(address account) external view returns (uint256 amount, uint64 releaseTime);
        function spendableOf(address account) external view returns (uint256);
        function dailyCreditUsd(address account) external view returns (uint256);
        function totalSupply() external view returns (uint256);
        function balanceOf(address account) external view returns (uint256);
        function transfer(address to, uint256 value) external returns (bool);

        error Unauthorized(address caller);
        error MinterAlreadySet(address minter);
        error InvalidMinter();
        error InvalidDeployer();
        error SupplyOverflow(uint256 totalSupply, uint256 amount);
        error InsufficientSpendable(uint256 spendable, uint256 needed);
        error CreditStakeTooSmall(uint256 staked, uint256 minimum);
        error InsufficientStakedCredit(uint256 staked, uint256 requested);
        error ZeroAmount();
        error NoPendingCredit();
        error CreditLocked(uint64 releaseTime);
        error ArithmeticOverflow();
        error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed);
        error ERC20InvalidSender(address sender);
        error ERC20InvalidReceiver(address receiver);
        error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed);
        error ERC20InvalidSpender(address spender);
        error ERC20InvalidApprover(address approver);
    }

    /// `contracts/diem-minter`.
    #[sol(all_derives)]
    interface IDiemMinter {
        function mint(uint256 amount, uint256 max_cost) external returns (uint256);
        function burn(uint256 amount) external returns (uint256);
        function mintRate() external view returns (uint256);
        function quoteMint(uint256 amount) external view returns (uint256);
        function quoteBurn(address account, uint256 amount) external view returns (uint256);
        function positionOf(address account) external view returns (uint256 locked, uint256 debt);
        function curve() external view returns (uint256 base, uint256 target);
        function totalDebt() external view returns (uint256);
        function totalLocked() external view returns (uint256);
        function vault() external view returns (address);
        function diem() external view returns (address);

        error ZeroAmount();
        error ZeroAddress();
        error TargetReached(uint256 supply, uint256 amount, uint256 target);
        error SlippageExceeded(uint256 cost, uint256 maxCost);
        error InsufficientUnlockedSvvv(uint256 unlocked, uint256 needed);
        error BurnExceedsDebt(uint256 debt, uint256 requested);
        error NoPosition(address account);
        error InvalidCurve(uint256 base, uint256 target, uint256 supply);
        error ArithmeticOverflow();
        error CallFailed(address target, bytes reason);
        error AccessControlUnauthorizedAccount(address account, bytes32 neededRole);
        error AccessControlBadConfirmation();
    }
}

/// Names a revert: the first of the contracts' error sets that decodes it (a `CallFailed`
/// wrapping shows its inner error too), else the raw bytes.
pub fn describe_revert(data: &[u8]) -> String {
    use alloy_sol_types::SolInterface;
    fn inner(reason: &[u8]) -> String {
        format!(" → {}", describe_revert(reason))
    }
    if data.is_empty() {
        return "empty revert (trap or out of gas)".into();
    }
    if let Ok(e) = IStakingVault::IStakingVaultErrors::abi_decode(data) {
        return format!("{e:?}");
    }
    if let Ok(e) = IDiemMinter::IDiemMinterErrors::abi_decode(data) {
        if let IDiemMinter::IDiemMinterErrors::CallFailed(c) = &e {
            return format!("{e:?}{}", inner(&c.reason));
        }
        return format!("{e:?}");
    }
    if let Ok(e) = IEmissionController::IEmissionControllerErrors::abi_decode(data) {
        if let IEmissionController::IEmissionControllerErrors::CallFailed(c) = &e {
            return format!("{e:?}{}", inner(&c.reason));
        }
        return format!("{e:?}");
    }
    if let Ok(e) = IDiemToken::IDiemTokenErrors::abi_decode(data) {
        return format!("{e:?}");
    }
    if let Ok(e) = IVvvToken::IVvvTokenErrors::abi_decode(data) {
        return format!("{e:?}");
    }
    if let Ok(e) = IBurnTreasury::IBurnTreasuryErrors::abi_decode(data) {
        return format!("{e:?}");
    }
    format!("unknown revert 0x{}", alloy_primitives::hex::encode(data))
}
