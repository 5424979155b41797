//! Wire formats of existing SWF estates, and the trait for your own.
//!
//! By default a signal's input is the JSON of its payload (see the crate docs). A workflow
//! written with another framework expects that framework's encoding instead, so
//! `#[signal(format = "…")]` on the enum or on one variant picks another format:
//!
//! | `format =` | type | input of `Move(3, 4)` | the other side |
//! |---|---|---|---|
//! | `"json"` (default) | — | `[3,4]` | any JSON reader |
//! | `"flow-java"` | [`FlowJava`] | `["[Ljava.lang.Object;",[3,4]]` | AWS Flow Framework for Java (`@Signal` methods, `JsonDataConverter`) |
//! | `"simpleflow"` | [`Simpleflow`] | `{"__propagate":false,"args":[3,4],"kwargs":{}}` | simpleflow (`Workflow.signal`, `wait_signal`) |
//! | `"botoflow"` | [`Botoflow`] | `[{"__tuple":[3,4]},{}]` | botoflow (`@signal` methods, `JSONDataConverter`) |
//! | a path, `format = my::Format` | your type | what [`Format::encode`] returns | yours |
//!
//! These formats carry a call: a list of arguments. A newtype variant is one argument, a
//! tuple variant one argument per field, a unit variant none. A struct variant's fields are
//! keyword arguments where the format has them (simpleflow's `kwargs`, botoflow's keyword
//! dict) and positional arguments in declaration order where it does not (Flow-Java).
//! Decoding is tolerant of what the other side legitimately sends: a field is taken by its
//! keyword when present, else by its position; a missing `Option` argument is `None`.
//!
//! ```
//! use swf_signal::Signal;
//!
//! #[derive(Debug, PartialEq, Signal)]
//! #[signal(format = "simpleflow")]
//! enum Review {
//!     Approve { approver: String, level: u8 },
//!     Move(i32, i32),
//! }
//!
//! let input = Review::Approve { approver: "ana".into(), level: 2 }.encode_input()?;
//! assert_eq!(
//!     input.as_deref(),
//!     Some(r#"{"__propagate":false,"args":[],"kwargs":{"approver":"ana","level":2}}"#)
//! );
//! // What simpleflow's `self.signal("Move", 3, 4)` sends:
//! let sent = r#"{"__propagate":true,"args":[3,4],"kwargs":{}}"#;
//! assert_eq!(Review::decode("Move", Some(sent))?, Review::Move(3, 4));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Each format's own page has its full mapping; `docs/interop.md` in the repository has the
//! round-trip matrix and the tests that prove each row against the peer's own code.

mod botoflow;
mod flow_java;
mod render;
mod simpleflow;
mod value;

use std::fmt;

pub use botoflow::Botoflow;
pub use flow_java::FlowJava;
pub use simpleflow::Simpleflow;
pub use value::Value;

/// A wire format: how a signal's arguments become its input and back.
///
/// Implement it on a type of your own and name the type in the attribute:
/// `#[signal(format = my_crate::Pipe)]`. `encode` gets the arguments already turned into
/// [`Value`]s (so it sees Rust's types: `i64` apart from `i32`, a tuple apart from a
/// `Vec`), `decode` gives back JSON values that serde then turns into each field's type.
///
/// ```
/// use swf_signal::format::{Args, Call, Format, FormatError};
/// use swf_signal::Signal;
///
/// /// Arguments joined by `|`, for an estate that splits strings.
/// struct Pipe;
///
/// impl Format for Pipe {
///     const NAME: &'static str = "pipe";
///
///     fn encode(call: &Call<'_>) -> Result<Option<String>, FormatError> {
///         let parts: Result<Vec<String>, FormatError> = call
///             .args
///             .iter()
///             .map(|arg| match arg.value.to_json() {
///                 serde_json::Value::String(s) if !s.contains('|') => Ok(s),
///                 serde_json::Value::String(_) => Err(FormatError::at(arg, "contains `|`")),
///                 other => Ok(other.to_string()),
///             })
///             .collect();
///         Ok(Some(parts?.join("|")))
///     }
///
///     fn decode(input: Option<&str>) -> Result<Args, FormatError> {
///         let positional = input
///             .unwrap_or_default()
///             .split('|')
///             .map(|part| serde_json::from_str(part).unwrap_or_else(|_| part.into()))
///             .collect();
///         Ok(Args { positional, ..Args::default() })
///     }
/// }
///
/// #[derive(Debug, PartialEq, Signal)]
/// #[signal(format = Pipe)]
/// enum Line {
///     Stop(String, u32),
/// }
///
/// let sent = Line::Stop("bay".into(), 4).encode_input()?;
/// assert_eq!(sent.as_deref(), Some("bay|4"));
/// assert_eq!(Line::decode("Stop", sent.as_deref())?, Line::Stop("bay".into(), 4));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait Format {
    /// The format's name in errors ("signal `x` does not decode as flow-java: argument 1: …").
    const NAME: &'static str;

    /// The input for one signal; `None` sends no input at all.
    ///
    /// # Errors
    /// A [`FormatError`] when an argument has no representation in the format; point it at
    /// the argument with [`FormatError::at`].
    fn encode(call: &Call<'_>) -> Result<Option<String>, FormatError>;

    /// The arguments in an input. Unwrap the format's own type markers here, so that
    /// serde sees plain JSON.
    ///
    /// # Errors
    /// A [`FormatError`] when the input is not this format at all.
    fn decode(input: Option<&str>) -> Result<Args, FormatError>;
}

/// One signal being encoded: its name and its arguments, in order.
#[derive(Debug)]
#[non_exhaustive]
pub struct Call<'a> {
    /// The signal's wire name.
    pub signal: &'a str,
    /// Every argument in order: a tuple variant's fields, a newtype's one, a struct
    /// variant's fields in declaration order (each with its keyword).
    pub args: Vec<Arg>,
    /// `#[signal(java_package = "…")]` of the enum, for formats that name classes.
    pub java_package: Option<&'static str>,
    /// `#[signal(propagate)]` on the variant (simpleflow: let the receiver re-send it to
    /// its parent and children).
    pub propagate: bool,
}

impl Call<'_> {
    /// Whether the arguments are keyword arguments (a struct variant's fields).
    pub fn is_keywords(&self) -> bool {
        self.args.first().is_some_and(|a| a.keyword.is_some())
    }
}

/// One argument of a [`Call`].
#[derive(Debug)]
#[non_exhaustive]
pub struct Arg {
    /// 0-based position among the variant's fields.
    pub position: usize,
    /// The field name of a struct variant (its keyword); `None` for tuple and newtype fields.
    pub keyword: Option<&'static str>,
    /// `#[signal(java_class = "…")]` on the field.
    pub java_class: Option<&'static str>,
    /// The field's value, with its Rust types kept.
    pub value: Value,
}

impl Arg {
    /// How errors name this argument: ``argument `reason` (position 1)`` for a keyword,
    /// `argument 1` otherwise (1-based, as people count).
    pub fn describe(&self) -> String {
        describe(self.position, self.keyword)
    }
}

pub(crate) fn describe(position: usize, keyword: Option<&str>) -> String {
    match keyword {
        Some(k) => format!("argument `{k}` (position {})", position + 1),
        None => format!("argument {}", position + 1),
    }
}

/// The arguments a format found in an input: plain JSON, with the format's own type
/// markers already removed.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Args {
    /// Positional arguments, in order.
    pub positional: Vec<serde_json::Value>,
    /// Keyword arguments.
    pub keywords: serde_json::Map<String, serde_json::Value>,
}

impl Args {
    /// Takes the argument for a field: by keyword when the input has it, else by position.
    pub(crate) fn take(
        &mut self,
        position: usize,
        keyword: Option<&str>,
    ) -> Option<serde_json::Value> {
        if let Some(v) = keyword.and_then(|k| self.keywords.remove(k)) {
            return Some(v);
        }
        self.positional
            .get_mut(position)
            .map(serde_json::Value::take)
    }
}

/// The JSON of an input, `null` when it is absent or blank (a call without arguments in
/// every format); `sends` says what the peer sends, for the error on anything else.
pub(crate) fn parse_input(
    input: Option<&str>,
    sends: impl FnOnce() -> String,
) -> Result<serde_json::Value, FormatError> {
    match input.filter(|t| !t.trim().is_empty()) {
        None => Ok(serde_json::Value::Null),
        Some(text) => serde_json::from_str(text)
            .map_err(|e| FormatError::new(format!("not JSON ({e}); {}", sends()))),
    }
}

/// Why a value could not be put into, or taken out of, a format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError {
    argument: Option<String>,
    message: String,
}

impl FormatError {
    /// An error about the input as a whole.
    pub fn new(message: impl Into<String>) -> Self {
        FormatError {
            argument: None,
            message: message.into(),
        }
    }

    pub(crate) fn with_argument(argument: String, message: String) -> Self {
        FormatError {
            argument: Some(argument),
            message,
        }
    }

    /// An error about one argument.
    pub fn at(arg: &Arg, message: impl fmt::Display) -> Self {
        FormatError {
            argument: Some(arg.describe()),
            message: message.to_string(),
        }
    }

    /// Which argument it is about, when it is about one ("argument 2", "argument `code` (position 1)").
    pub fn argument(&self) -> Option<&str> {
        self.argument.as_deref()
    }

    /// What is wrong and how to fix it.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.argument {
            Some(arg) => write!(f, "{arg}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for FormatError {}
