/**
 * Real AWS-compatible engines in-process, and Lambda's event-source delivery reproduced against them, for the
 * integration tests and the local stack runner.
 *
 * <ul>
 *   <li>{@link dev.handoff.local.EmbeddedDynamoDb}: DynamoDB Local (streams included) in this JVM, in memory.</li>
 *   <li>{@link dev.handoff.local.MotoServer}: {@code moto_server} as a subprocess, for SNS, SQS and EventBridge.</li>
 *   <li>{@link dev.handoff.local.LocalAws}: points any SDK v2 client at either (region, dummy credentials,
 *       url-connection HTTP client).</li>
 *   <li>{@link dev.handoff.local.DynamoDbStreamDelivery}, {@link dev.handoff.local.SqsDelivery}: Lambda's event
 *       source mappings (batches, event shapes, ReportBatchItemFailures, retries), run with {@code drain()} or in
 *       the background; {@link dev.handoff.local.Delivery#drainAll} runs several until the whole system is at
 *       rest. {@code SqsDelivery} reads an SQS endpoint or an {@link dev.handoff.local.InMemoryQueue} (a queue
 *       with a redrive policy in this JVM, for the local stack).</li>
 *   <li>{@link dev.handoff.local.StreamRecords}: the SDK v2 to aws-lambda-java-events stream record conversion.</li>
 * </ul>
 *
 * <p>Run the JVM with {@code --enable-native-access=ALL-UNNAMED} (JDK 24+): DynamoDB Local's sqlite4java loads a
 * native library, which this jar carries and extracts by itself.
 */
package dev.handoff.local;
