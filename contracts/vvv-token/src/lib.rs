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
// The free functions `msg::sender()`/`evm::log` are deprecated in favour of `self.vm()`, a
// `dyn Host` whose vtable keeps every host import alive (+1.4 KiB compressed): see
// contracts/README.md, "Code size".
#![allow(deprecated)]
extern crate alloc;

/// A panic is a bug (every input error is a custom error), so it traps without formatting:
/// leaving out `core::fmt` saves several KiB of Wasm.
#[cfg(all(target_arch = "wasm32", not(any(test, feature = "export-abi"))))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}

use alloc::{string::String, vec, vec::Vec};

use alloy_primitives::{uint, Address, B256, U256};
use openzeppelin_stylus::{
    token::erc20::{
        self,
        extensions::{permit, Erc20Permit, IErc20Burnable, IErc20Permit},
        Erc20, IErc20,
    },
    utils::{
        cryptography::eip712::IEip712,
        nonces::{INonces, Nonces},
    },
};
use stylus_sdk::{
    evm, msg,
    prelude::*,
    storage::{StorageAddress, StorageU256},
};

/// Genesis supply: exactly 100 000 000 VVV.
pub const GENESIS_SUPPLY: U256 = uint!(100_000_000_000_000_000_000_000_000_U256);

mod sol {
    alloy_sol_types::sol! {
        /// The minter was wired (once, for good).
        event MinterSet(address indexed minter);

        /// Genesis recipients and amounts have different lengths.
        #[derive(Debug, PartialEq, Eq)]
        error GenesisLengthMismatch(uint256 recipients, uint256 amounts);
        /// Genesis amounts do not sum to exactly 100 000 000 VVV.
        #[derive(Debug, PartialEq, Eq)]
        error GenesisSupplyMismatch(uint256 total, uint256 expected);
        /// The caller is not the one account allowed to do this.
        #[derive(Debug, PartialEq, Eq)]
        error Unauthorized(address caller);
        /// The minter is already wired; it can never change.
        #[derive(Debug, PartialEq, Eq)]
        error MinterAlreadySet(address minter);
        /// The minter cannot be the zero address.
        #[derive(Debug, PartialEq, Eq)]
        error InvalidMinter();
        /// A mint would overflow the total supply.
        #[derive(Debug, PartialEq, Eq)]
        error SupplyOverflow(uint256 totalSupply, uint256 amount);
    }
}
pub use sol::*;

/// Every way a VVV call can fail, each an ABI-encoded custom error.
#[derive(SolidityError, Debug)]
pub enum Error {
    GenesisLengthMismatch(GenesisLengthMismatch),
    GenesisSupplyMismatch(GenesisSupplyMismatch),
    Unauthorized(Unauthorized),
    MinterAlreadySet(MinterAlreadySet),
    InvalidMinter(InvalidMinter),
    SupplyOverflow(SupplyOverflow),
    ExpiredSignature(permit::ERC2612ExpiredSignature),
    InvalidSigner(permit::ERC2612InvalidSigner),
    InvalidSignature(openzeppelin_stylus::utils::cryptography::ecdsa::ECDSAInvalidSignature),
    InvalidSignatureS(openzeppelin_stylus::utils::cryptography::ecdsa::ECDSAInvalidSignatureS),
    InsufficientBalance(erc20::ERC20InsufficientBalance),
    InvalidSender(erc20::ERC20InvalidSender),
    InvalidReceiver(erc20::ERC20InvalidReceiver),
    InsufficientAllowance(erc20::ERC20InsufficientAllowance),
    InvalidSpender(erc20::ERC20InvalidSpender),
    InvalidApprover(erc20::ERC20InvalidApprover),
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
    /// The only account that may mint: the emission controller. Zero until wired.
    minter: StorageAddress,
    /// The account allowed to wire the minter, once; cleared when it does.
    deployer: StorageAddress,
    /// VVV minted after genesis (emissions).
    total_minted: StorageU256,
    /// VVV burned, by anyone, ever.
    total_burned: StorageU256,
}

#[public]
#[implements(IErc20<Error = Error>, IErc20Burnable<Error = Error>, INonces, IErc20Permit<Error = Error>)]
impl VvvToken {
    /// Mints the genesis supply: `amounts[i]` to `recipients[i]`, exactly 100M in all.
    /// The deployer (the caller) may wire the minter once afterwards.
    #[constructor]
    pub fn constructor(
        &mut self,
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
        let deployer = msg::sender();
        self.deployer.set(deployer);
        Ok(())
    }

    /// Wires the minter (the emission controller). Only the deployer, only once: afterwards
    /// nobody, the deployer included, can mint except through the minter.
    pub fn set_minter(&mut self, minter: Address) -> Result<(), Error> {
        let caller = msg::sender();
        let current = self.minter.get();
        if !current.is_zero() {
            return Err(Error::MinterAlreadySet(MinterAlreadySet {
                minter: current,
            }));
        }
        if caller != self.deployer.get() || caller.is_zero() {
            return Err(Error::Unauthorized(Unauthorized { caller }));
        }
        if minter.is_zero() {
            return Err(Error::InvalidMinter(InvalidMinter {}));
        }
        self.minter.set(minter);
        self.deployer.set(Address::ZERO);
        evm::log(MinterSet { minter });
        Ok(())
    }

    /// Mints `amount` new VVV to `to`. Only the minter.
    pub fn mint(&mut self, to: Address, amount: U256) -> Result<(), Error> {
        let caller = msg::sender();
        if caller != self.minter.get() || caller.is_zero() {
            return Err(Error::Unauthorized(Unauthorized { caller }));
        }
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
}

impl VvvToken {
    /// Burns `amount` from `account` and counts it. `total_burned ≤ total ever supplied`, so the
    /// addition cannot overflow once the burn itself succeeded.
    fn burn_counted(&mut self, account: Address, amount: U256) -> Result<(), Error> {
        self.erc20._burn(account, amount)?;
        self.total_burned
            .set(self.total_burned.get().saturating_add(amount));
        Ok(())
    }
}

#[public]
impl IErc20 for VvvToken {
    type Error = Error;

    fn total_supply(&self) -> U256 {
        self.erc20.total_supply()
    }

    fn balance_of(&self, account: Address) -> U256 {
        self.erc20.balance_of(account)
    }

    fn transfer(&mut self, to: Address, value: U256) -> Result<bool, Error> {
        Ok(self.erc20.transfer(to, value)?)
    }

    fn allowance(&self, owner: Address, spender: Address) -> U256 {
        self.erc20.allowance(owner, spender)
    }

    fn approve(&mut self, spender: Address, value: U256) -> Result<bool, Error> {
        Ok(self.erc20.approve(spender, value)?)
    }

    fn transfer_from(&mut self, from: Address, to: Address, value: U256) -> Result<bool, Error> {
        Ok(self.erc20.transfer_from(from, to, value)?)
    }
}

#[public]
impl IErc20Burnable for VvvToken {
    type Error = Error;

    fn burn(&mut self, value: U256) -> Result<(), Error> {
        let caller = msg::sender();
        self.burn_counted(caller, value)
    }

    fn burn_from(&mut self, account: Address, value: U256) -> Result<(), Error> {
        let spender = msg::sender();
        self.erc20._spend_allowance(account, spender, value)?;
        self.burn_counted(account, value)
    }
}

#[public]
impl INonces for VvvToken {
    fn nonces(&self, owner: Address) -> U256 {
        self.nonces.nonces(owner)
    }
}

#[public]
impl IErc20Permit for VvvToken {
    type Error = Error;

    #[selector(name = "DOMAIN_SEPARATOR")]
    fn domain_separator(&self) -> B256 {
        self.permit.domain_separator()
    }

    fn permit(
        &mut self,
        owner: Address,
        spender: Address,
        value: U256,
        deadline: U256,
        v: u8,
        r: B256,
        s: B256,
    ) -> Result<(), Error> {
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

#[cfg(test)]
mod tests {
    use motsu::prelude::*;

    use super::*;

    #[motsu::test]
    fn genesis_mints_exactly_100m(token: Contract<VvvToken>, deployer: Address, alice: Address) {
        let half = GENESIS_SUPPLY / U256::from(2);
        token
            .sender(deployer)
            .constructor(vec![deployer, alice], vec![half, half])
            .motsu_unwrap();
        assert_eq!(token.sender(alice).total_supply(), GENESIS_SUPPLY);
        assert_eq!(token.sender(alice).balance_of(alice), half);
        assert_eq!(token.sender(alice).total_minted(), U256::ZERO);
    }
}
