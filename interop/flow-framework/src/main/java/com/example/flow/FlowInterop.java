package com.example.flow;

import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.amazonaws.services.simpleworkflow.flow.DynamicWorkflowClientExternalImpl;
import com.amazonaws.services.simpleworkflow.flow.WorkflowWorker;
import com.amazonaws.services.simpleworkflow.flow.model.WorkflowExecution;
import com.amazonaws.services.simpleworkflow.flow.model.WorkflowType;
import com.amazonaws.services.simpleworkflow.flow.worker.GenericWorkflowClientExternalImpl;
import com.example.Color;
import com.example.Reason;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.swf.SwfClient;

/**
 * The Flow side of tests/tests/flow_framework.rs, against SWF_SERVER_URL:
 *   worker DOMAIN TASK_LIST        runs Flow's WorkflowWorker for OrderWorkflowImpl until stdin closes
 *   start DOMAIN WORKFLOW_ID       starts an OrderWorkflow execution with Flow's external client
 *   signal DOMAIN WORKFLOW_ID      signals WORKFLOW_ID (a Rust workflow) with Flow's external client:
 *                                  every flow-java case, then done()
 */
public final class FlowInterop {
    public static void main(String[] args) throws Exception {
        SwfClient swf = SwfClient.builder()
                .endpointOverride(URI.create(System.getenv("SWF_SERVER_URL")))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                // SWF holds a poll up to 60 s: the socket must wait longer.
                .httpClientBuilder(ApacheHttpClient.builder().socketTimeout(Duration.ofSeconds(70)))
                .build();
        String mode = args[0], domain = args[1];
        switch (mode) {
            case "worker": {
                WorkflowWorker worker = new WorkflowWorker(swf, domain, args[2]);
                worker.addWorkflowImplementationType(OrderWorkflowImpl.class);
                worker.start();
                System.out.println("ready");
                System.out.flush();
                while (System.in.read() != -1) { }
                worker.shutdownNow();
                System.exit(0);
            }
            case "start": {
                DynamicWorkflowClientExternalImpl client = client(swf, domain, args[2]);
                client.startWorkflowExecution(new Object[0]);
                System.out.println(client.getWorkflowExecution().getRunId());
                System.exit(0);
            }
            case "signal": {
                DynamicWorkflowClientExternalImpl client = client(swf, domain, args[2]);
                send(client, "ping");
                send(client, "cancel", "late \u00e9 \ud83d\ude00");
                send(client, "move", 3, 4L);
                send(client, "approve", "ana", (short) 2);
                send(client, "approve", "bo", null);
                send(client, "everything", (byte) -1, (short) 2, (short) 200, 4L,
                        new BigInteger("18446744073709551615"), 1.5f, 2.5, 'x', true, "j");
                Map<String, Long> m = new HashMap<>();
                m.put("k", 8L);
                send(client, "nested", new ArrayList<>(Arrays.asList(7L, 9L)), m,
                        new Object[] {9, "t"}, new Reason(7, "late"), Color.GREEN);
                List<Reason> all = new ArrayList<>();
                all.add(new Reason(2, "b"));
                send(client, "dated", new Date(1715953530123L), new com.other.Why(3L, new ArrayList<>(all)), all);
                send(client, "done");
                System.exit(0);
            }
            default:
                System.err.println("usage: FlowInterop worker|start|signal DOMAIN ...");
                System.exit(2);
        }
    }

    static DynamicWorkflowClientExternalImpl client(SwfClient swf, String domain, String workflowId) {
        GenericWorkflowClientExternalImpl generic = new GenericWorkflowClientExternalImpl(swf, domain);
        return new DynamicWorkflowClientExternalImpl(
                WorkflowExecution.builder().workflowId(workflowId).build(),
                WorkflowType.builder().name("flow-orders").version("1").build(),
                null, null, generic);
    }

    static void send(DynamicWorkflowClientExternalImpl client, String name, Object... args) {
        client.signalWorkflowExecution(name, args);
        System.out.println("flow sent " + name);
    }
}
