//! The peers of the interop tests, run as their own programs: Flow-Java's Jackson on the
//! JDK, simpleflow and botoflow in `./.venv`. `scripts/test` installs them
//! (`scripts/interop.sh`); a missing one fails the test with how to install it.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

/// The repository's root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate sits in the workspace")
        .to_path_buf()
}

/// Jackson's classpath: `SWF_SIGNAL_JACKSON_CP`, which `scripts/interop.sh` exports, else
/// where Debian's `libjackson2-databind-java` puts the jars (a plain `cargo test`).
fn jackson_classpath() -> String {
    std::env::var("SWF_SIGNAL_JACKSON_CP").unwrap_or_else(|_| {
        ["jackson-databind", "jackson-core", "jackson-annotations"]
            .map(|j| format!("/usr/share/java/{j}.jar"))
            .join(":")
    })
}

/// `interop/flow-java` compiled once per test binary, with Jackson on the classpath.
pub struct FlowJava {
    classpath: String,
}

/// Compiles `interop/flow-java` (javac, JDK 17) the first time it is asked for.
///
/// # Panics
/// When javac or Jackson is missing, with how to install them.
pub fn flow_java() -> &'static FlowJava {
    static JAVA: OnceLock<FlowJava> = OnceLock::new();
    JAVA.get_or_init(|| {
        let jackson = jackson_classpath();
        for jar in jackson.split(':') {
            assert!(
                Path::new(jar).exists(),
                "{jar} is missing: install Jackson with `apt-get install libjackson2-databind-java` (scripts/test does it through scripts/interop.sh)"
            );
        }
        let src = repo_root().join("interop/flow-java");
        let out = std::env::temp_dir().join(format!("swf-signal-flow-java-{}", std::process::id()));
        let mut sources = Vec::new();
        collect_java(&src, &mut sources);
        let status = Command::new("javac")
            .arg("-d")
            .arg(&out)
            .arg("-cp")
            .arg(&jackson)
            .args(&sources)
            .status()
            .expect("javac (JDK 17) must be installed to run the Flow-Java interop test");
        assert!(status.success(), "javac failed on interop/flow-java");
        FlowJava {
            classpath: format!("{}:{jackson}", out.display()),
        }
    })
}

fn collect_java(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read interop/flow-java") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            collect_java(&path, out);
        } else if path.extension().is_some_and(|e| e == "java") {
            out.push(path);
        }
    }
}

impl FlowJava {
    /// Runs `FlowJavaInterop <mode>` with `stdin`, returning its stdout.
    ///
    /// # Panics
    /// When java fails.
    pub fn run(&self, mode: &str, stdin: &str) -> String {
        let mut child = Command::new("java")
            .arg("-cp")
            .arg(&self.classpath)
            .arg("FlowJavaInterop")
            .arg(mode)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("run java");
        child
            .stdin
            .take()
            .expect("piped stdin")
            .write_all(stdin.as_bytes())
            .expect("write to java");
        let out = child.wait_with_output().expect("java's output");
        assert!(out.status.success(), "FlowJavaInterop {mode} failed");
        String::from_utf8(out.stdout).expect("java writes UTF-8")
    }
}

/// The Python of `./.venv`, where `scripts/interop.sh` installs simpleflow and botoflow.
///
/// # Panics
/// When the virtual environment or the peer is missing.
pub fn venv_python(module: &str) -> PathBuf {
    let python = repo_root().join(".venv/bin/python");
    let ok = Command::new(&python)
        .args(["-c", &format!("import {module}")])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        ok,
        "{module} is not installed in ./.venv: run the tests through ./scripts/test, which installs it (scripts/interop.sh)"
    );
    python
}

/// Reads a committed fixture and checks it is what the peer writes today.
///
/// # Panics
/// When the fixture is missing or stale, with the command that regenerates it.
pub fn current_fixture(path: &str, peer_output: &str) -> String {
    let fixture =
        std::fs::read_to_string(repo_root().join(path)).expect("the fixture is committed");
    assert_eq!(
        peer_output, fixture,
        "{path} is stale: run scripts/regen-interop-fixtures"
    );
    fixture
}

/// A Rust workflow for the interop tests: its handler methods (implemented per signal enum
/// in each test) push a line per signal into `seen`; it completes with the lines, joined
/// by `"; "`, once `N` signals arrived.
#[derive(Debug)]
pub struct Recorder<S, const N: usize> {
    /// One line per signal, in order.
    pub seen: Vec<String>,
    signal: std::marker::PhantomData<S>,
}

impl<S, const N: usize> swf_signal::Workflow for Recorder<S, N>
where
    S: swf_signal::Dispatch<Self>,
{
    const NAME: &'static str = crate::WORKFLOW_NAME;
    const VERSION: &'static str = crate::WORKFLOW_VERSION;
    type Signal = S;
    type Input = ();

    fn start((): ()) -> Self {
        Recorder {
            seen: Vec::new(),
            signal: std::marker::PhantomData,
        }
    }

    fn decide(
        &mut self,
        _ctx: &swf_signal::DecisionContext<'_, Self>,
        decisions: &mut swf_signal::Decisions,
    ) -> Result<(), swf_signal::DecideError> {
        if self.seen.len() == N {
            decisions.complete(Some(&self.seen.join("; ")))?;
        }
        Ok(())
    }
}

/// Waits for a peer's process to exit successfully; kills it after `within`.
///
/// # Panics
/// When it fails or does not finish in time.
pub async fn wait_exit(mut child: std::process::Child, what: &str, within: std::time::Duration) {
    let deadline = std::time::Instant::now() + within;
    loop {
        if let Some(status) = child.try_wait().expect("wait for the peer's process") {
            assert!(status.success(), "{what} failed: {status}");
            return;
        }
        let late = std::time::Instant::now() > deadline;
        if late {
            let _ = child.kill();
        }
        assert!(!late, "{what} did not finish within {within:?}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}
