package com.example.flow;

import com.amazonaws.services.simpleworkflow.flow.core.Promise;
import com.amazonaws.services.simpleworkflow.flow.core.Settable;
import com.amazonaws.services.simpleworkflow.flow.core.Task;

public class SumWorkflowImpl implements SumWorkflow {
    private long sum;
    private final Settable<Void> finished = new Settable<>();

    @Override public Promise<Long> run() {
        Settable<Long> result = new Settable<>();
        new Task(finished) {
            @Override protected void doExecute() { result.set(sum); }
        };
        return result;
    }

    @Override public void add(int n) { sum += n; }

    @Override public void finish() { if (!finished.isReady()) finished.set(null); }
}
