//! Errors of encoding and decoding signal inputs.

use std::fmt;

/// A signal's payload could not be serialized to its input.
///
/// Serde payloads rarely fail to encode; when they do it is a map with non-string keys
/// or a `Serialize` impl that returns an error. With a wire format other than JSON it can
/// also be a value the format has no representation for (see [`crate::format`]); the
/// message then names the format and the argument. The message always names the signal.
#[derive(Debug)]
pub struct EncodeError {
    name: &'static str,
    // Boxed: `EncodeError` travels inside `SendError` and decision errors, which must stay
    // small (clippy's `result_large_err`); this is the rare path.
    source: Box<EncodeSource>,
}

#[derive(Debug)]
enum EncodeSource {
    Json(serde_json::Error),
    Format(&'static str, crate::format::FormatError),
}

impl EncodeError {
    /// Builds an error for the signal `name`; generated code uses it.
    pub fn new(name: &'static str, source: serde_json::Error) -> Self {
        EncodeError {
            name,
            source: Box::new(EncodeSource::Json(source)),
        }
    }

    /// An error of a wire format (`format` is [`Format::NAME`](crate::format::Format::NAME)).
    pub fn format(
        name: &'static str,
        format: &'static str,
        error: crate::format::FormatError,
    ) -> Self {
        EncodeError {
            name,
            source: Box::new(EncodeSource::Format(format, error)),
        }
    }

    /// The wire name of the signal whose payload failed to encode.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The argument the error is about, with a wire format that has arguments.
    pub fn argument(&self) -> Option<&str> {
        match &*self.source {
            EncodeSource::Format(_, error) => error.argument(),
            EncodeSource::Json(_) => None,
        }
    }
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self.name;
        match &*self.source {
            EncodeSource::Json(source) => write!(
                f,
                "cannot encode the input of signal `{name}`: {source}; check the Serialize impl of its payload"
            ),
            EncodeSource::Format(format, error) => {
                write!(f, "cannot encode signal `{name}` as {format}: {error}")
            }
        }
    }
}

impl std::error::Error for EncodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &*self.source {
            EncodeSource::Json(source) => Some(source),
            EncodeSource::Format(_, error) => Some(error),
        }
    }
}

/// A received signal that does not decode into the enum.
///
/// Every variant keeps the signal's name and its raw input as SWF delivered them, so a
/// decider can record, forward or retry what it could not understand: nothing is lost.
/// `Display` names the signal and says what to fix; it never prints the input itself,
/// which may hold data that does not belong in logs.
///
/// ```
/// use swf_signal::{DecodeError, Signal};
///
/// #[derive(Debug, Signal)]
/// enum Door {
///     Open,
///     Lock { code: u32 },
/// }
///
/// let err = Door::decode("Lock", Some(r#"{"code":"x"}"#)).unwrap_err();
/// assert!(matches!(err, DecodeError::MalformedInput { .. }));
/// assert_eq!(err.name(), "Lock");
/// assert_eq!(err.input(), Some(r#"{"code":"x"}"#));
/// assert_eq!((err.line(), err.column()), (Some(1), Some(11)));
/// assert!(err.to_string().starts_with("signal `Lock` has a malformed input"));
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// No variant has this name (and the enum has no `#[signal(other)]` variant).
    #[error(
        "unknown signal `{name}` for {signal_type}: expected one of {expected}; add a variant for it, or a #[signal(other)] variant to accept any name",
        expected = ExpectedNames(expected)
    )]
    UnknownName {
        /// The Rust name of the signal enum.
        signal_type: &'static str,
        /// The name as received.
        name: String,
        /// The raw input as received.
        input: Option<String>,
        /// Every name the enum knows, in declaration order.
        expected: &'static [&'static str],
    },
    /// The variant has a payload but the signal came without input.
    #[error("signal `{name}` needs an input but none was sent; send the JSON of its payload")]
    MissingInput {
        /// The name as received.
        name: String,
    },
    /// A unit variant received an input that is not empty and not JSON `null`.
    #[error(
        "signal `{name}` takes no input but got {len} characters; send it with an empty input",
        len = input.chars().count()
    )]
    UnexpectedInput {
        /// The name as received.
        name: String,
        /// The raw input as received.
        input: String,
    },
    /// The input is not valid JSON for the payload; `source` says where and what serde
    /// expected (for example "missing field `approver` at line 1 column 2").
    #[error("signal `{name}` has a malformed input: {source}")]
    MalformedInput {
        /// The name as received.
        name: String,
        /// The raw input as received.
        input: String,
        /// `serde_json`'s error, with line, column and what it expected.
        #[source]
        source: serde_json::Error,
    },
    /// The input is not in the variant's wire format (`#[signal(format = "…")]`), or one
    /// of its arguments does not decode into its field; `error` names the argument.
    #[error("signal `{name}` does not decode as {format}: {error}")]
    Format {
        /// The name as received.
        name: String,
        /// The raw input as received.
        input: Option<String>,
        /// The format's name, like `flow-java`.
        format: &'static str,
        /// What is wrong, and with which argument.
        error: crate::format::FormatError,
    },
    /// A `WorkflowExecutionSignaled` event without its attributes: no name, no input.
    /// SWF always sends them, so the history was damaged or built by hand; reported
    /// rather than skipped, so the event is not lost unseen.
    #[error("a WorkflowExecutionSignaled event came without its attributes (no signal name, no input); SWF always sends them, so check where the history came from")]
    MissingAttributes,
}

impl DecodeError {
    /// The signal name as received.
    pub fn name(&self) -> &str {
        match self {
            DecodeError::UnknownName { name, .. }
            | DecodeError::MissingInput { name }
            | DecodeError::UnexpectedInput { name, .. }
            | DecodeError::MalformedInput { name, .. }
            | DecodeError::Format { name, .. } => name,
            DecodeError::MissingAttributes => "",
        }
    }

    /// The raw input as received, `None` when the signal had none.
    pub fn input(&self) -> Option<&str> {
        match self {
            DecodeError::UnknownName { input, .. } | DecodeError::Format { input, .. } => {
                input.as_deref()
            }
            DecodeError::MissingInput { .. } | DecodeError::MissingAttributes => None,
            DecodeError::UnexpectedInput { input, .. }
            | DecodeError::MalformedInput { input, .. } => Some(input),
        }
    }

    /// The 1-based line of a malformed input where `serde_json` stopped.
    pub fn line(&self) -> Option<usize> {
        match self {
            DecodeError::MalformedInput { source, .. } => Some(source.line()),
            _ => None,
        }
    }

    /// The 1-based column of a malformed input where `serde_json` stopped.
    pub fn column(&self) -> Option<usize> {
        match self {
            DecodeError::MalformedInput { source, .. } => Some(source.column()),
            _ => None,
        }
    }

    /// A description that is safe for logs: like `Display`, but for a malformed input it
    /// gives serde's error category and position instead of serde's message, which can
    /// quote parts of the input ("invalid type: string \"4111…\"").
    pub fn summary(&self) -> impl fmt::Display + '_ {
        Summary(self)
    }

    /// Gives back the name and the raw input, for a caller that keeps what it could not
    /// decode.
    pub fn into_parts(self) -> (String, Option<String>) {
        match self {
            DecodeError::UnknownName { name, input, .. }
            | DecodeError::Format { name, input, .. } => (name, input),
            DecodeError::MissingInput { name } => (name, None),
            DecodeError::MissingAttributes => (String::new(), None),
            DecodeError::UnexpectedInput { name, input }
            | DecodeError::MalformedInput { name, input, .. } => (name, Some(input)),
        }
    }
}

struct Summary<'a>(&'a DecodeError);

impl fmt::Display for Summary<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            DecodeError::MalformedInput { name, source, .. } => write!(
                f,
                "signal `{name}` has a malformed input ({} at line {} column {})",
                SafeMessage(source),
                source.line(),
                source.column()
            ),
            // The error's message can quote the value serde could not take.
            DecodeError::Format {
                name,
                format,
                error,
                ..
            } => match error.argument() {
                Some(arg) => write!(f, "signal `{name}` does not decode as {format} ({arg})"),
                None => write!(f, "signal `{name}` does not decode as {format}"),
            },
            other => write!(f, "{other}"),
        }
    }
}

/// What serde said about an input, without any part of the input: syntax errors are
/// fixed phrases ("key must be a string"); data errors keep serde's kind of mismatch and
/// what the payload type expected, which come from the type, and drop the value serde
/// quotes ("invalid type: string \"4111…\"").
struct SafeMessage<'a>(&'a serde_json::Error);

impl fmt::Display for SafeMessage<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use serde_json::error::Category;
        let full = self.0.to_string();
        // serde_json appends the position, which the caller prints on its own.
        let msg = full
            .rsplit_once(" at line ")
            .map_or(full.as_str(), |(msg, _)| msg);
        match self.0.classify() {
            Category::Syntax | Category::Eof => f.write_str(msg),
            Category::Io => f.write_str("i/o error"),
            Category::Data => {
                // `missing field `x`` names a field of the type, never a value.
                if msg.starts_with("missing field `") || msg.starts_with("duplicate field `") {
                    return f.write_str(msg);
                }
                let (head, expected) = match msg.rsplit_once(", expected ") {
                    Some((head, expected)) => (head, Some(expected)),
                    None => (msg, None),
                };
                // serde's kinds: "invalid type: …", "unknown variant `…`", "invalid
                // length 3"; a custom message (a Deserialize impl's own) may quote the
                // value, so it is not repeated.
                let kind = match head.split_once(':') {
                    Some((kind, _)) => kind,
                    None if expected.is_some() => head,
                    None => "data error",
                };
                let kind = kind.split_once(" `").map_or(kind, |(kind, _)| kind);
                let kind = if kind.len() > 40 { "data error" } else { kind };
                match expected {
                    Some(expected) => write!(f, "{kind}, expected {expected}"),
                    None => f.write_str(kind),
                }
            }
        }
    }
}

/// Formats `&["a", "b"]` as `` `a`, `b` `` for the unknown-name message.
struct ExpectedNames(&'static [&'static str]);

impl fmt::Display for ExpectedNames {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("no name (the enum has only a #[signal(other)] variant)");
        }
        for (i, name) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "`{name}`")?;
        }
        Ok(())
    }
}

/// The SDK's own error `Display` is terse ("dispatch failure"); this walks the source
/// chain so the message says what actually failed (connection refused, timeout, …).
#[cfg(feature = "aws")]
pub(crate) fn error_chain<'a>(
    err: &'a (dyn std::error::Error + 'static),
) -> impl fmt::Display + 'a {
    ErrorChain(err)
}

#[cfg(feature = "aws")]
struct ErrorChain<'a>(&'a (dyn std::error::Error + 'static));

#[cfg(feature = "aws")]
impl fmt::Display for ErrorChain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)?;
        let mut source = self.0.source();
        while let Some(err) = source {
            write!(f, ": {err}")?;
            source = err.source();
        }
        Ok(())
    }
}
