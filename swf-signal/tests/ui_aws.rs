//! Compile-time checks of the typed handles (feature `aws`): a `WorkflowHandle<W>` takes
//! `W::Signal` and nothing else. Separate from `ui.rs` because trybuild builds its cases
//! in a project of its own, and this one needs the AWS SDK there.
#![cfg(feature = "aws")]

#[test]
fn ui_aws() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui-aws/*.rs");
}
