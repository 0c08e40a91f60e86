/**
 * End-to-end integration tests (failsafe, {@code *IT}) of the redkit command against real redis-server
 * processes on free loopback ports, and their support: server processes, a RESP client, a live-dataset
 * snapshot in the fixtures' canonical JSON form, a streaming JSON scanner and the fat-jar runner.
 */
package io.redkit.cli.it;
