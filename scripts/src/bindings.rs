//! Typed bindings generated from the checked-in JSON ABIs (`abi/*.json`, written by `vvv abi`):
//! the scripts call the contracts through exactly the ABI a dapp sees.

#![allow(clippy::too_many_arguments)]

use alloy_sol_types::{sol, SolInterface};

sol!(
    #[sol(all_derives)]
    #[derive(Debug)]
    IVvvToken,
    "../abi/vvv-token.json"
);
sol!(
    #[sol(all_derives)]
    #[derive(Debug)]
    IStakingVault,
    "../abi/staking-vault.json"
);
sol!(
    #[sol(all_derives)]
    #[derive(Debug)]
    IEmissionController,
    "../abi/emission-controller.json"
);
sol!(
    #[sol(all_derives)]
    #[derive(Debug)]
    IBurnTreasury,
    "../abi/burn-treasury.json"
);
sol!(
    #[sol(all_derives)]
    #[derive(Debug)]
    IDiemToken,
    "../abi/diem-token.json"
);
sol!(
    #[sol(all_derives)]
    #[derive(Debug)]
    IDiemMinter,
    "../abi/diem-minter.json"
);
sol!(
    #[sol(all_derives)]
    #[derive(Debug)]
    IAirdrop,
    "../abi/airdrop.json"
);
sol!(
    #[sol(all_derives)]
    #[derive(Debug)]
    IVvvVesting,
    "../abi/vesting.json"
);

/// Names a revert: the first contract error set that decodes it (a `CallFailed` wrapper shows
/// its inner error too), else the raw bytes.
pub fn describe_revert(data: &[u8]) -> String {
    if data.is_empty() {
        return "empty revert (trap or out of gas)".into();
    }
    macro_rules! try_set {
        ($errors:ty) => {
            if let Ok(e) = <$errors>::abi_decode(data, true) {
                let text = tidy(format!("{e:?}"));
                // `CallFailed(target, reason)`: decode the reason too.
                if let Some(reason) = call_failed_reason(data) {
                    return format!("{text} → {}", describe_revert(&reason));
                }
                return text;
            }
        };
    }
    try_set!(IStakingVault::IStakingVaultErrors);
    try_set!(IDiemMinter::IDiemMinterErrors);
    try_set!(IEmissionController::IEmissionControllerErrors);
    try_set!(IDiemToken::IDiemTokenErrors);
    try_set!(IVvvToken::IVvvTokenErrors);
    try_set!(IBurnTreasury::IBurnTreasuryErrors);
    try_set!(IAirdrop::IAirdropErrors);
    try_set!(IVvvVesting::IVvvVestingErrors);
    if let Ok(e) = crate::deploy::IStylusDeployer::IStylusDeployerErrors::abi_decode(data, true) {
        if let crate::deploy::IStylusDeployer::IStylusDeployerErrors::ContractInitializationError(
            i,
        ) = &e
        {
            return format!(
                "ContractInitializationError({}) → {}",
                i.newContract,
                describe_revert(&i.data)
            );
        }
        return tidy(format!("{e:?}"));
    }
    format!("unknown revert 0x{}", alloy_primitives::hex::encode(data))
}

/// `AlreadyClaimed(AlreadyClaimed { index: 0 })` (the enum's `Debug`) → `AlreadyClaimed { index: 0 }`.
fn tidy(text: String) -> String {
    if let Some(open) = text.find('(') {
        let (name, inner) = (&text[..open], &text[open + 1..text.len().saturating_sub(1)]);
        if inner.starts_with(name) && text.ends_with(')') {
            return inner.to_string();
        }
    }
    text
}

/// The `reason` of a `CallFailed(address,bytes)` error, if `data` is one.
fn call_failed_reason(data: &[u8]) -> Option<Vec<u8>> {
    use alloy_sol_types::SolError;
    IAirdrop::CallFailed::abi_decode(data, true)
        .ok()
        .map(|c| c.reason.to_vec())
}
