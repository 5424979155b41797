//! `#[signal(...)]` attributes. Parsers return values and push errors into the
//! [`Ctxt`], so the user sees every bad attribute of the enum in one build.

use proc_macro2::Span;
use syn::spanned::Spanned;

use crate::case::RenameRule;
use crate::ctxt::Ctxt;

/// The attribute's path and its keys, each spelled once.
pub(crate) const SIGNAL: &str = "signal";
const NAME: &str = "name";
const RENAME_ALL: &str = "rename_all";
const RAW: &str = "raw";
const OTHER: &str = "other";

/// A value together with the span of the attribute key that set it.
pub(crate) struct WithSpan<T> {
    pub(crate) value: T,
    pub(crate) span: Span,
}

/// Attributes on the enum itself.
#[derive(Default)]
pub(crate) struct Container {
    pub(crate) rename_all: Option<WithSpan<RenameRule>>,
}

/// Attributes on one variant.
#[derive(Default)]
pub(crate) struct Variant {
    pub(crate) name: Option<WithSpan<String>>,
    pub(crate) raw: Option<Span>,
    pub(crate) other: Option<Span>,
}

pub(crate) fn container(cx: &Ctxt, attrs: &[syn::Attribute]) -> Container {
    let mut out = Container::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident(SIGNAL)) {
        let result = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident(RENAME_ALL) {
                // #[signal(rename_all = "snake_case")]
                let lit: syn::LitStr = meta.value()?.parse()?;
                let span = meta.path.span();
                if out.rename_all.is_some() {
                    return Err(meta.error("duplicate signal attribute `rename_all`; keep one"));
                }
                match RenameRule::from_str(&lit.value()) {
                    Ok(rule) => out.rename_all = Some(WithSpan { value: rule, span }),
                    Err(err) => cx.error_spanned_by(&lit, err),
                }
                Ok(())
            } else if meta.path.is_ident(NAME) || meta.path.is_ident(RAW) || meta.path.is_ident(OTHER) {
                let key = path_name(&meta.path);
                Err(meta.error(format_args!(
                    "`{key}` is not expected on the enum; #[signal({key})] belongs on a specific variant"
                )))
            } else {
                let key = path_name(&meta.path);
                Err(meta.error(format_args!(
                    "unknown signal attribute `{key}`; the enum accepts #[signal(rename_all = \"...\")]"
                )))
            }
        });
        if let Err(err) = result {
            cx.syn_error(err);
        }
    }
    out
}

pub(crate) fn variant(cx: &Ctxt, attrs: &[syn::Attribute]) -> Variant {
    let mut out = Variant::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident(SIGNAL)) {
        let result = attr.parse_nested_meta(|meta| {
            let span = meta.path.span();
            if meta.path.is_ident(NAME) {
                // #[signal(name = "order.cancel")]
                let lit: syn::LitStr = meta.value()?.parse()?;
                if out.name.is_some() {
                    return Err(meta.error("duplicate signal attribute `name`; keep one"));
                }
                out.name = Some(WithSpan {
                    value: lit.value(),
                    span: lit.span(),
                });
            } else if meta.path.is_ident(RAW) {
                // #[signal(raw)]
                if out.raw.replace(span).is_some() {
                    return Err(meta.error("duplicate signal attribute `raw`; keep one"));
                }
            } else if meta.path.is_ident(OTHER) {
                // #[signal(other)]
                if out.other.replace(span).is_some() {
                    return Err(meta.error("duplicate signal attribute `other`; keep one"));
                }
            } else if meta.path.is_ident(RENAME_ALL) {
                return Err(meta.error(
                    "`rename_all` is not expected on a variant; #[signal(rename_all = \"...\")] belongs on the enum, use #[signal(name = \"...\")] here",
                ));
            } else {
                let key = path_name(&meta.path);
                return Err(meta.error(format_args!(
                    "unknown signal attribute `{key}`; a variant accepts #[signal(name = \"...\")], #[signal(raw)] or #[signal(other)]"
                )));
            }
            Ok(())
        });
        if let Err(err) = result {
            cx.syn_error(err);
        }
    }
    out
}

fn path_name(path: &syn::Path) -> String {
    path.segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect::<Vec<_>>()
        .join("::")
}
