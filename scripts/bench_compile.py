#!/usr/bin/env python3
"""derive_compile_vs_handwritten: build time of a crate with a 100-variant
#[derive(Signal)] enum against the same crate with the equivalent code written by hand.

Both crates are generated under target/bench-compile, share one target directory and the
workspace's Cargo.lock, are built once to warm their dependencies, then rebuilt
alternately after touching their source; the row is the ratio of the median rebuild
times. Prints a `RATIO |` line like the criterion benches.

Run: python3 scripts/bench_compile.py [rounds]
"""
import os
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
OUT = os.path.join(ROOT, "target", "bench-compile")
VARIANTS = 100


def variants():
    for i in range(VARIANTS):
        yield i, ["unit", "newtype", "tuple", "struct"][i % 4]


def enum_body():
    lines = []
    for i, kind in variants():
        if kind == "unit":
            lines.append(f"    V{i},")
        elif kind == "newtype":
            lines.append(f"    V{i}(u32),")
        elif kind == "tuple":
            lines.append(f"    V{i}(i32, String),")
        else:
            lines.append(f"    V{i} {{ a: String, b: Option<u32> }},")
    return "\n".join(lines)


def derived_src():
    return f"""use swf_signal::Signal;

#[derive(Debug, Clone, PartialEq, Signal)]
#[signal(rename_all = "snake_case")]
pub enum Big {{
{enum_body()}
}}
"""


def handwritten_src():
    names = ", ".join(f'"v{i}"' for i, _ in variants())
    sig_arms, enc_arms, dec_arms, methods, disp_arms = [], [], [], [], []
    for i, kind in variants():
        n = f"v{i}"
        if kind == "unit":
            sig_arms.append(f"Self::V{i} => \"{n}\",")
            enc_arms.append(f"Self::V{i} => Ok(None),")
            dec_arms.append(
                f"\"{n}\" => match input {{ None => Ok(Self::V{i}), Some(t) if t.trim().is_empty() || t.trim() == \"null\" => Ok(Self::V{i}), "
                f"Some(t) => Err(DecodeError::UnexpectedInput {{ name: name.to_owned(), input: t.to_owned() }}) }},")
            methods.append(f"    fn {n}(&mut self) -> Self::Output;")
            disp_arms.append(f"Big::V{i} => h.{n}(),")
        elif kind == "newtype":
            sig_arms.append(f"Self::V{i}(..) => \"{n}\",")
            enc_arms.append(f"Self::V{i}(x) => json(\"{n}\", x),")
            dec_arms.append(f"\"{n}\" => Ok(Self::V{i}(parse(name, input, true)?)),")
            methods.append(f"    fn {n}(&mut self, value: u32) -> Self::Output;")
            disp_arms.append(f"Big::V{i}(x) => h.{n}(x),")
        elif kind == "tuple":
            sig_arms.append(f"Self::V{i}(..) => \"{n}\",")
            enc_arms.append(f"Self::V{i}(x, y) => json(\"{n}\", &(x, y)),")
            dec_arms.append(f"\"{n}\" => {{ let (x, y): (i32, String) = parse(name, input, false)?; Ok(Self::V{i}(x, y)) }}")
            methods.append(f"    fn {n}(&mut self, arg0: i32, arg1: String) -> Self::Output;")
            disp_arms.append(f"Big::V{i}(x, y) => h.{n}(x, y),")
        else:
            sig_arms.append(f"Self::V{i} {{ .. }} => \"{n}\",")
            enc_arms.append(
                f"Self::V{i} {{ a, b }} => {{ #[derive(Serialize)] struct P<'x> {{ a: &'x String, b: &'x Option<u32> }} json(\"{n}\", &P {{ a, b }}) }}")
            dec_arms.append(
                f"\"{n}\" => {{ #[derive(Deserialize)] struct P {{ a: String, b: Option<u32> }} let P {{ a, b }} = parse(name, input, false)?; Ok(Self::V{i} {{ a, b }}) }}")
            methods.append(f"    fn {n}(&mut self, a: String, b: Option<u32>) -> Self::Output;")
            disp_arms.append(f"Big::V{i} {{ a, b }} => h.{n}(a, b),")
    nl = "\n        "
    return f"""use serde::{{Deserialize, Serialize}};
use swf_signal::{{DecodeError, Dispatch, EncodeError, Signal}};

#[derive(Debug, Clone, PartialEq)]
pub enum Big {{
{enum_body()}
}}

fn json<T: Serialize + ?Sized>(name: &'static str, v: &T) -> Result<Option<String>, EncodeError> {{
    serde_json::to_string(v).map(Some).map_err(|e| EncodeError::new(name, e))
}}

fn parse<T: serde::de::DeserializeOwned>(name: &str, input: Option<&str>, null: bool) -> Result<T, DecodeError> {{
    match input.filter(|s| !s.trim().is_empty()) {{
        Some(t) => serde_json::from_str(t).map_err(|source| DecodeError::MalformedInput {{ name: name.to_owned(), input: t.to_owned(), source }}),
        None if null => serde_json::from_str("null").map_err(|_| DecodeError::MissingInput {{ name: name.to_owned() }}),
        None => Err(DecodeError::MissingInput {{ name: name.to_owned() }}),
    }}
}}

impl Signal for Big {{
    const NAMES: &'static [&'static str] = &[{names}];

    fn signal_name(&self) -> &'static str {{
        match self {{
        {nl.join(sig_arms)}
        }}
    }}

    fn encode_input(&self) -> Result<Option<String>, EncodeError> {{
        match self {{
        {nl.join(enc_arms)}
        }}
    }}

    fn decode(name: &str, input: Option<&str>) -> Result<Self, DecodeError> {{
        match name {{
        {nl.join(dec_arms)}
            _ => Err(DecodeError::UnknownName {{ signal_type: "Big", name: name.to_owned(), input: input.map(str::to_owned), expected: Self::NAMES }}),
        }}
    }}
}}

pub trait BigHandler {{
    type Output;
{chr(10).join(methods)}
}}

impl<H: BigHandler + ?Sized> Dispatch<H> for Big {{
    type Output = H::Output;
    fn dispatch(self, h: &mut H) -> H::Output {{
        match self {{
        {nl.join(disp_arms)}
        }}
    }}
}}
"""


def write_crate(name, src, extra_deps=""):
    d = os.path.join(OUT, name)
    os.makedirs(os.path.join(d, "src"), exist_ok=True)
    with open(os.path.join(d, "Cargo.toml"), "w") as f:
        f.write(f"""[package]
name = "bench-{name}"
version = "0.0.0"
edition = "2021"
publish = false

# Not part of the swf-signal workspace.
[workspace]

[dependencies]
swf-signal = {{ path = "{ROOT}/swf-signal", default-features = false }}
serde = {{ version = "1", features = ["derive"] }}
{extra_deps}
""")
    with open(os.path.join(d, "src", "lib.rs"), "w") as f:
        f.write(src)
    shutil.copy(os.path.join(ROOT, "Cargo.lock"), os.path.join(d, "Cargo.lock"))
    return d


def build(d, env):
    os.utime(os.path.join(d, "src", "lib.rs"))
    t = time.perf_counter()
    subprocess.run(["cargo", "build", "--quiet"], cwd=d, env=env, check=True)
    return time.perf_counter() - t


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    # Incremental compilation would reuse the last build of an unchanged file; every
    # rebuild must compile the crate in full.
    env = dict(os.environ, CARGO_TARGET_DIR=os.path.join(OUT, "target"), CARGO_INCREMENTAL="0")
    derived = write_crate("derived", derived_src())
    hand = write_crate("handwritten", handwritten_src(), 'serde_json = "1"')
    for d in (derived, hand):  # warm the dependencies
        build(d, env)
    times = {"derived": [], "handwritten": []}
    for r in range(rounds):
        order = [("derived", derived), ("handwritten", hand)]
        if r % 2:
            order.reverse()
        for name, d in order:
            times[name].append(build(d, env))
    md, mh = statistics.median(times["derived"]), statistics.median(times["handwritten"])
    ratio = md / mh
    verdict = "met" if ratio <= 1.5 else "NOT MET"
    print(f"derived rebuilds (s): {', '.join(f'{t:.2f}' for t in times['derived'])}")
    print(f"handwritten rebuilds (s): {', '.join(f'{t:.2f}' for t in times['handwritten'])}")
    print(f"RATIO | `derive_compile_vs_handwritten` | {ratio:.3} | ≤ 1.5 | {verdict} | median {md:.2f} s / {mh:.2f} s over {rounds} alternating rebuilds |")


if __name__ == "__main__":
    main()
