package com.example.flow;

import com.amazonaws.services.simpleworkflow.flow.annotations.Execute;
import com.amazonaws.services.simpleworkflow.flow.annotations.Signal;
import com.amazonaws.services.simpleworkflow.flow.annotations.Workflow;
import com.amazonaws.services.simpleworkflow.flow.annotations.WorkflowRegistrationOptions;
import com.amazonaws.services.simpleworkflow.flow.core.Promise;

/** The `peers` bench's workflow: the sum of its `add` signals, completed on `finish`. */
@Workflow
@WorkflowRegistrationOptions(defaultExecutionStartToCloseTimeoutSeconds = 3600,
        defaultTaskStartToCloseTimeoutSeconds = 60)
public interface SumWorkflow {
    @Execute(name = "peer-sum", version = "1")
    Promise<Long> run();

    @Signal void add(int n);
    @Signal void finish();
}
