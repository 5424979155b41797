//! Compile-time checks of `#[derive(Signal)]`: every refusal has a `.stderr` here.
//!
//! Run with `--no-default-features`: trybuild builds the cases in a project of its own,
//! and with the `aws` feature that project would compile the whole AWS SDK a second
//! time. `scripts/test` runs it that way.

#[test]
#[cfg_attr(
    feature = "aws",
    ignore = "run with `cargo test -p swf-signal --no-default-features --test ui` (scripts/test does)"
)]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/names/*.rs");
    t.compile_fail("tests/ui/attrs/*.rs");
    t.compile_fail("tests/ui/shapes/*.rs");
    t.compile_fail("tests/ui/handler/*.rs");
    t.compile_fail("tests/ui/format/*.rs");
    t.pass("tests/ui/pass/*.rs");
}
