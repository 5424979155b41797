//! What the derive emits next to `compile_error!`: stub impls, the handler trait and
//! the names, so that uses of the enum elsewhere do not add twenty follow-on errors.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ast::Enum;

pub(crate) fn expand(e: &Enum<'_>) -> TokenStream {
    let ident = e.ident;
    let common = crate::expand::common_items(e);
    quote! {
        #[automatically_derived]
        impl ::swf_signal::Signal for #ident {
            const NAMES: &'static [&'static str] = &[];

            fn signal_name(&self) -> &'static str {
                ::core::unreachable!()
            }

            fn encode_input(
                &self,
            ) -> ::core::result::Result<::core::option::Option<::std::string::String>, ::swf_signal::EncodeError> {
                ::core::unreachable!()
            }

            fn decode(
                _: &str,
                _: ::core::option::Option<&str>,
            ) -> ::core::result::Result<Self, ::swf_signal::DecodeError> {
                ::core::unreachable!()
            }
        }

        #common
    }
}
