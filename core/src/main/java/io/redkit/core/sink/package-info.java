/** Sinks, the pull source interface, key filters and the loop that connects them. */
package io.redkit.core.sink;
