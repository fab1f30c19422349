/**
 * The cold-start harness: each function measured in fresh JVMs of its own, started from its shaded jar as Lambda
 * starts a container. {@link dev.handoff.benchmarks.coldstart.ColdStart} drives it (scripts/cold-start.sh runs it),
 * {@link dev.handoff.benchmarks.coldstart.Launcher} is the one class put beside the function's jar. Figures only:
 * nothing here asserts a time.
 */
package dev.handoff.benchmarks.coldstart;
