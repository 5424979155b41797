//! One signal to many executions, as a batch job would send it: starts N order
//! executions (default 300), then nudges all of them with a throttle-aware fan-out — paced
//! by a token bucket at SWF's account quota for `SignalWorkflowExecution`, throttles
//! retried until a deadline — with a progress bar, and prints the summary.
//!
//! Reads endpoint, region and credentials the standard AWS way. Locally:
//! `scripts/swf-server 8123 &` then
//! `AWS_ENDPOINT_URL_SWF=http://127.0.0.1:8123 AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x cargo run -p swf-signal-examples --example fan_out -- 300`
//! (add `SWF_SERVER_THROTTLE="SignalWorkflowExecution=50/20"` to the server and
//! `--rate 50/20` here to watch the pacing).
//!
//! Run: `cargo run -p swf-signal-examples --example fan_out -- [N] [--rate BUCKET/REFILL]`

use std::time::{SystemTime, UNIX_EPOCH};

use aws_sdk_swf::types::{ChildPolicy, TaskList, WorkflowType};
use indicatif::{ProgressBar, ProgressStyle};
use swf_signal::{Execution, FanOut, RateLimit, SignalSender};
use swf_signal_examples::OrderSignal;

const DOMAIN: &str = "swf-signal-fan-out";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut n: usize = 300;
    let mut rate = RateLimit::SWF_SIGNAL_QUOTA;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--rate" {
            let spec = args
                .next()
                .ok_or("--rate needs BUCKET/REFILL, e.g. 50/20")?;
            let (b, r) = spec
                .split_once('/')
                .ok_or("--rate needs BUCKET/REFILL, e.g. 50/20")?;
            rate = RateLimit::new(b.parse()?, r.parse()?).ok_or("--rate: both must be positive")?;
        } else {
            n = arg.parse().map_err(|_| format!("not a count: {arg}"))?;
        }
    }

    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let client = aws_sdk_swf::Client::new(&config);
    register(&client).await;
    let stamp = SystemTime::now().duration_since(UNIX_EPOCH)?.as_millis();
    let mut targets = Vec::with_capacity(n);
    for i in 0..n {
        let id = format!("batch-{stamp}-{i}");
        let run = client
            .start_workflow_execution()
            .domain(DOMAIN)
            .workflow_id(&id)
            .workflow_type(WorkflowType::builder().name("order").version("1").build()?)
            .send()
            .await?;
        targets.push(Execution::new(id, run.run_id().unwrap_or_default()));
    }
    println!(
        "started {n} executions; nudging them at {} calls, then {}/s",
        rate.bucket(),
        rate.refill_per_second()
    );

    let bar = ProgressBar::new(n as u64).with_style(ProgressStyle::with_template(
        "{bar:40} {pos}/{len} sent, {msg} [{elapsed}]",
    )?);
    let options = FanOut::new().concurrency(16).on_progress({
        let bar = bar.clone();
        move |p| {
            bar.set_position(p.done as u64);
            bar.set_message(format!("{} failed", p.failed));
        }
    });
    let sender = SignalSender::new(client, DOMAIN).rate_limit(Some(rate));
    let report = sender
        .fan_out(&targets, &OrderSignal::Nudge, &options)
        .await;
    bar.finish();
    println!("{}", report.summary);
    for (target, result) in targets.iter().zip(&report.results) {
        if let Err(err) = result {
            eprintln!("{target}: {err}");
        }
    }
    Ok(())
}

/// Registers the domain and the `order` workflow type; "already exists" is fine, and any
/// other failure shows up at the first start.
async fn register(client: &aws_sdk_swf::Client) {
    let _ = client
        .register_domain()
        .name(DOMAIN)
        .workflow_execution_retention_period_in_days("1")
        .send()
        .await;
    if let Ok(list) = TaskList::builder().name("order-deciders").build() {
        let _ = client
            .register_workflow_type()
            .domain(DOMAIN)
            .name("order")
            .version("1")
            .default_task_list(list)
            .default_execution_start_to_close_timeout("600")
            .default_task_start_to_close_timeout("30")
            .default_child_policy(ChildPolicy::Terminate)
            .send()
            .await;
    }
}
