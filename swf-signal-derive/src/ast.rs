//! The derive's own view of the input enum. It borrows the syn tree and keeps the
//! original nodes so every error can point at the user's tokens.

use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::spanned::Spanned;

use crate::attr;
use crate::case::{snake_case, RenameRule};
use crate::ctxt::Ctxt;

pub(crate) struct Enum<'a> {
    pub(crate) original: &'a syn::DeriveInput,
    pub(crate) ident: &'a syn::Ident,
    pub(crate) variants: Vec<Variant<'a>>,
    pub(crate) attrs: attr::Container,
}

pub(crate) struct Variant<'a> {
    pub(crate) original: &'a syn::Variant,
    pub(crate) ident: &'a syn::Ident,
    pub(crate) attrs: attr::Variant,
    pub(crate) shape: Shape<'a>,
    /// The wire name: `#[signal(name)]`, else `rename_all` applied, else the variant name
    /// (with `r#` stripped). `None` for the `other` variant, which has no wire name.
    pub(crate) wire_name: Option<WireName>,
    /// Name of the generated handler method.
    pub(crate) method: String,
    /// The wire format in force: the variant's, else the enum's, else JSON.
    pub(crate) format: attr::Format,
    /// `#[signal(...)]` of each field, in order.
    pub(crate) field_attrs: Vec<attr::Field>,
}

pub(crate) struct WireName {
    pub(crate) value: String,
    /// Where an error about this name points: the `name = "…"` literal, or the variant.
    pub(crate) span: Span,
    /// Whether `rename_all` produced the name (errors then say so).
    pub(crate) from_rename_all: bool,
}

pub(crate) enum Shape<'a> {
    Unit,
    Newtype(&'a syn::Field),
    Tuple(Vec<&'a syn::Field>),
    Struct(Vec<&'a syn::Field>),
}

impl<'a> Enum<'a> {
    /// Builds the view of a derive input. `None` when it is not an enum at all, which is
    /// reported into `cx`.
    pub(crate) fn from_syn(cx: &Ctxt, input: &'a syn::DeriveInput) -> Option<Self> {
        let attrs = attr::container(cx, &input.attrs);
        let data = match &input.data {
            syn::Data::Enum(data) => data,
            syn::Data::Struct(s) => {
                cx.error_spanned_by(
                    s.struct_token,
                    "#[derive(Signal)] is only for enums; declare the signals a workflow accepts as one enum with a variant per signal",
                );
                return None;
            }
            syn::Data::Union(u) => {
                cx.error_spanned_by(
                    u.union_token,
                    "#[derive(Signal)] is only for enums; declare the signals a workflow accepts as one enum with a variant per signal",
                );
                return None;
            }
        };
        let rule = attrs.rename_all.as_ref().map(|r| r.value);
        let format = attrs
            .format
            .as_ref()
            .map_or(attr::Format::Json, |f| f.value.clone());
        let variants = data
            .variants
            .iter()
            .map(|v| Variant::from_syn(cx, v, rule, &format))
            .collect();
        Some(Enum {
            original: input,
            ident: &input.ident,
            variants,
            attrs,
        })
    }
}

impl<'a> Variant<'a> {
    fn from_syn(
        cx: &Ctxt,
        original: &'a syn::Variant,
        rule: Option<RenameRule>,
        format: &attr::Format,
    ) -> Self {
        let attrs = attr::variant(cx, &original.attrs);
        let format = attrs
            .format
            .as_ref()
            .map_or_else(|| format.clone(), |f| f.value.clone());
        let field_attrs = original
            .fields
            .iter()
            .map(|f| attr::field(cx, &f.attrs))
            .collect();
        let shape = match &original.fields {
            syn::Fields::Unit => Shape::Unit,
            syn::Fields::Unnamed(f) if f.unnamed.len() == 1 => Shape::Newtype(&f.unnamed[0]),
            syn::Fields::Unnamed(f) => Shape::Tuple(f.unnamed.iter().collect()),
            syn::Fields::Named(f) => Shape::Struct(f.named.iter().collect()),
        };
        let unraw = original.ident.unraw().to_string();
        let wire_name = if attrs.other.is_some() {
            None
        } else if let Some(name) = &attrs.name {
            Some(WireName {
                value: name.value.clone(),
                span: name.span,
                from_rename_all: false,
            })
        } else {
            Some(WireName {
                value: rule.map_or_else(|| unraw.clone(), |r| r.apply(&unraw)),
                span: original.ident.span(),
                from_rename_all: rule.is_some(),
            })
        };
        Variant {
            original,
            ident: &original.ident,
            shape,
            wire_name,
            method: snake_case(&unraw),
            attrs,
            format,
            field_attrs,
        }
    }

    /// The span for errors about the variant's payload: its fields, else its name.
    pub(crate) fn fields_span(&self) -> Span {
        match &self.original.fields {
            syn::Fields::Unit => self.ident.span(),
            fields => fields.span(),
        }
    }
}
