//! Role-based access control with OpenZeppelin's `AccessControl` ABI (same events, errors and
//! selectors: `hasRole`, `getRoleAdmin`, `grantRole`, `revokeRole`, `renounceRole`), as a
//! storage component each contract embeds in a field `access` and exposes by putting
//! [`access_control`] above its `#[public]` block (those five functions, written once).
//!
//! Ours rather than `openzeppelin-stylus`'s: that crate turns on alloy's `tiny-keccak` feature,
//! which replaces the `native_keccak256` host function with keccak compiled into every program
//! (≈ 1.8 KB of Wasm and slower storage-map hashing); the contracts with roles (vault,
//! controller, DIEM minter, treasury) need nothing else from OpenZeppelin, so they use this
//! instead and link the host's keccak. Every role's admin is `DEFAULT_ADMIN_ROLE` (0x00): the suite never sets
//! another (no `_setRoleAdmin`).
#![no_std]
extern crate alloc;

use alloc::{vec, vec::Vec};

use alloy_primitives::{Address, B256};
use alloy_sol_types::SolEvent;
use stylus_sdk::{
    msg,
    prelude::*,
    storage::{StorageBool, StorageMap},
};
use vvv_encoding::emit_topics;

mod sol {
    alloy_sol_types::sol! {
        /// `account` was granted `role` by `sender`.
        #[derive(Debug, PartialEq, Eq)]
        event RoleGranted(bytes32 indexed role, address indexed account, address indexed sender);
        /// `account` lost `role`; `sender` revoked it (or is `account`, renouncing).
        #[derive(Debug, PartialEq, Eq)]
        event RoleRevoked(bytes32 indexed role, address indexed account, address indexed sender);

        /// `account` lacks `neededRole`.
        #[derive(Debug, PartialEq, Eq)]
        error AccessControlUnauthorizedAccount(address account, bytes32 neededRole);
        /// `renounceRole` was called with a confirmation that is not the caller.
        #[derive(Debug, PartialEq, Eq)]
        error AccessControlBadConfirmation();
    }
}
pub use sol::*;
pub use vvv_access_macros::access_control;

/// `DEFAULT_ADMIN_ROLE`: 0x00, the admin of every role (itself included).
pub const DEFAULT_ADMIN_ROLE: [u8; 32] = [0; 32];

/// The id of the role called `name`: `keccak256(name)`, e.g. `role_id(b"REPORTER_ROLE")`, as
/// OpenZeppelin's `keccak256("REPORTER_ROLE")`. Computed at compile time (in a `const`); the
/// controller's and treasury's tests compare their roles with alloy's `keccak256`.
pub const fn role_id(name: &[u8]) -> [u8; 32] {
    stylus_sdk::keccak_const::Keccak256::new()
        .update(name)
        .finalize()
}

/// Why a role check or a role change failed; each contract wraps these in its own `Error`.
#[derive(Debug, PartialEq, Eq)]
pub enum Error {
    UnauthorizedAccount(AccessControlUnauthorizedAccount),
    BadConfirmation(AccessControlBadConfirmation),
}

/// Storage: who holds which role.
#[storage]
pub struct AccessControl {
    /// role → account → holds it.
    members: StorageMap<B256, StorageMap<Address, StorageBool>>,
}

impl AccessControl {
    /// `DEFAULT_ADMIN_ROLE` (also as an associated constant, as in OpenZeppelin's component).
    pub const DEFAULT_ADMIN_ROLE: [u8; 32] = DEFAULT_ADMIN_ROLE;

    /// Whether `account` holds `role`.
    pub fn has_role(&self, role: B256, account: Address) -> bool {
        self.members.getter(role).get(account)
    }

    /// The admin of `role`: always `DEFAULT_ADMIN_ROLE`.
    pub fn get_role_admin(&self, _role: B256) -> B256 {
        DEFAULT_ADMIN_ROLE.into()
    }

    /// `AccessControlUnauthorizedAccount(account, role)` unless `account` holds `role`.
    pub fn _check_role(&self, role: B256, account: Address) -> Result<(), Error> {
        if self.has_role(role, account) {
            Ok(())
        } else {
            Err(Error::UnauthorizedAccount(
                AccessControlUnauthorizedAccount {
                    account,
                    neededRole: role,
                },
            ))
        }
    }

    /// Reverts unless the caller holds `role`.
    pub fn only_role(&self, role: B256) -> Result<(), Error> {
        self._check_role(role, msg::sender())
    }

    /// Grants `role` to `account`; the caller must be an admin.
    pub fn grant_role(&mut self, role: B256, account: Address) -> Result<(), Error> {
        self.only_role(DEFAULT_ADMIN_ROLE.into())?;
        self._grant_role(role, account);
        Ok(())
    }

    /// Revokes `role` from `account`; the caller must be an admin.
    pub fn revoke_role(&mut self, role: B256, account: Address) -> Result<(), Error> {
        self.only_role(DEFAULT_ADMIN_ROLE.into())?;
        self._revoke_role(role, account);
        Ok(())
    }

    /// The caller gives up `role`; `confirmation` must be the caller (a typo guard).
    pub fn renounce_role(&mut self, role: B256, confirmation: Address) -> Result<(), Error> {
        if msg::sender() != confirmation {
            return Err(Error::BadConfirmation(AccessControlBadConfirmation {}));
        }
        self._revoke_role(role, confirmation);
        Ok(())
    }

    /// Grants `role` to `account` without a check (constructors); logs `RoleGranted` if it is
    /// new. Returns whether it was.
    pub fn _grant_role(&mut self, role: B256, account: Address) -> bool {
        if self.has_role(role, account) {
            return false;
        }
        self.members.setter(role).insert(account, true);
        emit_topics(&[
            RoleGranted::SIGNATURE_HASH,
            role,
            account.into_word(),
            msg::sender().into_word(),
        ]);
        true
    }

    /// Revokes `role` from `account` without a check; logs `RoleRevoked` if it was held.
    pub fn _revoke_role(&mut self, role: B256, account: Address) -> bool {
        if !self.has_role(role, account) {
            return false;
        }
        self.members.setter(role).insert(account, false);
        emit_topics(&[
            RoleRevoked::SIGNATURE_HASH,
            role,
            account.into_word(),
            msg::sender().into_word(),
        ]);
        true
    }
}
