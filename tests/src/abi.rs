//! The contracts' ABIs as typed bindings, generated from the checked-in JSON ABIs
//! (`abi/<contract>.json`, written by `cargo run -p vvv-scripts -- abi` from what each contract
//! dispatches plus its `sol!` events and errors): the tests call the contracts through exactly
//! the ABI a dapp sees. Parameter names are camelCase as in Solidity (`maxCost`); multiple
//! return values are unnamed (`_0`, `_1`, ...), as export-abi prints them.

use alloy_sol_types::sol;

sol!(
    #[sol(all_derives)]
    IVvvToken,
    "../abi/vvv-token.json"
);
sol!(
    #[sol(all_derives)]
    IStakingVault,
    "../abi/staking-vault.json"
);
sol!(
    #[sol(all_derives)]
    IEmissionController,
    "../abi/emission-controller.json"
);
sol!(
    #[sol(all_derives)]
    IBurnTreasury,
    "../abi/burn-treasury.json"
);
sol!(
    #[sol(all_derives)]
    IDiemToken,
    "../abi/diem-token.json"
);
sol!(
    #[sol(all_derives)]
    IDiemMinter,
    "../abi/diem-minter.json"
);
sol!(
    #[sol(all_derives)]
    IAirdrop,
    "../abi/airdrop.json"
);
sol!(
    #[sol(all_derives)]
    IVvvVesting,
    "../abi/vesting.json"
);

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
    if let Ok(e) = IAirdrop::IAirdropErrors::abi_decode(data) {
        if let IAirdrop::IAirdropErrors::CallFailed(c) = &e {
            return format!("{e:?}{}", inner(&c.reason));
        }
        return format!("{e:?}");
    }
    if let Ok(e) = IVvvVesting::IVvvVestingErrors::abi_decode(data) {
        return format!("{e:?}");
    }
    format!("unknown revert 0x{}", alloy_primitives::hex::encode(data))
}
