//! Code generation. Runs on an [`Enum`] that passed validation, or, after an error, on
//! whatever parsed (see `fallback`), so that one mistake does not cascade.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use syn::ext::IdentExt;

use crate::ast::{Enum, Shape, Variant};
use crate::attr::Format;
use crate::ctxt::Ctxt;

/// The derive's entry point: parse, validate, then expand.
pub(crate) fn derive(input: &syn::DeriveInput) -> TokenStream {
    let cx = Ctxt::new();
    let parsed = crate::ast::Enum::from_syn(&cx, input);
    if let Some(e) = &parsed {
        e.validate(&cx);
    }
    match (cx.check(), parsed) {
        (Ok(()), Some(e)) => expand(&e),
        (Err(err), parsed) => {
            let mut out = err.to_compile_error();
            if let Some(e) = parsed.filter(|e| e.original.generics.params.is_empty()) {
                out.extend(crate::fallback::expand(&e));
            }
            out
        }
        // `from_syn` reports into `cx` whenever it returns `None`.
        (Ok(()), None) => TokenStream::new(),
    }
}

fn expand(e: &Enum<'_>) -> TokenStream {
    let ident = e.ident;
    let names: Vec<&str> = wire_names(e).map(|(_, n)| n).collect();
    let signal_name_arms = e.variants.iter().map(|v| {
        let pat = pattern(v);
        let name = v.wire_name.as_ref().map_or("", |w| w.value.as_str());
        quote!(#pat => #name,)
    });
    let java_package = opt_str(e.attrs.java_package.as_ref().map(|p| p.value.as_str()));
    let encode_arms = e.variants.iter().map(|v| encode_arm(v, &java_package));
    let decode_arms = e.variants.iter().filter_map(decode_arm);
    let fallback_arm = if let Some(other) = e.variants.iter().find(|v| v.attrs.other.is_some()) {
        let vident = other.ident;
        quote! {
            _ => ::core::result::Result::Ok(Self::#vident {
                name: ::std::borrow::ToOwned::to_owned(name),
                input: input.map(::std::borrow::ToOwned::to_owned),
            }),
        }
    } else {
        let type_name = ident.to_string();
        quote! {
            _ => ::core::result::Result::Err(
                ::swf_signal::__private::unknown_name(#type_name, name, input, Self::NAMES),
            ),
        }
    };
    let wire_name_fn = e
        .variants
        .iter()
        .find(|v| v.attrs.other.is_some())
        .map(|other| {
            let vident = other.ident;
            quote! {
                fn wire_name(&self) -> &str {
                    match self {
                        Self::#vident { name, .. } => name,
                        _ => ::swf_signal::Signal::signal_name(self),
                    }
                }
            }
        });
    let common = common_items(e);
    let contract = e.attrs.schema.map(|_| contract_impl(e));
    quote! {
        #contract

        #[automatically_derived]
        impl ::swf_signal::Signal for #ident {
            const NAMES: &'static [&'static str] = &[#(#names),*];

            fn signal_name(&self) -> &'static str {
                match self {
                    #(#signal_name_arms)*
                }
            }

            #wire_name_fn

            fn encode_input(
                &self,
            ) -> ::core::result::Result<::core::option::Option<::std::string::String>, ::swf_signal::EncodeError> {
                match self {
                    #(#encode_arms)*
                }
            }

            fn decode(
                name: &str,
                input: ::core::option::Option<&str>,
            ) -> ::core::result::Result<Self, ::swf_signal::DecodeError> {
                match name {
                    #(#decode_arms)*
                    #fallback_arm
                }
            }
        }

        #common
    }
}

/// Items generated whether or not the enum had errors: the handler trait, dispatch and
/// the per-variant names. They depend only on variant names and field types.
pub(crate) fn common_items(e: &Enum<'_>) -> TokenStream {
    let handler = handler_trait(e);
    let names = names_struct(e);
    quote!(#handler #names)
}

fn wire_names<'e>(e: &'e Enum<'_>) -> impl Iterator<Item = (&'e Variant<'e>, &'e str)> {
    e.variants
        .iter()
        .filter_map(|v| v.wire_name.as_ref().map(|w| (v, w.value.as_str())))
}

/// `Self::Variant { .. }` for any shape.
fn pattern(v: &Variant<'_>) -> TokenStream {
    let vident = v.ident;
    quote!(Self::#vident { .. })
}

/// Bindings for the fields of a variant, in order: the field names of a struct variant
/// (raw identifiers kept), `__f0, __f1, …` for tuple fields.
fn bindings(v: &Variant<'_>) -> Vec<Ident> {
    v.original
        .fields
        .iter()
        .enumerate()
        .map(|(i, f)| {
            f.ident
                .clone()
                .unwrap_or_else(|| format_ident!("__f{}", i, span = f.ty.span()))
        })
        .collect()
}

/// `Self::V`, `Self::V(a, b)` or `Self::V { a, b }` binding every field.
fn destructure(v: &Variant<'_>, binds: &[Ident]) -> TokenStream {
    let vident = v.ident;
    match &v.shape {
        Shape::Unit => quote!(Self::#vident),
        Shape::Newtype(_) | Shape::Tuple(_) => quote!(Self::#vident(#(#binds),*)),
        Shape::Struct(_) => quote!(Self::#vident { #(#binds),* }),
    }
}

/// Attributes of a struct-variant field that serde should see on the hidden payload struct.
fn serde_attrs(field: &syn::Field) -> impl Iterator<Item = &syn::Attribute> {
    field.attrs.iter().filter(|a| a.path().is_ident("serde"))
}

/// The type implementing a non-JSON format, `None` for JSON and for variants that do not
/// use a format (raw, other).
fn format_type(v: &Variant<'_>) -> Option<TokenStream> {
    if v.attrs.raw.is_some() || v.attrs.other.is_some() {
        return None;
    }
    match &v.format {
        Format::Json => None,
        Format::Builtin(_, ty) => {
            let ty = Ident::new(ty, Span::call_site());
            Some(quote!(::swf_signal::__private::#ty))
        }
        Format::Custom(path) => Some(quote!(#path)),
    }
}

/// `Some("field")` for a struct variant's field (its keyword), `None` otherwise.
fn keyword(v: &Variant<'_>, bind: &Ident) -> TokenStream {
    let k = matches!(v.shape, Shape::Struct(_)).then(|| bind.unraw().to_string());
    opt_str(k.as_deref())
}

/// An `Option<&'static str>` literal.
fn opt_str(s: Option<&str>) -> TokenStream {
    s.map_or_else(
        || quote!(::core::option::Option::None),
        |s| quote!(::core::option::Option::Some(#s)),
    )
}

fn encode_format_arm(v: &Variant<'_>, ty: &TokenStream, java_package: &TokenStream) -> TokenStream {
    let binds = bindings(v);
    let pat = destructure(v, &binds);
    let name = v.wire_name.as_ref().map_or("", |w| w.value.as_str());
    let args = v
        .original
        .fields
        .iter()
        .zip(&binds)
        .zip(&v.field_attrs)
        .enumerate()
        .map(|(i, ((field, bind), attrs))| {
            let kw = keyword(v, bind);
            let class = opt_str(attrs.java_class.as_ref().map(|c| c.value.as_str()));
            let span = field.ty.span();
            quote_spanned! {span=>
                ::swf_signal::__private::format_arg::<#ty, _>(#name, #i, #kw, #class, #bind)?
            }
        });
    let propagate = v.attrs.propagate.is_some();
    quote! {
        #pat => ::swf_signal::__private::encode_format::<#ty>(
            #name,
            ::std::vec![#(#args),*],
            #java_package,
            #propagate,
        ),
    }
}

/// The names a variant decodes from: its wire name, then its aliases, as a match pattern.
fn name_pattern(v: &Variant<'_>, name: &str) -> TokenStream {
    let aliases = v.attrs.aliases.iter().map(|a| a.value.as_str());
    quote!(#name #(| #aliases)*)
}

fn decode_format_arm(v: &Variant<'_>, ty: &TokenStream) -> Option<TokenStream> {
    let name = v.wire_name.as_ref()?.value.as_str();
    let pattern = name_pattern(v, name);
    let binds = bindings(v);
    let construct = destructure(v, &binds);
    let n = binds.len();
    if n == 0 {
        return Some(quote! {
            #pattern => {
                let __swf_signal_args = ::swf_signal::__private::decode_format::<#ty>(#name, input, 0)?;
                ::swf_signal::__private::finish_args::<#ty>(#name, input, &__swf_signal_args)?;
                ::core::result::Result::Ok(#construct)
            }
        });
    }
    let takes = v.original.fields.iter().zip(&binds).enumerate().map(|(i, (field, bind))| {
        let kw = keyword(v, bind);
        let fty = &field.ty;
        let span = fty.span();
        quote_spanned! {span=>
            ::swf_signal::__private::take_arg::<#ty, #fty>(#name, input, &mut __swf_signal_args, #i, #kw)?
        }
    });
    // Every argument is taken before any field is bound: a field named `input` (or like
    // the args local) would otherwise shadow what the later takes read.
    Some(quote! {
        #pattern => {
            let mut __swf_signal_args = ::swf_signal::__private::decode_format::<#ty>(#name, input, #n)?;
            let __swf_signal_fields = (#(#takes,)*);
            ::swf_signal::__private::finish_args::<#ty>(#name, input, &__swf_signal_args)?;
            let (#(#binds,)*) = __swf_signal_fields;
            ::core::result::Result::Ok(#construct)
        }
    })
}

fn encode_arm(v: &Variant<'_>, java_package: &TokenStream) -> TokenStream {
    if let Some(ty) = format_type(v) {
        return encode_format_arm(v, &ty, java_package);
    }
    let binds = bindings(v);
    let pat = destructure(v, &binds);
    let span = v.fields_span();
    if v.attrs.other.is_some() {
        let vident = v.ident;
        return quote! {
            Self::#vident { input, .. } => ::core::result::Result::Ok(::core::clone::Clone::clone(input)),
        };
    }
    let name = v.wire_name.as_ref().map_or("", |w| w.value.as_str());
    let body = match &v.shape {
        Shape::Unit => quote!(::core::result::Result::Ok(::core::option::Option::None)),
        Shape::Newtype(_) if v.attrs.raw.is_some() => {
            let f = &binds[0];
            quote!(::core::result::Result::Ok(::core::option::Option::Some(::core::clone::Clone::clone(#f))))
        }
        Shape::Newtype(field) => {
            let f = &binds[0];
            let span = field.ty.span();
            quote_spanned!(span=> ::swf_signal::__private::encode_json(#name, #f))
        }
        Shape::Tuple(_) => {
            quote_spanned!(span=> ::swf_signal::__private::encode_json(#name, &(#(#binds),*)))
        }
        Shape::Struct(fields) => {
            let defs = fields.iter().zip(&binds).map(|(f, b)| {
                let ty = &f.ty;
                let attrs = serde_attrs(f);
                quote!(#(#attrs)* #b: &'__swf_signal_payload #ty)
            });
            quote_spanned! {span=>
                {
                    #[derive(::swf_signal::__private::serde::Serialize)]
                    #[serde(crate = "::swf_signal::__private::serde")]
                    struct __Payload<'__swf_signal_payload> {
                        #(#defs,)*
                    }
                    ::swf_signal::__private::encode_json(#name, &__Payload { #(#binds),* })
                }
            }
        }
    };
    quote!(#pat => #body,)
}

fn decode_arm(v: &Variant<'_>) -> Option<TokenStream> {
    if let Some(ty) = format_type(v) {
        return decode_format_arm(v, &ty);
    }
    let name = v.wire_name.as_ref()?.value.as_str();
    let binds = bindings(v);
    let construct = destructure(v, &binds);
    let span = v.fields_span();
    let body = match &v.shape {
        Shape::Unit => quote! {
            ::swf_signal::__private::decode_unit(#name, input)?;
            ::core::result::Result::Ok(#construct)
        },
        Shape::Newtype(_) if v.attrs.raw.is_some() => {
            let f = &binds[0];
            quote! {
                let #f = ::swf_signal::__private::decode_raw(input);
                ::core::result::Result::Ok(#construct)
            }
        }
        Shape::Newtype(field) => {
            let f = &binds[0];
            let ty = &field.ty;
            let span = ty.span();
            quote_spanned! {span=>
                let #f: #ty = ::swf_signal::__private::decode_json(#name, input, true)?;
                ::core::result::Result::Ok(#construct)
            }
        }
        Shape::Tuple(fields) => {
            let tys = fields.iter().map(|f| &f.ty);
            quote_spanned! {span=>
                let (#(#binds),*): (#(#tys),*) = ::swf_signal::__private::decode_json(#name, input, false)?;
                ::core::result::Result::Ok(#construct)
            }
        }
        Shape::Struct(fields) => {
            let defs = fields.iter().zip(&binds).map(|(f, b)| {
                let ty = &f.ty;
                let attrs = serde_attrs(f);
                quote!(#(#attrs)* #b: #ty)
            });
            quote_spanned! {span=>
                #[derive(::swf_signal::__private::serde::Deserialize)]
                #[serde(crate = "::swf_signal::__private::serde")]
                struct __Payload {
                    #(#defs,)*
                }
                let __Payload { #(#binds),* } = ::swf_signal::__private::decode_json_object(#name, input)?;
                ::core::result::Result::Ok(#construct)
            }
        }
    };
    let pattern = name_pattern(v, name);
    Some(quote!(#pattern => { #body }))
}

/// `#[signal(schema)]`: `impl swf_signal::Contract`, inside the macro that turns it into
/// a compile error naming the feature when swf-signal's `schema` feature is off.
fn contract_impl(e: &Enum<'_>) -> TokenStream {
    let ident = e.ident;
    let entries = e.variants.iter().filter_map(|v| {
        let name = v.wire_name.as_ref()?.value.as_str();
        let aliases = v.attrs.aliases.iter().map(|a| a.value.as_str());
        let variant = v.ident.unraw().to_string();
        let (format, schema) = variant_schema(v, &variant);
        Some(quote! {
            ::swf_signal::__private::contract(#name, &[#(#aliases),*], #format, #variant, #schema)
        })
    });
    quote! {
        ::swf_signal::__swf_signal_schema! {
            #[automatically_derived]
            impl ::swf_signal::Contract for #ident {
                fn contracts() -> ::std::vec::Vec<::swf_signal::SignalContract> {
                    ::std::vec![#(#entries),*]
                }
            }
        }
    }
}

/// A variant's format name and the expression of its input's schema: the payload's
/// schema for JSON, the arguments' for a framework format (an array of positional ones,
/// an object of keyword ones), none for a unit or raw variant.
fn variant_schema(v: &Variant<'_>, title: &str) -> (String, TokenStream) {
    let none = quote!(::core::option::Option::None);
    if v.attrs.raw.is_some() {
        return ("raw".to_owned(), none);
    }
    let format = v.format.describe();
    let json = matches!(v.format, Format::Json);
    let of = |ty: TokenStream| quote!(::core::option::Option::Some(::swf_signal::__private::schema_of::<#ty>(#title)));
    let schema = match &v.shape {
        Shape::Unit => none,
        Shape::Newtype(field) if json => {
            let ty = &field.ty;
            of(quote!(#ty))
        }
        Shape::Newtype(field) => {
            let ty = &field.ty;
            of(quote!((#ty,)))
        }
        Shape::Tuple(fields) => {
            let tys = fields.iter().map(|f| &f.ty);
            of(quote!((#(#tys),*)))
        }
        Shape::Struct(fields) => {
            let binds = bindings(v);
            let defs = fields.iter().zip(&binds).map(|(f, b)| {
                let ty = &f.ty;
                let attrs = serde_attrs(f);
                quote!(#(#attrs)* #b: #ty)
            });
            quote! {
                {
                    #[derive(::swf_signal::__private::schemars::JsonSchema)]
                    #[schemars(crate = "::swf_signal::__private::schemars")]
                    #[allow(dead_code)]
                    struct __Payload {
                        #(#defs,)*
                    }
                    ::core::option::Option::Some(::swf_signal::__private::schema_of::<__Payload>(#title))
                }
            }
        }
    };
    (format, schema)
}

/// The generated handler trait name for an enum: `E` gives `EHandler`.
fn handler_ident(e: &Enum<'_>) -> Ident {
    format_ident!("{}Handler", e.ident)
}

/// A method identifier for a variant: the `snake_case` name, as a raw identifier when it
/// is a keyword (`Move` gives `r#move`), with a trailing `_` for the four keywords that
/// cannot be raw.
fn method_ident(v: &Variant<'_>) -> Ident {
    let name = &v.method;
    let span = v.ident.span();
    if syn::parse_str::<Ident>(name).is_ok() {
        Ident::new(name, span)
    } else if matches!(name.as_str(), "self" | "super" | "crate" | "Self" | "_") {
        Ident::new(&format!("{name}_"), span)
    } else {
        Ident::new_raw(name, span)
    }
}

fn handler_trait(e: &Enum<'_>) -> TokenStream {
    let ident = e.ident;
    let vis = &e.original.vis;
    let trait_ident = handler_ident(e);
    let mut seen = std::collections::BTreeSet::new();
    let mut methods = Vec::new();
    let mut arms = Vec::new();
    for v in &e.variants {
        let method = method_ident(v);
        if !seen.insert(method.to_string()) {
            // Reported by validation; skipping keeps the fallback from cascading.
            continue;
        }
        let binds = bindings(v);
        let params: Vec<Ident> = match &v.shape {
            Shape::Newtype(_) => vec![Ident::new("value", Span::call_site())],
            Shape::Tuple(_) => (0..binds.len())
                .map(|i| format_ident!("arg{}", i))
                .collect(),
            Shape::Unit | Shape::Struct(_) => binds.clone(),
        };
        let tys = v.original.fields.iter().map(|f| &f.ty);
        let doc = match &v.wire_name {
            Some(w) => format!(
                "Handles the `{}` signal ([`{ident}::{}`]).",
                w.value.escape_debug(),
                v.ident
            ),
            None => format!(
                "Handles a signal whose name no other variant of [`{ident}`] knows ([`{ident}::{}`])."
                , v.ident
            ),
        };
        let method_span = v.ident.span();
        methods.push(quote_spanned! {method_span=>
            #[doc = #doc]
            // One parameter per field: the variant's shape, which the user cannot annotate here.
            #[allow(clippy::too_many_arguments)]
            fn #method(&mut self #(, #params: #tys)*) -> Self::Output;
        });
        // In the `Dispatch` impl `Self` is the enum, so the encode/decode pattern serves.
        let pat = destructure(v, &binds);
        // The handler is `__swf_signal_handler`, not `handler`: a field named `handler`
        // is bound by the pattern and would shadow it.
        arms.push(quote!(#pat => __swf_signal_handler.#method(#(#binds),*),));
    }
    let trait_doc = format!(
        "The handlers for every signal of [`{ident}`], one method per variant; generated by `#[derive(Signal)]`.\n\n\
         Implement it on a decider's state and pass signals to it with \
         [`Dispatch::dispatch`](::swf_signal::Dispatch::dispatch): a new variant \
         is a compile error until it has a handler."
    );
    quote! {
        #[doc = #trait_doc]
        #vis trait #trait_ident {
            /// What every handler method returns, for example `()` or a `Result`.
            type Output;
            #(#methods)*
        }

        #[automatically_derived]
        impl<__H: #trait_ident + ?::core::marker::Sized> ::swf_signal::Dispatch<__H> for #ident {
            type Output = <__H as #trait_ident>::Output;

            fn dispatch(self, __swf_signal_handler: &mut __H) -> Self::Output {
                match self {
                    #(#arms)*
                }
            }
        }
    }
}

/// Per-variant wire names as constants, read by `swf_signal::signal_name!(E::V)`: a
/// hidden struct with one field per variant, so a misspelled variant is "no field `V`"
/// with rustc's list of the fields that exist.
fn names_struct(e: &Enum<'_>) -> TokenStream {
    let ident = e.ident;
    let vis = &e.original.vis;
    let struct_ident = names_struct_ident(ident);
    let (fidents, values): (Vec<&Ident>, Vec<&str>) =
        wire_names(e).map(|(v, n)| (v.ident, n)).unzip();
    quote! {
        #[doc(hidden)]
        #[allow(non_snake_case, non_camel_case_types, dead_code)]
        #vis struct #struct_ident {
            #(#vis #fidents: &'static str,)*
        }

        #[automatically_derived]
        impl #ident {
            #[doc(hidden)]
            #[allow(dead_code)]
            #vis const __SWF_SIGNAL_WIRE_NAMES: #struct_ident = #struct_ident {
                #(#fidents: #values,)*
            };
        }
    }
}

fn names_struct_ident(ident: &Ident) -> Ident {
    format_ident!("__{}WireNames", ident)
}
