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
const FORMAT: &str = "format";
const JAVA_PACKAGE: &str = "java_package";
const JAVA_CLASS: &str = "java_class";
const PROPAGATE: &str = "propagate";
const ALIAS: &str = "alias";
const SCHEMA: &str = "schema";

/// The built-in wire formats: the name in `format = "…"`, and the type in
/// `swf_signal::__private` that implements it (`None`: the default JSON, generated inline).
pub(crate) const FORMATS: &[(&str, Option<&str>)] = &[
    ("json", None),
    ("flow-java", Some("FlowJava")),
    ("simpleflow", Some("Simpleflow")),
    ("botoflow", Some("Botoflow")),
];

/// A `format = …` value.
#[derive(Clone)]
pub(crate) enum Format {
    /// The default JSON format.
    Json,
    /// A built-in format: its name and its type's identifier in `__private`.
    Builtin(&'static str, &'static str),
    /// `format = path::To::Type`: the user's `swf_signal::format::Format` impl.
    Custom(syn::Path),
}

impl Format {
    /// The name used in messages.
    pub(crate) fn describe(&self) -> String {
        match self {
            Format::Json => "json".to_owned(),
            Format::Builtin(name, _) => (*name).to_owned(),
            Format::Custom(path) => path_name(path),
        }
    }
}

/// Parses `format = "flow-java"` or `format = my::Format`.
fn parse_format(cx: &Ctxt, meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<Option<Format>> {
    let value = meta.value()?;
    if value.peek(syn::LitStr) {
        let lit: syn::LitStr = value.parse()?;
        let name = lit.value();
        match FORMATS.iter().find(|(n, _)| *n == name) {
            Some((_, None)) => Ok(Some(Format::Json)),
            Some((n, Some(ty))) => Ok(Some(Format::Builtin(n, ty))),
            None => {
                let valid: Vec<String> = FORMATS.iter().map(|(n, _)| format!("\"{n}\"")).collect();
                cx.error_spanned_by(
                    &lit,
                    format!(
                        "unknown signal format \"{}\"; expected one of {}, or the path of a type that implements swf_signal::format::Format (format = my::Format)",
                        name.escape_debug(),
                        valid.join(", ")
                    ),
                );
                Ok(None)
            }
        }
    } else {
        Ok(Some(Format::Custom(value.parse()?)))
    }
}

/// A value together with the span of the attribute key that set it.
pub(crate) struct WithSpan<T> {
    pub(crate) value: T,
    pub(crate) span: Span,
}

/// Attributes on the enum itself.
#[derive(Default)]
pub(crate) struct Container {
    pub(crate) rename_all: Option<WithSpan<RenameRule>>,
    pub(crate) format: Option<WithSpan<Format>>,
    pub(crate) java_package: Option<WithSpan<String>>,
    /// `#[signal(schema)]`: generate the signal contract (`swf_signal::Contract`).
    pub(crate) schema: Option<Span>,
}

/// Attributes on one variant.
#[derive(Default)]
pub(crate) struct Variant {
    pub(crate) name: Option<WithSpan<String>>,
    pub(crate) raw: Option<Span>,
    pub(crate) other: Option<Span>,
    pub(crate) format: Option<WithSpan<Format>>,
    pub(crate) propagate: Option<Span>,
    /// `#[signal(alias = "…")]`, any number: older names that still decode.
    pub(crate) aliases: Vec<WithSpan<String>>,
}

/// Attributes on one field of a variant.
#[derive(Default)]
pub(crate) struct Field {
    pub(crate) java_class: Option<WithSpan<String>>,
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
            } else if meta.path.is_ident(FORMAT) {
                // #[signal(format = "flow-java")] or #[signal(format = my::Format)]
                let span = meta.path.span();
                if out.format.is_some() {
                    return Err(meta.error("duplicate signal attribute `format`; keep one"));
                }
                if let Some(value) = parse_format(cx, &meta)? {
                    out.format = Some(WithSpan { value, span });
                }
                Ok(())
            } else if meta.path.is_ident(JAVA_PACKAGE) {
                // #[signal(java_package = "com.example")]
                let lit: syn::LitStr = meta.value()?.parse()?;
                if out.java_package.is_some() {
                    return Err(meta.error("duplicate signal attribute `java_package`; keep one"));
                }
                out.java_package = Some(WithSpan {
                    value: lit.value(),
                    span: lit.span(),
                });
                Ok(())
            } else if meta.path.is_ident(SCHEMA) {
                // #[signal(schema)]
                if out.schema.replace(meta.path.span()).is_some() {
                    return Err(meta.error("duplicate signal attribute `schema`; keep one"));
                }
                Ok(())
            } else if meta.path.is_ident(NAME)
                || meta.path.is_ident(RAW)
                || meta.path.is_ident(OTHER)
                || meta.path.is_ident(PROPAGATE)
                || meta.path.is_ident(ALIAS)
            {
                let key = path_name(&meta.path);
                Err(meta.error(format_args!(
                    "`{key}` is not expected on the enum; #[signal({key})] belongs on a specific variant"
                )))
            } else {
                let key = path_name(&meta.path);
                Err(meta.error(format_args!(
                    "unknown signal attribute `{key}`; the enum accepts #[signal(rename_all = \"...\")], #[signal(format = \"...\")], #[signal(java_package = \"...\")] and #[signal(schema)]"
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
            } else if meta.path.is_ident(FORMAT) {
                // #[signal(format = "simpleflow")] on one variant
                if out.format.is_some() {
                    return Err(meta.error("duplicate signal attribute `format`; keep one"));
                }
                if let Some(value) = parse_format(cx, &meta)? {
                    out.format = Some(WithSpan { value, span });
                }
            } else if meta.path.is_ident(ALIAS) {
                // #[signal(alias = "approve-order")], repeatable
                let lit: syn::LitStr = meta.value()?.parse()?;
                out.aliases.push(WithSpan {
                    value: lit.value(),
                    span: lit.span(),
                });
            } else if meta.path.is_ident(PROPAGATE) {
                // #[signal(propagate)]
                if out.propagate.replace(span).is_some() {
                    return Err(meta.error("duplicate signal attribute `propagate`; keep one"));
                }
            } else if meta.path.is_ident(JAVA_PACKAGE) {
                return Err(meta.error(
                    "`java_package` is not expected on a variant; #[signal(java_package = \"...\")] belongs on the enum, #[signal(java_class = \"...\")] on a field",
                ));
            } else if meta.path.is_ident(SCHEMA) {
                return Err(meta.error(
                    "`schema` is not expected on a variant; #[signal(schema)] belongs on the enum and covers every variant",
                ));
            } else if meta.path.is_ident(RENAME_ALL) {
                return Err(meta.error(
                    "`rename_all` is not expected on a variant; #[signal(rename_all = \"...\")] belongs on the enum, use #[signal(name = \"...\")] here",
                ));
            } else {
                let key = path_name(&meta.path);
                return Err(meta.error(format_args!(
                    "unknown signal attribute `{key}`; a variant accepts #[signal(name = \"...\")], #[signal(alias = \"...\")], #[signal(raw)], #[signal(other)], #[signal(format = \"...\")] or #[signal(propagate)]"
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

pub(crate) fn field(cx: &Ctxt, attrs: &[syn::Attribute]) -> Field {
    let mut out = Field::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident(SIGNAL)) {
        let result = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident(JAVA_CLASS) {
                // #[signal(java_class = "com.example.Reason")]
                let lit: syn::LitStr = meta.value()?.parse()?;
                if out.java_class.is_some() {
                    return Err(meta.error("duplicate signal attribute `java_class`; keep one"));
                }
                out.java_class = Some(WithSpan {
                    value: lit.value(),
                    span: lit.span(),
                });
                Ok(())
            } else {
                let key = path_name(&meta.path);
                Err(meta.error(format_args!(
                    "`{key}` is not used on a field; a field accepts only #[signal(java_class = \"...\")]; #[signal(name = \"...\")], #[signal(raw)] and #[signal(other)] belong on the variant, #[signal(rename_all = \"...\")] on the enum"
                )))
            }
        });
        if let Err(err) = result {
            cx.syn_error(err);
        }
    }
    out
}

pub(crate) fn path_name(path: &syn::Path) -> String {
    path.segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect::<Vec<_>>()
        .join("::")
}
