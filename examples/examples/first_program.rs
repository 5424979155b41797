//! A first program, as README shows it: a support-ticket workflow registered, served,
//! started, signalled and waited for with no raw SDK call, and a worker that stops
//! within its shutdown grace even against SWF's 60 s long polls.
//!
//! `scripts/test` runs it against `scripts/swf-server` with SWF's own 60 s polls; it
//! exits non-zero if the ticket does not complete or the worker takes longer than its
//! grace (plus a second) to stop.
//!
//! Run: `cargo run -p swf-signal-examples --example first_program`

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use swf_signal::{
    CancellationToken, Closed, DecideError, DecisionContext, Decisions, Signal, Worker, Workflow,
    WorkflowClient, WorkflowDecider,
};

#[derive(Debug, Clone, Signal)]
#[signal(rename_all = "kebab-case")]
enum TicketSignal {
    Assign { agent: String },
    Resolve { note: String },
}

#[derive(Serialize, Deserialize)]
struct NewTicket {
    title: String,
}

#[derive(Debug)]
struct Ticket {
    title: String,
    agent: Option<String>,
    resolution: Option<String>,
}

impl TicketSignalHandler for Ticket {
    type Output = ();
    fn assign(&mut self, agent: String) {
        self.agent = Some(agent);
    }
    fn resolve(&mut self, note: String) {
        self.resolution = Some(note);
    }
}

impl Workflow for Ticket {
    const NAME: &'static str = "support-ticket";
    const VERSION: &'static str = "1";
    type Signal = TicketSignal;
    type Input = NewTicket;

    fn start(input: NewTicket) -> Self {
        Ticket {
            title: input.title,
            agent: None,
            resolution: None,
        }
    }

    fn decide(
        &mut self,
        _ctx: &DecisionContext<'_, Self>,
        decisions: &mut Decisions,
    ) -> Result<(), DecideError> {
        if let (Some(agent), Some(note)) = (&self.agent, &self.resolution) {
            decisions.complete(Some(&format!("{}: {note} ({agent})", self.title)))?;
        }
        Ok(())
    }
}

const GRACE: Duration = Duration::from_secs(2);

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt::init(); // the worker's and the policies' log lines
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;

    let client = WorkflowClient::new(swf_signal::aws_sdk_swf::Client::new(&config), "support");
    client.register_domain(1).await?; // idempotent; retention in days

    let worker = Worker::new(swf_signal::worker::client(&config), "support", "tickets")?
        .pollers(2)?
        .shutdown_grace(GRACE); // polls in flight abandoned this long after shutdown
    let decider = WorkflowDecider::<Ticket>::new();
    // `run` registers `support-ticket` if missing (default task list: "tickets"); this
    // does it now, so the start below cannot outrun the worker.
    worker.register(&decider).await?;
    let shutdown = CancellationToken::new();
    let running = tokio::spawn({
        let shutdown = shutdown.clone();
        async move { worker.run(&decider, shutdown).await }
    });

    let id = format!("ticket-{}", std::process::id());
    let handle = client
        .start::<Ticket>(
            &id,
            &NewTicket {
                title: "printer jam".into(),
            },
        )
        .await?;
    println!("started {id}");
    handle
        .signal(&TicketSignal::Assign {
            agent: "ana".into(),
        })
        .await?;
    handle
        .signal(&TicketSignal::Resolve {
            note: "replaced the roller".into(),
        })
        .await?;

    let closed = tokio::time::timeout(Duration::from_mins(1), handle.result()).await??;
    println!("{id}: {closed}");
    let Closed::Completed { result } = closed else {
        return Err(format!("the ticket closed {closed}, not COMPLETED").into());
    };
    println!("result: {}", result.unwrap_or_default());

    let asked = Instant::now();
    shutdown.cancel();
    let stats = running.await?;
    let took = asked.elapsed();
    println!(
        "worker stopped in {:.2} s (grace {} s): {} tasks, {} polls abandoned",
        took.as_secs_f64(),
        GRACE.as_secs(),
        stats.tasks,
        stats.polls_abandoned
    );
    if took > GRACE + Duration::from_secs(1) {
        return Err(
            format!("the worker took {took:?} to stop, over its grace of {GRACE:?}").into(),
        );
    }
    Ok(())
}
