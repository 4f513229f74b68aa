//! `#[vvv_access::access_control]`: adds OpenZeppelin's `IAccessControl` functions (`hasRole`,
//! `getRoleAdmin`, `grantRole`, `revokeRole`, `renounceRole`: the Solidity interface, id
//! `0x7965db0b`) to a contract's `#[public]` block, delegating to its
//! `access: vvv_access::AccessControl` field, and converts `vvv_access::Error` into the crate's
//! `Error` (its variants `UnauthorizedAccount` and `BadConfirmation`, OpenZeppelin's errors).
//!
//! A macro rather than a trait implemented with stylus-sdk 0.9's `#[implements]`: that route
//! leaves a trait's functions out of `export-abi`, the source of the ABIs `vvv abi` writes.
use proc_macro::TokenStream;
use quote::ToTokens;
use syn::{parse_macro_input, parse_quote, spanned::Spanned, ItemImpl};

/// Place above `#[public]` (attributes expand top-down: below it, the functions would not be
/// routed).
#[proc_macro_attribute]
pub fn access_control(attr: TokenStream, item: TokenStream) -> TokenStream {
    let mut block = parse_macro_input!(item as ItemImpl);
    if !attr.is_empty() {
        return error(
            proc_macro2::TokenStream::from(attr).span(),
            "takes no arguments",
        );
    }
    // `#[public]` or a path ending in it (`#[stylus_sdk::prelude::public]`).
    let is_public = |a: &syn::Attribute| {
        a.path()
            .segments
            .last()
            .is_some_and(|s| s.ident == "public")
    };
    if !block.attrs.iter().any(is_public) {
        return error(block.span(), "place #[access_control] above #[public]");
    }
    let facade: ItemImpl = parse_quote! {
        impl Facade {
            /// Whether `account` holds `role`.
            pub fn has_role(
                &self,
                role: ::alloy_primitives::B256,
                account: ::alloy_primitives::Address,
            ) -> bool {
                self.access.has_role(role, account)
            }

            /// The role that administers `role` (`DEFAULT_ADMIN_ROLE` = 0x00 for every role).
            pub fn get_role_admin(&self, role: ::alloy_primitives::B256) -> ::alloy_primitives::B256 {
                self.access.get_role_admin(role)
            }

            /// Grants `role` to `account`; the caller must hold `role`'s admin role.
            pub fn grant_role(
                &mut self,
                role: ::alloy_primitives::B256,
                account: ::alloy_primitives::Address,
            ) -> Result<(), Error> {
                Ok(self.access.grant_role(role, account)?)
            }

            /// Revokes `role` from `account`; the caller must hold `role`'s admin role.
            pub fn revoke_role(
                &mut self,
                role: ::alloy_primitives::B256,
                account: ::alloy_primitives::Address,
            ) -> Result<(), Error> {
                Ok(self.access.revoke_role(role, account)?)
            }

            /// The caller gives up `role`; `confirmation` must be the caller.
            pub fn renounce_role(
                &mut self,
                role: ::alloy_primitives::B256,
                confirmation: ::alloy_primitives::Address,
            ) -> Result<(), Error> {
                Ok(self.access.renounce_role(role, confirmation)?)
            }
        }
    };
    block.items.extend(facade.items);
    let from_access_error: syn::ItemImpl = parse_quote! {
        impl ::core::convert::From<::vvv_access::Error> for Error {
            fn from(value: ::vvv_access::Error) -> Self {
                match value {
                    ::vvv_access::Error::UnauthorizedAccount(e) => Error::UnauthorizedAccount(e),
                    ::vvv_access::Error::BadConfirmation(e) => Error::BadConfirmation(e),
                }
            }
        }
    };
    let mut out = block.into_token_stream();
    from_access_error.to_tokens(&mut out);
    out.into()
}

fn error(span: proc_macro2::Span, message: &str) -> TokenStream {
    syn::Error::new(span, message).to_compile_error().into()
}
