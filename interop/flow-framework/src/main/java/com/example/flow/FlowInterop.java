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
 *   bench DOMAIN LIST...           the `peers` bench: for each LIST (also the workflow id of a
 *                                  SumWorkflow execution with one pending decision task on it),
 *                                  runs Flow's WorkflowWorker on it until the execution closes;
 *                                  prints "FLOW list cpu-ns heap-peak-bytes result"
 *   bench-affinity DOMAIN LIST...  the same with Flow's decider affinity on: Flow's WorkflowWorker
 *                                  (affinity configured) takes the pending task N-1 of LIST's
 *                                  execution and routes the next one to this host's list, served
 *                                  by an AffinityWorkflowWorker from its decider cache; then
 *                                  finish() is sent and task N measured; prints
 *                                  "FLOW_AFFINITY list cpu-ns retained-bytes result", the bytes
 *                                  being the live heap with the execution in the decider cache less the live heap without it
 */
public final class FlowInterop {
    public static void main(String[] args) throws Exception {
        SwfClient swf = newClient();
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
            case "bench": {
                for (int i = 2; i < args.length; i++) bench(swf, domain, args[i]);
                System.exit(0);
            }
            case "bench-affinity": {
                benchAffinity(swf, domain, Arrays.copyOfRange(args, 2, args.length));
                System.exit(0);
            }
            default:
                System.err.println("usage: FlowInterop worker|start|signal|bench|bench-affinity DOMAIN ...");
                System.exit(2);
        }
    }

    static SwfClient newClient() {
        return SwfClient.builder()
                .endpointOverride(URI.create(System.getenv("SWF_SERVER_URL")))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                // SWF holds a poll up to 60 s: the socket must wait longer.
                .httpClientBuilder(ApacheHttpClient.builder().socketTimeout(Duration.ofSeconds(70)))
                .build();
    }

    /**
     * One decision by Flow's decider: the CPU Flow spent (see Cpu), from starting the worker
     * until the execution closed, and the peak of the heap above its level after a GC,
     * sampled every millisecond (garbage included: an upper bound of what the decision
     * holds). The workers get their own client: shutdownNow interrupts their threads
     * mid-call, which leaves a shared client unusable (an NPE in the SDK's timeout tracker
     * on the next call). Made before the measurement starts.
     */
    static void bench(SwfClient swf, String domain, String list) throws Exception {
        SwfClient workers = newClient();
        java.lang.management.MemoryMXBean memory = java.lang.management.ManagementFactory.getMemoryMXBean();
        System.gc();
        long base = memory.getHeapMemoryUsage().getUsed();
        java.util.concurrent.atomic.AtomicLong peak = new java.util.concurrent.atomic.AtomicLong(base);
        java.util.concurrent.atomic.AtomicBoolean sampling = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try { Thread.sleep(1); } catch (InterruptedException e) { return; }
            }
        });
        sampler.setDaemon(true);
        sampler.start();
        Cpu cpu = new Cpu(sampler);
        WorkflowWorker worker = new WorkflowWorker(workers, domain, list);
        worker.addWorkflowImplementationType(SumWorkflowImpl.class);
        worker.start();
        String result = awaitResult(swf, domain, list);
        long used = cpu.used();
        sampling.set(false);
        sampler.join();
        worker.shutdownNow();
        worker.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        workers.close();
        System.out.println("FLOW " + list + " " + used + " " + (peak.get() - base) + " " + result);
    }

    /**
     * The CPU Flow spent: the process's, less this thread's (it only watches for the close)
     * and the heap sampler's, from construction to used().
     */
    static final class Cpu {
        final com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        final java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        final Thread other;
        final long process0, own0, other0;

        Cpu(Thread other) {
            this.other = other;
            other0 = other == null ? 0 : threads.getThreadCpuTime(other.getId());
            own0 = threads.getCurrentThreadCpuTime();
            process0 = os.getProcessCpuTime();
        }

        long used() {
            long process = os.getProcessCpuTime() - process0;
            long own = threads.getCurrentThreadCpuTime() - own0;
            long sampled = other == null ? 0 : threads.getThreadCpuTime(other.getId()) - other0;
            return process - own - sampled;
        }
    }

    static String awaitResult(SwfClient swf, String domain, String workflowId) throws InterruptedException {
        String result = null;
        while (result == null) {
            Thread.sleep(20);
            result = closedResult(swf, domain, workflowId);
        }
        return result;
    }

    /**
     * One decision by Flow's affinity decider, from its cache, for each list. Flow's
     * DeciderAffinityConfig takes a JSR-107 cache and Flow ships only the API: Ehcache is
     * the provider here. One AffinityWorkflowWorker serves this host's list for every run
     * (a worker shut down leaves its poll held on the server, which would take the next
     * run's task and lose it until its start-to-close timeout); each run's first task is
     * taken by its own WorkflowWorker, shut down before the measured task.
     */
    static void benchAffinity(SwfClient swf, String domain, String[] lists) throws Exception {
        java.lang.management.MemoryMXBean memory = java.lang.management.ManagementFactory.getMemoryMXBean();
        javax.cache.CacheManager manager = javax.cache.Caching.getCachingProvider().getCacheManager();
        javax.cache.Cache<WorkflowExecution, com.amazonaws.services.simpleworkflow.flow.worker.AsyncDecider> cache =
                manager.createCache("deciders",
                        new javax.cache.configuration.MutableConfiguration<WorkflowExecution, com.amazonaws.services.simpleworkflow.flow.worker.AsyncDecider>()
                                .setTypes(WorkflowExecution.class, com.amazonaws.services.simpleworkflow.flow.worker.AsyncDecider.class)
                                .setStoreByValue(false));
        com.amazonaws.services.simpleworkflow.flow.config.SimpleWorkflowClientConfig config =
                com.amazonaws.services.simpleworkflow.flow.config.SimpleWorkflowClientConfig.builder()
                        .deciderAffinityConfig(new com.amazonaws.services.simpleworkflow.flow.config.DeciderAffinityConfig(
                                Duration.ofSeconds(30), cache))
                        .build();
        SwfClient affinityClient = newClient();
        com.amazonaws.services.simpleworkflow.flow.AffinityWorkflowWorker affinity =
                new com.amazonaws.services.simpleworkflow.flow.AffinityWorkflowWorker(affinityClient, domain, config);
        affinity.addWorkflowImplementationType(SumWorkflowImpl.class);
        affinity.start();
        for (String list : lists) {
            SwfClient workers = newClient();
            WorkflowWorker first = new WorkflowWorker(workers, domain, list, config);
            first.addWorkflowImplementationType(SumWorkflowImpl.class);
            first.start();
            // Task N-1 answered (no decision: finish() has not come) and the decider cached.
            while (!lastEventIs(swf, domain, list, "DecisionTaskCompleted") || cache.iterator().hasNext() == false) {
                Thread.sleep(20);
            }
            first.shutdownNow();
            first.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
            workers.close();
            long withCache = liveHeap(memory);
            swf.signalWorkflowExecution(r -> r.domain(domain).workflowId(list).signalName("finish")
                    .input("[\"[Ljava.lang.Object;\",[]]"));
            Cpu cpu = new Cpu(null);
            String result = awaitResult(swf, domain, list);
            long used = cpu.used();
            cache.clear();
            // The entry's bytes: the live heap with it less the live heap without it, both
            // taken with the same workers running. (A base taken before this run's worker
            // started differed by more than the entry: a run gave -0.5 MiB.) The affinity
            // worker's poller holds the last task it decided until its next poll returns
            // (held 2 s by the bench's server): wait that out, so the heap holds no task.
            Thread.sleep(2_500);
            long retained = withCache - liveHeap(memory);
            System.out.println("FLOW_AFFINITY " + list + " " + used + " " + retained + " " + result);
        }
        affinity.shutdownNow();
    }

    /** The heap in use after full collections (the least of three, so a collection left short does not count). */
    static long liveHeap(java.lang.management.MemoryMXBean memory) {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            least = Math.min(least, memory.getHeapMemoryUsage().getUsed());
        }
        return least;
    }

    static boolean lastEventIs(SwfClient swf, String domain, String workflowId, String type) {
        var open = swf.listOpenWorkflowExecutions(r -> r.domain(domain)
                .startTimeFilter(f -> f.oldestDate(java.time.Instant.EPOCH))
                .executionFilter(f -> f.workflowId(workflowId)));
        if (open.executionInfos().isEmpty()) return false;
        var run = open.executionInfos().get(0).execution();
        var last = swf.getWorkflowExecutionHistory(r -> r.domain(domain).execution(run)
                .reverseOrder(true).maximumPageSize(1));
        return type.equals(last.events().get(0).eventTypeAsString());
    }

    /** The result of `workflowId`'s closed run, or null while it is open. */
    static String closedResult(SwfClient swf, String domain, String workflowId) {
        var closed = swf.listClosedWorkflowExecutions(r -> r.domain(domain)
                .startTimeFilter(f -> f.oldestDate(java.time.Instant.EPOCH))
                .executionFilter(f -> f.workflowId(workflowId)));
        if (closed.executionInfos().isEmpty()) return null;
        var run = closed.executionInfos().get(0).execution();
        var last = swf.getWorkflowExecutionHistory(r -> r.domain(domain).execution(run)
                .reverseOrder(true).maximumPageSize(1));
        var done = last.events().get(0).workflowExecutionCompletedEventAttributes();
        return done == null ? "not-completed" : done.result();
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
