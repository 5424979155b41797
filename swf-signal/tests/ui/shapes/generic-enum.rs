use swf_signal::Signal;

#[derive(Signal)]
enum OrderSignal<T> {
    Approve(T),
}

fn main() {}
