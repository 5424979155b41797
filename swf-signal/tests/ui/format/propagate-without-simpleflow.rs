use swf_signal::Signal;

#[derive(Signal)]
#[signal(format = "botoflow")]
enum OrderSignal {
    #[signal(propagate)]
    Approve(String),
}

fn main() {}
