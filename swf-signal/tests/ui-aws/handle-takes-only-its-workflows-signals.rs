use swf_signal::{DecideError, DecisionContext, Decisions, Signal, Workflow, WorkflowClient};

#[derive(Signal)]
enum OrderSignal {
    Approve,
}

#[derive(Signal)]
enum PaymentSignal {
    Refund(u32),
}

struct Order;

impl OrderSignalHandler for Order {
    type Output = ();
    fn approve(&mut self) {}
}

impl Workflow for Order {
    const NAME: &'static str = "order";
    const VERSION: &'static str = "1";
    type Signal = OrderSignal;
    type Input = ();
    fn start((): ()) -> Self {
        Order
    }
    fn decide(&mut self, _: &DecisionContext<'_, Self>, _: &mut Decisions) -> Result<(), DecideError> {
        Ok(())
    }
}

async fn send(client: WorkflowClient) {
    let handle = client.handle::<Order>("order-42");
    let _ = handle.signal(&OrderSignal::Approve).await;
    let _ = handle.signal(&PaymentSignal::Refund(3)).await;
}

fn main() {
    let _ = send;
}
