package com.example.flow;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

import com.amazonaws.services.simpleworkflow.flow.core.Promise;
import com.amazonaws.services.simpleworkflow.flow.core.Settable;
import com.amazonaws.services.simpleworkflow.flow.core.Task;
import com.example.Color;
import com.example.OrderSignals;
import com.example.Reason;

/** Records each signal as the Jackson proofs' OrderSignals describes it ("ok move Integer(3) Long(4)"). */
public class OrderWorkflowImpl implements OrderWorkflow {
    private final List<String> lines = new ArrayList<>();
    private final Settable<Void> finished = new Settable<>();

    private OrderSignals next() { return new OrderSignals(); }

    private void record(OrderSignals s) { lines.add("ok " + s.seen); }

    /** Open until done(): a Task waiting on a promise is what keeps a Flow workflow running. */
    @Override public Promise<String> run() {
        Settable<String> result = new Settable<>();
        new Task(finished) {
            @Override protected void doExecute() {
                result.set(String.join("\n", lines));
            }
        };
        return result;
    }

    @Override public void ping() { OrderSignals s = next(); s.ping(); record(s); }
    @Override public void cancel(String reason) { OrderSignals s = next(); s.cancel(reason); record(s); }
    @Override public void move(int x, long y) { OrderSignals s = next(); s.move(x, y); record(s); }
    @Override public void approve(String approver, Short level) {
        OrderSignals s = next(); s.approve(approver, level); record(s);
    }
    @Override public void everything(byte a, short b, short c, long d, BigInteger e, float f, double g,
                                     char h, boolean i, String j) {
        OrderSignals s = next(); s.everything(a, b, c, d, e, f, g, h, i, j); record(s);
    }
    @Override public void nested(List<Long> xs, Map<String, Long> m, Object[] pair, Reason r, Color c) {
        OrderSignals s = next(); s.nested(xs, m, pair, r, c); record(s);
    }
    @Override public void dated(Date at, com.other.Why why, List<Reason> all) {
        OrderSignals s = next(); s.dated(at, why, all); record(s);
    }
    @Override public void widened(long fromInt, double fromLong, int fromShort) {
        OrderSignals s = next(); s.widened(fromInt, fromLong, fromShort); record(s);
    }
    @Override public void done() {
        if (!finished.isReady()) finished.set(null);
    }
}
