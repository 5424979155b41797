//! The operators' command line (`swf_signal::cli`, feature `cli`) against
//! `scripts/swf-server`: the catalogue, sends refused before anything is sent (checked on
//! the server), aliases, histories with signals decoded or their error, state by replay,
//! cancellation, and `check-catalogue`'s exit codes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed assertion is a failed test

use std::process::ExitCode;

use serde::{Deserialize, Serialize};
use swf_signal::cli::Cli;
use swf_signal::{Catalogue, DecideError, DecisionContext, Decisions, Signal, Workflow};
use swf_signal_tests::Fixture;

#[derive(Debug, Signal)]
#[signal(rename_all = "kebab-case", schema)]
enum OrderSignal {
    #[signal(alias = "approve-order")]
    Approve {
        approver: String,
        note: Option<String>,
    },
    ChangeQuantity(u32),
    Nudge,
}

#[derive(Debug, Serialize, Deserialize)]
struct NewOrder {
    quantity: u32,
}

#[derive(Debug)]
#[allow(dead_code)] // printed by `state`
struct Order {
    quantity: u32,
    approved_by: Option<String>,
}

impl OrderSignalHandler for Order {
    type Output = ();
    fn approve(&mut self, approver: String, _note: Option<String>) {
        self.approved_by = Some(approver);
    }
    fn change_quantity(&mut self, quantity: u32) {
        self.quantity = quantity;
    }
    fn nudge(&mut self) {}
}

impl Workflow for Order {
    const NAME: &'static str = swf_signal_tests::WORKFLOW_NAME;
    const VERSION: &'static str = swf_signal_tests::WORKFLOW_VERSION;
    type Signal = OrderSignal;
    type Input = NewOrder;
    fn start(input: NewOrder) -> Self {
        Order {
            quantity: input.quantity,
            approved_by: None,
        }
    }
    fn decide(
        &mut self,
        _: &DecisionContext<'_, Self>,
        _: &mut Decisions,
    ) -> Result<(), DecideError> {
        Ok(())
    }
}

/// Runs one command; (exit code, stdout, stderr).
async fn cli(fx: &Fixture, args: &[&str]) -> (ExitCode, String, String) {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = Cli::new(&fx.domain)
        .workflow::<Order>()
        .run_with(
            std::iter::once("orders").chain(args.iter().copied()),
            fx.client.clone(),
            &mut out,
            &mut err,
        )
        .await;
    (
        code,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_line_sends_only_what_decodes_and_reads_histories_decoded() {
    let fx = Fixture::new("cli").await;
    let (code, out, _) = cli(&fx, &["signals", "--json"]).await;
    assert_eq!(code, ExitCode::SUCCESS);
    let printed: Catalogue = serde_json::from_str(&out).unwrap();
    assert_eq!(printed, Catalogue::of::<OrderSignal>());
    let (_, table, _) = cli(&fx, &["signals"]).await;
    assert!(
        table.contains("approve (also: approve-order)  [json]  {approver, note?}"),
        "{table}"
    );

    let (code, out, err) = cli(&fx, &["start", "order-cli-1", r#"{"quantity":2}"#]).await;
    assert_eq!(code, ExitCode::SUCCESS, "{err}");
    let run = out.trim().rsplit(' ').next().unwrap().to_owned();
    let (code, _, err) = cli(&fx, &["start", "order-cli-2", r#"{"quantity":-2}"#]).await;
    assert_eq!(code, ExitCode::from(2), "a bad input starts nothing");
    assert!(err.contains("quantity") || err.contains("-2"), "{err}");

    // Refused before sending, naming the field; nothing reaches the run.
    let (code, _, err) = cli(
        &fx,
        &["send", "order-cli-1", "approve", r#"{"aprover":"dana"}"#],
    )
    .await;
    assert_eq!(code, ExitCode::from(2));
    assert!(
        err.contains("missing field `approver`") && err.contains("nothing sent"),
        "{err}"
    );
    let (code, _, err) = cli(
        &fx,
        &["send", "order-cli-1", "change-quantity", r#""three""#],
    )
    .await;
    assert_eq!(code, ExitCode::from(2), "{err}");
    let (code, _, err) = cli(&fx, &["send", "order-cli-1", "aprove", "{}"]).await;
    assert_eq!(code, ExitCode::from(2));
    assert!(
        err.contains("approve"),
        "the names it knows are listed: {err}"
    );
    assert!(
        fx.signals("order-cli-1", &run).await.is_empty(),
        "nothing was sent"
    );

    // An alias is accepted and sent under the signal's name.
    let (code, out, err) = cli(
        &fx,
        &[
            "send",
            "order-cli-1",
            "approve-order",
            r#"{"approver":"dana"}"#,
        ],
    )
    .await;
    assert_eq!(code, ExitCode::SUCCESS, "{err}");
    assert!(out.starts_with("sent approve"), "{out}");
    let (code, _, _) = cli(&fx, &["send", "order-cli-1", "nudge"]).await;
    assert_eq!(code, ExitCode::SUCCESS);
    assert_eq!(
        fx.signals("order-cli-1", &run).await,
        [
            (
                "approve".to_owned(),
                Some(r#"{"approver":"dana","note":null}"#.to_owned())
            ),
            ("nudge".to_owned(), None)
        ]
    );
    // SWF's refusal is exit 3.
    let (code, _, err) = cli(&fx, &["send", "nobody", "nudge"]).await;
    assert_eq!(code, ExitCode::from(3), "{err}");

    reads_back(&fx, &run).await;
}

/// The history (signals decoded, a bad one with its error), the state, cancellation.
async fn reads_back(fx: &Fixture, run: &str) {
    // A bad signal sent around the CLI shows in the history with its error.
    fx.client
        .signal_workflow_execution()
        .domain(&fx.domain)
        .workflow_id("order-cli-1")
        .signal_name("change-quantity")
        .input("\"lots\"")
        .send()
        .await
        .unwrap();
    let (code, out, _) = cli(fx, &["history", "order-cli-1"]).await;
    assert_eq!(code, ExitCode::SUCCESS);
    assert!(
        out.contains(r#"approve: Approve { approver: "dana", note: None }"#),
        "{out}"
    );
    assert!(out.contains("change-quantity: DOES NOT DECODE"), "{out}");
    let (_, json, _) = cli(fx, &["history", "order-cli-1", "--json", "--run", run]).await;
    let events: Vec<serde_json::Value> = json
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(events[0]["type"], "WorkflowExecutionStarted");
    let signaled: Vec<&serde_json::Value> = events
        .iter()
        .filter(|e| e.get("signal").is_some())
        .collect();
    assert_eq!(signaled.len(), 3);
    assert!(signaled[2]["error"]
        .as_str()
        .unwrap()
        .contains("change-quantity"));

    // State by replay, then cancellation.
    let (code, out, err) = cli(fx, &["state", "order-cli-1"]).await;
    assert_eq!(code, ExitCode::SUCCESS, "{err}");
    assert!(
        out.contains("approved_by: Some(")
            && out.contains("\"dana\"")
            && out.contains("quantity: 2"),
        "{out}"
    );
    let (code, _, _) = cli(fx, &["cancel", "order-cli-1"]).await;
    assert_eq!(code, ExitCode::SUCCESS);
    let (_, out, _) = cli(fx, &["history", "order-cli-1"]).await;
    assert!(out.contains("WorkflowExecutionCancelRequested"), "{out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_catalogue_exits_1_on_each_breaking_kind_and_0_otherwise() {
    let fx = Fixture::new("cli-catalogue").await;
    let dir = std::env::temp_dir().join(format!("swf-signal-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let now = serde_json::to_value(Catalogue::of::<OrderSignal>()).unwrap();
    let check = |name: &str, deployed: serde_json::Value| {
        let path = dir.join(name);
        std::fs::write(&path, deployed.to_string()).unwrap();
        let fx = &fx;
        async move {
            let p = path.to_string_lossy().into_owned();
            cli(fx, &["check-catalogue", &p]).await
        }
    };
    // The same catalogue, and one this program extends compatibly: 0.
    assert_eq!(check("same.json", now.clone()).await.0, ExitCode::SUCCESS);
    let mut older = now.clone();
    older["signals"][0]["aliases"] = serde_json::json!([]);
    older["signals"][0]["schema"]["properties"]
        .as_object_mut()
        .unwrap()
        .remove("note");
    assert_eq!(
        check("older.json", older).await.0,
        ExitCode::SUCCESS,
        "an alias and an optional field added"
    );
    // Each kind of break: 1, with the signal and field named.
    let mut removed = now.clone();
    removed["signals"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"name": "retired", "format": "json"}));
    let mut format = now.clone();
    format["signals"][1]["format"] = "flow-java".into();
    let mut required = now.clone();
    required["signals"][0]["schema"]["required"] = serde_json::json!([]);
    let mut retyped = now.clone();
    retyped["signals"][0]["schema"]["properties"]["approver"] =
        serde_json::json!({"type": "integer"});
    for (name, deployed, expect) in [
        ("removed.json", removed, "`retired`"),
        ("format.json", format, "changed format"),
        (
            "required.json",
            required,
            "field `approver` is now required",
        ),
        ("retyped.json", retyped, "field `approver` changed type"),
    ] {
        let (code, out, err) = check(name, deployed).await;
        assert_eq!(code, ExitCode::from(1), "{name}: {out}{err}");
        assert!(out.contains(expect), "{name}: {out}");
    }
    let (code, _, err) = check("not.json", serde_json::json!({"nope": 1})).await;
    assert_eq!(code, ExitCode::from(2), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}
