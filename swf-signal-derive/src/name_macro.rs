//! `signal_name!(E::Variant)`: one variant's wire name as a constant.

use proc_macro2::TokenStream;
use quote::quote_spanned;

pub(crate) fn expand(input: TokenStream) -> syn::Result<TokenStream> {
    let mut path: syn::Path = syn::parse2(input)?;
    let variant = match path.segments.pop() {
        Some(segment) if !path.segments.is_empty() => segment,
        _ => {
            return Err(syn::Error::new_spanned(
                &path,
                "expected `Enum::Variant`, like `signal_name!(OrderSignal::Approve)`",
            ))
        }
    };
    if !variant.arguments.is_none() {
        return Err(syn::Error::new_spanned(
            &variant.arguments,
            "a variant takes no generic arguments; write `Enum::Variant`",
        ));
    }
    // `pop` leaves the `::` before the variant behind; drop it so `<#path>` parses.
    path.segments.pop_punct();
    let field = variant.ident;
    let span = field.span();
    Ok(quote_spanned! {span=>
        <#path>::__SWF_SIGNAL_WIRE_NAMES.#field
    })
}
