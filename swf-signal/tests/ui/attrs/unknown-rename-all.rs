use swf_signal::Signal;

#[derive(Signal)]
#[signal(rename_all = "snake")]
enum OrderSignal {
    Approve,
}

fn main() {}
