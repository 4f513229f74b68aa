//! VVV — the capital asset (SPEC §3.1).
//!
//! ERC-20 `"Venice Token"` / `"VVV"`, 18 decimals, EIP-2612 `permit`. Genesis mints exactly
//! 100 000 000 VVV to the recipients given at deployment; after that, new supply comes only
//! from the minter (the emission controller), which the deployer wires once and nobody can
//! change. Anyone can burn their own VVV or an allowance they were given.
//!
//! Building blocks: OpenZeppelin's `Erc20`, `Nonces` and `Erc20Permit`; the fixed minter and
//! the mint/burn counters are ours. There is deliberately no role that can mint: a role could
//! be granted to anyone, a minter fixed at wiring time cannot (SPEC §4).
#![cfg_attr(not(any(test, feature = "export-abi")), no_main, no_std)]
extern crate alloc;

// The trapping panic handler of Wasm builds.
use vvv_support as _;

use alloc::{string::String, vec, vec::Vec};

use alloy_primitives::{keccak256, uint, Address, B256, U256};
use alloy_sol_types::SolValue;
use openzeppelin_stylus::{
    token::erc20::{
        self,
        extensions::{permit, Erc20Permit},
        Erc20, IErc20,
    },
    utils::{
        cryptography::{
            ecdsa::{
                ECDSAInvalidSignature, ECDSAInvalidSignatureS, EcRecoverData, ECRECOVER_ADDR,
                SIGNATURE_S_UPPER_BOUND,
            },
            eip712::{to_typed_data_hash, IEip712},
        },
        nonces::{INonces, Nonces},
    },
};
use stylus_sdk::{block, call, keccak_const::Keccak256, msg, prelude::*, storage::StorageU256};
use vvv_wiring::{Link, Wiring, MINTER};

/// Genesis supply: exactly 100 000 000 VVV.
pub const GENESIS_SUPPLY: U256 = uint!(100_000_000_000_000_000_000_000_000_U256);

/// EIP-2612 `Permit` type hash (the same constant OpenZeppelin's `Erc20Permit` uses).
const PERMIT_TYPEHASH: [u8; 32] = Keccak256::new()
    .update(b"Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)")
    .finalize();

mod sol {
    alloy_sol_types::sol! {

        /// Genesis recipients and amounts have different lengths.
        #[derive(Debug, PartialEq, Eq)]
        error GenesisLengthMismatch(uint256 recipients, uint256 amounts);
        /// Genesis amounts do not sum to exactly 100 000 000 VVV.
        #[derive(Debug, PartialEq, Eq)]
        error GenesisSupplyMismatch(uint256 total, uint256 expected);
        /// A mint would overflow the total supply.
        #[derive(Debug, PartialEq, Eq)]
        error SupplyOverflow(uint256 totalSupply, uint256 amount);
    }
}
/// `token()`: the minter's own link to this token, checked when it is wired (SPEC §3.2).
const MINTER_LINK: [u8; 4] = stylus_sdk::function_selector!("token");

pub use sol::*;
pub use vvv_wiring::{
    AlreadyWired, InvalidDeployer, InvalidLink, NotDeployer, UnauthorizedCaller, Wired,
    WiringMismatch,
};

// Every way a VVV call can fail, each an ABI-encoded custom error
// (`vvv_encoding::static_errors!`: `#[derive(SolidityError)]` with one shared encoder;
// `errors_encode_as_their_abi` checks every variant against alloy's encoding).
vvv_encoding::static_errors! {
    #[derive(Debug)]
    pub enum Error {
        GenesisLengthMismatch(GenesisLengthMismatch { recipients, amounts }),
        GenesisSupplyMismatch(GenesisSupplyMismatch { total, expected }),
        NotDeployer(NotDeployer { caller }),
        AlreadyWired(AlreadyWired { link, current }),
        InvalidLink(InvalidLink { link }),
        InvalidDeployer(InvalidDeployer {}),
        WiringMismatch(WiringMismatch { counterpart, expected, actual }),
        UnauthorizedCaller(UnauthorizedCaller { link, caller }),
        SupplyOverflow(SupplyOverflow { totalSupply, amount }),
        ExpiredSignature(permit::ERC2612ExpiredSignature { deadline }),
        InvalidSigner(permit::ERC2612InvalidSigner { signer, owner }),
        InvalidSignature(ECDSAInvalidSignature {}),
        InvalidSignatureS(ECDSAInvalidSignatureS { s }),
        InsufficientBalance(erc20::ERC20InsufficientBalance { sender, balance, needed }),
        InvalidSender(erc20::ERC20InvalidSender { sender }),
        InvalidReceiver(erc20::ERC20InvalidReceiver { receiver }),
        InsufficientAllowance(erc20::ERC20InsufficientAllowance { spender, allowance, needed }),
        InvalidSpender(erc20::ERC20InvalidSpender { spender }),
        InvalidApprover(erc20::ERC20InvalidApprover { approver }),
    }
}

/// Two errors are equal when their variants and fields are (tests compare a call's error with
/// `assert_eq!`). OpenZeppelin's error structs do not implement `PartialEq`; their `Debug`
/// output lists every field, so it is compared instead.
#[cfg(not(target_arch = "wasm32"))] // host only: tests (the contracts never compare errors)
impl PartialEq for Error {
    fn eq(&self, other: &Self) -> bool {
        alloc::format!("{self:?}") == alloc::format!("{other:?}")
    }
}

impl From<erc20::Error> for Error {
    fn from(value: erc20::Error) -> Self {
        match value {
            erc20::Error::InsufficientBalance(e) => Error::InsufficientBalance(e),
            erc20::Error::InvalidSender(e) => Error::InvalidSender(e),
            erc20::Error::InvalidReceiver(e) => Error::InvalidReceiver(e),
            erc20::Error::InsufficientAllowance(e) => Error::InsufficientAllowance(e),
            erc20::Error::InvalidSpender(e) => Error::InvalidSpender(e),
            erc20::Error::InvalidApprover(e) => Error::InvalidApprover(e),
        }
    }
}

impl From<permit::Error> for Error {
    fn from(value: permit::Error) -> Self {
        match value {
            permit::Error::ExpiredSignature(e) => Error::ExpiredSignature(e),
            permit::Error::InvalidSigner(e) => Error::InvalidSigner(e),
            permit::Error::InvalidSignature(e) => Error::InvalidSignature(e),
            permit::Error::InvalidSignatureS(e) => Error::InvalidSignatureS(e),
            permit::Error::InsufficientBalance(e) => Error::InsufficientBalance(e),
            permit::Error::InvalidSender(e) => Error::InvalidSender(e),
            permit::Error::InvalidReceiver(e) => Error::InvalidReceiver(e),
            permit::Error::InsufficientAllowance(e) => Error::InsufficientAllowance(e),
            permit::Error::InvalidSpender(e) => Error::InvalidSpender(e),
            permit::Error::InvalidApprover(e) => Error::InvalidApprover(e),
        }
    }
}

/// EIP-712 domain of the permit signatures.
#[storage]
pub struct Eip712;

impl IEip712 for Eip712 {
    const NAME: &'static str = "Venice Token";
    const VERSION: &'static str = "1";
}

/// Storage of the VVV token.
#[entrypoint]
#[storage]
pub struct VvvToken {
    /// Balances, allowances and total supply (OpenZeppelin).
    erc20: Erc20,
    /// Permit nonces per owner (OpenZeppelin).
    nonces: Nonces,
    /// EIP-2612 permit (OpenZeppelin).
    permit: Erc20Permit<Eip712>,
    /// The account that may wire the minter, until it does.
    wiring: Wiring,
    /// The only account that may mint, the emission controller, wired once by the deployer.
    minter: Link,
    /// VVV minted after genesis (emissions).
    total_minted: StorageU256,
    /// VVV burned, by anyone, ever.
    total_burned: StorageU256,
}

#[public]
impl VvvToken {
    /// Mints the genesis supply: `amounts[i]` to `recipients[i]`, exactly 100M in all.
    /// `deployer` (not zero: `InvalidDeployer()`) may wire the minter once afterwards; an
    /// argument because through the StylusDeployer the caller is that contract (D-1).
    #[constructor]
    pub fn constructor(
        &mut self,
        deployer: Address,
        recipients: Vec<Address>,
        amounts: Vec<U256>,
    ) -> Result<(), Error> {
        if recipients.len() != amounts.len() {
            return Err(Error::GenesisLengthMismatch(GenesisLengthMismatch {
                recipients: U256::from(recipients.len()),
                amounts: U256::from(amounts.len()),
            }));
        }
        let mut total = U256::ZERO;
        for (recipient, amount) in recipients.iter().zip(amounts.iter()) {
            // Saturating: an overflowing sum is above 100M and is rejected below.
            total = total.saturating_add(*amount);
            if total > GENESIS_SUPPLY {
                break;
            }
            self.erc20._mint(*recipient, *amount)?;
        }
        if total != GENESIS_SUPPLY {
            return Err(Error::GenesisSupplyMismatch(GenesisSupplyMismatch {
                total,
                expected: GENESIS_SUPPLY,
            }));
        }
        self.wiring.init::<Error>(deployer)?;
        Ok(())
    }

    /// Wires the minter (the emission controller). Only the deployer, only once: afterwards
    /// nobody, the deployer included, can mint except through the minter.
    pub fn set_minter(&mut self, minter: Address) -> Result<(), Error> {
        self.wiring
            .wire_minter(&mut self.minter, minter, MINTER_LINK)
    }

    /// Mints `amount` new VVV to `to`. Only the minter.
    pub fn mint(&mut self, to: Address, amount: U256) -> Result<(), Error> {
        self.minter.only::<Error>(MINTER)?;
        let total_supply = self.erc20.total_supply();
        // total_minted ≤ total_supply + total_burned is not bounded by the supply check
        // alone, so both additions are checked.
        let (Some(_), Some(total_minted)) = (
            total_supply.checked_add(amount),
            self.total_minted.get().checked_add(amount),
        ) else {
            return Err(Error::SupplyOverflow(SupplyOverflow {
                totalSupply: total_supply,
                amount,
            }));
        };
        self.erc20._mint(to, amount)?;
        self.total_minted.set(total_minted);
        Ok(())
    }

    /// The emission controller, or zero before wiring.
    pub fn minter(&self) -> Address {
        self.minter.get()
    }

    /// VVV minted since genesis.
    pub fn total_minted(&self) -> U256 {
        self.total_minted.get()
    }

    /// VVV burned since genesis.
    pub fn total_burned(&self) -> U256 {
        self.total_burned.get()
    }

    /// `"Venice Token"`.
    pub fn name(&self) -> String {
        Eip712::NAME.into()
    }

    /// `"VVV"`.
    pub fn symbol(&self) -> String {
        "VVV".into()
    }

    /// 18.
    pub fn decimals(&self) -> u8 {
        18
    }

    // ----- ERC-20 (OpenZeppelin `Erc20`) -----

    /// Total VVV in existence.
    pub fn total_supply(&self) -> U256 {
        self.erc20.total_supply()
    }

    /// VVV held by `account`.
    pub fn balance_of(&self, account: Address) -> U256 {
        self.erc20.balance_of(account)
    }

    /// Moves `value` of the caller's VVV to `to`.
    pub fn transfer(&mut self, to: Address, value: U256) -> Result<bool, Error> {
        Ok(self.erc20.transfer(to, value)?)
    }

    /// How much of `owner`'s VVV `spender` may move.
    pub fn allowance(&self, owner: Address, spender: Address) -> U256 {
        self.erc20.allowance(owner, spender)
    }

    /// Lets `spender` move `value` of the caller's VVV (`U256::MAX`: unlimited).
    pub fn approve(&mut self, spender: Address, value: U256) -> Result<bool, Error> {
        Ok(self.erc20.approve(spender, value)?)
    }

    /// Moves `value` of `from`'s VVV to `to`, spending the caller's allowance.
    pub fn transfer_from(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
    ) -> Result<bool, Error> {
        Ok(self.erc20.transfer_from(from, to, value)?)
    }

    // ----- Burning (ERC-20 burnable) -----

    /// Burns `value` of the caller's VVV.
    pub fn burn(&mut self, value: U256) -> Result<(), Error> {
        let caller = msg::sender();
        self.burn_counted(caller, value)
    }

    /// Burns `value` of `account`'s VVV, spending the caller's allowance.
    pub fn burn_from(&mut self, account: Address, value: U256) -> Result<(), Error> {
        let spender = msg::sender();
        self.erc20._spend_allowance(account, spender, value)?;
        self.burn_counted(account, value)
    }

    // ----- EIP-2612 permit (OpenZeppelin `Nonces`, `Erc20Permit`) -----

    /// The next permit nonce of `owner`.
    pub fn nonces(&self, owner: Address) -> U256 {
        self.nonces.nonces(owner)
    }

    /// The EIP-712 domain separator of the permit signatures.
    #[selector(name = "DOMAIN_SEPARATOR")]
    pub fn domain_separator(&self) -> B256 {
        self.permit.domain_separator()
    }

    /// Sets `owner`'s allowance for `spender` to `value` with `owner`'s signature `(v, r, s)`
    /// over the EIP-712 `Permit`, valid until `deadline`.
    #[allow(clippy::too_many_arguments)]
    pub fn permit(
        &mut self,
        owner: Address,
        spender: Address,
        value: U256,
        deadline: U256,
        v: u8,
        r: B256,
        s: B256,
    ) -> Result<(), Error> {
        // Same check and order as OpenZeppelin's, so an expired permit reports
        // `ERC2612ExpiredSignature` before any signature work.
        if U256::from(block::timestamp()) > deadline {
            return Err(Error::ExpiredSignature(permit::ERC2612ExpiredSignature {
                deadline,
            }));
        }
        let digest = self.permit_digest(owner, spender, value, deadline);
        self.probe_ecrecover(digest, v, r, s)?;
        Ok(self.permit.permit(
            owner,
            spender,
            value,
            deadline,
            v,
            r,
            s,
            &mut self.erc20,
            &mut self.nonces,
        )?)
    }
}

impl VvvToken {
    /// The EIP-712 digest the owner signs for `permit` with their current nonce: the same
    /// value OpenZeppelin's `Erc20Permit::permit` recovers from (checked by a test).
    fn permit_digest(&self, owner: Address, spender: Address, value: U256, deadline: U256) -> B256 {
        let struct_hash = keccak256(
            (
                B256::new(PERMIT_TYPEHASH),
                owner,
                spender,
                value,
                self.nonces.nonces(owner),
                deadline,
            )
                .abi_encode(),
        );
        to_typed_data_hash(&self.permit.domain_separator(), &struct_hash)
    }

    /// Calls the `ecrecover` precompile once to make sure it returns an address.
    ///
    /// Why: OpenZeppelin 0.3.0's `ecdsa::recover` slices `output[12..]`, but the real precompile
    /// returns *empty* output for a signature it cannot recover (`v ∉ {27, 28}`, `r = 0`,
    /// `r` not on the curve…), so that input would panic (a bare trap, no error data) instead of
    /// reverting with `ECDSAInvalidSignature()` (SPEC §2: no input may make a contract panic).
    /// Such input is rejected here first; a valid signature then costs one extra precompile
    /// call (3 000 gas). motsu's precompile pads its output, so the unit test of this path
    /// installs an empty-returning precompile of its own.
    ///
    /// A high `s` is rejected before the call, as OpenZeppelin does, so that error does not
    /// depend on whether the precompile could recover (`s ≥ n` cannot).
    fn probe_ecrecover(&self, digest: B256, v: u8, r: B256, s: B256) -> Result<(), Error> {
        if U256::from_be_bytes(s.0) > SIGNATURE_S_UPPER_BOUND {
            return Err(Error::InvalidSignatureS(ECDSAInvalidSignatureS { s }));
        }
        let calldata = EcRecoverData {
            hash: digest,
            v,
            r,
            s,
        }
        .abi_encode();
        match call::static_call(self, ECRECOVER_ADDR, &calldata) {
            Ok(output) if output.len() >= 32 => Ok(()),
            _ => Err(Error::InvalidSignature(ECDSAInvalidSignature {})),
        }
    }

    /// Burns `amount` from `account` and counts it. `total_burned ≤ total ever supplied`, so the
    /// addition cannot overflow once the burn itself succeeded.
    fn burn_counted(&mut self, account: Address, amount: U256) -> Result<(), Error> {
        self.erc20._burn(account, amount)?;
        self.total_burned
            .set(self.total_burned.get().saturating_add(amount));
        Ok(())
    }
}

#[cfg(test)]
mod tests;
