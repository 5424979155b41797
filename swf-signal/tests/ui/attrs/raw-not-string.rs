use swf_signal::Signal;

#[derive(Signal)]
enum OrderSignal {
    #[signal(raw)]
    Quantity(u32),
}

fn main() {}
