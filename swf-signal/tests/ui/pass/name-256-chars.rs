use swf_signal::Signal;

#[derive(Debug, PartialEq, Signal)]
enum OrderSignal {
    #[signal(name = "éééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé")]
    Approve,
}

fn main() {
    assert_eq!(OrderSignal::NAMES[0].chars().count(), 256);
    assert_eq!(OrderSignal::decode(OrderSignal::NAMES[0], None).ok(), Some(OrderSignal::Approve));
}
