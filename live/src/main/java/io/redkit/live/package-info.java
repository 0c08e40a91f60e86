/**
 * Live Redis servers and clusters on the far side of redkit: pipelined writers that move an event stream into a
 * standalone server or a cluster (slot routing, redirects, retries), and SCAN-based sources that read one back.
 */
package io.redkit.live;
