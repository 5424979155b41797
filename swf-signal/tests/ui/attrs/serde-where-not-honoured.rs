use serde::{Deserialize, Serialize};
use swf_signal::Signal;

#[derive(Serialize, Deserialize)]
pub struct Reason {
    pub code: u16,
}

#[derive(Signal)]
#[serde(rename_all = "snake_case")]
enum OrderSignal {
    #[serde(rename = "ok")]
    Approve,
    Cancel(#[serde(default)] Reason),
    Move(#[serde(rename = "x")] i32, i32),
    // Honoured: a struct variant's fields.
    Note {
        #[serde(rename = "t")]
        text: String,
    },
}

fn main() {}
