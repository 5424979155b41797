//! A command line for operators, built from a program's own workflow types (feature
//! `cli`): it sends only signals that decode, starts runs with inputs that decode, prints
//! histories with every signal decoded (or its error), folds a run's state, and checks a
//! catalogue for breaking changes before a deploy.
//!
//! ```no_run
//! # use swf_signal::{DecideError, DecisionContext, Decisions, Signal, Workflow};
//! # #[derive(Debug, Signal)] #[signal(schema)] enum OrderSignal { Approve { approver: String } }
//! # #[derive(Debug)] struct Order;
//! # impl OrderSignalHandler for Order { type Output = (); fn approve(&mut self, _: String) {} }
//! # impl Workflow for Order {
//! #   const NAME: &'static str = "order"; const VERSION: &'static str = "1";
//! #   type Signal = OrderSignal; type Input = ();
//! #   fn start(_: ()) -> Self { Order }
//! #   fn decide(&mut self, _: &DecisionContext<'_, Self>, _: &mut Decisions) -> Result<(), DecideError> { Ok(()) }
//! # }
//! #[tokio::main(flavor = "current_thread")] // or the multi-threaded runtime
//! async fn main() -> std::process::ExitCode {
//!     swf_signal::cli::Cli::new("orders").workflow::<Order>().run().await
//! }
//! ```
//!
//! `orders signals [--json]`, `orders send WORKFLOW-ID SIGNAL [INPUT-JSON] [--run RUN-ID]`,
//! `orders start WORKFLOW-ID [INPUT-JSON]`, `orders history WORKFLOW-ID [--run RUN-ID]
//! [--json]`, `orders state WORKFLOW-ID [--run RUN-ID]`, `orders cancel WORKFLOW-ID`,
//! `orders check-catalogue DEPLOYED.json`. `--domain` overrides the domain given to
//! [`Cli::new`]; `--type NAME` picks a workflow type when the program serves several (the
//! first by default). The endpoint, region and credentials come the standard AWS way.
//!
//! Exit codes: 0 done; 1 `check-catalogue` found breaking changes; 2 refused before
//! anything was sent (bad arguments, an input that is not JSON or does not decode, an
//! unknown signal name); 3 SWF refused or could not be reached (an unknown execution, a
//! throttle, the network).

use std::fmt::Debug;
use std::future::Future;
use std::io::Write;
use std::marker::PhantomData;
use std::pin::Pin;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::contract::{Catalogue, Contract};
use crate::decide::workflow::Workflow;
use crate::send::{Execution, WorkflowClient};
use crate::signal::Signal;

/// Done.
pub const EXIT_OK: u8 = 0;
/// `check-catalogue` found breaking changes.
pub const EXIT_BREAKING: u8 = 1;
/// Refused before anything was sent: arguments, JSON, decoding.
pub const EXIT_REFUSED: u8 = 2;
/// SWF refused, or could not be reached.
pub const EXIT_SWF: u8 = 3;

#[derive(Parser, Debug)]
#[command(
    about = "Typed signals for SWF workflows: send only what decodes, read histories decoded",
    after_help = "Exit codes: 0 done; 1 check-catalogue found breaking changes; 2 refused before anything was sent (arguments, JSON, an input that does not decode); 3 SWF refused or could not be reached."
)]
struct Args {
    /// The SWF domain (default: the program's).
    #[arg(long, global = true)]
    domain: Option<String>,
    /// The workflow type, when the program serves several (default: the first).
    #[arg(long = "type", global = true)]
    workflow_type: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Lists the signals and the schema of their inputs.
    Signals {
        /// The catalogue as JSON (what `check-catalogue` and generators read).
        #[arg(long)]
        json: bool,
    },
    /// Sends a signal, after checking that its input decodes.
    Send {
        /// The workflow id.
        workflow_id: String,
        /// The signal name (or an alias).
        signal: String,
        /// The input, as JSON (none for a signal without input).
        input: Option<String>,
        /// A run id (default: the open run).
        #[arg(long)]
        run: Option<String>,
    },
    /// Starts a run, after checking that its input decodes.
    Start {
        /// The workflow id.
        workflow_id: String,
        /// The input, as JSON (default: none, `null`).
        input: Option<String>,
    },
    /// Prints a run's history, every signal decoded or its error.
    History {
        /// The workflow id.
        workflow_id: String,
        /// A run id (default: the open run).
        #[arg(long)]
        run: Option<String>,
        /// One JSON object per line, for machines.
        #[arg(long)]
        json: bool,
    },
    /// Prints a run's state, its history folded as the decider folds it.
    State {
        /// The workflow id.
        workflow_id: String,
        /// A run id (default: the open run).
        #[arg(long)]
        run: Option<String>,
    },
    /// Asks the open run to cancel.
    Cancel {
        /// The workflow id.
        workflow_id: String,
    },
    /// Writes typed senders for services in other languages: TypeScript (over
    /// `@aws-sdk/client-swf`) and Python (over boto3, with pydantic v2 models).
    Generate {
        /// Where the TypeScript sender goes (then, there, json-schema-to-typescript: `npx
        /// json2ts --additionalProperties false -i signals.schema.json -o signals.ts`).
        #[arg(long)]
        typescript: Option<std::path::PathBuf>,
        /// Where the Python sender goes (then: `datamodel-codegen --input
        /// signals.schema.json --input-file-type jsonschema --output-model-type
        /// pydantic_v2.BaseModel --output models.py` there).
        #[arg(long)]
        python: Option<std::path::PathBuf>,
    },
    /// Compares a deployed catalogue (JSON from `signals --json`) with this program's:
    /// exit 1 when the program would break its senders or running workflows.
    CheckCatalogue {
        /// The deployed catalogue.
        deployed: std::path::PathBuf,
    },
}

// Not `Send`: the command runs on the caller's task (a workflow's state need not be Send).
type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// What went wrong, and the exit code it maps to.
struct Failure {
    code: u8,
    message: String,
}

fn refused(message: impl Into<String>) -> Failure {
    Failure {
        code: EXIT_REFUSED,
        message: message.into(),
    }
}

fn swf(error: impl std::fmt::Display) -> Failure {
    Failure {
        code: EXIT_SWF,
        message: error.to_string(),
    }
}

/// One workflow type, its types erased so a program can serve several.
trait Served: Send + Sync {
    fn name(&self) -> &'static str;
    fn catalogue(&self) -> Catalogue;
    /// The signal decoded from `name` and `input` (Debug), or why not.
    fn decode(&self, name: &str, input: Option<&str>) -> Result<String, crate::DecodeError>;
    fn send<'a>(
        &'a self,
        client: &'a WorkflowClient,
        target: Execution,
        name: &'a str,
        input: Option<&'a str>,
    ) -> BoxFuture<'a, Result<String, Failure>>;
    fn start<'a>(
        &'a self,
        client: &'a WorkflowClient,
        workflow_id: &'a str,
        input: Option<&'a str>,
    ) -> BoxFuture<'a, Result<String, Failure>>;
    fn state<'a>(
        &'a self,
        client: &'a WorkflowClient,
        workflow_id: &'a str,
        run: Option<&'a str>,
    ) -> BoxFuture<'a, Result<String, Failure>>;
    /// The open run's id.
    fn open_run<'a>(
        &'a self,
        client: &'a WorkflowClient,
        workflow_id: &'a str,
    ) -> BoxFuture<'a, Result<String, Failure>>;
    fn cancel<'a>(
        &'a self,
        client: &'a WorkflowClient,
        workflow_id: &'a str,
    ) -> BoxFuture<'a, Result<(), Failure>>;
}

struct Typed<W>(PhantomData<fn() -> W>);

impl<W> Served for Typed<W>
where
    W: Workflow + Debug + 'static,
    W::Signal: Contract + Debug + Send + Sync,
    W::Input: Send + Sync,
{
    fn name(&self) -> &'static str {
        W::NAME
    }

    fn catalogue(&self) -> Catalogue {
        Catalogue::of::<W::Signal>()
    }

    fn decode(&self, name: &str, input: Option<&str>) -> Result<String, crate::DecodeError> {
        W::Signal::decode(name, input).map(|s| format!("{s:?}"))
    }

    fn send<'a>(
        &'a self,
        client: &'a WorkflowClient,
        target: Execution,
        name: &'a str,
        input: Option<&'a str>,
    ) -> BoxFuture<'a, Result<String, Failure>> {
        Box::pin(async move {
            let signal = W::Signal::decode(name, input).map_err(|e| {
                refused(format!(
                    "{e}\nnothing sent; `signals` lists what each signal accepts"
                ))
            })?;
            client.sender().send(target, &signal).await.map_err(swf)?;
            Ok(format!("sent {} {signal:?}", signal.wire_name()))
        })
    }

    fn start<'a>(
        &'a self,
        client: &'a WorkflowClient,
        workflow_id: &'a str,
        input: Option<&'a str>,
    ) -> BoxFuture<'a, Result<String, Failure>> {
        Box::pin(async move {
            let json = input.filter(|i| !i.trim().is_empty()).unwrap_or("null");
            let input: W::Input = serde_json::from_str(json).map_err(|e| {
                refused(format!(
                    "the input does not decode as the input of `{}`: {e}; nothing started",
                    W::NAME
                ))
            })?;
            let handle = client.start::<W>(workflow_id, &input).await.map_err(swf)?;
            Ok(format!(
                "started {workflow_id} run {}",
                handle.run_id().unwrap_or_default()
            ))
        })
    }

    fn state<'a>(
        &'a self,
        client: &'a WorkflowClient,
        workflow_id: &'a str,
        run: Option<&'a str>,
    ) -> BoxFuture<'a, Result<String, Failure>> {
        Box::pin(async move {
            let mut handle = client.handle::<W>(workflow_id);
            if let Some(run) = run {
                handle = handle.run(run);
            }
            let state = handle.state().await.map_err(swf)?;
            Ok(format!("{state:#?}"))
        })
    }

    fn open_run<'a>(
        &'a self,
        client: &'a WorkflowClient,
        workflow_id: &'a str,
    ) -> BoxFuture<'a, Result<String, Failure>> {
        Box::pin(async move {
            let described = client
                .handle::<W>(workflow_id)
                .describe()
                .await
                .map_err(swf)?;
            Ok(described.execution.run_id().unwrap_or_default().to_owned())
        })
    }

    fn cancel<'a>(
        &'a self,
        client: &'a WorkflowClient,
        workflow_id: &'a str,
    ) -> BoxFuture<'a, Result<(), Failure>> {
        Box::pin(async move { client.handle::<W>(workflow_id).cancel().await.map_err(swf) })
    }
}

/// The command line: [`new`](Cli::new) with the domain, one
/// [`workflow`](Cli::workflow) per type, then [`run`](Cli::run).
pub struct Cli {
    domain: String,
    served: Vec<Box<dyn Served>>,
}

impl std::fmt::Debug for Cli {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cli")
            .field("domain", &self.domain)
            .field(
                "types",
                &self.served.iter().map(|s| s.name()).collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl Cli {
    /// A command line for the workflows of `domain` (`--domain` overrides it).
    pub fn new(domain: impl Into<String>) -> Self {
        Cli {
            domain: domain.into(),
            served: Vec::new(),
        }
    }

    /// Serves `W`: its signals (`#[signal(schema)]`), its input, its state.
    #[must_use]
    pub fn workflow<W>(mut self) -> Self
    where
        W: Workflow + Debug + 'static,
        W::Signal: Contract + Debug + Send + Sync,
        W::Input: Send + Sync,
    {
        self.served.push(Box::new(Typed::<W>(PhantomData)));
        self
    }

    /// Parses the process's arguments, runs the command with a client from the standard
    /// AWS configuration, prints to stdout (errors to stderr) and returns the exit code.
    pub async fn run(self) -> ExitCode {
        let config = aws_config_load().await;
        let client = aws_sdk_swf::Client::new(&config);
        let mut out = std::io::stdout();
        let mut err = std::io::stderr();
        self.run_with(std::env::args_os(), client, &mut out, &mut err)
            .await
    }

    /// [`run`](Cli::run) with given arguments (the first is the program name), client and
    /// outputs: for tests and for programs that embed the command line.
    pub async fn run_with<I, T>(
        self,
        args: I,
        client: aws_sdk_swf::Client,
        out: &mut (dyn Write + Send),
        err: &mut (dyn Write + Send),
    ) -> ExitCode
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        let args = match Args::try_parse_from(args) {
            Ok(args) => args,
            Err(e) => {
                let code = if e.use_stderr() {
                    EXIT_REFUSED
                } else {
                    EXIT_OK
                };
                let text = e.render().to_string();
                let text = text.trim_end();
                let _ = if code == EXIT_OK {
                    writeln!(out, "{text}")
                } else {
                    writeln!(err, "{text}")
                };
                return ExitCode::from(code);
            }
        };
        match self.execute(args, client, out).await {
            Ok(()) => ExitCode::from(EXIT_OK),
            Err(failure) => {
                let _ = writeln!(err, "error: {}", failure.message);
                ExitCode::from(failure.code)
            }
        }
    }

    fn pick(&self, name: Option<&str>) -> Result<&dyn Served, Failure> {
        let found = match name {
            None => self.served.first(),
            Some(n) => self.served.iter().find(|s| s.name() == n),
        };
        found.map(AsRef::as_ref).ok_or_else(|| {
            let known: Vec<&str> = self.served.iter().map(|s| s.name()).collect();
            refused(format!(
                "no workflow type {}; this program serves: {}",
                name.map_or_else(String::new, |n| format!("`{n}`")),
                if known.is_empty() {
                    "none (call Cli::workflow)".to_owned()
                } else {
                    known.join(", ")
                }
            ))
        })
    }

    async fn execute(
        &self,
        args: Args,
        client: aws_sdk_swf::Client,
        out: &mut (dyn Write + Send),
    ) -> Result<(), Failure> {
        let served = self.pick(args.workflow_type.as_deref())?;
        let domain = args.domain.unwrap_or_else(|| self.domain.clone());
        let wf = WorkflowClient::new(client, domain);
        let print = |out: &mut (dyn Write + Send), text: &str| {
            writeln!(out, "{text}").map_err(|e| swf(format!("cannot write the output: {e}")))
        };
        match args.command {
            Command::Signals { json } => {
                let catalogue = served.catalogue();
                if json {
                    let text = serde_json::to_string_pretty(&catalogue)
                        .map_err(|e| swf(format!("cannot print the catalogue: {e}")))?;
                    print(out, &text)
                } else {
                    print(out, &signals_table(&catalogue))
                }
            }
            Command::Send {
                workflow_id,
                signal,
                input,
                run,
            } => {
                let target = match run {
                    Some(run) => Execution::new(workflow_id, run),
                    None => Execution::current(workflow_id),
                };
                let done = served.send(&wf, target, &signal, input.as_deref()).await?;
                print(out, &done)
            }
            Command::Start { workflow_id, input } => {
                let done = served.start(&wf, &workflow_id, input.as_deref()).await?;
                print(out, &done)
            }
            Command::State { workflow_id, run } => {
                let state = served.state(&wf, &workflow_id, run.as_deref()).await?;
                print(out, &state)
            }
            Command::Cancel { workflow_id } => {
                served.cancel(&wf, &workflow_id).await?;
                print(out, &format!("asked {workflow_id} to cancel"))
            }
            Command::History {
                workflow_id,
                run,
                json,
            } => {
                let lines = history(served, &wf, &workflow_id, run, json).await?;
                for line in lines {
                    print(out, &line)?;
                }
                Ok(())
            }
            Command::Generate { typescript, python } => {
                let written = generate(served, typescript, python)?;
                print(out, &format!("wrote {}", written.join(", ")))
            }
            Command::CheckCatalogue { deployed } => {
                let text = std::fs::read_to_string(&deployed)
                    .map_err(|e| refused(format!("cannot read {}: {e}", deployed.display())))?;
                let old: Catalogue = serde_json::from_str(&text).map_err(|e| {
                    refused(format!(
                        "{} is not a catalogue (the JSON of `signals --json`): {e}",
                        deployed.display()
                    ))
                })?;
                let breaking = Catalogue::breaking_changes(&old, &served.catalogue());
                if breaking.is_empty() {
                    return print(out, "no breaking changes");
                }
                for b in &breaking {
                    print(out, &format!("breaking: {b}"))?;
                }
                Err(Failure {
                    code: EXIT_BREAKING,
                    message: format!(
                        "{} breaking change(s) against {}",
                        breaking.len(),
                        deployed.display()
                    ),
                })
            }
        }
    }
}

/// Writes the TypeScript and Python senders; the paths written.
fn generate(
    served: &dyn Served,
    typescript: Option<std::path::PathBuf>,
    python: Option<std::path::PathBuf>,
) -> Result<Vec<String>, Failure> {
    if typescript.is_none() && python.is_none() {
        return Err(refused(
            "generate needs --typescript DIR, --python DIR or both",
        ));
    }
    let catalogue = served.catalogue();
    let mut written = Vec::new();
    for (dir, files) in [
        (typescript, crate::generate::typescript(&catalogue)),
        (python, crate::generate::python(&catalogue)),
    ] {
        let Some(dir) = dir else { continue };
        std::fs::create_dir_all(&dir)
            .map_err(|e| refused(format!("cannot create {}: {e}", dir.display())))?;
        for (name, text) in files {
            let path = dir.join(name);
            std::fs::write(&path, text)
                .map_err(|e| refused(format!("cannot write {}: {e}", path.display())))?;
            written.push(path.display().to_string());
        }
    }
    Ok(written)
}

fn signals_table(catalogue: &Catalogue) -> String {
    let mut lines = Vec::new();
    for s in &catalogue.signals {
        let aliases = if s.aliases.is_empty() {
            String::new()
        } else {
            format!(" (also: {})", s.aliases.join(", "))
        };
        let input = s
            .schema
            .as_ref()
            .map_or_else(|| "no input".to_owned(), schema_summary);
        lines.push(format!("{}{aliases}  [{}]  {input}", s.name, s.format));
    }
    lines.join("\n")
}

/// A one-line reading of a schema: an object's fields (`?` when optional), else its type.
fn schema_summary(schema: &serde_json::Value) -> String {
    match schema
        .get("properties")
        .and_then(serde_json::Value::as_object)
    {
        Some(props) => {
            let required: Vec<&str> = schema
                .get("required")
                .and_then(serde_json::Value::as_array)
                .map(|r| r.iter().filter_map(serde_json::Value::as_str).collect())
                .unwrap_or_default();
            let fields: Vec<String> = props
                .keys()
                .map(|k| {
                    if required.contains(&k.as_str()) {
                        k.clone()
                    } else {
                        format!("{k}?")
                    }
                })
                .collect();
            format!("{{{}}}", fields.join(", "))
        }
        None => match schema.get("type") {
            Some(serde_json::Value::String(t)) => t.clone(),
            Some(other) => other.to_string(),
            None => "JSON".to_owned(),
        },
    }
}

/// The run's history, one line per event: id, time, type, and for a signal its name and
/// the decoded value or the error.
async fn history(
    served: &dyn Served,
    wf: &WorkflowClient,
    workflow_id: &str,
    run: Option<String>,
    json: bool,
) -> Result<Vec<String>, Failure> {
    let run = match run {
        Some(run) => run,
        None => served.open_run(wf, workflow_id).await?,
    };
    let target = aws_sdk_swf::types::WorkflowExecution::builder()
        .workflow_id(workflow_id)
        .run_id(&run)
        .build()
        .map_err(swf)?;
    let events =
        crate::decide::task::fetch_history(wf.sender().client(), wf.domain(), &target, i64::MAX)
            .await
            .map_err(|e| swf(crate::error::error_chain(&e)))?;
    let mut lines = Vec::with_capacity(events.len());
    for e in &events {
        let time = e
            .event_timestamp()
            .fmt(aws_smithy_types::date_time::Format::DateTime)
            .unwrap_or_default();
        let kind = e.event_type().as_str();
        // Operators read their own data here: the full error, which names the field.
        let signal = e
            .workflow_execution_signaled_event_attributes()
            .map(|a| (a.signal_name(), served.decode(a.signal_name(), a.input())));
        lines.push(if json {
            let mut o = serde_json::json!({"event_id": e.event_id(), "time": time, "type": kind});
            if let Some((name, decoded)) = &signal {
                o["signal"] = name.to_string().into();
                match decoded {
                    Ok(v) => o["decoded"] = v.clone().into(),
                    Err(err) => o["error"] = err.to_string().into(),
                }
            }
            o.to_string()
        } else {
            let detail = match &signal {
                Some((name, Ok(v))) => format!("{name}: {v}"),
                Some((name, Err(err))) => format!("{name}: DOES NOT DECODE: {err}"),
                None => String::new(),
            };
            format!("{:>5}  {time}  {kind:<40}  {detail}", e.event_id())
        });
    }
    Ok(lines)
}

async fn aws_config_load() -> aws_config::SdkConfig {
    aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await
}
