//! The endpoint the end-to-end benches run on: a `scripts/swf-server` they start, and a
//! fresh domain with started executions.
#![allow(clippy::expect_used)] // set-up failures end the bench with what failed

/// A `scripts/swf-server` a bench started, stopped on drop.
pub struct SwfServer(std::process::Child);

impl Drop for SwfServer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl SwfServer {
    /// Starts `scripts/swf-server` (which installs moto into `./.venv` if needed) on a
    /// free port with extra environment; returns its URL once it listens.
    ///
    /// # Panics
    ///
    /// When it cannot be started or does not listen within 2 minutes.
    pub fn start(env: &[(&str, &str)]) -> (String, SwfServer) {
        use std::time::{Duration, Instant};
        let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = std::process::Command::new(root.join("scripts/swf-server"))
            .arg(port.to_string())
            // The history benches fold 25,000 signals into one execution, which with its
            // decision task events is over SWF's 25,000-event limit the server enforces.
            .env("SWF_SERVER_MAX_EVENTS", "1000000")
            .envs(env.iter().copied())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start scripts/swf-server");
        let server = SwfServer(child);
        let deadline = Instant::now() + Duration::from_mins(2);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "scripts/swf-server did not listen on {port} within 120 s"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        (format!("http://127.0.0.1:{port}"), server)
    }
}

/// A client for `url` with dummy credentials, a fresh domain with a `bench` workflow
/// type, and `executions` started executions (their workflow ids).
///
/// # Panics
///
/// When a set-up call fails: the bench cannot run without it.
pub async fn setup(
    url: &str,
    name: &str,
    executions: usize,
) -> (aws_sdk_swf::Client, String, Vec<String>) {
    let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new("us-east-1"))
        .endpoint_url(url)
        .credentials_provider(aws_sdk_swf::config::Credentials::for_tests())
        .load()
        .await;
    let client = aws_sdk_swf::Client::new(&config);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let domain = format!("bench-{name}-{nanos}");
    client
        .register_domain()
        .name(&domain)
        .workflow_execution_retention_period_in_days("1")
        .send()
        .await
        .expect("register domain");
    let wf_type = aws_sdk_swf::types::WorkflowType::builder()
        .name("bench")
        .version("1")
        .build()
        .expect("type");
    client
        .register_workflow_type()
        .domain(&domain)
        .name("bench")
        .version("1")
        .default_task_list(
            aws_sdk_swf::types::TaskList::builder()
                .name("bench")
                .build()
                .expect("list"),
        )
        .default_execution_start_to_close_timeout("3600")
        .default_task_start_to_close_timeout("60")
        .default_child_policy(aws_sdk_swf::types::ChildPolicy::Terminate)
        .send()
        .await
        .expect("register type");
    let mut ids = Vec::new();
    // Many executions, so no one history grows long enough to slow the server down.
    for i in 0..executions {
        let id = format!("bench-{i}");
        client
            .start_workflow_execution()
            .domain(&domain)
            .workflow_id(&id)
            .workflow_type(wf_type.clone())
            .send()
            .await
            .expect("start");
        ids.push(id);
    }
    (client, domain, ids)
}
