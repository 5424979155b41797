//! Error collection, so that one build reports every mistake in the enum at once.
//!
//! Modelled on serde's `internals/ctxt.rs`: phases push errors here instead of
//! returning early, and `check` turns them into one combined `syn::Error`.

use std::cell::RefCell;
use std::fmt::Display;

use quote::ToTokens;

/// Collects errors from every phase of the derive.
#[derive(Default)]
pub(crate) struct Ctxt {
    // `None` once checked: dropping an unchecked context would lose errors.
    errors: RefCell<Option<Vec<syn::Error>>>,
}

impl Ctxt {
    pub(crate) fn new() -> Self {
        Ctxt {
            errors: RefCell::new(Some(Vec::new())),
        }
    }

    /// Records an error spanning the tokens of `obj`.
    pub(crate) fn error_spanned_by<T: ToTokens, M: Display>(&self, obj: T, msg: M) {
        self.syn_error(syn::Error::new_spanned(obj.into_token_stream(), msg));
    }

    /// Records an error built elsewhere (for example by `parse_nested_meta`).
    pub(crate) fn syn_error(&self, err: syn::Error) {
        if let Some(errors) = self.errors.borrow_mut().as_mut() {
            errors.push(err);
        }
    }

    /// Consumes the context: `Ok` when nothing was recorded, else every error combined.
    pub(crate) fn check(self) -> Result<(), syn::Error> {
        let errors = self.errors.borrow_mut().take().unwrap_or_default();
        let mut iter = errors.into_iter();
        let Some(mut combined) = iter.next() else {
            return Ok(());
        };
        for rest in iter {
            combined.combine(rest);
        }
        Err(combined)
    }
}

impl Drop for Ctxt {
    fn drop(&mut self) {
        // A context dropped with unreported errors is a bug in this crate; debug builds
        // of the derive's own tests catch it, users never reach it through a public path.
        debug_assert!(
            self.errors.borrow().is_none() || std::thread::panicking(),
            "swf-signal-derive: Ctxt dropped without calling check()"
        );
    }
}
