//! The decider side, in one place: a decision task's compact history ([`task`],
//! [`event`]), the decisions a decider makes ([`decisions`]), what happens to a signal
//! that does not decode ([`policy`]), the replay-first workflow fold and its sticky cache
//! ([`workflow`], [`cache`]), and what turns tasks into decisions for a worker
//! ([`decider`], [`router`]).
//!
//! Dependencies point one way: `event` ← `task` ← `policy` ← `workflow` ← `decider` ←
//! `router`, and `decisions` below all but `event`.

pub(crate) mod cache;
pub(crate) mod decider;
pub(crate) mod decisions;
pub(crate) mod event;
pub(crate) mod fold;
pub(crate) mod page;
pub(crate) mod policy;
pub(crate) mod router;
pub(crate) mod task;
pub(crate) mod workflow;
