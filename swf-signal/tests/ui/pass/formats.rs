//! Every format, on the enum and on variants, with the keys each takes.
#![deny(warnings)]

use swf_signal::Signal;

#[derive(serde::Serialize, serde::Deserialize)]
struct Reason {
    code: i32,
}

#[derive(Signal)]
#[signal(format = "flow-java", java_package = "com.example")]
enum Java {
    Ping,
    Cancel(#[signal(java_class = "com.example.CancelReason")] Reason),
    Move(i32, i64),
    Approve { approver: String, #[signal(java_class = "java.util.Date")] at: i64 },
    #[signal(format = "simpleflow", propagate)]
    Spread { level: u8 },
    #[signal(format = "json")]
    Plain(u8),
    #[signal(raw)]
    Comment(String),
    #[signal(other)]
    Unknown { name: String, input: Option<String> },
}

fn main() {
    let _ = Java::Ping.encode_input();
}
