package com.example.flow;

import java.math.BigInteger;
import java.util.Date;
import java.util.List;
import java.util.Map;

import com.amazonaws.services.simpleworkflow.flow.annotations.Execute;
import com.amazonaws.services.simpleworkflow.flow.annotations.Signal;
import com.amazonaws.services.simpleworkflow.flow.annotations.Workflow;
import com.amazonaws.services.simpleworkflow.flow.annotations.WorkflowRegistrationOptions;
import com.amazonaws.services.simpleworkflow.flow.core.Promise;
import com.example.Color;
import com.example.Reason;

/**
 * A Flow workflow whose signal methods take the types a Java author declares for the
 * flow-java cases (interop/flow-java/com/example/OrderSignals.java has the same methods).
 * It completes, on {@code done()}, with one line per signal received: the values and their
 * runtime classes.
 */
@Workflow
@WorkflowRegistrationOptions(defaultExecutionStartToCloseTimeoutSeconds = 3600,
        defaultTaskStartToCloseTimeoutSeconds = 30)
public interface OrderWorkflow {
    @Execute(name = "flow-orders", version = "1")
    Promise<String> run();

    @Signal void ping();
    @Signal void cancel(String reason);
    @Signal void move(int x, long y);
    @Signal void approve(String approver, Short level);
    @Signal void everything(byte a, short b, short c, long d, BigInteger e, float f, double g,
                            char h, boolean i, String j);
    @Signal void nested(List<Long> xs, Map<String, Long> m, Object[] pair, Reason r, Color c);
    @Signal void dated(Date at, com.other.Why why, List<Reason> all);
    @Signal void widened(long fromInt, double fromLong, int fromShort);
    @Signal void done();
}
