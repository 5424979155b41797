//! The [`Signal`] trait and handler dispatch.

use crate::error::{DecodeError, EncodeError};

/// A value that travels as an SWF signal: a `signalName` and an optional `input`.
///
/// Implemented by `#[derive(Signal)]` on an enum with one variant per signal; see the
/// [crate documentation](crate) for the attributes and the wire format. Implementing it
/// by hand is possible, but the derive is what checks the names at compile time.
pub trait Signal: Sized {
    /// Every wire name, in declaration order. The `#[signal(other)]` variant has no name
    /// of its own and is not listed.
    const NAMES: &'static [&'static str];

    /// The wire name of this value's variant. For the `#[signal(other)]` variant, which
    /// has no fixed name, this is `""`; [`wire_name`](Signal::wire_name) gives the name
    /// it carries.
    fn signal_name(&self) -> &'static str;

    /// The name this value is sent under: [`signal_name`](Signal::signal_name), or the
    /// carried name of a `#[signal(other)]` value.
    fn wire_name(&self) -> &str {
        self.signal_name()
    }

    /// The input to send: `None` for a unit variant (sent as an empty input), the raw
    /// string of a `#[signal(raw)]` variant, the JSON of the payload otherwise.
    ///
    /// # Errors
    ///
    /// [`EncodeError`] when the payload's `Serialize` impl fails.
    fn encode_input(&self) -> Result<Option<String>, EncodeError>;

    /// Rebuilds a value from a received name and input. The input is borrowed: decoding
    /// copies nothing beyond what the payload types own.
    ///
    /// # Errors
    ///
    /// [`DecodeError`], which says what went wrong and keeps the name and raw input.
    fn decode(name: &str, input: Option<&str>) -> Result<Self, DecodeError>;
}

/// Hands a signal to the handler method of its variant.
///
/// `#[derive(Signal)]` on `E` implements `Dispatch<H>` for every `H: EHandler`, so
/// delivering a decoded signal is one call: `signal.dispatch(&mut handler)`.
pub trait Dispatch<H: ?Sized>: Signal {
    /// What the handler methods return (`EHandler::Output`).
    type Output;

    /// Calls the handler method for this value's variant with its payload fields.
    fn dispatch(self, handler: &mut H) -> Self::Output;
}
