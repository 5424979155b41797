use swf_signal::Signal;

#[derive(Signal)]
#[signal(format = "simpleflow")]
enum OrderSignal {
    Approve {
        #[serde(rename = "who")]
        approver: String,
    },
}

fn main() {}
