/**
 * JMH micro-benchmarks of redkit's innermost loops (LZF, listpack, ziplist). Never run by the build:
 * {@code java -jar benchmarks/target/benchmarks.jar}.
 */
package io.redkit.bench;
