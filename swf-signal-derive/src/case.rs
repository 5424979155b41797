//! The `rename_all` case styles: one table, as in serde's `internals/case.rs`.

use std::fmt::{self, Display};

/// A case style a variant name can be converted to.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum RenameRule {
    Lower,
    Upper,
    Pascal,
    Camel,
    Snake,
    ScreamingSnake,
    Kebab,
    ScreamingKebab,
}

/// The valid `rename_all` values, in the order they are listed in error messages.
static RULES: &[(&str, RenameRule)] = &[
    ("lowercase", RenameRule::Lower),
    ("UPPERCASE", RenameRule::Upper),
    ("PascalCase", RenameRule::Pascal),
    ("camelCase", RenameRule::Camel),
    ("snake_case", RenameRule::Snake),
    ("SCREAMING_SNAKE_CASE", RenameRule::ScreamingSnake),
    ("kebab-case", RenameRule::Kebab),
    ("SCREAMING-KEBAB-CASE", RenameRule::ScreamingKebab),
];

impl RenameRule {
    pub(crate) fn from_str(value: &str) -> Result<Self, ParseError<'_>> {
        RULES
            .iter()
            .find(|(name, _)| *name == value)
            .map(|(_, rule)| *rule)
            .ok_or(ParseError { unknown: value })
    }

    /// Applies the rule to a variant name, which Rust style writes in `PascalCase`.
    ///
    /// One rule for every name, ASCII or not: a word starts at each uppercase letter
    /// (Unicode's `char::is_uppercase`), and case is changed with Unicode's
    /// `to_lowercase` / `to_uppercase` (so `Ärger` gives `ärger`, and `ß` upper-cases to
    /// `SS`). Letters without case (`名前`) are kept as they are and start no word.
    pub(crate) fn apply(self, variant: &str) -> String {
        match self {
            RenameRule::Pascal => variant.to_owned(),
            RenameRule::Lower => variant.to_lowercase(),
            RenameRule::Upper => variant.to_uppercase(),
            RenameRule::Camel => {
                let mut chars = variant.chars();
                match chars.next() {
                    Some(first) => first.to_lowercase().chain(chars).collect(),
                    None => String::new(),
                }
            }
            RenameRule::Snake => snake_case(variant),
            RenameRule::ScreamingSnake => snake_case(variant).to_uppercase(),
            RenameRule::Kebab => snake_case(variant).replace('_', "-"),
            RenameRule::ScreamingKebab => snake_case(variant).replace('_', "-").to_uppercase(),
        }
    }
}

/// `PascalCase` to `snake_case`, the way serde does it: an underscore before every
/// uppercase letter but the first. Also names the generated handler methods.
pub(crate) fn snake_case(variant: &str) -> String {
    let mut out = String::with_capacity(variant.len() + 4);
    for (i, ch) in variant.char_indices() {
        if i > 0 && ch.is_uppercase() {
            out.push('_');
        }
        out.extend(ch.to_lowercase());
    }
    out
}

/// An unknown `rename_all` value; its `Display` lists the valid ones.
pub(crate) struct ParseError<'a> {
    unknown: &'a str,
}

impl Display for ParseError<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown rename_all value `{}`; expected one of ",
            self.unknown
        )?;
        for (i, (name, _)) in RULES.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "\"{name}\"")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{snake_case, RenameRule, RULES};

    #[test]
    fn every_rule_on_a_two_word_name() {
        let expected = [
            ("lowercase", "changequantity"),
            ("UPPERCASE", "CHANGEQUANTITY"),
            ("PascalCase", "ChangeQuantity"),
            ("camelCase", "changeQuantity"),
            ("snake_case", "change_quantity"),
            ("SCREAMING_SNAKE_CASE", "CHANGE_QUANTITY"),
            ("kebab-case", "change-quantity"),
            ("SCREAMING-KEBAB-CASE", "CHANGE-QUANTITY"),
        ];
        assert_eq!(expected.len(), RULES.len());
        for (rule, out) in expected {
            let Ok(parsed) = RenameRule::from_str(rule) else {
                panic!("{rule} should parse");
            };
            assert_eq!(parsed.apply("ChangeQuantity"), out, "rule {rule}");
        }
    }

    #[test]
    fn single_word_and_non_ascii() {
        assert_eq!(snake_case("Ping"), "ping");
        assert_eq!(snake_case("Ärger"), "ärger");
        assert_eq!(RenameRule::Camel.apply("Ärger"), "ärger");
    }

    #[test]
    fn non_ascii_names_follow_one_rule_in_every_style() {
        let name = "ÄrgerÜberStraße";
        let expect = [
            (RenameRule::Lower, "ärgerüberstraße"),
            (RenameRule::Upper, "ÄRGERÜBERSTRASSE"),
            (RenameRule::Pascal, "ÄrgerÜberStraße"),
            (RenameRule::Camel, "ärgerÜberStraße"),
            (RenameRule::Snake, "ärger_über_straße"),
            (RenameRule::ScreamingSnake, "ÄRGER_ÜBER_STRASSE"),
            (RenameRule::Kebab, "ärger-über-straße"),
            (RenameRule::ScreamingKebab, "ÄRGER-ÜBER-STRASSE"),
        ];
        for (rule, want) in expect {
            assert_eq!(rule.apply(name), want, "{rule:?}");
        }
        // Caseless letters start no word and are kept.
        assert_eq!(RenameRule::Snake.apply("名前Ändern"), "名前_ändern");
    }

    #[test]
    fn unknown_value_lists_the_valid_ones() {
        let Err(err) = RenameRule::from_str("snake") else {
            panic!("`snake` is not a rule");
        };
        let msg = err.to_string();
        assert!(msg.contains("`snake`"), "{msg}");
        assert!(msg.contains("\"snake_case\""), "{msg}");
        assert!(msg.contains("\"SCREAMING-KEBAB-CASE\""), "{msg}");
    }
}
