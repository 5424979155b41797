//! Every compile-time check on a signal enum. Expansion only ever sees input that
//! passed all of them.

use std::collections::BTreeMap;

use crate::ast::{Enum, Shape, Variant};
use crate::attr::Format;
use crate::ctxt::Ctxt;

/// SWF's limit on `signalName`, in characters.
const MAX_NAME_CHARS: usize = 256;

/// `#[serde(...)]` where `#[derive(Signal)]` cannot honour it.
fn serde_attrs(attrs: &[syn::Attribute]) -> impl Iterator<Item = &syn::Attribute> {
    attrs.iter().filter(|a| a.path().is_ident("serde"))
}

impl Enum<'_> {
    pub(crate) fn validate(&self, cx: &Ctxt) {
        for attr in serde_attrs(&self.original.attrs) {
            cx.error_spanned_by(
                attr,
                "#[serde(...)] on a signal enum is not used by #[derive(Signal)]: wire names come from #[signal(rename_all = \"...\")] and #[signal(name = \"...\")], payloads are encoded by their own types; move the attribute there (a struct variant's fields take #[serde(...)])",
            );
        }
        if self.variants.is_empty() {
            cx.error_spanned_by(
                self.ident,
                "a signal enum needs at least one variant; add a variant for each signal the workflow accepts",
            );
        }
        let generics = &self.original.generics;
        if !generics.params.is_empty() || generics.where_clause.is_some() {
            cx.error_spanned_by(
                generics,
                "a signal enum cannot be generic; use concrete payload types so every signal has one wire format",
            );
        }
        for variant in &self.variants {
            variant.validate(cx);
        }
        if let Some(pkg) = &self.attrs.java_package {
            if !self.variants.iter().any(|v| {
                matches!(
                    v.format,
                    Format::Builtin("flow-java", _) | Format::Custom(_)
                )
            }) {
                cx.syn_error(syn::Error::new(
                    pkg.span,
                    "#[signal(java_package = \"...\")] names the package of Flow-Java classes, but no variant uses format = \"flow-java\"; add the format or remove the package",
                ));
            } else if !is_java_name(&pkg.value) {
                cx.syn_error(syn::Error::new(
                    pkg.span,
                    format!(
                        "\"{}\" is not a Java package name; write it dotted, like \"com.example\"",
                        pkg.value.escape_debug()
                    ),
                ));
            }
        }
        check_duplicate_names(cx, &self.variants);
        check_aliases(cx, &self.variants);
        check_duplicate_methods(cx, &self.variants);
        let others: Vec<_> = self
            .variants
            .iter()
            .filter(|v| v.attrs.other.is_some())
            .collect();
        if others.len() > 1 {
            for v in others {
                cx.error_spanned_by(
                    v.ident,
                    "only one variant may be #[signal(other)]; keep it on one variant",
                );
            }
        }
    }
}

impl Variant<'_> {
    /// Attributes where the derive cannot use them: `#[serde]` on the variant or on a
    /// newtype or tuple field, `#[signal]` on any field.
    fn check_placement(&self, cx: &Ctxt) {
        for attr in serde_attrs(&self.original.attrs) {
            cx.error_spanned_by(
                attr,
                "#[serde(...)] on a variant is not used by #[derive(Signal)]; name the signal with #[signal(name = \"...\")], and put serde attributes on the payload type or on a struct variant's fields",
            );
        }
        if matches!(self.shape, Shape::Newtype(_) | Shape::Tuple(_)) {
            for field in &self.original.fields {
                for attr in serde_attrs(&field.attrs) {
                    cx.error_spanned_by(
                        attr,
                        "#[serde(...)] on a newtype or tuple field is not used by #[derive(Signal)]: the field is encoded by its own type; put the attribute on that type, or make the variant a struct variant, whose fields take #[serde(...)]",
                    );
                }
            }
        }
        if !matches!(self.format, Format::Json) {
            if let Shape::Struct(fields) = &self.shape {
                for field in fields {
                    for attr in serde_attrs(&field.attrs) {
                        cx.error_spanned_by(
                            attr,
                            format!(
                                "#[serde(...)] on a field is honoured only by the json format; with format = {} each field is one argument encoded by its own type, so put the attribute on that type",
                                self.format.describe()
                            ),
                        );
                    }
                }
            }
        }
        self.check_format_keys(cx);
    }

    /// `format`, `propagate` and `java_class` where they mean something.
    fn check_format_keys(&self, cx: &Ctxt) {
        if let Some(format) = &self.attrs.format {
            if self.attrs.raw.is_some() {
                cx.syn_error(syn::Error::new(
                    format.span,
                    "#[signal(raw)] sends the input verbatim, so a format does not apply to it; remove `format` or `raw`",
                ));
            }
            if self.attrs.other.is_some() {
                cx.syn_error(syn::Error::new(
                    format.span,
                    "#[signal(other)] keeps unknown signals' inputs as they came, so a format does not apply to it; remove `format`",
                ));
            }
        }
        if let Some(span) = self.attrs.propagate {
            if !matches!(
                self.format,
                Format::Builtin("simpleflow", _) | Format::Custom(_)
            ) {
                cx.syn_error(syn::Error::new(
                    span,
                    format!(
                        "#[signal(propagate)] sets simpleflow's `__propagate`; it needs format = \"simpleflow\" (this variant's format is {})",
                        self.format.describe()
                    ),
                ));
            }
        }
        for attrs in &self.field_attrs {
            let Some(class) = &attrs.java_class else {
                continue;
            };
            if !matches!(
                self.format,
                Format::Builtin("flow-java", _) | Format::Custom(_)
            ) {
                cx.syn_error(syn::Error::new(
                    class.span,
                    format!(
                        "#[signal(java_class = \"...\")] names the Java class Flow-Java's Jackson sees; it needs format = \"flow-java\" (this variant's format is {})",
                        self.format.describe()
                    ),
                ));
            } else if !is_java_class(&class.value) {
                cx.syn_error(syn::Error::new(
                    class.span,
                    format!(
                        "\"{}\" is not a Java class name; write it fully qualified, like \"com.example.Reason\" or \"java.util.Date\"",
                        class.value.escape_debug()
                    ),
                ));
            }
        }
    }

    fn validate(&self, cx: &Ctxt) {
        self.check_placement(cx);
        if let Some(name) = &self.wire_name {
            if let Some(problem) = name_problem(&name.value) {
                let origin = if name.from_rename_all {
                    format!(
                        "the signal name `{}` that rename_all derives for variant `{}`",
                        name.value.escape_debug(),
                        self.ident
                    )
                } else {
                    format!("signal name \"{}\"", name.value.escape_debug())
                };
                cx.syn_error(syn::Error::new(
                    name.span,
                    format!("{origin} {problem}; set a valid one with #[signal(name = \"...\")]"),
                ));
            }
        }
        if let Some(raw) = self.attrs.raw {
            let ok = matches!(&self.shape, Shape::Newtype(f) if is_string(&f.ty));
            if !ok {
                cx.syn_error(syn::Error::new(
                    raw,
                    "#[signal(raw)] sends the input verbatim, so it belongs on a newtype variant holding `String`, like `Comment(String)`",
                ));
            }
            if self.attrs.other.is_some() {
                cx.syn_error(syn::Error::new(
                    raw,
                    "#[signal(raw)] and #[signal(other)] cannot be combined; the other variant keeps its input as it came",
                ));
            }
        }
        if let Some(other) = self.attrs.other {
            if let Some(name) = &self.attrs.name {
                cx.syn_error(syn::Error::new(
                    name.span,
                    "#[signal(other)] receives every unknown name, so it has no wire name of its own; remove `name = \"...\"`",
                ));
            }
            let fields_ok = match &self.shape {
                Shape::Struct(fields) => {
                    let mut names: Vec<String> = fields
                        .iter()
                        .filter_map(|f| f.ident.as_ref().map(ToString::to_string))
                        .collect();
                    names.sort();
                    names == ["input", "name"]
                }
                _ => false,
            };
            if fields_ok {
                // The names are right; now the types, at the offending field.
                if let Shape::Struct(fields) = &self.shape {
                    for f in fields {
                        let Some(ident) = &f.ident else { continue };
                        let (ok, want) = if ident == "name" {
                            (is_string(&f.ty), "String")
                        } else {
                            (is_option_string(&f.ty), "Option<String>")
                        };
                        if !ok {
                            cx.error_spanned_by(
                                &f.ty,
                                format!("the #[signal(other)] field `{ident}` must be `{want}`: it receives the {} as SWF delivered it", if ident == "name" { "signal name" } else { "raw input (None when absent)" }),
                            );
                        }
                    }
                }
            } else {
                cx.syn_error(syn::Error::new(
                    other,
                    "#[signal(other)] belongs on a variant with exactly the fields `{ name: String, input: Option<String> }`",
                ));
            }
        }
    }
}

/// What is wrong with a wire name, if anything; phrased to follow "signal name `x`".
fn name_problem(name: &str) -> Option<String> {
    let chars = name.chars().count();
    if name.is_empty() {
        Some("is empty; SWF signal names are 1 to 256 characters".to_owned())
    } else if chars > MAX_NAME_CHARS {
        Some(format!(
            "is {chars} characters long; SWF signal names are at most {MAX_NAME_CHARS} characters"
        ))
    } else if let Some(c) = name.chars().find(|c| c.is_control()) {
        Some(format!(
            "contains the control character {c:?}; SWF signal names cannot contain control characters"
        ))
    } else if name.starts_with(char::is_whitespace) || name.ends_with(char::is_whitespace) {
        Some(
            "starts or ends with whitespace; SWF trims nothing, so the name would never match"
                .to_owned(),
        )
    } else {
        None
    }
}

/// Two variants with one wire name: an error on each, naming the other.
fn check_duplicate_names(cx: &Ctxt, variants: &[Variant<'_>]) {
    let mut by_name: BTreeMap<&str, Vec<&Variant<'_>>> = BTreeMap::new();
    for v in variants {
        if let Some(name) = &v.wire_name {
            by_name.entry(&name.value).or_default().push(v);
        }
    }
    for (name, group) in by_name.into_iter().filter(|(_, g)| g.len() > 1) {
        for v in &group {
            let others: Vec<String> = group
                .iter()
                .filter(|o| o.ident != v.ident)
                .map(|o| o.ident.to_string())
                .collect();
            let how = match &v.wire_name {
                Some(w) if w.from_rename_all => " (derived by rename_all)",
                _ => "",
            };
            let span = v
                .wire_name
                .as_ref()
                .map_or_else(|| v.ident.span(), |w| w.span);
            cx.syn_error(syn::Error::new(
                span,
                format!(
                    "duplicate signal name \"{}\"{how}: variant `{}` has it too; give one of them #[signal(name = \"...\")]",
                    name.escape_debug(),
                    others.join("`, `"),
                ),
            ));
        }
    }
}

/// Aliases: valid names, never the wire name of any variant nor another alias (a name
/// must decode to exactly one variant), and not on the `other` variant (it has no name).
fn check_aliases(cx: &Ctxt, variants: &[Variant<'_>]) {
    let names: BTreeMap<&str, &Variant<'_>> = variants
        .iter()
        .filter_map(|v| v.wire_name.as_ref().map(|w| (w.value.as_str(), v)))
        .collect();
    let mut seen: BTreeMap<&str, &Variant<'_>> = BTreeMap::new();
    for v in variants {
        for alias in &v.attrs.aliases {
            let name = alias.value.as_str();
            if v.attrs.other.is_some() {
                cx.syn_error(syn::Error::new(
                    alias.span,
                    "#[signal(other)] receives every unknown name already; an alias on it means nothing, remove it",
                ));
                continue;
            }
            if let Some(problem) = name_problem(name) {
                cx.syn_error(syn::Error::new(
                    alias.span,
                    format!("alias \"{}\" {problem}", name.escape_debug()),
                ));
            }
            if let Some(owner) = names.get(name) {
                let whose = if owner.ident == v.ident {
                    "this variant's own signal name".to_owned()
                } else {
                    format!("the signal name of variant `{}`", owner.ident)
                };
                cx.syn_error(syn::Error::new(
                    alias.span,
                    format!(
                        "alias \"{}\" is {whose}; a received name must decode to exactly one variant, remove the alias or rename the variant",
                        name.escape_debug()
                    ),
                ));
            } else if let Some(first) = seen.insert(name, v) {
                let whose = if first.ident == v.ident {
                    "this variant already".to_owned()
                } else {
                    format!("variant `{}`", first.ident)
                };
                cx.syn_error(syn::Error::new(
                    alias.span,
                    format!(
                        "alias \"{}\" is also an alias of {whose}; a received name must decode to exactly one variant, keep one",
                        name.escape_debug()
                    ),
                ));
            }
        }
    }
}

/// Two variants whose handler methods would collide (`FooBar` and `Foo_Bar`).
fn check_duplicate_methods(cx: &Ctxt, variants: &[Variant<'_>]) {
    let mut by_method: BTreeMap<&str, Vec<&Variant<'_>>> = BTreeMap::new();
    for v in variants {
        by_method.entry(&v.method).or_default().push(v);
    }
    for (method, group) in by_method.into_iter().filter(|(_, g)| g.len() > 1) {
        for v in group {
            cx.error_spanned_by(
                v.ident,
                format!(
                    "two variants map to the handler method `{method}`; rename one of the variants"
                ),
            );
        }
    }
}

/// `String`, `std::string::String` or `alloc::string::String`, written as such.
fn is_string(ty: &syn::Type) -> bool {
    let syn::Type::Path(p) = ty else { return false };
    if p.qself.is_some() {
        return false;
    }
    let segs: Vec<String> = p
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    let no_args = p.path.segments.iter().all(|s| s.arguments.is_none());
    no_args
        && matches!(
            segs.iter()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .as_slice(),
            ["String"] | ["std" | "alloc", "string", "String"]
        )
}

/// `Option<String>` (also spelled `core::option::Option` / `std::option::Option`).
fn is_option_string(ty: &syn::Type) -> bool {
    let syn::Type::Path(p) = ty else { return false };
    if p.qself.is_some() {
        return false;
    }
    let Some(last) = p.path.segments.last() else {
        return false;
    };
    let prefix: Vec<String> = p
        .path
        .segments
        .iter()
        .take(p.path.segments.len() - 1)
        .map(|s| s.ident.to_string())
        .collect();
    let prefix_ok = matches!(
        prefix
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .as_slice(),
        [] | ["std" | "core", "option"]
    );
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return false;
    };
    prefix_ok
        && last.ident == "Option"
        && args.args.len() == 1
        && matches!(&args.args[0], syn::GenericArgument::Type(t) if is_string(t))
}

/// Dotted Java identifiers: `com.example`, `Outer$Inner`.
fn is_java_name(s: &str) -> bool {
    s.split('.').all(|part| {
        let mut chars = part.chars();
        chars
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '_' || c == '$')
            && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '$')
    })
}

/// A fully qualified class (`java.util.Date`) or an array type (`[Ljava.lang.Object;`, `[B`).
fn is_java_class(s: &str) -> bool {
    if let Some(rest) = s.strip_prefix('[') {
        let rest = rest.trim_start_matches('[');
        return matches!(rest, "B" | "C" | "D" | "F" | "I" | "J" | "S" | "Z")
            || rest
                .strip_prefix('L')
                .and_then(|r| r.strip_suffix(';'))
                .is_some_and(is_java_class);
    }
    s.contains('.') && is_java_name(s)
}

#[cfg(test)]
mod tests {
    use super::{is_java_class, name_problem};

    #[test]
    fn java_class_names() {
        assert!(is_java_class("java.util.Date"));
        assert!(is_java_class("[Ljava.lang.Object;"));
        assert!(is_java_class("com.x.Outer$Inner"));
        assert!(!is_java_class("Date"));
        assert!(!is_java_class("com..x"));
        assert!(!is_java_class("com.x-y"));
    }

    #[test]
    fn names_at_the_limits() {
        assert!(name_problem("a").is_none());
        assert!(name_problem(&"é".repeat(256)).is_none());
        assert!(name_problem(&"a".repeat(257)).is_some());
        assert!(name_problem("").is_some());
        assert!(name_problem(" a").is_some());
        assert!(name_problem("a\t").is_some());
        assert!(name_problem("a\u{7}b").is_some());
        assert!(name_problem("order.cancel").is_none());
    }
}
