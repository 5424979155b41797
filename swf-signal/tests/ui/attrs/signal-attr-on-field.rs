use swf_signal::Signal;

#[derive(Signal)]
enum OrderSignal {
    Approve {
        #[signal(name = "who")]
        approver: String,
    },
}

fn main() {}
