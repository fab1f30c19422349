package dev.handoff.benchmarks.coldstart;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The measured JVM: {@code java -cp <function>.jar:<harness classes> ...Launcher key=value...}, doing what Lambda's
 * Java runtime does for a cold start, and timing it. {@code t0} is the driver's {@link System#nanoTime()} just
 * before it started this JVM (CLOCK_MONOTONIC: comparable across processes on Linux).
 *
 * <ol>
 *   <li>the handler built by its public no-arg constructor, wired from the environment;</li>
 *   <li>{@code mode=primed}: what runs before the snapshot — the project's own {@code beforeCheckpoint}, or, for the
 *       bare handler, one real invocation (a bare handler warmed by one real call);</li>
 *   <li>invocations, each with an event of its own (built here from plain text files with the event classes'
 *       setters, as the runtime builds them before calling the handler, untimed).</li>
 * </ol>
 * It prints one line {@code result key=nanos...}: {@code first} (the first measured invocation), {@code done} (t0 to
 * the end of the first response, cold mode), {@code init}, {@code jvm}, {@code next} (the invocation after).
 */
public final class Launcher {
    private Launcher() {}

    public static void main(String[] args) throws Exception {
        long tMain = System.nanoTime();
        Map<String, String> a = new HashMap<>();
        for (String arg : args) a.put(arg.substring(0, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        long t0 = Long.parseLong(a.get("t0"));
        Path events = Path.of(a.get("events"));
        boolean http = a.get("kind").equals("http");

        @SuppressWarnings("unchecked")
        RequestHandler<Object, Object> handler = (RequestHandler<Object, Object>) Class.forName(a.get("handler"))
                .getDeclaredConstructor().newInstance();
        long tReady = System.nanoTime();

        int next = 0;
        if (a.get("mode").equals("primed")) {
            Class<?> resource = Class.forName("org.crac.Resource", false, handler.getClass().getClassLoader());
            if (resource.isInstance(handler)) {
                // On a JVM without CRaC, org.crac drops registrations: call what the checkpoint would call.
                resource.getMethod("beforeCheckpoint", Class.forName("org.crac.Context", false, resource.getClassLoader()))
                        .invoke(handler, new Object[] {null});
            } else {
                handler.handleRequest(event(http, events, next++), new Ctx("warm-up"));
            }
        }
        long tPrimed = System.nanoTime();
        Object first = event(http, events, next++);
        long tFirst = System.nanoTime();
        handler.handleRequest(first, new Ctx("first"));
        long tFirstDone = System.nanoTime();
        Object second = event(http, events, next);
        long tNext = System.nanoTime();
        handler.handleRequest(second, new Ctx("next"));
        long tNextDone = System.nanoTime();

        System.out.println("result jvm=" + (tMain - t0) + " init=" + (tReady - tMain) + " prime=" + (tPrimed - tReady)
                + " first=" + (tFirstDone - tFirst) + " done=" + (tFirstDone - t0) + " next=" + (tNextDone - tNext));
        System.exit(0);
    }

    /** Invocation {@code i}'s event: an HTTP API v2 form post, or an SQS batch of EventBridge envelopes. */
    private static Object event(boolean http, Path dir, int i) throws IOException {
        if (http) {
            APIGatewayV2HTTPEvent e = new APIGatewayV2HTTPEvent();
            String path = Files.readString(dir.resolve("path"));
            e.setRouteKey("POST /forms/{formId}/submissions");
            e.setRawPath(path);
            e.setPathParameters(Map.of("formId", path.split("/")[2]));
            e.setHeaders(Map.of("content-type", "application/json", "idempotency-key", "cold-" + i + "-" + System.nanoTime()));
            e.setBody(Files.readString(dir.resolve(i + ".body")));
            e.setIsBase64Encoded(false);
            return e;
        }
        List<SQSEvent.SQSMessage> messages = new ArrayList<>();
        for (int k = 0; Files.exists(dir.resolve(i + "." + k + ".body")); k++) {
            SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
            m.setMessageId("m-" + i + "-" + k);
            m.setBody(Files.readString(dir.resolve(i + "." + k + ".body")));
            m.setAttributes(Map.of("ApproximateReceiveCount", "1"));
            m.setEventSource("aws:sqs");
            messages.add(m);
        }
        SQSEvent e = new SQSEvent();
        e.setRecords(messages);
        return e;
    }

    /** What the runtime passes: a request id, the rest unused by the handlers. */
    private record Ctx(String requestId) implements Context {
        public String getAwsRequestId() { return requestId; }
        public String getLogGroupName() { return "/aws/lambda/cold-start"; }
        public String getLogStreamName() { return "cold-start"; }
        public String getFunctionName() { return "cold-start"; }
        public String getFunctionVersion() { return "1"; }
        public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:000000000000:function:cold-start"; }
        public CognitoIdentity getIdentity() { return null; }
        public ClientContext getClientContext() { return null; }
        public int getRemainingTimeInMillis() { return 30_000; }
        public int getMemoryLimitInMB() { return 1024; }
        public LambdaLogger getLogger() { return null; }
    }
}
