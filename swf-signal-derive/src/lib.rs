//! The derive macro behind [`swf-signal`](https://docs.rs/swf-signal): use it through
//! `swf_signal::Signal`, which documents the attributes and the wire format.
//!
//! The crate is organised in phases, each in its own file: `attr.rs` and `ast.rs` parse,
//! `valid.rs` checks, `expand.rs` generates (with `fallback.rs` after an error).

#![forbid(unsafe_code)]

mod ast;
mod attr;
mod case;
mod ctxt;
mod expand;
mod fallback;
mod name_macro;
mod valid;

use proc_macro::TokenStream;

/// Derives `swf_signal::Signal`, the `…Handler` trait and dispatch for a signal enum.
///
/// See `swf_signal::Signal` for the attributes and the wire format.
#[proc_macro_derive(Signal, attributes(signal, serde))]
pub fn derive_signal(input: TokenStream) -> TokenStream {
    match syn::parse::<syn::DeriveInput>(input) {
        Ok(input) => expand::derive(&input).into(),
        Err(err) => err.to_compile_error().into(),
    }
}

/// The wire name of one variant as a `&'static str` constant, without building a value.
///
/// See `swf_signal::signal_name!`.
#[proc_macro]
pub fn signal_name(input: TokenStream) -> TokenStream {
    match name_macro::expand(input.into()) {
        Ok(out) => out.into(),
        Err(err) => err.to_compile_error().into(),
    }
}
