use swf_signal::Signal;

#[derive(Signal)]
enum OrderSignal {
    Approve,
    Cancel,
}

const NAME: &str = swf_signal::signal_name!(OrderSignal::Aprove);

fn main() {}
