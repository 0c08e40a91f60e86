/**
 * Diagnostics of the commands: one small facility writing levelled messages to standard error as
 * text or JSON lines, never to standard output, where the data goes.
 */
package io.redkit.cli.log;
