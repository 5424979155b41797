use swf_signal::Signal;

#[derive(Signal)]
enum OrderSignal {}

fn main() {}
